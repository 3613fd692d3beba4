"""Commands on unit scoring (chấm điểm) and staff ratings (xếp loại hàng tháng hoặc quý, cả năm)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from thidua.domain.base import require_month, require_year
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.discipline import DisciplinaryFile
from thidua.domain.errors import MalformedCommand
from thidua.domain.provenance import Provenance
from thidua.domain.rating_rules import year_rating
from thidua.domain.ratings import RatingSheet, SheetAlreadySubmitted, period_label, sheet_key
from thidua.domain.rulebook import rules_in_force
from thidua.domain.rules import RuleSet
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

    def submit_rating_sheet(
        self,
        *,
        unit: str,
        year: int,
        month: int | None,
        scores: dict[str, int],
        by: Provenance,
        quarter: int | None = None,
        cap_exception: str | None = None,
    ) -> int:
        """The period's ratings of a unit's staff, judged by the rules of the period rated;
        `cap_exception`: the decision recognising the unit as an outstanding organisation.

        Everything the sheet is judged against (the unit, a sheet already submitted, the rule
        book, every staff member rated) is only read: one query, through the read cache."""
        first_day = period_start(year, month, quarter)
        key = sheet_key(unit, year, month, quarter)
        found = self._read_all(
            [("unit", unit), ("rating-sheet", key), ("rulebook", self.province)]
            + [("staff", staff) for staff in scores]
        )
        self._require(found, "unit", unit)
        if ("rating-sheet", key) in found:
            raise SheetAlreadySubmitted(
                f"Phiếu xếp loại {period_label(month, quarter)}/{year} của «{unit}» đã nộp; "
                "hãy đính chính từng người.",
                unit=unit,
            )
        # Staff of the unit with their rating group and kind (công chức, viên chức, người lao
        # động; None when not recorded); staff of other units stay off the roster.
        roster: dict[str, str] = {}
        kinds: dict[str, str | None] = {}
        for staff in scores:
            person: StaffMember = self._require(found, "staff", staff)
            if person.unit == unit:
                roster[staff] = person.rating_group
                kinds[staff] = person.staff_kind
        sheet = RatingSheet.submit(
            province=self.province,
            unit=unit,
            year=year,
            month=month,
            scores=scores,
            roster=roster,
            rules=rules_in_force(found.get(("rulebook", self.province)), first_day, self.province),
            by=by,
            kinds=kinds,
            quarter=quarter,
            cap_exception=cap_exception,
        )
        return self._commit(sheet)

    def correct_rating(
        self,
        *,
        unit: str,
        year: int,
        month: int | None,
        staff: str,
        new_score: int,
        reason: str,
        by: Provenance,
        quarter: int | None = None,
    ) -> int:
        first_day = period_start(year, month, quarter)
        sheet: RatingSheet = self._get("rating-sheet", sheet_key(unit, year, month, quarter))
        sheet.correct(staff, new_score, reason, self.rules_on(first_day), by)
        return self._commit(sheet)

    def derive_year_rating(self, *, staff: str, year: int, reason: str | None, by: Provenance) -> int:
        """Year-end rating from the sheets of every unit the person belonged to that year (a
        transfer keeps the months rated before it), with the discipline decided in the year; the
        HTXSNV cap is checked against the year-end ratings of the current unit's staff."""
        require_year(year)
        person: StaffMember = self._get("staff", staff)
        keys = [sheet_key(u, year, m) for u in person.units_in(year) for m in range(1, 13)]
        keys += [sheet_key(u, year, None, q) for u in person.units_in(year) for q in range(1, 5)]
        sheets = self._load_many([self._id("rating-sheet", k) for k in keys])
        periods: dict[str, int] = {}
        peers: set[str] = set()
        for found in sheets.values():
            if staff in found.scores():
                periods[found.period] = found.scores()[staff]
            if found.unit == person.unit:
                peers.update(found.scores())
        file: DisciplinaryFile | None = self._find("discipline", f"staff:{staff}")
        rules = self.rules_on(date(year, 12, 31))
        rated = self._year_peers(person, sorted(peers - {staff}), sheets.values(), year, rules)
        person.derive_year_rating(
            year,
            periods,
            rules,
            by,
            reason=reason,
            discipline=file.forms_imposed_in(year) if file is not None else [],
            peers=rated,
        )
        return self._commit(person)

    def _year_peers(
        self, person: StaffMember, keys: list[str], sheets: Iterable[RatingSheet], year: int, rules: RuleSet
    ) -> list[dict[str, Any]]:
        """The year-end band of each colleague of the person's unit: the one derived, or the one
        their periods would give (so the cap does not depend on who is derived first)."""
        others: dict[str, StaffMember] = self._get_many("staff", keys)
        files = self._load_many([self._id("discipline", f"staff:{k}") for k in keys])
        periods: dict[str, dict[str, int]] = {}
        for sheet in sheets:
            if sheet.unit == person.unit:
                for k, score in sheet.scores().items():
                    periods.setdefault(k, {})[sheet.period] = score
        peers = []
        for key, other in others.items():
            if other.unit != person.unit:
                continue
            band: object = other.year_ratings.get(str(year), {}).get("band")
            if band is None:
                file = files.get(self._id("discipline", f"staff:{key}"))
                forms = file.forms_imposed_in(year) if file is not None else []
                scores = periods.get(key, {})
                quarterly = any(p.startswith("Q") for p in scores)
                found = year_rating(scores.values(), rules, quarterly=quarterly, discipline=forms)
                band = found[1] if found else None
            if band is not None:
                peers.append(
                    {"staff": key, "group": other.rating_group, "kind": other.staff_kind, "band": band}
                )
        return peers


def period_start(year: int, month: int | None, quarter: int | None) -> date:
    """The first day of the rated month or quarter, checked before a date is built from them
    (year 99999, month 13 or quarter 7 would be a ValueError, not a refusal)."""
    require_year(year)
    if quarter is not None:
        if not 1 <= quarter <= 4:
            raise MalformedCommand(
                f"Quý {quarter} không hợp lệ (từ 1 đến 4).", field="quarter", value=quarter
            )
        return date(year, 3 * (quarter - 1) + 1, 1)
    if month is None:
        raise MalformedCommand("Phải nêu tháng (hoặc quý, nếu tỉnh đánh giá theo quý).", field="month")
    return date(year, require_month(month), 1)
