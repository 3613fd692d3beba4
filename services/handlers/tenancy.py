"""Commands that reach past the caller's province (kế thừa, định danh cá nhân) and their
handlers, named like the GraphQL feature `tenancy`: they read a predecessor province's ledger or
hash a national ID number with the platform's key, and record in the caller's province."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from thidua.domain.provenance import Provenance
from thidua.services.handlers.base import Command, Platform, handles_on_platform
from thidua.services.person_ids import person_hash
from thidua.services.province_app import ProvinceApplication
from thidua.services.successions import PredecessorRef, record_succession, revoke_predecessor_award


@dataclass(frozen=True)
class Predecessor:
    """A predecessor as the caller names it: its province (None: the caller's), and its key or,
    for a person, a national ID number (hashed by the handler, never stored)."""

    province: str | None
    key: str | None
    national_id: str | None


@dataclass(frozen=True)
class RecordSuccession(Command):
    recipient_kind: str
    recipient: str
    predecessors: tuple[Predecessor, ...]
    succession: str
    document: str

    @property
    def object_key(self) -> str | None:
        return self.recipient

    def left_out_of_digest(self) -> frozenset[str]:
        # A national ID number never reaches the stored digest (it could be recovered by
        # trying numbers); the predecessors are then left out of it whole.
        return frozenset({"predecessors"} if any(p.national_id for p in self.predecessors) else ())


@handles_on_platform(RecordSuccession)
def record_succession_of(
    platform: Platform, app: ProvinceApplication, command: RecordSuccession, by: Provenance
) -> int:
    refs = [
        PredecessorRef(
            p.province,
            p.key,
            None if p.national_id is None else person_hash(platform.person_id_key, p.national_id),
        )
        for p in command.predecessors
    ]
    return record_succession(
        platform.registry,
        app.province,
        recipient_kind=command.recipient_kind,
        recipient=command.recipient,
        predecessors=refs,
        succession=command.succession,
        document=command.document,
        by=by,
    )


@dataclass(frozen=True)
class LinkPersonIdentity(Command):
    staff: str
    national_id: str

    undigested: ClassVar[frozenset[str]] = frozenset({"national_id"})

    @property
    def object_key(self) -> str | None:
        return self.staff


@handles_on_platform(LinkPersonIdentity)
def link_person_identity(
    platform: Platform, app: ProvinceApplication, command: LinkPersonIdentity, by: Provenance
) -> int:
    return app.link_person(
        staff=command.staff, person_hash=person_hash(platform.person_id_key, command.national_id), by=by
    )


@dataclass(frozen=True)
class RevokePredecessorAward(Command):
    """A revocation (hủy bỏ), after a merger, of a predecessor province's decision: made by the
    successor's competent authority, for the unit or person that succeeded the recipient."""

    recipient_kind: str
    recipient: str
    province: str  # the predecessor province that recorded the decision
    number: str
    revoking_decision: str
    revoking_authority: str
    revoking_signer: str
    ground: str
    reason: str

    @property
    def object_key(self) -> str | None:
        return self.recipient


@handles_on_platform(RevokePredecessorAward)
def revoke_predecessor_award_of(
    platform: Platform, app: ProvinceApplication, command: RevokePredecessorAward, by: Provenance
) -> int:
    return revoke_predecessor_award(
        platform.registry,
        app.province,
        recipient_kind=command.recipient_kind,
        recipient=command.recipient,
        decision_province=command.province,
        decision_number=command.number,
        revoking_decision=command.revoking_decision,
        revoking_authority=command.revoking_authority,
        revoking_signer=command.revoking_signer,
        ground=command.ground,
        reason=command.reason,
        by=by,
    )
