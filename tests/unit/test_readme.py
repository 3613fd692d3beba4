"""The README states what the code enforces: its permission tables are the generated ones."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_carries_every_row_of_the_generated_permission_matrix() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    generated = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    rows = [line for line in generated.splitlines() if line.startswith("| `")]
    assert rows, "docs/permissions.md has no table rows"
    missing = [row for row in rows if row not in readme]
    assert not missing, f"README is out of date with docs/permissions.md: {missing[:3]}"


def test_the_readme_gives_the_two_set_up_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:600]
    assert "make run" in head
    assert "make test" in head


def test_the_readme_lists_every_rule_value_with_its_source_and_flag() -> None:
    from thidua.services.rules_doc import render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render() in readme, (
        "README rules section is out of date: paste `python -m thidua.services.rules_doc`"
    )
