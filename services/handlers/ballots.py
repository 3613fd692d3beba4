"""Ballot commands (bỏ phiếu) and their handlers, named like the GraphQL feature `ballots`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.commands.ballots import OpenedBallot
from thidua.services.handlers.base import Command, handles
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class CastVote(Command):
    """One voter's choice on an open or a secret ballot."""

    ballot: str
    voter: str
    choice: str

    # A stored digest of a secret choice would reveal it.
    undigested: ClassVar[frozenset[str]] = frozenset({"choice"})

    @property
    def target(self) -> Target:
        # Only the voter casts: the ballot's electorate says which role that is.
        return Target(ballot=self.ballot, voter=self.voter)

    @property
    def object_key(self) -> str | None:
        return self.ballot


@dataclass(frozen=True)
class VoteCast:
    """The vote's position and, for a secret ballot, the voter's receipt (shown once)."""

    position: int
    receipt: str | None


@handles(CastVote)
def cast_vote(app: ProvinceApplication, command: CastVote, by: Provenance) -> VoteCast:
    position, receipt = app.cast_vote(key=command.ballot, voter=command.voter, choice=command.choice, by=by)
    return VoteCast(position, receipt)


@dataclass(frozen=True)
class OpenBallot(Command):
    """A ballot among a block-year's members or the council's, open or secret."""

    key: str
    purpose: str
    subject: str | None
    award: str | None
    secret: bool
    question: str
    electorate: str
    block: str | None
    year: int | None
    options: tuple[str, ...]
    tellers: tuple[str, ...] | None = None
    tellers_needed: int | None = None

    @property
    def target(self) -> Target:
        return Target(electorate=self.electorate, block=self.block, year=self.year)

    @property
    def object_key(self) -> str | None:
        return self.key


@handles(OpenBallot)
def open_ballot(app: ProvinceApplication, command: OpenBallot, by: Provenance) -> OpenedBallot:
    """The opening's position and, for a secret ballot, the tellers' shares (shown once)."""
    return app.open_ballot(
        key=command.key,
        purpose=command.purpose,
        subject=command.subject,
        award=command.award,
        secret=command.secret,
        question=command.question,
        electorate=command.electorate,
        block=command.block,
        year=command.year,
        options=list(command.options),
        tellers=list(command.tellers) if command.tellers is not None else None,
        tellers_needed=command.tellers_needed,
        by=by,
    )


@dataclass(frozen=True)
class BallotCommand(Command):
    """A command on one ballot: its key, and (for a block officer or the council) its electorate."""

    ballot: str

    @property
    def target(self) -> Target:
        return Target(ballot=self.ballot)

    @property
    def object_key(self) -> str | None:
        return self.ballot


@dataclass(frozen=True)
class CloseBallot(BallotCommand):
    """Close and tally; a secret ballot's papers are opened with its tellers' shares."""

    present: tuple[str, ...] | None
    tie_break_scores: Mapping[str, float] | None
    shares: tuple[str, ...] = ()

    # Nothing derived from key material is stored.
    undigested: ClassVar[frozenset[str]] = frozenset({"shares"})


@handles(CloseBallot)
def close_ballot(app: ProvinceApplication, command: CloseBallot, by: Provenance) -> int:
    scores = command.tie_break_scores
    return app.close_and_tally(
        key=command.ballot,
        present=list(command.present) if command.present is not None else None,
        shares=list(command.shares),
        tie_break_scores=dict(scores) if scores is not None else None,
        by=by,
    )


@dataclass(frozen=True)
class DeclareBallotUnopenable(BallotCommand):
    reason: str


@handles(DeclareBallotUnopenable)
def declare_ballot_unopenable(
    app: ProvinceApplication, command: DeclareBallotUnopenable, by: Provenance
) -> int:
    return app.declare_ballot_unopenable(key=command.ballot, reason=command.reason, by=by)


@dataclass(frozen=True)
class DestroyBallotKey(BallotCommand):
    """Delete a kept sealing key (ballots opened before the tellers' keys) and record it."""


@handles(DestroyBallotKey)
def destroy_ballot_key(app: ProvinceApplication, command: DestroyBallotKey, by: Provenance) -> int:
    return app.destroy_ballot_key(key=command.ballot, by=by)
