"""Checks shared by proposals and decisions, and the errors the proposal workflow raises."""

from __future__ import annotations

from datetime import date

from .catalogue import AUTHORITY_NAMES_VI, AWARD_TYPES_VI, REGULAR, award, check_award_type
from .errors import Conflict, MalformedCommand, RuleViolation, WrongAuthority
from .prerequisites import Findings, evaluate
from .recipients import RecipientFacts
from .registrations import WrongRecipientKind
from .rules import RuleSet


def check_recipient_and_authority(entry_code: str, authority: str, recipient_kind: str) -> None:
    """The award admits this kind of recipient and is decided by `authority`."""
    entry = award(entry_code)
    wanted = "collective" if recipient_kind == "unit" else "individual"
    if wanted not in entry.recipients:
        raise WrongRecipientKind(
            f"«{entry.name_vi}» không dành cho {'tập thể' if wanted == 'collective' else 'cá nhân'}.",
            award=entry_code,
        )
    if authority not in entry.authorities:
        expected = " hoặc ".join(AUTHORITY_NAMES_VI[a] for a in entry.authorities)
        raise WrongAuthority(
            f"«{entry.name_vi}» do {expected} quyết định, "
            f"không phải {AUTHORITY_NAMES_VI.get(authority, authority)}.",
            award=entry_code,
            expected=entry.authority,
            given=authority,
        )


def check_award_type_allowed(entry_code: str, award_type: str, achievement: str | None) -> str:
    """A title is awarded on the year's results only; a non-regular award names its achievement."""
    entry = award(entry_code)
    check_award_type(award_type)
    if award_type not in entry.award_types:
        raise WrongAwardType(
            f"«{entry.name_vi}» chỉ xét theo loại hình «{AWARD_TYPES_VI[REGULAR]}».",
            award=entry_code,
            award_type=award_type,
        )
    if award_type != REGULAR and not (achievement and achievement.strip()):
        raise MalformedCommand(
            f"Khen thưởng theo loại hình «{AWARD_TYPES_VI[award_type]}» phải nêu thành tích được khen.",
            field="achievement",
        )
    return award_type


def findings_for(  # noqa: PLR0917 - the five facts every caller has, then the award type
    award_code: str,
    year: int,
    recipient: RecipientFacts,
    rules: RuleSet,
    on: date,
    award_type: str = REGULAR,
) -> Findings:
    status = recipient.check_can_receive(on)
    return evaluate(
        award_code,
        year,
        recipient.record,
        rules,
        status.counts_from,
        kind="collective" if recipient.collective else "individual",
        award_type=award_type,
        year_bands=recipient.year_bands,
        members=recipient.member_figures,
    )


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


class WrongAwardType(RuleViolation):
    code = "WRONG_AWARD_TYPE"


class SecretBallotRequired(RuleViolation):
    code = "SECRET_BALLOT_REQUIRED"


class WrongThreshold(RuleViolation):
    code = "COUNCIL_THRESHOLD_MISMATCH"


class WrittenOpinionNotAllowed(RuleViolation):
    code = "WRITTEN_OPINION_NOT_ALLOWED"
