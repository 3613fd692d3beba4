"""Scoring commands (chấm điểm: tables, self-assessments, cross-checks, classification) and their
handlers, named like the GraphQL feature `scoring`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class AdoptScoringTable(Command):
    block: str
    year: int
    criteria: tuple[Mapping[str, Any], ...]
    bonus_items: tuple[Mapping[str, Any], ...]
    deduction_items: tuple[Mapping[str, Any], ...]

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return f"{self.block}/{self.year}"


@handles(AdoptScoringTable)
def adopt_scoring_table(app: ProvinceApplication, command: AdoptScoringTable, by: Provenance) -> int:
    return app.adopt_scoring_table(
        block=command.block,
        year=command.year,
        criteria=[dict(x) for x in command.criteria],
        bonus_items=[dict(x) for x in command.bonus_items],
        deduction_items=[dict(x) for x in command.deduction_items],
        by=by,
    )


@dataclass(frozen=True)
class SubmitSelfAssessment(Command):
    block: str
    year: int
    unit: str
    scores: Mapping[str, float]
    bonuses: tuple[str, ...]
    deductions: tuple[str, ...]

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)

    @property
    def object_key(self) -> str | None:
        return self.unit


@handles(SubmitSelfAssessment)
def submit_self_assessment(app: ProvinceApplication, command: SubmitSelfAssessment, by: Provenance) -> int:
    return app.self_assess(
        block=command.block,
        year=command.year,
        unit=command.unit,
        scores=dict(command.scores),
        bonuses=list(command.bonuses),
        deductions=list(command.deductions),
        by=by,
    )


@dataclass(frozen=True)
class CrossCheckAssessment(Command):
    block: str
    year: int
    unit: str
    item_kind: str
    item: str
    new_points: float
    reason: str

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return self.unit


@handles(CrossCheckAssessment)
def cross_check_assessment(app: ProvinceApplication, command: CrossCheckAssessment, by: Provenance) -> int:
    return app.adjust_score(
        block=command.block,
        year=command.year,
        unit=command.unit,
        item_kind=command.item_kind,
        item=command.item,
        new_points=command.new_points,
        reason=command.reason,
        by=by,
    )


@dataclass(frozen=True)
class ClassifyUnit(Command):
    block: str
    year: int
    unit: str

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return self.unit


@handles(ClassifyUnit)
def classify_unit(app: ProvinceApplication, command: ClassifyUnit, by: Provenance) -> int:
    return app.classify_unit(
        block=command.block,
        year=command.year,
        unit=command.unit,
        by=by,
    )
