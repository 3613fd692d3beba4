"""One object of each Node type by its key in a province, read from the read models.

Shared by `node(id:)` and by the mutation payloads that return what they created or changed;
these read the database directly (no per-request DataLoader cache), so a payload read after a
write sees the write, even when an earlier field of the same request loaded the old row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from thidua.graphql.awards.types import AwardDecision, AwardProposal
from thidua.graphql.ballots.types import Ballot
from thidua.graphql.core.nodes import Node
from thidua.graphql.units.types import Block, BlockYear, Unit
from thidua.projections.awards.queries import get_decision, get_proposal
from thidua.projections.directory.queries import block_years_of_blocks, get_ballot, list_blocks, units_by_key


async def unit(pool: Any, province: str, key: str) -> Unit | None:
    row = (await units_by_key(pool, province, [key])).get(key)
    return Unit.of(province, row) if row else None


async def block(pool: Any, province: str, key: str) -> Block | None:
    row = next((b for b in await list_blocks(pool, province) if b.key == key), None)
    return Block.of(province, row) if row else None


async def ballot(pool: Any, province: str, key: str) -> Ballot | None:
    row = await get_ballot(pool, province, key)
    return Ballot.of(province, row) if row else None


async def proposal(pool: Any, province: str, key: str) -> AwardProposal | None:
    found = await get_proposal(pool, province, key)
    return AwardProposal.of(province, found) if found else None


async def decision(pool: Any, province: str, number: str) -> AwardDecision | None:
    found = await get_decision(pool, province, number)
    return AwardDecision.of(province, found) if found else None


Fetch = Callable[[Any, str, str], Awaitable[Node | None]]

# Node type -> (the query whose permission row governs reading it, how to read one)
NODE_TYPES: dict[str, tuple[str, Fetch]] = {
    "Unit": ("unit", unit),
    "Block": ("block", block),
    "Ballot": ("ballot", ballot),
    "AwardProposal": ("awardProposals", proposal),
    "AwardDecision": ("awardDecisions", decision),
}


async def block_year(pool: Any, province: str, key: str) -> BlockYear | None:
    """A block's year by `block/year` (the key block-year mutations answer with)."""
    block, _, year = key.rpartition("/")
    if not block or not year.isdigit():
        return None
    rows = (await block_years_of_blocks(pool, province, [block])).get(block, [])
    row = next((r for r in rows if r.year == int(year)), None)
    return BlockYear.of(province, row) if row else None
