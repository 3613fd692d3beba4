"""Rule sets (bộ quy tắc): every threshold, quota, band and deadline, versioned by date.

National defaults follow the legal texts in force at each date; a province may adopt a stricter
version (see `rulebook.py`). A command is judged by `rules_in_force(by.effective_on)`; judged
events record `rule_version` so replaying history reproduces the judgment made then.

Ratios are `(numerator, denominator)` integer pairs so that comparisons are exact
(`count * den >= num * total`), never floating point.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

Ratio = tuple[int, int]
Denominator = Literal["all", "present"]

# Awards decided at state level (Prime Minister): published for comment before the council meets.
STATE_LEVEL_AWARDS = ("co_thi_dua_chinh_phu", "bang_khen_thu_tuong", "chien_si_thi_dua_toan_quoc")


def at_least(count: int, total: int, ratio: Ratio) -> bool:
    """count / total >= ratio, exactly (False when total is 0 and the ratio is positive)."""
    num, den = ratio
    return count * den >= num * total


@dataclass(frozen=True)
class UnitBand:
    """A unit classification band: minimum total and the floor each criterion must reach."""

    name: str  # excellent | good | completed
    min_total: int
    criterion_floor: Ratio


@dataclass(frozen=True)
class RuleSet:
    """Everything a judgment depends on. Field comments name the source of each default."""

    version: str
    effective_from: date
    legal_basis: str
    # Monthly staff ratings: score bands (Decree 335/2025 from 01/01/2026; same cut-offs before).
    rating_excellent_min: int = 90  # Hoàn thành xuất sắc nhiệm vụ (HTXSNV)
    rating_good_min: int = 70  # Hoàn thành tốt nhiệm vụ (HTTNV)
    rating_completed_min: int = 50  # Hoàn thành nhiệm vụ (HTNV); below: không hoàn thành
    # HTXSNV may not exceed this share of the HTTNV count, per unit and per rating group.
    excellent_cap: Ratio = (1, 5)
    excellent_cap_in_force: bool = False
    # Year-end rating: average of the monthly scores, at least this many months rated.
    year_rating_min_months: int = 6
    # Unit scoring (bảng chấm điểm): bands checked from the top.
    unit_bands: tuple[UnitBand, ...] = (
        UnitBand("excellent", 90, (85, 100)),
        UnitBand("good", 80, (80, 100)),
        UnitBand("completed", 70, (0, 1)),
    )
    # Ballots: quorum of those eligible, thresholds per award (default otherwise).
    ballot_quorum: Ratio = (2, 3)
    ballot_threshold_default: Ratio = (1, 2)
    ballot_threshold_denominator: Denominator = "all"
    ballot_threshold_by_award: tuple[tuple[str, Ratio], ...] = (("chien_si_thi_dua_cap_tinh", (9, 10)),)
    # No tie-break exists in law: a setting, and the tally records how a tie was settled.
    tie_rule: Literal["total_score_then_new_round", "new_round"] = "total_score_then_new_round"
    # Acclamation (suy tôn) is allowed for these decisions only; titles need a ballot.
    acclamation_allowed_for: tuple[str, ...] = ("officers", "leading_units")
    # Public disclosure (công khai) of state-level proposals, in working days.
    disclosure_working_days: int = 10
    disclosure_required_for: tuple[str, ...] = STATE_LEVEL_AWARDS
    # Prerequisite chains (Law 06/2022 arts. 21-27).
    grassroots_years_for_provincial_fighter: int = 3
    provincial_years_for_national_fighter: int = 2
    excellent_collective_completed_share: Ratio = (1, 1)
    excellent_collective_advanced_share: Ratio = (7, 10)
    excellent_collective_min_grassroots_fighters: int = 1
    # Prize money as a multiple of the base salary: (award, individual, collective).
    prize_multiples: tuple[tuple[str, float, float], ...] = field(
        default=(
            ("lao_dong_tien_tien", 0.3, 0.0),
            ("chien_si_thi_dua_co_so", 1.0, 0.0),
            ("chien_si_thi_dua_cap_tinh", 3.0, 0.0),
            ("chien_si_thi_dua_toan_quoc", 4.5, 0.0),
            ("tap_the_lao_dong_tien_tien", 0.0, 0.8),
            ("tap_the_lao_dong_xuat_sac", 0.0, 1.5),
            ("co_thi_dua_ubnd_tinh", 0.0, 8.0),
            ("co_thi_dua_chinh_phu", 0.0, 12.0),
            ("bang_khen_chu_tich_ubnd_tinh", 1.0, 2.0),
            ("bang_khen_thu_tuong", 1.5, 3.0),
            ("giay_khen", 0.3, 0.6),
        )
    )

    # Dossier (hồ sơ đề nghị): the items a proposal must hold before it is forwarded, per award
    # ("*": every award not listed; codes in `dossier.DOSSIER_ITEM_NAMES`). The council's ballot
    # result is added when the council votes. The default is the minutes of the proposing
    # meeting and the achievement report, as every award's dossier has held so far.
    dossier_required: tuple[tuple[str, tuple[str, ...]], ...] = (("*", ("minutes", "achievement_report")),)

    def dossier_items_for(self, award: str) -> tuple[str, ...]:
        """The items a dossier for `award` must hold (before the council's ballot result)."""
        table = dict(self.dossier_required)
        return table.get(award, table.get("*", ()))

    def threshold_for(self, award: str | None) -> Ratio:
        """The approval threshold of a ballot about `award` (default when None or not listed)."""
        return dict(self.ballot_threshold_by_award).get(award or "", self.ballot_threshold_default)

    def prize_multiple(self, award: str, collective: bool) -> float:
        for code, individual_multiple, collective_multiple in self.prize_multiples:
            if code == award:
                return collective_multiple if collective else individual_multiple
        return 0.0


# National defaults, oldest first. Values that did not change are carried over with `replace`.
_LAW_2003 = RuleSet(
    version="vn-2003-luat-tdkt",
    effective_from=date(1900, 1, 1),
    legal_basis="Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
)
_LAW_2022 = replace(
    _LAW_2003,
    version="vn-2024-luat-06-2022",
    effective_from=date(2024, 1, 1),
    legal_basis="Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
)
_DECREE_152 = replace(
    _LAW_2022,
    version="vn-2025-nd-152-2025",
    effective_from=date(2025, 7, 1),
    legal_basis="Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV",
)
_DECREE_335 = replace(
    _DECREE_152,
    version="vn-2026-nd-335-2025",
    effective_from=date(2026, 1, 1),
    legal_basis="Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Nghị định 335/2025/NĐ-CP",
    excellent_cap_in_force=True,
)
NATIONAL_DEFAULTS: tuple[RuleSet, ...] = (_LAW_2003, _LAW_2022, _DECREE_152, _DECREE_335)


def national_rules_in_force(on: date) -> RuleSet:
    """The national rule set in force on `on`."""
    in_force = [rules for rules in NATIONAL_DEFAULTS if rules.effective_from <= on]
    return in_force[-1]
