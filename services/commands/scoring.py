"""Commands on unit scoring (chấm điểm) and monthly staff ratings (xếp loại hàng tháng)."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua.domain.base import require_month, require_year
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.provenance import Provenance
from thidua.domain.ratings import RatingSheet, SheetAlreadySubmitted, sheet_key
from thidua.domain.scoring import BlockScoring
from thidua.domain.staff import StaffMember
from thidua.services.commands.base import CommandsBase


class ScoringCommands(CommandsBase):
    """Bảng chấm điểm, tự chấm, thẩm định chéo, xếp loại; phiếu xếp loại cán bộ hàng tháng."""

    def adopt_scoring_table(
        self,
        *,
        block: str,
        year: int,
        criteria: list[dict[str, Any]],
        bonus_items: list[dict[str, Any]],
        deduction_items: list[dict[str, Any]],
        by: Provenance,
    ) -> int:
        self._get("block-year", block_year_key(block, year))
        self._refuse_existing("scoring", block_year_key(block, year))
        table = BlockScoring.adopt_table(
            province=self.province,
            block=block,
            year=year,
            criteria=criteria,
            bonus_items=bonus_items,
            deduction_items=deduction_items,
            by=by,
        )
        return self._commit(table)

    def _scoring(self, block: str, year: int) -> BlockScoring:
        found: BlockScoring = self._get("scoring", block_year_key(block, year))
        return found

    def self_assess(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        scores: dict[str, float],
        bonuses: list[str],
        deductions: list[str],
        by: Provenance,
    ) -> int:
        scoring = self._scoring(block, year)
        members: BlockYear = self._get("block-year", block_year_key(block, year))
        scoring.self_assess(
            unit=unit, scores=scores, bonuses=bonuses, deductions=deductions, members=members.members, by=by
        )
        return self._commit(scoring)

    def adjust_score(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        item_kind: str,
        item: str,
        new_points: float,
        reason: str,
        by: Provenance,
    ) -> int:
        """Cross-check adjustment (thẩm định chéo), always with a reason."""
        scoring = self._scoring(block, year)
        scoring.adjust(unit=unit, item_kind=item_kind, item=item, new_points=new_points, reason=reason, by=by)
        return self._commit(scoring)

    def classify_unit(self, *, block: str, year: int, unit: str, by: Provenance) -> int:
        """Classify by the bands in force; the unit's record notes the band for prerequisites."""
        scoring = self._scoring(block, year)
        band = scoring.classify_unit(unit=unit, rules=self.rules_on(by.effective_on), by=by)
        record = self._award_record("unit", unit, by)
        if record.fact(year, "classification") != band:
            record.note_fact(year=year, fact="classification", value=band, source=f"scoring:{block}", by=by)
        return self._commit(scoring, record)

    def _roster(self, unit: str, staff_keys: list[str]) -> dict[str, str]:
        """Staff of `unit` among `staff_keys`, with their rating group (others stay off the roster)."""
        staff: dict[str, StaffMember] = self._get_many("staff", staff_keys)  # one query, not one each
        return {key: person.rating_group for key, person in staff.items() if person.unit == unit}

    def submit_rating_sheet(
        self, *, unit: str, year: int, month: int, scores: dict[str, int], by: Provenance
    ) -> int:
        """The month's ratings of a unit's staff, judged by the rules of the month rated."""
        require_year(year)  # before a date is built from them (year 99999 or month 13: ValueError)
        require_month(month)
        self._get("unit", unit)
        if self._exists("rating-sheet", sheet_key(unit, year, month)):
            raise SheetAlreadySubmitted(
                f"Phiếu xếp loại tháng {month}/{year} của «{unit}» đã nộp; hãy đính chính từng người.",
                unit=unit,
            )
        sheet = RatingSheet.submit(
            province=self.province,
            unit=unit,
            year=year,
            month=month,
            scores=scores,
            roster=self._roster(unit, list(scores)),
            rules=self.rules_on(date(year, month, 1)),
            by=by,
        )
        return self._commit(sheet)

    def correct_rating(
        self, *, unit: str, year: int, month: int, staff: str, new_score: int, reason: str, by: Provenance
    ) -> int:
        sheet: RatingSheet = self._get("rating-sheet", sheet_key(unit, year, month))
        sheet.correct(staff, new_score, reason, self.rules_on(date(year, month, 1)), by)
        return self._commit(sheet)

    def derive_year_rating(self, *, staff: str, year: int, reason: str | None, by: Provenance) -> int:
        """Year-end rating from the sheets of the staff member's current unit."""
        require_year(year)
        person: StaffMember = self._get("staff", staff)
        monthly: dict[str, int] = {}
        for month in range(1, 13):
            sheet: RatingSheet | None = self._find("rating-sheet", sheet_key(person.unit, year, month))
            if sheet is not None and staff in sheet.scores():
                monthly[f"{month:02d}"] = sheet.scores()[staff]
        person.derive_year_rating(year, monthly, self.rules_on(date(year, 12, 31)), by, reason=reason)
        return self._commit(person)
