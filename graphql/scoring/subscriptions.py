# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Subscription `standingsChanged(blockId, year)`: a block's standings, live (bảng xếp hạng trực tiếp).

The first message is the standings as they are when the subscription starts (so a client never
misses a change made between its query and its subscription); then one message each time the
block-year's read model moves to a later position. The projection host offers no push hook, so
the resolver probes that one position (a primary-key lookup) every `POLL_S`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
import structlog
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.permissions import authorize_read, guard
from thidua.graphql.scoring.types import Standings
from thidua.projections.directory.queries import block_year_position
from thidua.projections.standings.queries import get_standings

log = structlog.get_logger()

POLL_S = 0.5


@strawberry.type
class StandingsSubscriptions:
    @strawberry.subscription(
        description="Bảng xếp hạng của khối trong năm: bản hiện tại, rồi một bản mới mỗi khi có thay đổi.",
        extensions=guard("standingsChanged"),
    )
    async def standings_changed(
        self,
        info: Info[GraphQLContext, Any],
        block_id: Annotated[str, strawberry.argument(description="Mã khối.")],
        year: Annotated[int, strawberry.argument(description="Năm thi đua.")],
    ) -> AsyncGenerator[Standings, None]:
        caller = await authorize_read(info, "standingsChanged")
        pool = info.context.runtime.read_pool
        log.info("standings_feed_opened", province=caller.province, block=block_id, year=year)
        seen: int | None = -1
        while True:
            position = await block_year_position(pool, caller.province, block_id, year)
            if position is not None and position != seen:
                found = await get_standings(pool, caller.province, block_id, year)
                if found is not None:
                    seen = found.position
                    yield Standings.of(found)
            await asyncio.sleep(POLL_S)
