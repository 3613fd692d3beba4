"""The catalogue of emulation titles and commendation forms (danh hiệu thi đua, hình thức
khen thưởng): who may receive each, who decides it, which prerequisites it has, and the texts.

Prize multiples are versioned by date in `prizes.py`; thresholds and the sets of awards that need
disclosure or a council ballot are rule-set values (`rules.py`). Prerequisite codes are evaluated
by `prerequisites.evaluate`; their Vietnamese descriptions and sources live in `REQUIREMENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import MalformedCommand, UnknownAward
from .sources import (
    DECREE_91,
    DECREE_98,
    LAW_2003,
    LAW_2022,
    Basis,
    law,
    src,
    unverified,
)

RecipientKind = Literal["individual", "collective"]
Authority = Literal["head_of_agency", "commune_chair", "provincial_chair", "prime_minister", "president"]

AUTHORITY_NAMES_VI: dict[str, str] = {
    "head_of_agency": "Thủ trưởng cơ quan, đơn vị",
    "commune_chair": "Chủ tịch UBND cấp xã",
    "provincial_chair": "Chủ tịch UBND tỉnh",
    "prime_minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
}
# Authorities below the province decide without the provincial council or its proposal chain.
LOCAL_AUTHORITIES = ("head_of_agency", "commune_chair")

# Loại hình khen thưởng: the basis an award is proposed on.
AWARD_TYPES_VI: dict[str, str] = {
    "thuong_xuyen": "Khen thưởng thường xuyên (theo công trạng, thành tích hằng năm)",
    "chuyen_de": "Khen thưởng theo đợt, chuyên đề",
    "dot_xuat": "Khen thưởng đột xuất",
    "cong_hien": "Khen thưởng quá trình cống hiến",
    "nien_han": "Khen thưởng theo niên hạn",
    "doi_ngoai": "Khen thưởng đối ngoại",
}
REGULAR = "thuong_xuyen"


def check_award_type(award_type: str) -> str:
    if award_type not in AWARD_TYPES_VI:
        raise MalformedCommand(
            f"Loại hình khen thưởng «{award_type}» không hợp lệ; chọn một trong: "
            + ", ".join(AWARD_TYPES_VI),
            field="award_type",
        )
    return award_type


@dataclass(frozen=True)
class Requirement:
    """What one prerequisite code means, in the clerk's words, and where the law says so."""

    description_vi: str
    basis: Basis


