"""Natural keys (mã, khóa tự nhiên): the one pattern every key a command creates or names follows.

A key names a record for ever: it is hashed into the aggregate's id (`ids.py`), stored in every
event about it and indexed by the read models. So it is checked like a province code before a
command records anything: lowercase ASCII letters and digits, in words joined by `-`, `_` or
`.`, and parts joined by `/` (composite keys such as `khoi-dang/2025/xep-loai`), at most
200 characters. Examples: `so-noi-vu`, `cb-0042`, `co_thi_dua_ubnd_tinh`, `tc-1.2`.

Only new commands are checked: events already recorded (an imported old ledger) are replayed
and read as they are. Decision numbers (`1234/QĐ-UBND`) are document numbers, not keys: they
are checked as one line of text (`require_document_number`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import MalformedCommand

_WORD = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"
KEY_PATTERN = re.compile(rf"{_WORD}(?:/{_WORD})*")
MAX_KEY_LENGTH = 200
KEY_RULE_VI = (
    "mã chỉ gồm chữ thường không dấu (a–z) và chữ số, các từ nối bằng «-», «_» hoặc «.», "
    f"các phần nối bằng «/», tối đa {MAX_KEY_LENGTH} ký tự (ví dụ: so-noi-vu, khoi-dang/2025/xep-loai)"
)
MAX_DOCUMENT_NUMBER_LENGTH = 100
_SHOWN = 60


def is_key(value: object) -> bool:
    if not isinstance(value, str) or len(value) > MAX_KEY_LENGTH:
        return False
    return KEY_PATTERN.fullmatch(value) is not None


def require_key(value: object, field: str) -> str:
    """`value` if it is a key; MalformedCommand naming `field` otherwise (nothing is changed:
    "So-Noi-Vu" or " so-noi-vu" is refused, not lowered or stripped)."""
    if not is_key(value):
        raise MalformedCommand(
            f"Trường «{field}»: «{_shown(value)}» không phải mã hợp lệ; {KEY_RULE_VI}.",
            field=field,
            value=_shown(value),
        )
    assert isinstance(value, str)
    return value


def require_keys(values: Sequence[object], field: str) -> list[str]:
    """Every item a key; the error names the item (`members[2]`)."""
    return [require_key(value, f"{field}[{index}]") for index, value in enumerate(values)]


def require_document_number(value: object, field: str) -> str:
    """A document's number (số hiệu văn bản, e.g. 1234/QĐ-UBND): one line of text, not blank,
    without surrounding spaces, at most 100 characters. It may hold capitals and Vietnamese
    letters, so it is no key; it is hashed into an id like one, hence the bounds."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or value != value.strip()
        or len(value) > MAX_DOCUMENT_NUMBER_LENGTH
        or any(char < " " for char in value)
    ):
        raise MalformedCommand(
            f"Trường «{field}»: số hiệu văn bản «{_shown(value)}» không hợp lệ; cần một dòng chữ, "
            f"không để trống, không có khoảng trắng ở đầu hoặc cuối, tối đa {MAX_DOCUMENT_NUMBER_LENGTH} "
            "ký tự (ví dụ: 1234/QĐ-UBND).",
            field=field,
            value=_shown(value),
        )
    return value


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = "".join(char if char >= " " else "\ufffd" for char in text)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
