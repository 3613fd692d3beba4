"""The board's handling of a dossier (xử lý hồ sơ đề nghị) as commands and their handlers,
named like the GraphQL feature's module `graphql/awards/dossiers.py`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from thidua.domain.provenance import Provenance
from thidua.services.handlers.awards import ProposalCommand
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class BoardDossierCommand(Command):
    """A step only the board takes: it names the proposal but is judged on no scope."""

    proposal: str

    @property
    def object_key(self) -> str | None:
        return self.proposal


@dataclass(frozen=True)
class ReceiveDossier(BoardDossierCommand):
    pass


@handles(ReceiveDossier)
def receive_dossier(app: ProvinceApplication, command: ReceiveDossier, by: Provenance) -> int:
    return app.receive_dossier(proposal=command.proposal, by=by)


@dataclass(frozen=True)
class AssignDossier(BoardDossierCommand):
    officer: str
    officer_name: str
    reason: str | None


@handles(AssignDossier)
def assign_dossier(app: ProvinceApplication, command: AssignDossier, by: Provenance) -> int:
    return app.assign_dossier(
        proposal=command.proposal,
        officer=command.officer,
        officer_name=command.officer_name,
        reason=command.reason,
        by=by,
    )


@dataclass(frozen=True)
class AppraiseDossier(BoardDossierCommand):
    finding: str


@handles(AppraiseDossier)
def appraise_dossier(app: ProvinceApplication, command: AppraiseDossier, by: Provenance) -> int:
    return app.appraise_dossier(proposal=command.proposal, finding=command.finding, by=by)


@dataclass(frozen=True)
class ReturnDossier(BoardDossierCommand):
    reasons: tuple[str, ...]


@handles(ReturnDossier)
def return_dossier(app: ProvinceApplication, command: ReturnDossier, by: Provenance) -> int:
    return app.return_dossier(proposal=command.proposal, reasons=list(command.reasons), by=by)


@dataclass(frozen=True)
class ResubmitDossier(ProposalCommand):
    dossier: Mapping[str, str]
    note: str | None


@handles(ResubmitDossier)
def resubmit_dossier(app: ProvinceApplication, command: ResubmitDossier, by: Provenance) -> int:
    return app.resubmit_dossier(
        proposal=command.proposal, dossier=dict(command.dossier), note=command.note, by=by
    )


@dataclass(frozen=True)
class RecallDossier(ProposalCommand):
    reason: str


@handles(RecallDossier)
def recall_dossier(app: ProvinceApplication, command: RecallDossier, by: Provenance) -> int:
    return app.recall_dossier(proposal=command.proposal, reason=command.reason, by=by)