_LAW_23 = src(LAW_2022, "Điều 23 (Chiến sĩ thi đua cơ sở)")
_BK_TTG = src(LAW_2022, "điều về «Bằng khen của Thủ tướng Chính phủ» (số điều chưa đối chiếu)")
REQUIREMENTS: dict[str, Requirement] = {
    "same_year:lao_dong_tien_tien": Requirement("Đạt danh hiệu «Lao động tiên tiến» cùng năm", law(_LAW_23)),
    "initiative:grassroots": Requirement("Có sáng kiến được công nhận ở cơ sở trong năm", law(_LAW_23)),
    "consecutive:chien_si_thi_dua_co_so": Requirement(
        "03 lần liên tục đạt «Chiến sĩ thi đua cơ sở» (tính cả năm đề nghị)",
        law(src(LAW_2022, "Điều 22 (Chiến sĩ thi đua cấp tỉnh)")),
    ),
    "initiative:province": Requirement(
        "Có sáng kiến có phạm vi ảnh hưởng cấp tỉnh trong thời gian đó",
        law(src(LAW_2022, "Điều 22")),
    ),
    "successive:chien_si_thi_dua_cap_tinh": Requirement(
        "02 lần liên tục được tặng «Chiến sĩ thi đua cấp tỉnh» (hai danh hiệu kế tiếp nhau, "
        "không phải hai năm liền kề)",
        law(src(LAW_2022, "Điều 21 (Chiến sĩ thi đua toàn quốc)")),
    ),
    "initiative:national": Requirement(
        "Có sáng kiến có phạm vi ảnh hưởng toàn quốc", law(src(LAW_2022, "Điều 21"))
    ),
    "year_rating:HTTNV": Requirement(
        "Được đánh giá, xếp loại «Hoàn thành tốt nhiệm vụ» trở lên trong năm",
        law(src(LAW_2022, "Điều 24 khoản 1 điểm a")),
    ),
    "members_completed": Requirement(
        "100% cá nhân trong tập thể hoàn thành nhiệm vụ", law(src(LAW_2022, "Điều 27 khoản 1"))
    ),
    "members_advanced": Requirement(
        "Ít nhất 70% cá nhân đạt «Lao động tiên tiến»", law(src(LAW_2022, "Điều 27 khoản 1"))
    ),
    "members_grassroots_fighter": Requirement(
        "Có cá nhân đạt «Chiến sĩ thi đua cơ sở»", law(src(LAW_2022, "Điều 27 khoản 1"))
    ),
    "members_majority_advanced": Requirement(
        "Trên 50% cá nhân trong tập thể đạt «Lao động tiên tiến»",
        law(src(LAW_2022, "Điều 28 khoản 1")),
    ),
    "members_no_discipline:canh_cao": Requirement(
        "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên trong năm",
        law(src(LAW_2022, "Điều 28 khoản 1 (Tập thể lao động tiên tiến)")),
    ),
    "excellent_collective_no_discipline:canh_cao": Requirement(
        "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên trong năm",
        unverified(
            src(LAW_2003, "Điều 27 (Tập thể lao động xuất sắc)"),
            src(LAW_2022, "Điều 27"),
            note="Có trong Luật 2003 (sửa đổi 2013); bản Điều 27 Luật 06/2022 được trích dẫn công khai "
            "không nêu điều kiện này. Áp dụng theo issue 14 và law.md, chờ đối chiếu văn bản gốc.",
        ),
    ),
    "leading_unit": Requirement(
        "Được khối, cụm thi đua (hoặc Hội đồng) bình chọn, suy tôn là tập thể dẫn đầu",
        law(
            src(LAW_2022, "Điều 26 (Cờ thi đua cấp tỉnh)"),
            src(LAW_2022, "Điều 25 (Cờ thi đua của Chính phủ)"),
        ),
    ),
    "bang_khen_tinh:individual": Requirement(
        "02 lần liên tục «Chiến sĩ thi đua cơ sở», hoặc 02 năm liên tục trở lên «Hoàn thành xuất sắc "
        "nhiệm vụ» có 02 sáng kiến được công nhận ở cơ sở trong thời gian đó",
        law(src(LAW_2022, "Điều 74 khoản 1 điểm d")),
    ),
    "bang_khen_tinh:collective": Requirement(
        "02 năm liên tục trở lên được xếp loại «Xuất sắc» (hoàn thành xuất sắc nhiệm vụ)",
        unverified(
            src(LAW_2022, "Điều 74 khoản 2"),
            note="Không tìm thấy văn bản gốc của khoản 2; theo cách các bộ, ngành hướng dẫn "
            "(ví dụ Thông tư 08/2019/TT-BLĐTBXH Điều 19). Tỉnh có thể quy định khác.",
        ),
    ),
    "earlier:bang_khen_chu_tich_ubnd_tinh": Requirement(
        "Đã được tặng Bằng khen của Chủ tịch UBND tỉnh (cấp bộ, ngành, tỉnh) trước đó",
        law(_BK_TTG),
    ),
    "excellent_years_initiatives:5:5": Requirement(
        "Sau Bằng khen tỉnh, 05 năm liên tục hoàn thành xuất sắc nhiệm vụ, có 05 sáng kiến cơ sở trong "
        "thời gian đó (trước 2024)",
        law(src("Nghị định 65/2014/NĐ-CP", "Điều 23 khoản 1 điểm c")),
    ),
    "rated_years:HTTNV:5": Requirement(
        "05 năm liên tục trở lên «Hoàn thành tốt nhiệm vụ» trở lên (tính đến năm đề nghị)",
        law(_BK_TTG, note="Theo law.md; tiêu chuẩn cá nhân."),
    ),
    "titles_within:chien_si_thi_dua_co_so:3:5": Requirement(
        "Trong 05 năm đó có 03 lần «Chiến sĩ thi đua cơ sở»",
        law(_BK_TTG, note="Theo law.md; tiêu chuẩn cá nhân."),
    ),
}


