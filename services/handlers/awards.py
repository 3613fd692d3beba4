"""Award commands (đề nghị khen thưởng through to the decision and its revocation) and their
handlers, named like the GraphQL feature `awards`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class ProposalCommand(Command):
    """A command on one proposal: its key, and (for a block officer) its block-year."""

    proposal: str

    @property
    def target(self) -> Target:
        return Target(proposal=self.proposal)

    @property
    def object_key(self) -> str | None:
        return self.proposal


@dataclass(frozen=True)
class AttachDocument(ProposalCommand):
    item: str
    reference: str | None
    file_sha256: str | None = None
    file_name: str | None = None


@handles(AttachDocument)
def attach_document(app: ProvinceApplication, command: AttachDocument, by: Provenance) -> int:
    return app.attach_document(
        proposal=command.proposal,
        item=command.item,
        reference=command.reference,
        file_sha256=command.file_sha256,
        file_name=command.file_name,
        by=by,
    )


@dataclass(frozen=True)
class OpenDisclosure(ProposalCommand):
    channel: str


@handles(OpenDisclosure)
def open_disclosure(app: ProvinceApplication, command: OpenDisclosure, by: Provenance) -> int:
    return app.open_disclosure(proposal=command.proposal, channel=command.channel, by=by)


@dataclass(frozen=True)
class RecordComment(ProposalCommand):
    author: str
    text: str
    objection: bool


@handles(RecordComment)
def record_comment(app: ProvinceApplication, command: RecordComment, by: Provenance) -> int:
    return app.record_comment(
        proposal=command.proposal,
        author=command.author,
        text=command.text,
        objection=command.objection,
        by=by,
    )


@dataclass(frozen=True)
class RecordCouncilVote(ProposalCommand):
    ballot: str
    written_opinions: tuple[Mapping[str, str], ...] = ()


@handles(RecordCouncilVote)
def record_council_vote(app: ProvinceApplication, command: RecordCouncilVote, by: Provenance) -> int:
    return app.record_council_vote(
        proposal=command.proposal,
        ballot=command.ballot,
        by=by,
        written_opinions=[dict(o) for o in command.written_opinions],
    )


@dataclass(frozen=True)
class ForwardProposal(ProposalCommand):
    """Forward (trình) the proposal to the deciding authority."""


@handles(ForwardProposal)
def forward_proposal(app: ProvinceApplication, command: ForwardProposal, by: Provenance) -> int:
    return app.forward_proposal(proposal=command.proposal, by=by)


@dataclass(frozen=True)
class WithdrawProposal(ProposalCommand):
    reason: str


@handles(WithdrawProposal)
def withdraw_proposal(app: ProvinceApplication, command: WithdrawProposal, by: Provenance) -> int:
    return app.withdraw_proposal(proposal=command.proposal, reason=command.reason, by=by)


@dataclass(frozen=True)
class RevokeAward(Command):
    """A revocation (hủy bỏ) of a decision, never its deletion."""

    number: str
    revoking_decision: str
    ground: str
    recipients: tuple[str, ...] | None
    recover_object: bool
    reason: str

    @property
    def object_key(self) -> str | None:
        return self.number


@handles(RevokeAward)
def revoke_award(app: ProvinceApplication, command: RevokeAward, by: Provenance) -> int:
    return app.revoke_decision(
        number=command.number,
        revoking_decision=command.revoking_decision,
        ground=command.ground,
        recipients=list(command.recipients) if command.recipients is not None else None,
        recover_object=command.recover_object,
        reason=command.reason,
        by=by,
    )


@dataclass(frozen=True)
class RecognizeInitiative(Command):
    recipient_kind: str
    recipient: str
    initiative: str
    scope: str
    year: int
    reference: str

    @property
    def object_key(self) -> str | None:
        return self.initiative


@handles(RecognizeInitiative)
def recognize_initiative(app: ProvinceApplication, command: RecognizeInitiative, by: Provenance) -> int:
    return app.recognize_initiative(
        recipient_kind=command.recipient_kind,
        recipient=command.recipient,
        initiative=command.initiative,
        scope=command.scope,
        year=command.year,
        reference=command.reference,
        by=by,
    )


@dataclass(frozen=True)
class NoteMemberStats(Command):
    unit: str
    year: int
    stats: Mapping[str, int]

    @property
    def target(self) -> Target:
        return Target(unit=self.unit)

    @property
    def object_key(self) -> str | None:
        return self.unit


@handles(NoteMemberStats)
def note_member_stats(app: ProvinceApplication, command: NoteMemberStats, by: Provenance) -> int:
    return app.note_member_stats(
        unit=command.unit,
        year=command.year,
        stats=dict(command.stats),
        by=by,
    )


@dataclass(frozen=True)
class AbsorbRecord(Command):
    recipient_kind: str
    recipient: str
    predecessor: str

    @property
    def object_key(self) -> str | None:
        return self.recipient


@handles(AbsorbRecord)
def absorb_record(app: ProvinceApplication, command: AbsorbRecord, by: Provenance) -> int:
    return app.absorb_record(
        recipient_kind=command.recipient_kind,
        recipient=command.recipient,
        predecessor=command.predecessor,
        by=by,
    )
