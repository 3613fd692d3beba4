"""Block commands (khối thi đua: blocks, block-years, officers, pledges, reviews) and movements
(phong trào, registrations), with their handlers, named like the GraphQL feature `blocks`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from thidua.domain.block_minutes import decision_reference
from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.earlier_memberships import add_block_member_for_period_after_merger
from thidua.services.handlers.base import Command, Platform, handles, handles_on_platform
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class BlockYearCommand(Command):
    """A command on one block-year: its answer echoes `block/year`."""

    block: str
    year: int

    @property
    def object_key(self) -> str | None:
        return f"{self.block}/{self.year}"


@dataclass(frozen=True)
class BlockYearScoped(BlockYearCommand):
    """A block-year command that a block officer may give within their own block-year."""

    @property
    def target(self) -> Target:
        return Target(block=self.block, year=self.year)


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
class ChooseLeadingUnits(BlockYearScoped):
    units: tuple[str, ...]
    method: str
    ballot: str | None


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
    decision: DecisionGiven | None

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(CreateBlock)
def create_block(app: ProvinceApplication, command: CreateBlock, by: Provenance) -> int:
    return app.create_block(
        key=command.key,
        name=command.name,
        kind=command.kind,
        decision=_reference(command.decision),
        by=by,
    )


@dataclass(frozen=True)
class AddBlockMember(BlockYearScoped):
    unit: str
    decision: DecisionGiven | None


@handles(AddBlockMember)
def add_block_member(app: ProvinceApplication, command: AddBlockMember, by: Provenance) -> int:
    return app.add_block_member(
        block=command.block,
        year=command.year,
        unit=command.unit,
        decision=_reference(command.decision),
        by=by,
    )


@dataclass(frozen=True)
class AddBlockMemberForPeriod(BlockYearScoped):
    """A member for a period inside the year (a merger: July–December in the successor's block)."""

    unit: str
    starts_on: date
    ends_on: date
    earlier: str | None
    decision: DecisionGiven | None


@handles_on_platform(AddBlockMemberForPeriod)
def add_block_member_for_period(
    platform: Platform, app: ProvinceApplication, command: AddBlockMemberForPeriod, by: Provenance
) -> int:
    # A predecessor's block named as `earlier` is read from that province's ledger.
    return add_block_member_for_period_after_merger(
        platform.registry,
        app.province,
        block=command.block,
        year=command.year,
        unit=command.unit,
        starts_on=command.starts_on,
        ends_on=command.ends_on,
        earlier=command.earlier,
        decision=_reference(command.decision),
        by=by,
    )


@dataclass(frozen=True)
class EndBlockMemberPeriod(BlockYearScoped):
    """A member for a period leaves before the period's end (`ends_on`: its last day)."""

    unit: str
    ends_on: date
    reason: str
    decision: DecisionGiven | None


@handles(EndBlockMemberPeriod)
def end_block_member_period(app: ProvinceApplication, command: EndBlockMemberPeriod, by: Provenance) -> int:
    return app.end_block_member_period(
        block=command.block,
        year=command.year,
        unit=command.unit,
        ends_on=command.ends_on,
        reason=command.reason,
        decision=_reference(command.decision),
        by=by,
    )


@dataclass(frozen=True)
class RemoveBlockMember(BlockYearScoped):
    unit: str
    reason: str
    decision: DecisionGiven | None


@handles(RemoveBlockMember)
def remove_block_member(app: ProvinceApplication, command: RemoveBlockMember, by: Provenance) -> int:
    return app.remove_block_member(
        block=command.block,
        year=command.year,
        unit=command.unit,
        reason=command.reason,
        decision=_reference(command.decision),
        by=by,
    )


@dataclass(frozen=True)
class DecisionGiven:
    """A decision as the caller wrote it; checked by the handler, after the caller is admitted,
    so a caller who may not act is refused for that and not for a mistyped number."""

    number: str
    signed_on: date
    issuer: str


def _reference(given: DecisionGiven | None) -> dict[str, str] | None:
    return None if given is None else decision_reference(given.number, given.signed_on, given.issuer)


@dataclass(frozen=True)
class ReformBlock(Command):
    key: str
    decision: DecisionGiven
    name: str | None

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(ReformBlock)
def reform_block(app: ProvinceApplication, command: ReformBlock, by: Provenance) -> int:
    decision = decision_reference(
        command.decision.number, command.decision.signed_on, command.decision.issuer
    )
    return app.reform_block(key=command.key, decision=decision, name=command.name, by=by)


@dataclass(frozen=True)
class HoldBlockMeeting(BlockYearScoped):
    kind: str
    held_on: date
    host: str | None
    adopted: tuple[str, ...]
    note: str | None


@handles(HoldBlockMeeting)
def hold_block_meeting(app: ProvinceApplication, command: HoldBlockMeeting, by: Provenance) -> int:
    return app.hold_block_meeting(
        block=command.block,
        year=command.year,
        kind=command.kind,
        held_on=command.held_on,
        host=command.host,
        adopted=list(command.adopted),
        note=command.note,
        by=by,
    )


@dataclass(frozen=True)
class OpenBlockYear(BlockYearCommand):
    members: tuple[str, ...]
    members_claimed: int | None
    decision: DecisionGiven | None


@handles(OpenBlockYear)
def open_block_year(app: ProvinceApplication, command: OpenBlockYear, by: Provenance) -> int:
    return app.open_block_year(
        block=command.block,
        year=command.year,
        members=list(command.members),
        members_claimed=command.members_claimed,
        by=by,
        decision=_reference(command.decision),
    )


@dataclass(frozen=True)
class ChooseOfficers(BlockYearCommand):
    leader: str
    deputy: str | None
    method: str
    ballot: str | None
    chosen_in_year: int | None
    decision: DecisionGiven | None

    @property
    def target(self) -> Target:
        return Target.officers_choice(self.block, self.year, self.chosen_in_year)


@handles(ChooseOfficers)
def choose_officers(app: ProvinceApplication, command: ChooseOfficers, by: Provenance) -> int:
    return app.choose_officers(
        block=command.block,
        year=command.year,
        leader=command.leader,
        deputy=command.deputy,
        method=command.method,
        ballot=command.ballot,
        chosen_in_year=command.chosen_in_year,
        by=by,
        decision=_reference(command.decision),
    )


@dataclass(frozen=True)
class SignPledge(BlockYearCommand):
    unit: str
    targets: Mapping[str, str]
    movement: str | None
    targets_unrecorded: bool

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)


@handles(SignPledge)
def sign_pledge(app: ProvinceApplication, command: SignPledge, by: Provenance) -> int:
    return app.sign_pledge(
        block=command.block,
        year=command.year,
        unit=command.unit,
        targets=dict(command.targets),
        movement=command.movement,
        by=by,
        targets_unrecorded=command.targets_unrecorded,
    )


@dataclass(frozen=True)
class HoldReview(BlockYearScoped):
    kind: str
    chaired_by: str | None
    note: str | None
    held_on: date | None
    completion_rate: str | None
    counts: Mapping[str, int]


@handles(HoldReview)
def hold_review(app: ProvinceApplication, command: HoldReview, by: Provenance) -> int:
    return app.hold_review(
        block=command.block,
        year=command.year,
        kind=command.kind,
        chaired_by=command.chaired_by,
        note=command.note,
        by=by,
        held_on=command.held_on,
        completion_rate=command.completion_rate,
        counts=dict(command.counts),
    )
