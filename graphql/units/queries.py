# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Queries `units`, `unit`, `blocks`, `block`: the province's directory (danh mục)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.pagination import Connection, connection, key_cursor, page_size, slice_connection
from thidua.graphql.core.permissions import ProvinceArg, guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.graphql.units import loaders
from thidua.graphql.units.types import Block, Unit
from thidua.projections.directory.queries import count_units, list_blocks, list_units

KeyArg = Annotated[str, strawberry.argument(description="Mã (khóa tự nhiên) trong tỉnh.")]


@strawberry.type
class DirectoryQueries:
    @strawberry.field(description="Các cơ quan, đơn vị của tỉnh, theo mã.", extensions=guard("units"))
    async def units(
        self,
        info: Info[GraphQLContext, Any],
        *,
        first: First = None,
        after: After = None,
        province: ProvinceArg = None,
        at_least_position: AtLeast = None,
    ) -> Connection[Unit]:
        caller = await reader(info, "units", province=province, position=at_least_position)
        limit = page_size(first)
        rows = await list_units(
            info.context.runtime.read_pool, caller.province, after=key_cursor(after), limit=limit + 1
        )
        return connection(
            rows,
            limit,
            key=lambda r: r.key,
            node=lambda r: Unit.of(caller.province, r),
            counter=lambda: count_units(info.context.runtime.read_pool, caller.province),
        )

    @strawberry.field(
        description="Một đơn vị theo mã (null khi tỉnh không có đơn vị này).", extensions=guard("unit")
    )
    async def unit(
        self,
        info: Info[GraphQLContext, Any],
        *,
        key: KeyArg,
        province: ProvinceArg = None,
        at_least_position: AtLeast = None,
    ) -> Unit | None:
        caller = await reader(info, "unit", province=province, position=at_least_position)
        row = await loaders.units(info, caller.province).load(key)
        return Unit.of(caller.province, row) if row else None

    @strawberry.field(description="Các khối, cụm thi đua của tỉnh, theo mã.", extensions=guard("blocks"))
    async def blocks(
        self,
        info: Info[GraphQLContext, Any],
        *,
        first: First = None,
        after: After = None,
        province: ProvinceArg = None,
        at_least_position: AtLeast = None,
    ) -> Connection[Block]:
        caller = await reader(info, "blocks", province=province, position=at_least_position)
        rows = await list_blocks(info.context.runtime.read_pool, caller.province)
        return slice_connection(
            rows,
            first,
            after,
            key=lambda r: str(r.key),
            node=lambda r: Block.of(caller.province, r),
            cursor=key_cursor,
        )

    @strawberry.field(description="Một khối thi đua theo mã (null khi không có).", extensions=guard("block"))
    async def block(
        self,
        info: Info[GraphQLContext, Any],
        *,
        key: KeyArg,
        province: ProvinceArg = None,
        at_least_position: AtLeast = None,
    ) -> Block | None:
        caller = await reader(info, "block", province=province, position=at_least_position)
        row = await loaders.blocks(info, caller.province).load(key)
        return Block.of(caller.province, row) if row else None
