"""The rule values in force, each with its source and whether a text was found (quy tắc và căn cứ).

`describe(rules)` lists what a `RuleSet` holds as the API shows it: name, Vietnamese label,
value, sources (document, article), `verified`, and whether it is national law or a province's
setting. A value no text was found for is a province setting with a default (`verified: False`,
`scope: "province_setting"`): a province may set it either way (`rulebook.OVERRIDABLE`). The
province rule sets built into the ledger (Nghệ An's draft scoring bands) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from .rules import RuleSet, UnitBand
from .sources import (
    CIRCULAR_12_2019,
    DECREE_48,
    DECREE_90,
    DECREE_91,
    DECREE_98,
    DECREE_152,
    DECREE_335,
    LAW_2022,
    NGHE_AN_DRAFT,
    PARTY_GUIDE_21,
    Basis,
    law,
    src,
    unverified,
)

NATIONAL, PROVINCE_SETTING, PROVINCE = "national", "province_setting", "province"


@dataclass(frozen=True)
class RuleMeta:
    label_vi: str
    scope: str  # national | province_setting
    eras: tuple[tuple[date, Basis], ...]  # the basis from each date on, oldest first

    def basis_on(self, on: date) -> Basis:
        found = [b for since, b in self.eras if since <= on]
        return found[-1] if found else self.eras[0][1]


_ALWAYS = date(1900, 1, 1)
_D48 = date(2023, 7, 17)
_2024 = date(2024, 1, 1)
_D152 = date(2025, 7, 1)
_2026 = date(2026, 1, 1)


def _national(label: str, *eras: tuple[date, Basis]) -> RuleMeta:
    return RuleMeta(label, NATIONAL, tuple(eras))


def _setting(label: str, basis: Basis) -> RuleMeta:
    return RuleMeta(label, PROVINCE_SETTING, ((_ALWAYS, basis),))


_BANDS = law(src(DECREE_335, "điều về mức xếp loại chất lượng công chức (90/70/50 điểm)"))
_BANDS_BEFORE = unverified(
    src(DECREE_90),
    note="Trước 2026 Nghị định 90/2020 xếp loại theo tiêu chí, không theo điểm; cùng ngưỡng được "
    "dùng cho phiếu chấm điểm hằng tháng.",
)
_COUNCIL_91 = law(src(DECREE_91, "Điều 45 khoản 8"))
_COUNCIL_98 = unverified(
    src(DECREE_91, "Điều 45 khoản 8"),
    note="Quy định của Nghị định 91/2017; chưa tìm thấy câu tương ứng trong Nghị định 98/2023, "
    "152/2025. Giữ nguyên, tỉnh chỉ có thể quy định chặt hơn.",
)
_DISCLOSURE = law(
    src(DECREE_98, "Điều 46"),
    src(DECREE_152, "Điều 60 khoản 3"),
    note="Huân chương, danh hiệu vinh dự Nhà nước, Chiến sĩ thi đua toàn quốc.",
)
_YEAR_RULE = unverified(note="Không tìm thấy văn bản quy định cách tổng hợp xếp loại năm từ các tháng.")

META: dict[str, RuleMeta] = {
    "rating_excellent_min": _national(
        "Điểm tối thiểu «Hoàn thành xuất sắc nhiệm vụ»", (_ALWAYS, _BANDS_BEFORE), (_2026, _BANDS)
    ),
    "rating_good_min": _national(
        "Điểm tối thiểu «Hoàn thành tốt nhiệm vụ»", (_ALWAYS, _BANDS_BEFORE), (_2026, _BANDS)
    ),
    "rating_completed_min": _national(
        "Điểm tối thiểu «Hoàn thành nhiệm vụ»", (_ALWAYS, _BANDS_BEFORE), (_2026, _BANDS)
    ),
    "excellent_cap": _national(
        "Tỷ lệ HTXSNV tối đa so với số HTTNV (mỗi đơn vị, mỗi nhóm xếp loại)",
        (
            _ALWAYS,
            unverified(src(DECREE_90), note="Văn bản trước Nghị định 48/2023 chưa đối chiếu; không áp dụng."),
        ),
        (
            _D48,
            law(
                src(DECREE_90, "sửa đổi bởi " + DECREE_48),
                src(PARTY_GUIDE_21, "không vượt quá 20% số đảng viên xếp loại HTTNV"),
                note="Không quá tỷ lệ đảng viên được xếp loại HTXSNV theo quy định của Đảng (20% số HTTNV).",
            ),
        ),
        (_2026, law(src(DECREE_335, "điều về tỷ lệ xếp loại công chức, khoản 5 điểm a"))),
    ),
    "excellent_cap_in_force": _national(
        "Giới hạn tỷ lệ HTXSNV có hiệu lực",
        (_ALWAYS, unverified(src(DECREE_90), note="Không áp dụng trước Nghị định 48/2023 (chưa đối chiếu).")),
        (_D48, law(src(DECREE_48), note="Ngày hiệu lực lấy theo ngày ký 17/07/2023.")),
        (_2026, law(src(DECREE_335))),
    ),
    "excellent_cap_applies_to": _national(
        "Đối tượng chịu giới hạn tỷ lệ HTXSNV",
        (_ALWAYS, unverified(src(DECREE_90), note="Không áp dụng.")),
        (_D48, law(src(DECREE_90, "sửa đổi bởi " + DECREE_48), note="Cán bộ, công chức, viên chức.")),
        (
            _2026,
            law(src(DECREE_335), note="Công chức; tổ chức có thành tích xuất sắc, nổi trội được ngoại lệ."),
        ),
    ),
    "rating_period": _setting(
        "Kỳ đánh giá (tháng hoặc quý)", law(src(DECREE_335), note="Đánh giá hằng tháng hoặc quý; tỉnh chọn.")
    ),
    "year_rating_min_months": _setting("Số tháng tối thiểu để xếp loại năm", _YEAR_RULE),
    "year_rating_failed_month_caps": _setting(
        "Có tháng không hoàn thành thì năm không quá HTTNV", _YEAR_RULE
    ),
    "discipline_fails_year_from": _national(
        "Bị kỷ luật trong năm từ hình thức này trở lên thì năm «Không hoàn thành nhiệm vụ»",
        (_ALWAYS, unverified(src(DECREE_90), note="Quy định của Nghị định 90/2020 chưa đối chiếu từng chữ.")),
        (_2026, law(src(DECREE_335, "khoản 4 điểm c: bị kỷ luật từ khiển trách trở lên trong năm đánh giá"))),
    ),
    "unit_bands": _setting(
        "Thang xếp loại đơn vị theo tổng điểm",
        unverified(note="Không có quy định quốc gia; mỗi tỉnh tự quy định (Nghệ An: dự thảo)."),
    ),
    "ballot_quorum": _setting(
        "Túc số của cuộc bỏ phiếu (so với tổng số thành viên)",
        unverified(note="Thông lệ ≥ 2/3 thành viên có mặt; không tìm thấy văn bản."),
    ),
    "ballot_threshold_default": _setting(
        "Ngưỡng tán thành mặc định", unverified(note="Thông lệ trên 50%; không tìm thấy văn bản chung.")
    ),
    "ballot_threshold_denominator": _setting(
        "Mẫu số của ngưỡng (tổng số thành viên hay số có mặt)", unverified(note="Cài đặt.")
    ),
    "ballot_threshold_by_award": _national(
        "Ngưỡng tán thành theo danh hiệu (CSTĐ cấp tỉnh, toàn quốc: 90% tổng số thành viên)",
        (_ALWAYS, _COUNCIL_91),
        (_2024, _COUNCIL_98),
    ),
    "secret_ballot_required_for": _national(
        "Danh hiệu Hội đồng phải bỏ phiếu kín", (_ALWAYS, _COUNCIL_91), (_2024, _COUNCIL_98)
    ),
    "written_opinions_allowed_for": _national(
        "Danh hiệu cho phép thành viên vắng mặt gửi ý kiến bằng văn bản",
        (_ALWAYS, _COUNCIL_91),
        (_2024, _COUNCIL_98),
    ),
    "council_ballot_required_for": _national(
        "Danh hiệu phải có kết quả bỏ phiếu của Hội đồng trước khi trình",
        (_ALWAYS, _COUNCIL_91),
        (_2024, _COUNCIL_98),
    ),
    "council_ballot_for_every_provincial_award": _setting(
        "Mọi khen thưởng cấp tỉnh đều phải qua bỏ phiếu của Hội đồng",
        unverified(note="Không phải quy định của pháp luật; tỉnh có thể quy định."),
    ),
    "lineage_policy": _setting(
        "Năm liên tục được tính qua kế thừa (sáp nhập, hợp nhất, đổi tên, điều chuyển)",
        unverified(
            note="Pháp luật chưa quy định tập thể sau sáp nhập kế thừa thành tích của đơn vị nào; mặc "
            "định thận trọng: chỉ kế thừa một-một hoặc đổi tên."
        ),
    ),
    "tie_rule": _setting("Cách phân định khi hòa phiếu", unverified(note="Pháp luật không quy định.")),
    "acclamation_allowed_for": _setting(
        "Việc được suy tôn (không bỏ phiếu)", unverified(note="Thông lệ của khối.")
    ),
    "disclosure_working_days": _national(
        "Số ngày làm việc công khai lấy ý kiến",
        (_ALWAYS, law(src(DECREE_91, "Điều 45 khoản 10"), src(CIRCULAR_12_2019))),
        (_2024, _DISCLOSURE),
    ),
    "disclosure_required_for": _national(
        "Khen thưởng phải công khai trước khi Hội đồng họp",
        (_ALWAYS, law(src(DECREE_91, "Điều 45 khoản 10"), src(CIRCULAR_12_2019))),
        (_2024, _DISCLOSURE),
    ),
    "dossier_assign_working_days": _setting(
        "Số ngày làm việc từ khi tiếp nhận hồ sơ đến khi giao chuyên viên",
        unverified(note="Không tìm thấy văn bản quy định; cài đặt của tỉnh."),
    ),
    "dossier_appraise_working_days": _setting(
        "Số ngày làm việc chuyên viên thẩm định hồ sơ",
        unverified(note="Không tìm thấy văn bản quy định; cài đặt của tỉnh."),
    ),
    "dossier_correction_working_days": _setting(
        "Số ngày làm việc đơn vị bổ sung, sửa hồ sơ bị trả lại",
        unverified(note="Không tìm thấy văn bản quy định; cài đặt của tỉnh."),
    ),
    "grassroots_years_for_provincial_fighter": _national(
        "Số lần liên tục CSTĐ cơ sở để xét CSTĐ cấp tỉnh", (_ALWAYS, law(src(LAW_2022, "Điều 22")))
    ),
    "provincial_years_for_national_fighter": _national(
        "Số lần liên tục CSTĐ cấp tỉnh để xét CSTĐ toàn quốc", (_ALWAYS, law(src(LAW_2022, "Điều 21")))
    ),
    "excellent_collective_completed_share": _national(
        "Tập thể LĐXS: tỷ lệ cá nhân hoàn thành nhiệm vụ", (_ALWAYS, law(src(LAW_2022, "Điều 27 khoản 1")))
    ),
    "excellent_collective_advanced_share": _national(
        "Tập thể LĐXS: tỷ lệ tối thiểu cá nhân đạt LĐTT", (_ALWAYS, law(src(LAW_2022, "Điều 27 khoản 1")))
    ),
    "excellent_collective_min_grassroots_fighters": _national(
        "Tập thể LĐXS: số cá nhân đạt CSTĐ cơ sở tối thiểu", (_ALWAYS, law(src(LAW_2022, "Điều 27 khoản 1")))
    ),
    "advanced_collective_advanced_share": _national(
        "Tập thể LĐTT: tỷ lệ cá nhân đạt LĐTT phải vượt", (_ALWAYS, law(src(LAW_2022, "Điều 28 khoản 1")))
    ),
    "collective_discipline_bar": _national(
        "Tập thể: không có cá nhân bị kỷ luật từ hình thức này trở lên",
        (_ALWAYS, law(src(LAW_2022, "Điều 28 khoản 1"), note="Với Tập thể LĐXS: xem điều kiện tiên quyết.")),
    ),
}


# Province rule sets built into the ledger: flagged as the province's own, never national.
NGHE_AN_BANDS = (
    UnitBand("excellent", 90, (85, 100)),
    UnitBand("good", 80, (80, 100)),
    UnitBand("completed", 70, (0, 1)),
)


@dataclass(frozen=True)
class ProvinceRuleSet:
    version: str
    overrides: tuple[tuple[str, Any], ...]
    basis: Basis


PROVINCE_RULE_SETS: dict[str, ProvinceRuleSet] = {
    "nghe-an": ProvinceRuleSet(
        "nghe-an-du-thao-cham-diem",
        (("unit_bands", NGHE_AN_BANDS),),
        unverified(
            src(NGHE_AN_DRAFT),
            note="Tổng ≥ 90 và không tiêu chí nào dưới 85% điểm tối đa: xuất sắc; ≥ 80, sàn 80%: tốt; "
            "≥ 70: hoàn thành. Quy định (dự thảo) của tỉnh Nghệ An, không phải quy định quốc gia.",
        ),
    ),
}


@dataclass(frozen=True)
class RuleValue:
    """One value in force, as the API shows it."""

    name: str
    label_vi: str
    value: Any
    scope: str  # national | province_setting | province
    basis: Basis


def plain(value: Any) -> Any:
    """A rule value as JSON data (bands as objects, tuples as lists)."""
    if isinstance(value, UnitBand):
        return {
            "name": value.name,
            "min_total": value.min_total,
            "criterion_floor": list(value.criterion_floor),
        }
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def province_basis(legal_basis: str, verified: bool, note: str = "") -> Basis:
    if verified:
        return law(src(legal_basis), note=note)
    return unverified(src(legal_basis), note=note or "Quy định của tỉnh chưa được đối chiếu.")


def describe(rules: RuleSet, on: date) -> list[RuleValue]:
    """Every described value of `rules`, with the basis in force on `on`. Values the province set
    itself carry the province's legal basis, flagged as the province's."""
    values = []
    names = {f.name for f in fields(RuleSet)}
    own = {name: (basis, ok) for name, basis, ok in rules.province_sources}
    for name, meta in META.items():
        if name not in names:
            continue
        basis, scope = meta.basis_on(on), meta.scope
        if name in own:
            scope = PROVINCE
            basis = province_basis(*own[name])
        values.append(RuleValue(name, meta.label_vi, plain(getattr(rules, name)), scope, basis))
    return values
