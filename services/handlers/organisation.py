"""The province's organisation commands (rules, public holidays, the council) and their handlers,
named like the GraphQL feature `organisation`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from thidua.domain.provenance import Provenance
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class AdoptRules(Command):
    version: str
    effective_from: date
    legal_basis: str
    overrides: Mapping[str, Any]

    @property
    def object_key(self) -> str | None:
        return self.version


@handles(AdoptRules)
def adopt_rules(app: ProvinceApplication, command: AdoptRules, by: Provenance) -> int:
    return app.adopt_rules(
        version=command.version,
        effective_from=command.effective_from,
        legal_basis=command.legal_basis,
        overrides=dict(command.overrides),
        by=by,
    )


@dataclass(frozen=True)
class DeclarePublicHolidays(Command):
    year: int
    days: tuple[date, ...]
    legal_basis: str
    reason: str | None

    @property
    def object_key(self) -> str | None:
        return str(self.year)


@handles(DeclarePublicHolidays)
def declare_public_holidays(app: ProvinceApplication, command: DeclarePublicHolidays, by: Provenance) -> int:
    return app.declare_public_holidays(
        year=command.year,
        days=list(command.days),
        legal_basis=command.legal_basis,
        reason=command.reason,
        by=by,
    )


@dataclass(frozen=True)
class ConstituteCouncil(Command):
    decision_ref: str

    @property
    def object_key(self) -> str | None:
        return self.decision_ref


@handles(ConstituteCouncil)
def constitute_council(app: ProvinceApplication, command: ConstituteCouncil, by: Provenance) -> int:
    return app.constitute_council(
        decision_ref=command.decision_ref,
        by=by,
    )


@dataclass(frozen=True)
class AppointCouncilMember(Command):
    member: str
    name: str
    role: str

    @property
    def object_key(self) -> str | None:
        return self.member


@handles(AppointCouncilMember)
def appoint_council_member(app: ProvinceApplication, command: AppointCouncilMember, by: Provenance) -> int:
    return app.appoint_council_member(
        member=command.member,
        name=command.name,
        role=command.role,
        by=by,
    )


@dataclass(frozen=True)
class ReleaseCouncilMember(Command):
    member: str
    reason: str

    @property
    def object_key(self) -> str | None:
        return self.member


@handles(ReleaseCouncilMember)
def release_council_member(app: ProvinceApplication, command: ReleaseCouncilMember, by: Provenance) -> int:
    return app.release_council_member(
        member=command.member,
        reason=command.reason,
        by=by,
    )
