"""Ballot commands (bỏ phiếu) and their handlers, named like the GraphQL feature `ballots`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
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
