"""Facts of the record that decide a role's scope (services/access.py), read without changing
anything: is a unit registered, whose staff is this, who are a block-year's officers, what
electorate votes in a ballot, which block proposes a proposal."""

from __future__ import annotations

from thidua.domain.ballots import Ballot
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.proposals import AwardProposal
from thidua.domain.staff import StaffMember
from thidua.services.commands.base import CommandsBase


class ScopeFacts(CommandsBase):
    """Phạm vi: the record as the permission checks read it."""

    _registered_units: set[str] | None = None

    def unit_registered(self, key: str) -> bool:
        """Whether the province registered this unit. A registration is never undone (a
        dissolved unit stays registered), so a unit found once is remembered."""
        if self._registered_units is None:
            self._registered_units = set()
        if key in self._registered_units:
            return True
        if not self._exists("unit", key):
            return False
        self._registered_units.add(key)
        return True

    def staff_unit(self, key: str) -> str | None:
        """The unit a staff member belongs to now (None: no such staff member)."""
        staff: StaffMember | None = self._find("staff", key)
        return None if staff is None else staff.unit

    def block_officers(self, block: str, year: int) -> tuple[str, ...]:
        """The leader and deputy (Khối trưởng, Khối phó) of a block-year, as recorded."""
        found: BlockYear | None = self._find("block-year", block_year_key(block, year))
        if found is None:
            return ()
        return tuple(unit for unit in (found.leader, found.deputy) if unit is not None)

    def ballot_electorate(self, key: str) -> tuple[str, str | None, int | None]:
        """Who votes in a ballot: the electorate, and for block members the block-year."""
        ballot: Ballot = self._get("ballot", key)
        return ballot.electorate, ballot.block, ballot.year

    def proposal_block_year(self, key: str) -> tuple[str, int]:
        """Who proposes (a block's key, or a unit's) and for which year."""
        proposal: AwardProposal = self._get("proposal", key)
        return proposal.proposer, proposal.year
