"""Rating sheets (phiếu xếp loại): one per unit and month, or per quarter where the province rates
quarterly (Decree 335/2025: "hằng tháng hoặc quý").

One rating per staff member per period; bands by score; the HTXSNV cap enforced on the whole
sheet at submission and again after every correction, counting the staff kinds it applies to.
An outstanding organisation (tổ chức có thành tích xuất sắc, nổi trội) is exempted by the
competent authority's decision, whose reference the sheet records. Services pass the unit's
roster (staff key -> rating group), the staff kinds, and the rules in force on the first day of
the rated period, since the period rated, not the day the clerk typed it, decides which cap
applies.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def sheet_key(unit: str, year: int, month: int | None, quarter: int | None = None) -> str:
    """`unit/2026-01` for a month, `unit/2026-Q1` for a quarter."""
    if quarter:
        return f"{unit}/{year}-Q{quarter}"
    if month is None:
        raise MalformedCommand("Phải nêu tháng (hoặc quý, nếu tỉnh đánh giá theo quý).", field="month")
    return f"{unit}/{year}-{month:02d}"


def period_label(month: int | None, quarter: int | None) -> str:
    return f"quý {quarter}" if quarter else f"tháng {month}"


def _check_score(staff: str, score: int) -> None:
    if not 0 <= score <= MAX_SCORE:
        raise MalformedCommand(f"Điểm của «{staff}» phải từ 0 đến 100.", staff=staff, score=score)


def check_cap(entries: list[dict[str, Any]], rules: RuleSet) -> None:
    breaches = cap_breaches(entries, rules)
    if breaches:
        b = breaches[0]
        scope = "toàn đơn vị" if b.scope == "unit" else f"nhóm «{b.scope.removeprefix('group:')}»"
        num, den = rules.excellent_cap
        raise RatingCapExceeded(
            f"Số HTXSNV ({b.excellent}) vượt {100 * num // den}% số HTTNV ({b.good}) trong {scope}: "
            f"tối đa {b.allowed}.",
            scope=b.scope,
            excellent=b.excellent,
            good=b.good,
            allowed=b.allowed,
        )


class RatingSheet(LedgerAggregate):
    """The ratings of one unit's staff for one month."""

    class Submitted(LedgerAggregate.Created):
        class_version = 2  # v1: monthly only, no cap exception
        province: str
        unit: str
        year: int
        month: int | None
        entries: list[dict[str, Any]]
        rule_version: str
        cap_in_force: bool
        quarter: int | None
        cap_exception: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(quarter=None, cap_exception=None)

    class RatingCorrected(LedgerAggregate.Event):
        staff: str
        old_score: int
        new_score: int
        band: str
        reason: str
        rule_version: str

    def __init__(
        self,
        province: str,
        unit: str,
        year: int,
        month: int | None,
        entries: list[dict[str, Any]],
        *,
        quarter: int | None = None,
        cap_exception: str | None = None,
    ) -> None:
        self.province = province
        self.unit = unit
        self.year = year
        self.month = month
        self.quarter = quarter
        self.cap_exception = cap_exception
        self.entries = [dict(e) for e in entries]

    @classmethod
    def submit(
        cls,
        *,
        province: str,
        unit: str,
        year: int,
        month: int | None,
        scores: dict[str, int],
        roster: dict[str, str],
        rules: RuleSet,
        by: Provenance,
        kinds: Mapping[str, str | None] | None = None,
        quarter: int | None = None,
        cap_exception: str | None = None,
    ) -> RatingSheet:
        """Submit the period's scores (staff key -> score) for staff on `roster`."""
        require_year(year)
        require_text(unit, "unit")
        check_period(month, quarter, rules)
        if not scores:
            raise MalformedCommand("Phiếu xếp loại không có ai.", unit=unit)
        exception = cap_exception.strip() if cap_exception and cap_exception.strip() else None
        entries = []
        for staff, score in sorted(scores.items()):
            if staff not in roster:
                raise NotOnRoster(f"«{staff}» không thuộc biên chế đơn vị «{unit}».", staff=staff, unit=unit)
            _check_score(staff, score)
            band = band_for(score, rules)
            kind = (kinds or {}).get(staff)
            entries.append(
                {"staff": staff, "group": roster[staff], "score": score, "band": band, "kind": kind}
            )
        if exception is None:
            check_cap(entries, rules)
        return cls._start(
            cls.Submitted,
            by,
            id=aggregate_id(province, "rating-sheet", sheet_key(unit, year, month, quarter)),
            province=province,
            unit=unit,
            year=year,
            month=month,
            entries=entries,
            rule_version=rules.version,
            cap_in_force=rules.excellent_cap_in_force and exception is None,
            quarter=quarter,
            cap_exception=exception,
        )

    def entry(self, staff: str) -> dict[str, Any]:
        for row in self.entries:
            if row["staff"] == staff:
                return row
        raise NotOnSheet(
            f"«{staff}» không có trong phiếu {period_label(self.month, self.quarter)}/{self.year}."
        )

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
        if self.cap_exception is None:
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

    @property
    def period(self) -> str:
        """ "01".."12" for a month, "Q1".."Q4" for a quarter (the keys of a year's scores)."""
        return f"Q{self.quarter}" if self.quarter else f"{self.month:02d}"


def check_period(month: int | None, quarter: int | None, rules: RuleSet) -> None:
    """A month where the province rates monthly, a quarter where it rates quarterly."""
    if rules.rating_period == "quarter":
        if month is not None or quarter is None or not 1 <= quarter <= 4:
            raise MalformedCommand(
                "Tỉnh đánh giá, xếp loại theo quý: nêu quý (1–4), không nêu tháng.", field="quarter"
            )
    elif quarter is not None or month is None or not 1 <= month <= 12:
        raise MalformedCommand(
            "Tỉnh đánh giá, xếp loại hằng tháng: nêu tháng (1–12), không nêu quý.",
            field="month",
            month=month,
        )


class RatingCapExceeded(RuleViolation):
    code = "RATING_CAP_EXCEEDED"


class NotOnRoster(RuleViolation):
    code = "NOT_ON_ROSTER"


class NotOnSheet(NotFound):
    code = "NOT_ON_SHEET"


class SheetAlreadySubmitted(Conflict):
    """Raised by services when the sheet's deterministic id already exists."""

    code = "SHEET_ALREADY_SUBMITTED"
