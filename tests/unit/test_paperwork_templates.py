"""The default document templates: shipped in the wheel, and the ones defaults.py builds."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import docx

from thidua.services.paperwork.documents import defaults
from thidua.services.paperwork.documents.store import TEMPLATE_FILES, default_template

ROOT = Path(__file__).resolve().parents[2]


def test_every_default_template_is_package_data() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = data["thidua.services.paperwork.documents"]
    for name in TEMPLATE_FILES:
        assert default_template(name).exists()
        assert any(fnmatch.fnmatch(f"templates/{name}", p) for p in patterns), name


def _texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [c.text for row in table.rows for c in row.cells]
    return texts


def test_the_shipped_templates_are_what_defaults_builds(tmp_path: Path) -> None:
    defaults.build_decision(tmp_path / "quyet_dinh.docx")
    defaults.build_submission(tmp_path / "to_trinh.docx")
    for name in ("quyet_dinh.docx", "to_trinh.docx"):
        assert _texts(tmp_path / name) == _texts(default_template(name)), name
