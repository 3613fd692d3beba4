# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Query `node(id:)`: any object with a global ID, checked against the caller's province."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.nodes import Node, decode_global_id
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import AtLeast, reader
from thidua.graphql.relay.objects import NODE_TYPES


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Một đối tượng theo mã toàn cục (Relay). Null khi không có, khi mã thuộc tỉnh "
        "khác tỉnh của người gọi, khi loại đối tượng không lấy được theo mã, hoặc khi mã không phải "
        "mã API này cấp.",
        extensions=guard("node"),
    )
    async def node(
        self,
        info: Info[GraphQLContext, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Mã toàn cục («id») của đối tượng.")],
        at_least_position: AtLeast = None,
    ) -> Node | None:
        caller = await reader(info, "node", position=at_least_position)
        ref = decode_global_id(id)
        known = NODE_TYPES.get(ref[0]) if ref else None
        if ref is None or known is None or caller.province != ref[1]:
            return None  # another province's object is as absent as one that never existed
        operation, fetch = known
        await reader(info, operation)  # the row of the query that reads this type applies too
        return await fetch(info.context.runtime.read_pool, caller.province, ref[2])
