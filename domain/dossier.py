"""The dossier of a proposal (hồ sơ đề nghị khen thưởng): its items, and files stored for them.

An item is a kind of paper (the minutes of the meeting that proposed, the achievement report...);
which items a proposal for an award must hold before it is forwarded is a rule-set value
(`RuleSet.dossier_items_for`), judged by the rules in force on the day. An item is recorded as a
reference (the paper's number or where it is filed) and/or a stored file: the file's SHA-256,
name, media type and size go into the event, so the ledger's hash chain covers the file's
content, which is stored beside the events under that hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import MalformedCommand, NotFound

# Every kind of paper a dossier may hold, with the clerks' name for it.
DOSSIER_ITEM_NAMES: dict[str, str] = {
    "minutes": "Biên bản họp xét",
    "ballot_result": "Kết quả bỏ phiếu",
    "achievement_report": "Báo cáo thành tích",
    "proposal_letter": "Tờ trình đề nghị",
    "initiative_certificate": "Giấy chứng nhận sáng kiến",
    "appraisal": "Kết quả thẩm định",
    "other": "Tài liệu khác",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FILE_NAME = 255


def item_names(items: tuple[str, ...] | list[str]) -> str:
    """ "Biên bản họp xét, Báo cáo thành tích" for a list of item codes."""
    return ", ".join(DOSSIER_ITEM_NAMES.get(i, i) for i in items)


def check_item(item: str) -> str:
    if item not in DOSSIER_ITEM_NAMES:
        raise MalformedCommand(
            f"Loại giấy tờ «{item}» không có trong hồ sơ đề nghị; có: {', '.join(DOSSIER_ITEM_NAMES)}.",
            field="item",
            item=item,
        )
    return item


@dataclass(frozen=True)
class StoredFile:
    """A file kept in the province's store under its SHA-256 (what a dossier item points to)."""

    sha256: str
    name: str
    media_type: str
    size: int

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise MalformedCommand("Mã băm SHA-256 phải gồm 64 chữ số hex viết thường.", field="file")
        if not self.name.strip() or len(self.name) > MAX_FILE_NAME:
            raise MalformedCommand(f"Tên tệp phải có từ 1 đến {MAX_FILE_NAME} ký tự.", field="file.name")
        if self.size <= 0:
            raise MalformedCommand("Tệp rỗng không được đưa vào hồ sơ.", field="file")

    def as_payload(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name.strip(),
            "media_type": self.media_type,
            "size": self.size,
        }


class FileNotStored(NotFound):
    """A dossier item names a file the province's store does not hold (upload it first)."""

    code = "ATTACHMENT_NOT_FOUND"


def check_sha256(value: str) -> str:
    """A SHA-256 as 64 lower-case hex digits (upper case is accepted and lowered)."""
    lowered = value.strip().lower()
    if not _SHA256.fullmatch(lowered):
        raise MalformedCommand("Mã băm SHA-256 phải gồm 64 chữ số hex.", field="file.sha256")
    return lowered
