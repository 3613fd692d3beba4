"""Unit and staff commands (đơn vị, cán bộ, kỷ luật) and their handlers, named like the GraphQL
feature `units`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class RegisterUnit(Command):
    key: str
    name: str

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(RegisterUnit)
def register_unit(app: ProvinceApplication, command: RegisterUnit, by: Provenance) -> int:
    return app.register_unit(
        key=command.key,
        name=command.name,
        by=by,
    )


@dataclass(frozen=True)
class RenameUnit(Command):
    key: str
    name: str

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(RenameUnit)
def rename_unit(app: ProvinceApplication, command: RenameUnit, by: Provenance) -> int:
    return app.rename_unit(
        key=command.key,
        name=command.name,
        by=by,
    )


@dataclass(frozen=True)
class DissolveUnit(Command):
    key: str
    decision_ref: str
    successor: str | None

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(DissolveUnit)
def dissolve_unit(app: ProvinceApplication, command: DissolveUnit, by: Provenance) -> int:
    return app.dissolve_unit(
        key=command.key,
        decision_ref=command.decision_ref,
        successor=command.successor,
        by=by,
    )


@dataclass(frozen=True)
class RegisterStaff(Command):
    key: str
    name: str
    unit: str
    rating_group: str
    staff_kind: str | None

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(RegisterStaff)
def register_staff(app: ProvinceApplication, command: RegisterStaff, by: Provenance) -> int:
    return app.register_staff(
        key=command.key,
        name=command.name,
        unit=command.unit,
        rating_group=command.rating_group,
        staff_kind=command.staff_kind,
        by=by,
    )


@dataclass(frozen=True)
class ChangeRatingGroup(Command):
    staff: str
    rating_group: str

    @property
    def target(self) -> Target:
        return Target(staff=self.staff)

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles(ChangeRatingGroup)
def change_rating_group(app: ProvinceApplication, command: ChangeRatingGroup, by: Provenance) -> int:
    return app.change_rating_group(
        staff=command.staff,
        rating_group=command.rating_group,
        by=by,
    )


@dataclass(frozen=True)
class ChangeStaffKind(Command):
    staff: str
    staff_kind: str
    reason: str

    @property
    def target(self) -> Target:
        return Target(staff=self.staff)

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles(ChangeStaffKind)
def change_staff_kind(app: ProvinceApplication, command: ChangeStaffKind, by: Provenance) -> int:
    return app.change_staff_kind(
        staff=command.staff,
        staff_kind=command.staff_kind,
        reason=command.reason,
        by=by,
    )


@dataclass(frozen=True)
class TransferStaff(Command):
    staff: str
    unit: str
    rating_group: str

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles(TransferStaff)
def transfer_staff(app: ProvinceApplication, command: TransferStaff, by: Provenance) -> int:
    return app.transfer_staff(
        staff=command.staff,
        unit=command.unit,
        rating_group=command.rating_group,
        by=by,
    )


@dataclass(frozen=True)
class OpenDisciplinaryCase(Command):
    subject_kind: str
    subject_key: str
    case: str
    kind: str
    reference: str

    @property
    def object_key(self) -> str | None:
        return self.case


@handles(OpenDisciplinaryCase)
def open_disciplinary_case(app: ProvinceApplication, command: OpenDisciplinaryCase, by: Provenance) -> int:
    return app.open_disciplinary_case(
        subject_kind=command.subject_kind,
        subject_key=command.subject_key,
        case=command.case,
        kind=command.kind,
        reference=command.reference,
        by=by,
    )


@dataclass(frozen=True)
class CloseDisciplinaryCase(Command):
    subject_kind: str
    subject_key: str
    case: str
    outcome: str
    reference: str

    @property
    def object_key(self) -> str | None:
        return self.case


@handles(CloseDisciplinaryCase)
def close_disciplinary_case(app: ProvinceApplication, command: CloseDisciplinaryCase, by: Provenance) -> int:
    return app.close_disciplinary_case(
        subject_kind=command.subject_kind,
        subject_key=command.subject_key,
        case=command.case,
        outcome=command.outcome,
        reference=command.reference,
        by=by,
    )


@dataclass(frozen=True)
class ImposeDiscipline(Command):
    subject_kind: str
    subject_key: str
    form: str
    reference: str
    until: date

    @property
    def object_key(self) -> str | None:
        return self.subject_key


@handles(ImposeDiscipline)
def impose_discipline(app: ProvinceApplication, command: ImposeDiscipline, by: Provenance) -> int:
    return app.impose_discipline(
        subject_kind=command.subject_kind,
        subject_key=command.subject_key,
        form=command.form,
        reference=command.reference,
        until=command.until,
        by=by,
    )
