"""The catalogue of emulation titles and commendation forms (danh hiệu thi đua, hình thức
khen thưởng): who may receive each, who decides it, and which prerequisites it has.

Prize multiples are rule-set values (they change with decrees), see `rules.RuleSet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import UnknownAward

RecipientKind = Literal["individual", "collective"]
Authority = Literal["head_of_agency", "provincial_chair", "prime_minister"]

AUTHORITY_NAMES_VI: dict[str, str] = {
    "head_of_agency": "Thủ trưởng cơ quan, đơn vị",
    "provincial_chair": "Chủ tịch UBND tỉnh",
    "prime_minister": "Thủ tướng Chính phủ",
}


@dataclass(frozen=True)
class Award:
    """One title or form. `prerequisites` are codes evaluated by `prerequisites.evaluate`."""

    code: str
    name_vi: str
    recipients: tuple[RecipientKind, ...]
    authority: Authority
    prerequisites: tuple[str, ...] = ()
    is_title: bool = True  # danh hiệu thi đua (True) or hình thức khen thưởng (False)


CATALOGUE: dict[str, Award] = {
    a.code: a
    for a in (
        Award("lao_dong_tien_tien", "Lao động tiên tiến", ("individual",), "head_of_agency"),
        Award(
            "chien_si_thi_dua_co_so",
            "Chiến sĩ thi đua cơ sở",
            ("individual",),
            "head_of_agency",
            ("same_year:lao_dong_tien_tien", "initiative:grassroots"),
        ),
        Award(
            "chien_si_thi_dua_cap_tinh",
            "Chiến sĩ thi đua cấp tỉnh",
            ("individual",),
            "provincial_chair",
            ("consecutive:chien_si_thi_dua_co_so", "initiative:province"),
        ),
        Award(
            "chien_si_thi_dua_toan_quoc",
            "Chiến sĩ thi đua toàn quốc",
            ("individual",),
            "prime_minister",
            ("consecutive:chien_si_thi_dua_cap_tinh", "initiative:national"),
        ),
        Award(
            "tap_the_lao_dong_tien_tien",
            "Tập thể lao động tiên tiến",
            ("collective",),
            "head_of_agency",
        ),
        Award(
            "tap_the_lao_dong_xuat_sac",
            "Tập thể lao động xuất sắc",
            ("collective",),
            "provincial_chair",
            ("members_completed", "members_advanced", "members_grassroots_fighter"),
        ),
        Award(
            "co_thi_dua_ubnd_tinh",
            "Cờ thi đua của Ủy ban nhân dân tỉnh",
            ("collective",),
            "provincial_chair",
            ("leading_unit",),
        ),
        Award(
            "co_thi_dua_chinh_phu",
            "Cờ thi đua của Chính phủ",
            ("collective",),
            "prime_minister",
            ("block_leader", "classified:excellent"),
        ),
        Award(
            "bang_khen_chu_tich_ubnd_tinh",
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            ("individual", "collective"),
            "provincial_chair",
            is_title=False,
        ),
        Award(
            "bang_khen_thu_tuong",
            "Bằng khen của Thủ tướng Chính phủ",
            ("individual", "collective"),
            "prime_minister",
            ("earlier:bang_khen_chu_tich_ubnd_tinh",),
            is_title=False,
        ),
        Award(
            "giay_khen",
            "Giấy khen",
            ("individual", "collective"),
            "head_of_agency",
            is_title=False,
        ),
    )
}


def award(code: str) -> Award:
    """The catalogue entry for `code`, or `UnknownAward`."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownAward(
            f"Danh hiệu/hình thức khen thưởng «{code}» không có trong danh mục.", award=code
        ) from None