_LAW_2022_BASIS = law(src(LAW_2022))


@dataclass(frozen=True)
class Award:
    """One title or form. Prerequisites (codes of `REQUIREMENTS`) are per recipient kind and
    apply to regular awards (khen thưởng thường xuyên); the other award types rest on the
    achievement named in the proposal."""

    code: str
    name_vi: str
    recipients: tuple[RecipientKind, ...]
    authorities: tuple[Authority, ...]
    individual_prerequisites: tuple[str, ...] = ()
    collective_prerequisites: tuple[str, ...] = ()
    is_title: bool = True  # danh hiệu thi đua (True) or hình thức khen thưởng (False)
    basis: Basis = _LAW_2022_BASIS

    @property
    def authority(self) -> Authority:
        """The usual deciding authority (the first listed)."""
        return self.authorities[0]

    def prerequisites_for(self, kind: RecipientKind) -> tuple[str, ...]:
        return self.individual_prerequisites if kind == "individual" else self.collective_prerequisites

    @property
    def prerequisites(self) -> tuple[str, ...]:
        """Every prerequisite code, individual first (each once)."""
        return tuple(dict.fromkeys(self.individual_prerequisites + self.collective_prerequisites))

    @property
    def award_types(self) -> tuple[str, ...]:
        """Titles are awarded on the year's results only; forms on any basis."""
        return (REGULAR,) if self.is_title else tuple(AWARD_TYPES_VI)


def _medal(rank: str, rank_vi: str, article: str) -> Award:
    return Award(
        f"huan_chuong_lao_dong_hang_{rank}",
        f"Huân chương Lao động hạng {rank_vi}",
        ("individual", "collective"),
        ("president",),
        is_title=False,
        basis=law(
            src(LAW_2022, "Điều 33 khoản 2 điểm đ; " + article),
            note="Tiêu chuẩn xét tặng chưa được mô hình hóa thành điều kiện tiên quyết.",
        ),
    )


