"""Checks shared by proposals and decisions, and the errors the proposal workflow raises."""

from __future__ import annotations

from datetime import date

from .catalogue import AUTHORITY_NAMES_VI, award
from .errors import Conflict, MalformedCommand, RuleViolation, WrongAuthority
from .prerequisites import Findings, evaluate
from .recipients import RecipientFacts
from .registrations import WrongRecipientKind
from .rules import RuleSet


def check_recipient_and_authority(entry_code: str, authority: str, recipient_kind: str) -> None:
    entry = award(entry_code)
    wanted = "collective" if recipient_kind == "unit" else "individual"
    if wanted not in entry.recipients:
        raise WrongRecipientKind(
            f"«{entry.name_vi}» không dành cho {'tập thể' if wanted == 'collective' else 'cá nhân'}.",
            award=entry_code,
        )
    if authority != entry.authority:
        raise WrongAuthority(
            f"«{entry.name_vi}» do {AUTHORITY_NAMES_VI[entry.authority]} quyết định, "
            f"không phải {AUTHORITY_NAMES_VI.get(authority, authority)}.",
            award=entry_code,
            expected=entry.authority,
            given=authority,
        )


def findings_for(award_code: str, year: int, recipient: RecipientFacts, rules: RuleSet, on: date) -> Findings:
    status = recipient.check_can_receive(on)
    return evaluate(award_code, year, recipient.record, rules, status.counts_from)


class ProposalWrongState(Conflict):
    code = "PROPOSAL_WRONG_STATE"


class DisclosureNotOpen(Conflict):
    code = "DISCLOSURE_NOT_OPEN"


class DisclosureIncomplete(RuleViolation):
    code = "DISCLOSURE_INCOMPLETE"


class QuorumNotMet(RuleViolation):
    code = "QUORUM_NOT_MET"


class BallotMismatch(MalformedCommand):
    code = "BALLOT_MISMATCH"


class DossierIncomplete(RuleViolation):
    code = "DOSSIER_INCOMPLETE"
