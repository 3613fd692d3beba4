"""Monthly rating sheets (phiếu xếp loại hàng tháng): one per unit and month.

One rating per staff member per month; bands by score; the HTXSNV cap enforced on the whole
sheet at submission and again after every correction. Services pass the unit's roster
(staff key -> rating group) and the rules in force on the first day of the rated month, since
the month rated, not the day the clerk typed it, decides whether the 2026 cap applies.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import (
    AlreadyRecorded,
    Conflict,
    MalformedCommand,
    NotFound,
    ReasonRequired,
    RuleViolation,
)
from .ids import aggregate_id
from .provenance import Provenance
from .rating_rules import MAX_SCORE, band_for, cap_breaches
from .rules import RuleSet


def sheet_key(unit: str, year: int, month: int) -> str:
    return f"{unit}/{year}-{month:02d}"


def _check_score(staff: str, score: int) -> None:
    if not 0 <= score <= MAX_SCORE:
        raise MalformedCommand(f"Điểm của «{staff}» phải từ 0 đến 100.", staff=staff, score=score)


def check_cap(entries: list[dict[str, Any]], rules: RuleSet) -> None:
    breaches = cap_breaches(entries, rules)
    if breaches:
        b = breaches[0]
        scope = "toàn đơn vị" if b.scope == "unit" else f"nhóm «{b.scope.removeprefix('group:')}»"
        raise RatingCapExceeded(
            f"Số HTXSNV ({b.excellent}) vượt 20% số HTTNV ({b.good}) trong {scope}: tối đa {b.allowed}.",
            scope=b.scope,
            excellent=b.excellent,
            good=b.good,
            allowed=b.allowed,
        )


class RatingSheet(LedgerAggregate):
    """The ratings of one unit's staff for one month."""

    class Submitted(LedgerAggregate.Created):
        province: str
        unit: str
        year: int
        month: int
        entries: list[dict[str, Any]]
        rule_version: str
        cap_in_force: bool

    class RatingCorrected(LedgerAggregate.Event):
        staff: str
        old_score: int
        new_score: int
        band: str
        reason: str
        rule_version: str

    def __init__(
        self, province: str, unit: str, year: int, month: int, entries: list[dict[str, Any]]
    ) -> None:
        self.province = province
        self.unit = unit
        self.year = year
        self.month = month
        self.entries = [dict(e) for e in entries]

    @classmethod
    def submit(
        cls,
        *,
        province: str,
        unit: str,
        year: int,
        month: int,
        scores: dict[str, int],
        roster: dict[str, str],
        rules: RuleSet,
        by: Provenance,
    ) -> RatingSheet:
        """Submit the month's scores (staff key -> score) for staff on `roster`."""
        require_year(year)
        require_text(unit, "unit")
        if not 1 <= month <= 12:
            raise MalformedCommand(f"Tháng {month} không hợp lệ.", month=month)
        if not scores:
            raise MalformedCommand("Phiếu xếp loại không có ai.", unit=unit)
        entries = []
        for staff, score in sorted(scores.items()):
            if staff not in roster:
                raise NotOnRoster(f"«{staff}» không thuộc biên chế đơn vị «{unit}».", staff=staff, unit=unit)
            _check_score(staff, score)
            band = band_for(score, rules)
            entries.append({"staff": staff, "group": roster[staff], "score": score, "band": band})
        check_cap(entries, rules)
        return cls._start(
            cls.Submitted,
            by,
            id=aggregate_id(province, "rating-sheet", sheet_key(unit, year, month)),
            province=province,
            unit=unit,
            year=year,
            month=month,
            entries=entries,
            rule_version=rules.version,
            cap_in_force=rules.excellent_cap_in_force,
        )

    def entry(self, staff: str) -> dict[str, Any]:
        for row in self.entries:
            if row["staff"] == staff:
                return row
        raise NotOnSheet(f"«{staff}» không có trong phiếu tháng {self.month}/{self.year}.")

    def correct(self, staff: str, new_score: int, reason: str, rules: RuleSet, by: Provenance) -> None:
        """A correction is an explicit event with a reason; the cap must still hold after it."""
        if not reason.strip():
            raise ReasonRequired("Sửa điểm xếp loại phải nêu lý do.", staff=staff)
        _check_score(staff, new_score)
        old = self.entry(staff)
        if old["score"] == new_score:
            raise AlreadyRecorded(f"«{staff}» đã có điểm {new_score}.", staff=staff)
        band = band_for(new_score, rules)
        after = [
            {**row, "score": new_score, "band": band} if row["staff"] == staff else row
            for row in self.entries
        ]
        check_cap(after, rules)
        self._record(
            self.RatingCorrected,
            by,
            staff=staff,
            old_score=old["score"],
            new_score=new_score,
            band=band,
            reason=reason.strip(),
            rule_version=rules.version,
        )

    @event(RatingCorrected)
    def _on_corrected(self, staff: str, new_score: int, band: str) -> None:
        self.entries = [
            {**row, "score": new_score, "band": band} if row["staff"] == staff else row
            for row in self.entries
        ]

    def scores(self) -> dict[str, int]:
        return {row["staff"]: row["score"] for row in self.entries}


class RatingCapExceeded(RuleViolation):
    code = "RATING_CAP_EXCEEDED"


class NotOnRoster(RuleViolation):
    code = "NOT_ON_ROSTER"


class NotOnSheet(NotFound):
    code = "NOT_ON_SHEET"


class SheetAlreadySubmitted(Conflict):
    """Raised by services when the sheet's deterministic id already exists."""

    code = "SHEET_ALREADY_SUBMITTED"
