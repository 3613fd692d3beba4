"""Staff rating commands (đánh giá, xếp loại cán bộ) and their handlers, named like the GraphQL
feature `ratings`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from thidua.domain.provenance import Provenance
from thidua.domain.ratings import sheet_key
from thidua.services.access import Target
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class RecordMonthlyRatings(Command):
    unit: str
    year: int
    month: int | None
    scores: Mapping[str, int]
    quarter: int | None
    cap_exception: str | None

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)

    @property
    def object_key(self) -> str | None:
        return (
            sheet_key(self.unit, self.year, self.month, self.quarter)
            if self.month is not None or self.quarter
            else None
        )


@handles(RecordMonthlyRatings)
def record_monthly_ratings(app: ProvinceApplication, command: RecordMonthlyRatings, by: Provenance) -> int:
    return app.submit_rating_sheet(
        unit=command.unit,
        year=command.year,
        month=command.month,
        scores=dict(command.scores),
        quarter=command.quarter,
        cap_exception=command.cap_exception,
        by=by,
    )


@dataclass(frozen=True)
class CorrectRating(Command):
    unit: str
    year: int
    month: int | None
    staff: str
    new_score: int
    reason: str
    quarter: int | None

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles(CorrectRating)
def correct_rating(app: ProvinceApplication, command: CorrectRating, by: Provenance) -> int:
    return app.correct_rating(
        unit=command.unit,
        year=command.year,
        month=command.month,
        staff=command.staff,
        new_score=command.new_score,
        reason=command.reason,
        quarter=command.quarter,
        by=by,
    )


@dataclass(frozen=True)
class DeriveYearRating(Command):
    staff: str
    year: int
    reason: str | None

    @property
    def target(self) -> Target:
        return Target(staff=self.staff)

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles(DeriveYearRating)
def derive_year_rating(app: ProvinceApplication, command: DeriveYearRating, by: Provenance) -> int:
    return app.derive_year_rating(
        staff=command.staff,
        year=command.year,
        reason=command.reason,
        by=by,
    )
