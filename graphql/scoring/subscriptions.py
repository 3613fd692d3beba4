# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Subscription `standingsChanged(key, year)`: a block's standings, live (bảng xếp hạng trực tiếp).

The first message is the standings as they are when the subscription starts (so a client never
misses a change made between its query and its subscription); then one message each time the
block-year's read model moves to a later position. Each time the province's projections advance
(graphql/core/live.py) the block-year's position is read (a primary-key lookup), and the
standings only when it moved, once for all the subscribers of the block-year. The feed ends with
TOKEN_EXPIRED when the caller's token does.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial
from typing import Annotated, Any

import strawberry
import structlog
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.lineage import own_origin
from thidua.graphql.core.live import live, shared_looks
from thidua.graphql.core.permissions import guard
from thidua.graphql.scoring.queries import BlockId, BlockKey, block_key
from thidua.graphql.scoring.types import Standings
from thidua.projections.directory.queries import block_year_position
from thidua.projections.standings.model import BlockStandings
from thidua.projections.standings.queries import get_standings

log = structlog.get_logger()


@strawberry.type
class StandingsSubscriptions:
    @strawberry.subscription(
        description="Bảng xếp hạng của khối trong năm: bản hiện tại, rồi một bản mới mỗi khi có thay đổi.",
        extensions=guard("standingsChanged"),
    )
    async def standings_changed(
        self,
        info: Info[GraphQLContext, Any],
        year: Annotated[int, strawberry.argument(description="Năm thi đua.")],
        key: BlockKey = None,
        block_id: BlockId = None,
    ) -> AsyncGenerator[Standings, None]:
        block = block_key(key, block_id)
        runtime = info.context.runtime
        pool, looks = runtime.read_pool, shared_looks(runtime, "standingsChanged")
        seen: int | None = None
        async for tick in live(info, "standingsChanged"):
            province = tick.caller.province
            if seen is None:
                log.info("standings_feed_opened", province=province, block=block, year=year)
            look = partial(_look, pool, province, block, year)
            found = await looks.get((province, block, year), tick.generation, look)
            if found is not None and found.position != seen:
                seen = found.position
                yield Standings.of(found, own_origin(province))


async def _look(
    pool: Any, province: str, block: str, year: int, previous: BlockStandings | None
) -> BlockStandings | None:
    """The block-year's standings, read again only when its position moved since `previous`."""
    position = await block_year_position(pool, province, block, year)
    if position is None:
        return None
    if previous is not None and previous.position == position:
        return previous
    return await get_standings(pool, province, block, year)
