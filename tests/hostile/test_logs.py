"""What the served app writes to its log under hostile traffic."""

from __future__ import annotations

from tests.hostile.world import World


def test_every_log_line_of_the_served_app_is_a_json_object(world: World) -> None:
    """Python warnings printed at start (indented or path-first lines) are not log lines."""
    lines = world.served.log_lines()
    assert lines
    assert all(line["json"] for line in lines if not line["raw"].startswith((" ", "Traceback", "/"))), [
        line["raw"][:120] for line in lines if not line["json"]
    ][:5]


def test_no_log_line_carries_a_secret_of_the_seeded_province_after_seeding(world: World) -> None:
    """Over the whole session so far: A's names, ids and correlation ids are never logged."""
    leaked = [line["raw"][:200] for line in world.served.log_lines() if world.leaks(line["raw"])]
    assert not leaked
