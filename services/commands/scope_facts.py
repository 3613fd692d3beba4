"""Facts of the record that decide a role's scope (services/access.py), read without changing
anything: is a unit registered, whose staff is this, who are a block-year's officers, what
electorate votes in a ballot, which block proposes a proposal.

Facts that never change once recorded (a registration, a ballot's electorate, a proposal's
proposer, a block-year's officers once chosen) are remembered by the application, so a check
costs no query after the first; a staff member's unit changes with a transfer and is read every
time."""

from __future__ import annotations

from thidua.domain.ballots import Ballot
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.proposals import AwardProposal
from thidua.domain.staff import StaffMember
from thidua.services.commands.base import CommandsBase

BallotElectorate = tuple[str, str | None, int | None]


class ScopeFacts(CommandsBase):
    """Phạm vi: the record as the permission checks read it."""

    _known_units: set[str] | None = None
    _known_officers: dict[str, tuple[str, ...]] | None = None
    _known_ballots: dict[str, BallotElectorate] | None = None
    _known_proposals: dict[str, tuple[str, int]] | None = None

    def unit_registered(self, key: str) -> bool:
        """Whether the province registered this unit (a dissolved unit stays registered)."""
        if self._known_units is None:
            self._known_units = set()
        if key in self._known_units:
            return True
        if not self._exists("unit", key):
            return False
        self._known_units.add(key)
        return True

    def staff_unit(self, key: str) -> str | None:
        """The unit a staff member belongs to now (None: no such staff member)."""
        staff: StaffMember | None = self._find("staff", key)
        return None if staff is None else staff.unit

    def block_officers(self, block: str, year: int) -> tuple[str, ...]:
        """The leader and deputy (Khối trưởng, Khối phó) of a block-year, as recorded (chosen
        once: a block-year's officers are never replaced)."""
        if self._known_officers is None:
            self._known_officers = {}
        key = block_year_key(block, year)
        known = self._known_officers.get(key)
        if known is not None:
            return known
        found: BlockYear | None = self._find("block-year", key)
        if found is None or found.leader is None:
            return ()
        officers = tuple(unit for unit in (found.leader, found.deputy) if unit is not None)
        self._known_officers[key] = officers
        return officers

    def ballot_electorate(self, key: str) -> BallotElectorate:
        """Who votes in a ballot: the electorate, and for block members the block-year."""
        if self._known_ballots is None:
            self._known_ballots = {}
        known = self._known_ballots.get(key)
        if known is None:
            ballot: Ballot = self._get("ballot", key)
            known = self._known_ballots[key] = (ballot.electorate, ballot.block, ballot.year)
        return known

    def proposal_block_year(self, key: str) -> tuple[str, int]:
        """Who proposes (a block's key, or a unit's) and for which year."""
        if self._known_proposals is None:
            self._known_proposals = {}
        known = self._known_proposals.get(key)
        if known is None:
            proposal: AwardProposal = self._get("proposal", key)
            known = self._known_proposals[key] = (proposal.proposer, proposal.year)
        return known
