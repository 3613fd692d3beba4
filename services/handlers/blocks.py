"""Block commands (khối thi đua: blocks, block-years, officers, pledges, reviews) and movements
(phong trào, registrations), with their handlers, named like the GraphQL feature `blocks`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class RenameBlock(Command):
    key: str
    name: str

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(RenameBlock)
def rename_block(app: ProvinceApplication, command: RenameBlock, by: Provenance) -> int:
    return app.rename_block(
        key=command.key,
        name=command.name,
        by=by,
    )


@dataclass(frozen=True)
class DisbandBlock(Command):
    key: str
    decision_ref: str

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(DisbandBlock)
def disband_block(app: ProvinceApplication, command: DisbandBlock, by: Provenance) -> int:
    return app.disband_block(
        key=command.key,
        decision_ref=command.decision_ref,
        by=by,
    )


@dataclass(frozen=True)
class ChooseLeadingUnits(Command):
    block: str
    year: int
    units: tuple[str, ...]
    method: str
    ballot: str | None

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return f"{self.block}/{self.year}"


@handles(ChooseLeadingUnits)
def choose_leading_units(app: ProvinceApplication, command: ChooseLeadingUnits, by: Provenance) -> int:
    return app.choose_leading_units(
        block=command.block,
        year=command.year,
        units=list(command.units),
        method=command.method,
        ballot=command.ballot,
        by=by,
    )


@dataclass(frozen=True)
class LaunchMovement(Command):
    key: str
    name: str
    kind: str
    starts_on: date
    ends_on: date | None

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(LaunchMovement)
def launch_movement(app: ProvinceApplication, command: LaunchMovement, by: Provenance) -> int:
    return app.launch_movement(
        key=command.key,
        name=command.name,
        kind=command.kind,
        starts_on=command.starts_on,
        ends_on=command.ends_on,
        by=by,
    )


@dataclass(frozen=True)
class EndMovement(Command):
    key: str
    summary: str

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(EndMovement)
def end_movement(app: ProvinceApplication, command: EndMovement, by: Provenance) -> int:
    return app.end_movement(
        key=command.key,
        summary=command.summary,
        by=by,
    )


@dataclass(frozen=True)
class RegisterTitle(Command):
    registrant_kind: str
    registrant: str
    year: int
    award: str
    movement: str | None

    @property
    def target(self) -> Target:
        return Target.registrant(self.registrant_kind, self.registrant)

    @property
    def object_key(self) -> str | None:
        return self.registrant


@handles(RegisterTitle)
def register_title(app: ProvinceApplication, command: RegisterTitle, by: Provenance) -> int:
    return app.register_title(
        registrant_kind=command.registrant_kind,
        registrant=command.registrant,
        year=command.year,
        award=command.award,
        movement=command.movement,
        by=by,
    )


@dataclass(frozen=True)
class RegisterExemplary(Command):
    registrant_kind: str
    registrant: str
    year: int
    theme: str
    counts: Mapping[str, int]

    @property
    def target(self) -> Target:
        return Target.registrant(self.registrant_kind, self.registrant)

    @property
    def object_key(self) -> str | None:
        return self.registrant


@handles(RegisterExemplary)
def register_exemplary(app: ProvinceApplication, command: RegisterExemplary, by: Provenance) -> int:
    return app.register_exemplary(
        registrant_kind=command.registrant_kind,
        registrant=command.registrant,
        year=command.year,
        theme=command.theme,
        counts=dict(command.counts),
        by=by,
    )


@dataclass(frozen=True)
class CreateBlock(Command):
    key: str
    name: str
    kind: str
    decision: Mapping[str, str] | None

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(CreateBlock)
def create_block(app: ProvinceApplication, command: CreateBlock, by: Provenance) -> int:
    return app.create_block(
        key=command.key,
        name=command.name,
        kind=command.kind,
        decision=dict(command.decision) if command.decision is not None else None,
        by=by,
    )


@dataclass(frozen=True)
class AddBlockMember(Command):
    block: str
    year: int
    unit: str
    decision: Mapping[str, str] | None

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return f"{self.block}/{self.year}"


@handles(AddBlockMember)
def add_block_member(app: ProvinceApplication, command: AddBlockMember, by: Provenance) -> int:
    return app.add_block_member(
        block=command.block,
        year=command.year,
        unit=command.unit,
        decision=dict(command.decision) if command.decision is not None else None,
        by=by,
    )


@dataclass(frozen=True)
class RemoveBlockMember(Command):
    block: str
    year: int
    unit: str
    reason: str
    decision: Mapping[str, str] | None

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return f"{self.block}/{self.year}"


@handles(RemoveBlockMember)
def remove_block_member(app: ProvinceApplication, command: RemoveBlockMember, by: Provenance) -> int:
    return app.remove_block_member(
        block=command.block,
        year=command.year,
        unit=command.unit,
        reason=command.reason,
        decision=dict(command.decision) if command.decision is not None else None,
        by=by,
    )
