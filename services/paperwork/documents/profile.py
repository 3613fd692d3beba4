"""What a province's documents say about itself, and the dates and legal bases they cite.

Decree 30/2020/NĐ-CP (Phụ lục I) fixes the parts of an administrative document: quốc hiệu and
tiêu ngữ, the issuing body, number and symbol ("Số: 12/QĐ-UBND"), place and date ("Nghệ An,
ngày 05 tháng 3 năm 2024": a day under 10 and the months 1 and 2 take a leading zero), the kind
and subject, the legal bases, the articles, the signer's authority and name, the recipients of
copies (Nơi nhận). The profile gives the province's words for these; a province replaces any of
them in `<templates dir>/<province>/profile.json` (keys as in `Profile`).

The legal bases are chosen by the date of the document, like the rule sets: Law 06/2022/QH15
from 1 Jan 2024 (before: the Law of 2003 as amended in 2005 and 2013), Decree 98/2023/NĐ-CP
from 1 Jan 2024 (before: Decree 91/2017/NĐ-CP), with Decree 152/2025/NĐ-CP from 1 Jul 2025
(law.md). The texts are cited by number only: the dates of signature were not checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from thidua.services.paperwork.errors import TemplateInvalid


def place_of(province_name: str) -> str:
    for prefix in ("Tỉnh ", "Thành phố ", "tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def vn_day(d: date) -> str:
    """ "ngày 05 tháng 3 năm 2024" (Decree 30: a leading zero for days under 10, months 1 and 2)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def legal_bases(on: date) -> list[str]:
    law = (
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;"
        if on >= date(2024, 1, 1)
        else "Căn cứ Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2005 và năm 2013;"
    )
    if on >= date(2025, 7, 1):
        decrees = [
            "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
            "Luật Thi đua, khen thưởng;",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ;",
        ]
    elif on >= date(2024, 1, 1):
        decrees = [
            "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
            "Luật Thi đua, khen thưởng;"
        ]
    else:
        decrees = [
            "Căn cứ Nghị định số 91/2017/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều "
            "của Luật Thi đua, khen thưởng;"
        ]
    return ["Căn cứ Luật Tổ chức chính quyền địa phương;", law, *decrees]


@dataclass(frozen=True)
class Profile:
    """A province's words for its documents and certificates (all replaceable in profile.json)."""

    place: str
    people_committee: str  # "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    chair: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    agency_parent: str = ""  # the body above the submitting agency: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    agency: str = "SỞ NỘI VỤ"  # who submits the tờ trình (the board sits in the Department of Home Affairs)
    agency_symbol: str = "SNV"
    agency_head_title: str = "GIÁM ĐỐC"
    decision_symbol: str = "QĐ-UBND"
    submission_to: str = "Chủ tịch Ủy ban nhân dân tỉnh"
    proposed_by: str = "Giám đốc Sở Nội vụ"
    signer_title: str = "CHỦ TỊCH"
    copies: tuple[str, ...] = ("Như Điều 3;", "Lưu: VT, TĐKT.")
    extra_bases: tuple[str, ...] = ()
    issuers: dict[str, str] = field(default_factory=dict)  # authority -> who awards, on certificates

    def issuer(self, authority: str | None) -> str:
        defaults = {
            "provincial_chair": self.chair,
            "prime_minister": "THỦ TƯỚNG CHÍNH PHỦ",
            "head_of_agency": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        }
        return self.issuers.get(authority or "", defaults.get(authority or "", self.chair))


def default_profile(province_name: str) -> Profile:
    place = place_of(province_name)
    committee = f"ỦY BAN NHÂN DÂN TỈNH {place.upper()}"
    return Profile(
        place=place,
        people_committee=committee,
        chair=f"CHỦ TỊCH {committee}",
        agency_parent=committee,
    )


def load_profile(province_name: str, path: Path | None) -> Profile:
    """The default profile, with the province's replacements from `path` when it exists."""
    profile = default_profile(province_name)
    if path is None or not path.exists():
        return profile
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateInvalid(f"Không đọc được «{path.name}»: {exc}.") from None
    known = {f.name for f in fields(Profile)}
    unknown = set(data) - known
    if unknown:
        raise TemplateInvalid(f"«{path.name}» có khóa không dùng: {', '.join(sorted(unknown))}.")
    for key in ("copies", "extra_bases"):
        if key in data:
            data[key] = tuple(data[key])
    return replace(profile, **data)