CATALOGUE: dict[str, Award] = {
    a.code: a
    for a in (
        Award(
            "lao_dong_tien_tien",
            "Lao động tiên tiến",
            ("individual",),
            ("head_of_agency", "commune_chair"),
            ("year_rating:HTTNV",),
            basis=law(src(LAW_2022, "Điều 24"), src(LAW_2022, "Điều 80 (thẩm quyền)")),
        ),
        Award(
            "chien_si_thi_dua_co_so",
            "Chiến sĩ thi đua cơ sở",
            ("individual",),
            ("head_of_agency",),
            ("same_year:lao_dong_tien_tien", "initiative:grassroots"),
            basis=law(_LAW_23),
        ),
        Award(
            "chien_si_thi_dua_cap_tinh",
            "Chiến sĩ thi đua cấp tỉnh",
            ("individual",),
            ("provincial_chair",),
            ("consecutive:chien_si_thi_dua_co_so", "initiative:province"),
            basis=law(src(LAW_2022, "Điều 22")),
        ),
        Award(
            "chien_si_thi_dua_toan_quoc",
            "Chiến sĩ thi đua toàn quốc",
            ("individual",),
            ("prime_minister",),
            ("successive:chien_si_thi_dua_cap_tinh", "initiative:national"),
            basis=law(src(LAW_2022, "Điều 21")),
        ),
        Award(
            "tap_the_lao_dong_tien_tien",
            "Tập thể lao động tiên tiến",
            ("collective",),
            ("head_of_agency",),
            collective_prerequisites=("members_majority_advanced", "members_no_discipline:canh_cao"),
            basis=law(src(LAW_2022, "Điều 28")),
        ),
        Award(
            "tap_the_lao_dong_xuat_sac",
            "Tập thể lao động xuất sắc",
            ("collective",),
            ("provincial_chair",),
            collective_prerequisites=(
                "members_completed",
                "members_advanced",
                "members_grassroots_fighter",
                "excellent_collective_no_discipline:canh_cao",
            ),
            basis=law(src(LAW_2022, "Điều 27")),
        ),
        Award(
            "co_thi_dua_ubnd_tinh",
            "Cờ thi đua của Ủy ban nhân dân tỉnh",
            ("collective",),
            ("provincial_chair",),
            collective_prerequisites=("leading_unit",),
            basis=law(
                src(LAW_2022, "Điều 26"),
                note="Chỉ tiêu Cờ cho từng khối, cụm là quy định của từng tỉnh, không phải quy định chung.",
            ),
        ),
        Award(
            "co_thi_dua_chinh_phu",
            "Cờ thi đua của Chính phủ",
            ("collective",),
            ("prime_minister",),
            collective_prerequisites=("leading_unit",),
            basis=law(
                src(LAW_2022, "Điều 25"),
                note="Tập thể dẫn đầu phong trào thi đua, do khối, cụm hoặc Hội đồng bình chọn; "
                "không phải đơn vị Khối trưởng (chức danh luân phiên).",
            ),
        ),
        Award(
            "bang_khen_chu_tich_ubnd_tinh",
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            ("individual", "collective"),
            ("provincial_chair",),
            ("bang_khen_tinh:individual",),
            ("bang_khen_tinh:collective",),
            is_title=False,
            basis=law(src(LAW_2022, "Điều 74")),
        ),
        Award(
            "bang_khen_thu_tuong",
            "Bằng khen của Thủ tướng Chính phủ",
            ("individual", "collective"),
            ("prime_minister",),
            (
                "earlier:bang_khen_chu_tich_ubnd_tinh",
                "rated_years:HTTNV:5",
                "titles_within:chien_si_thi_dua_co_so:3:5",
            ),
            ("earlier:bang_khen_chu_tich_ubnd_tinh",),
            is_title=False,
            basis=law(
                _BK_TTG,
                note="Điều kiện của tập thể ngoài Bằng khen tỉnh trước đó chưa được đối chiếu.",
            ),
        ),
        Award(
            "giay_khen",
            "Giấy khen",
            ("individual", "collective"),
            ("head_of_agency", "commune_chair"),
            is_title=False,
            basis=law(
                src(LAW_2022, "điều về «Giấy khen» (số điều chưa đối chiếu)"),
                src(LAW_2022, "Điều 80 (thẩm quyền)"),
            ),
        ),
        _medal("nhat", "Nhất", f"{DECREE_98} Điều 55 khoản 1 điểm e"),
        _medal("nhi", "Nhì", f"{DECREE_98} Điều 55 khoản 1 điểm g"),
        _medal("ba", "Ba", f"{DECREE_98} Điều 55 khoản 1 điểm h"),
    )
}
# Kept for readers of the Decree 91 era (the same medal article then).
MEDAL_BASIS_DECREE_91 = src(DECREE_91, "Điều 70 khoản 1 điểm e")


def award(code: str) -> Award:
    """The catalogue entry for `code`, or `UnknownAward`."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownAward(
            f"Danh hiệu/hình thức khen thưởng «{code}» không có trong danh mục.", award=code
        ) from None


def requirement(code: str) -> Requirement:
    """The description of a prerequisite code (its count suffix, if any, ignored)."""
    found = REQUIREMENTS.get(code)
    if found is None:
        found = REQUIREMENTS.get(code.rsplit(":", 1)[0])
    return found or Requirement(code, unverified(note="Không có mô tả."))
