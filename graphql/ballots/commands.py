"""Interim adapters for the ballot commands (see `core/interim.py`): open ballots only.

Secret ballots (bỏ phiếu kín) need the sealing service (services/ballot_seal.py) to seal each
paper and open them at the tally; until it exists, casting in a secret ballot is refused with
`SEALING_UNAVAILABLE` rather than recording anything a voter could be linked to.
"""

from __future__ import annotations

from thidua.domain.ballots import Ballot
from thidua.domain.errors import RuleViolation
from thidua.domain.provenance import Provenance
from thidua.graphql.core.interim import load, rules_on, save
from thidua.services.province_app import ProvinceApplication


class SealingUnavailable(RuleViolation):
    code = "SEALING_UNAVAILABLE"


def open_ballot(
    app: ProvinceApplication,
    by: Provenance,
    *,
    key: str,
    purpose: str,
    subject: str | None,
    award: str | None,
    secret: bool,
    question: str,
    electorate: str,
    voters: list[str],
    options: list[str],
) -> int:
    ballot = Ballot.open(
        province=app.province,
        key=key,
        purpose=purpose,
        subject=subject,
        award=award,
        secret=secret,
        question=question,
        electorate=electorate,
        voters=voters,
        options=options,
        rules=rules_on(app, by.effective_on),
        by=by,
    )
    return save(app, ballot)


def cast_vote(app: ProvinceApplication, by: Provenance, *, ballot: str, voter: str, choice: str) -> int:
    found: Ballot = load(app, "ballot", ballot, "cuộc bỏ phiếu")
    if found.secret:
        raise SealingUnavailable(
            "Bỏ phiếu kín cần dịch vụ niêm phong phiếu, chưa có trên máy chủ này.", ballot=ballot
        )
    found.cast_open_vote(voter=voter, choice=choice, by=by)
    return save(app, found)


def close_ballot(
    app: ProvinceApplication,
    by: Provenance,
    *,
    ballot: str,
    present: list[str] | None,
    tie_break_scores: dict[str, float] | None,
) -> int:
    """Close casting and tally (open ballots are counted from the recorded votes)."""
    found: Ballot = load(app, "ballot", ballot, "cuộc bỏ phiếu")
    if found.secret:
        raise SealingUnavailable(
            "Kiểm phiếu kín cần dịch vụ niêm phong phiếu, chưa có trên máy chủ này.", ballot=ballot
        )
    found.close(present=present, by=by)
    found.tally(opened_papers=None, tie_break_scores=tie_break_scores, by=by)
    return save(app, found)
