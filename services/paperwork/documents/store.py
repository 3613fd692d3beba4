"""Where a province's templates live (kho mẫu văn bản).

Defaults ship with the package (`documents/templates/`). A province replaces any of them by
putting a file of the same name in `THIDUA_TEMPLATES_DIR/<province code>/` (default
`var/templates/<province>/`):

| file | what |
|---|---|
| `to_trinh.docx` | the submission (tờ trình), a docxtpl template (Jinja tags in Word) |
| `quyet_dinh.docx` | the decision (quyết định) with its annexed list |
| `certificate.json` | print positions for certificates (pre-printed paper), merged over the default |
| `profile.json` | the province's words: issuing bodies, symbols, signer, copies (see profile.py) |

`thidua document templates --province CODE --output DIR` writes the defaults out to start from.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

TEMPLATE_FILES = ("to_trinh.docx", "quyet_dinh.docx", "certificate.json")
_PACKAGE = "thidua.services.paperwork.documents"


def default_template(name: str) -> Path:
    return Path(str(resources.files(_PACKAGE).joinpath("templates", name)))


def province_dir(templates_dir: Path, province: str) -> Path:
    return templates_dir / province


def template_for(templates_dir: Path | None, province: str, name: str) -> Path:
    """The province's replacement if it has one, else the default."""
    if templates_dir is not None:
        own = province_dir(templates_dir, province) / name
        if own.exists():
            return own
    return default_template(name)


def profile_path(templates_dir: Path | None, province: str) -> Path | None:
    return province_dir(templates_dir, province) / "profile.json" if templates_dir is not None else None


def copy_defaults(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TEMPLATE_FILES:
        destination = target / name
        shutil.copyfile(default_template(name), destination)
        written.append(destination)
    return written
