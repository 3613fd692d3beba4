"""Rule sets (bộ quy tắc): every threshold, quota, band, deadline and prize, versioned by date.

National defaults follow the legal texts in force at each date; a province may adopt a stricter
version (see `rulebook.py`). A command is judged by `rules_in_force(by.effective_on)`; judged
events record `rule_version` so replaying history reproduces the judgment made then. Where each
value comes from (document, article) and whether a text was found is `rule_values.py`.

Ratios are `(numerator, denominator)` integer pairs so that comparisons are exact
(`count * den >= num * total`), never floating point.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from .prizes import (
    DECREE_91_TABLE,
    DECREE_98_TABLE,
    DECREE_152_TABLE,
    BaseSalary,
    PrizeTable,
    base_salary_on,
    prize_amount,
)

Ratio = tuple[int, int]
Denominator = Literal["all", "present"]

MEDALS = ("huan_chuong_lao_dong_hang_nhat", "huan_chuong_lao_dong_hang_nhi", "huan_chuong_lao_dong_hang_ba")
# Decree 91 Art. 45(8): secret ballot, 90 % of all council members, written opinions of absent ones.
FIGHTER_TITLES = ("chien_si_thi_dua_cap_tinh", "chien_si_thi_dua_toan_quoc")
# Decree 98 Art. 46 (and Decree 91 Art. 45(10), Circular 12/2019): Huân chương, state honorary
# titles and Chiến sĩ thi đua toàn quốc are published for comment; not Cờ CP nor Bằng khen TTg.
DISCLOSED_AWARDS = (*MEDALS, "chien_si_thi_dua_toan_quoc")
STAFF_KINDS = ("cong_chuc", "vien_chuc", "nguoi_lao_dong")


def at_least(count: int, total: int, ratio: Ratio) -> bool:
    """count / total >= ratio, exactly (False when total is 0 and the ratio is positive)."""
    num, den = ratio
    return count * den >= num * total


def more_than(count: int, total: int, ratio: Ratio) -> bool:
    """count / total > ratio, exactly ("trên 50%"); False when total is 0."""
    num, den = ratio
    return total > 0 and count * den > num * total


@dataclass(frozen=True)
class UnitBand:
    """A unit classification band: minimum total and the floor each criterion must reach."""

    name: str  # excellent | good | completed
    min_total: int
    criterion_floor: Ratio


@dataclass(frozen=True)
class RuleSet:
    """Everything a judgment depends on. `rule_values.py` names the source of each value."""

    version: str
    effective_from: date
    legal_basis: str
    # Monthly staff ratings: score bands (Decree 335/2025 from 01/01/2026; same cut-offs before).
    rating_excellent_min: int = 90  # Hoàn thành xuất sắc nhiệm vụ (HTXSNV)
    rating_good_min: int = 70  # Hoàn thành tốt nhiệm vụ (HTTNV)
    rating_completed_min: int = 50  # Hoàn thành nhiệm vụ (HTNV); below: không hoàn thành
    # HTXSNV may not exceed this share of the HTTNV count, per unit and per rating group, for
    # the staff kinds listed; an outstanding organisation's sheet may be exempted.
    excellent_cap: Ratio = (1, 5)
    excellent_cap_in_force: bool = False
    excellent_cap_applies_to: tuple[str, ...] = ()
    # Ratings per month or per quarter (Decree 335/2025: "hằng tháng hoặc quý"): a province choice.
    rating_period: Literal["month", "quarter"] = "month"
    # Year-end rating (no text found): mean of the periods, at least this many months rated, a
    # failed month caps the year at HTTNV. A province setting, shown unverified.
    year_rating_min_months: int = 6
    year_rating_failed_month_caps: bool = True
    # Discipline in the year from this form up makes the year "Không hoàn thành nhiệm vụ".
    discipline_fails_year_from: str = "khien_trach"
    # Unit scoring bands: none nationally; a province adopts its own (Nghệ An's draft).
    unit_bands: tuple[UnitBand, ...] = ()
    # Ballots: quorum of those eligible, thresholds per award (default otherwise).
    ballot_quorum: Ratio = (2, 3)
    ballot_threshold_default: Ratio = (1, 2)
    ballot_threshold_denominator: Denominator = "all"
    ballot_threshold_by_award: tuple[tuple[str, Ratio], ...] = tuple((a, (9, 10)) for a in FIGHTER_TITLES)
    secret_ballot_required_for: tuple[str, ...] = FIGHTER_TITLES
    written_opinions_allowed_for: tuple[str, ...] = FIGHTER_TITLES
    # The council must ballot on these before forwarding; a province may require it for every
    # provincial award (a setting, not law).
    council_ballot_required_for: tuple[str, ...] = FIGHTER_TITLES
    council_ballot_for_every_provincial_award: bool = False
    # No tie-break exists in law: a setting, and the tally records how a tie was settled.
    tie_rule: Literal["total_score_then_new_round", "new_round"] = "total_score_then_new_round"
    # Acclamation (suy tôn) is allowed for these decisions only; titles need a ballot.
    acclamation_allowed_for: tuple[str, ...] = ("officers", "leading_units")
    # Public disclosure (công khai), in working days.
    disclosure_working_days: int = 10
    disclosure_required_for: tuple[str, ...] = DISCLOSED_AWARDS
    # The board's handling of a dossier (xử lý hồ sơ), in working days: from reception to
    # assignment, from assignment to appraisal, and the unit's time to correct a returned one.
    # No text was found for these: province settings, shown unverified.
    dossier_assign_working_days: int = 3
    dossier_appraise_working_days: int = 10
    dossier_correction_working_days: int = 10
    # Prerequisite chains (Law 06/2022 arts. 21-28).
    grassroots_years_for_provincial_fighter: int = 3
    provincial_years_for_national_fighter: int = 2
    excellent_collective_completed_share: Ratio = (1, 1)
    excellent_collective_advanced_share: Ratio = (7, 10)
    excellent_collective_min_grassroots_fighters: int = 1
    advanced_collective_advanced_share: Ratio = (1, 2)  # strictly more than ("trên 50%")
    collective_discipline_bar: str = "canh_cao"
    # Whose years a successor continues after a succession (a unit's or a province's merger, a
    # transfer): a legal choice no text settles; conservative by default (`records.carries_over`).
    lineage_policy: Literal["one_to_one", "all_predecessors"] = "one_to_one"
    # Chains that differ from the catalogue's (Law 06/2022) in an earlier era: (award, kind, codes).
    prerequisite_chains: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # Prize money: the decree's table and the base salary in force on the date.
    prize_table: PrizeTable = DECREE_91_TABLE
    base_salary: BaseSalary | None = None
    # What the province set itself: (value name, legal basis, whether that basis is verified).
    province_sources: tuple[tuple[str, str, bool], ...] = ()

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

    def prize_multiple(self, award: str, collective: bool, authority: str | None = None) -> Decimal | None:
        """The multiple of the base salary; None when that kind of recipient cannot receive it."""
        return self.prize_table.multiple(award, collective, authority)

    def prize(self, award: str, collective: bool, authority: str | None = None) -> int | None:
        """The amount in đồng; None when no multiple or no base salary is known for the date."""
        multiple = self.prize_multiple(award, collective, authority)
        if multiple is None or self.base_salary is None:
            return None
        return prize_amount(multiple, self.base_salary.amount)

    def chain(self, award: str, kind: str) -> tuple[str, ...] | None:
        """The era's own chain for `award` and `kind`, when it differs from the catalogue's."""
        return next((codes for a, k, codes in self.prerequisite_chains if (a, k) == (award, kind)), None)

    def national_version(self) -> str:
        return self.version.partition("+")[0]


# National defaults, oldest first. Values that did not change are carried over with `replace`.
_LAW_2003 = RuleSet(
    version="vn-2003-luat-tdkt",
    effective_from=date(1900, 1, 1),
    legal_basis="Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
    # Decree 65/2014 Art. 23(1)(c): an earlier Bằng khen tỉnh, then 5 consecutive years HTXSNV
    # with 5 grassroots initiatives (the 2022 law's chain applies from 2024).
    prerequisite_chains=(
        (
            "bang_khen_thu_tuong",
            "individual",
            ("earlier:bang_khen_chu_tich_ubnd_tinh", "excellent_years_initiatives:5:5"),
        ),
    ),
)
# Decree 48/2023 amended Decree 90/2020: the HTXSNV share of cán bộ, công chức, viên chức may not
# exceed the Party's ratio for party members (20 % of those rated HTTNV).
_DECREE_48 = replace(
    _LAW_2003,
    version="vn-2023-nd-48-2023",
    effective_from=date(2023, 7, 17),
    legal_basis=_LAW_2003.legal_basis + "; Nghị định 90/2020/NĐ-CP sửa đổi bởi Nghị định 48/2023/NĐ-CP",
    excellent_cap_in_force=True,
    excellent_cap_applies_to=("cong_chuc", "vien_chuc"),
)
_LAW_2022 = replace(
    _DECREE_48,
    version="vn-2024-luat-06-2022",
    effective_from=date(2024, 1, 1),
    legal_basis="Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP; "
    "Nghị định 90/2020/NĐ-CP sửa đổi bởi Nghị định 48/2023/NĐ-CP",
    prize_table=DECREE_98_TABLE,
    prerequisite_chains=(),
)
_DECREE_152 = replace(
    _LAW_2022,
    version="vn-2025-nd-152-2025",
    effective_from=date(2025, 7, 1),
    legal_basis="Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV; "
    "Nghị định 90/2020/NĐ-CP sửa đổi bởi Nghị định 48/2023/NĐ-CP",
    prize_table=DECREE_152_TABLE,
)
_DECREE_335 = replace(
    _DECREE_152,
    version="vn-2026-nd-335-2025",
    effective_from=date(2026, 1, 1),
    legal_basis="Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Nghị định 335/2025/NĐ-CP",
    excellent_cap_in_force=True,
    excellent_cap_applies_to=("cong_chuc",),
)
NATIONAL_DEFAULTS: tuple[RuleSet, ...] = (_LAW_2003, _DECREE_48, _LAW_2022, _DECREE_152, _DECREE_335)


def national_rules_in_force(on: date, adopted_salaries: tuple[BaseSalary, ...] = ()) -> RuleSet:
    """The national rule set in force on `on`, with the base salary of that date."""
    in_force = [rules for rules in NATIONAL_DEFAULTS if rules.effective_from <= on][-1]
    return replace(in_force, base_salary=base_salary_on(on, adopted_salaries))
