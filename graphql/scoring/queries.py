# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Query `standings(key, year, asOf, effectiveOn)`: a block's standings, now or as of a moment.

With `includePredecessors`, a block-year the caller's province does not hold is read in the
provinces merged into it (nearest first, `graphql/core/lineage.py`); `originProvince` names
the province read.

Every field that names one object takes its key as `key` (`unit(key:)`, `block(key:)`);
`blockId`, the older name of the same block key here and in `standingsChanged`, still works and
is deprecated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.lineage import lineage_of
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import AtLeast, reader
from thidua.graphql.scoring.types import Standings
from thidua.projections.standings.queries import get_standings

BLOCK_ID_DEPRECATION = "Dùng «key» (mã khối), như block(key:) và unit(key:)."
BlockKey = Annotated[str | None, strawberry.argument(description="Mã khối (bắt buộc nếu không nêu blockId).")]
BlockId = Annotated[
    str | None,
    strawberry.argument(description="Mã khối (tên cũ của «key»).", deprecation_reason=BLOCK_ID_DEPRECATION),
]


def block_key(key: str | None, block_id: str | None) -> str:
    """The block named by `key` or by the deprecated `blockId`: one of them, or both alike."""
    if key is not None and block_id is not None and key != block_id:
        raise InvalidArgument("Chỉ nêu mã khối một lần: «key» (hoặc «blockId», tên cũ).", field="key")
    chosen = key if key is not None else block_id
    if chosen is None:
        raise InvalidArgument("Cần nêu mã khối («key»).", field="key")
    return chosen


@strawberry.type
class StandingsQueries:
    @strawberry.field(
        description="Bảng xếp hạng của khối trong năm; với asOf/effectiveOn: như đã biết (hoặc có hiệu lực) "
        "tại thời điểm đó, dựng lại từ nhật ký. Null khi khối chưa có năm này.",
        extensions=guard("standings"),
    )
    async def standings(
        self,
        info: Info[GraphQLContext, Any],
        *,
        key: BlockKey = None,
        block_id: BlockId = None,
        year: Annotated[int, strawberry.argument(description="Năm thi đua.")],
        as_of: Annotated[
            datetime | None,
            strawberry.argument(description="Như hệ thống biết tại thời điểm này (ghi nhận)."),
        ] = None,
        effective_on: Annotated[
            date | None, strawberry.argument(description="Chỉ các việc có hiệu lực tới ngày này.")
        ] = None,
        include_predecessors: Annotated[
            bool,
            strawberry.argument(
                description="Nếu tỉnh không có khối này trong năm: đọc ở các tỉnh trước sáp nhập của tỉnh "
                "(gần nhất trước); originProvince cho biết tỉnh của khối."
            ),
        ] = False,
        at_least_position: AtLeast = None,
    ) -> Standings | None:
        caller = await reader(info, "standings", position=at_least_position)
        block = block_key(key, block_id)
        provinces = await lineage_of(info, caller.province, include_predecessors=include_predecessors)
        for origin in provinces.provinces:
            found = await get_standings(
                info.context.runtime.read_pool,
                origin.code,
                block,
                year,
                as_of=as_of,
                effective_on=effective_on,
                position=info.context.standings_position_of(origin.code),
            )
            if found is not None:
                return Standings.of(found, origin)
        return None
