"""DataLoaders of the directory (danh mục), built per request and per province.

Each batches every key asked for in one resolver round into one query, so a page of 50 units
with their blocks costs three queries (the page, their block-years, the blocks), not 101.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.projections.directory.queries import (
    BlockRow,
    BlockYearRow,
    UnitRow,
    block_years_of_blocks,
    block_years_of_units,
    list_blocks,
    units_by_key,
)


def units(info: Info[GraphQLContext, Any], province: str) -> DataLoader[str, UnitRow | None]:
    pool = info.context.runtime.read_pool

    async def load(keys: Sequence[str]) -> list[UnitRow | None]:
        found = await units_by_key(pool, province, list(keys))
        return [found.get(k) for k in keys]

    return info.context.loader(f"units:{province}", lambda: DataLoader(load_fn=load))


def unit_block_years(info: Info[GraphQLContext, Any], province: str) -> DataLoader[str, list[BlockYearRow]]:
    pool = info.context.runtime.read_pool

    async def load(keys: Sequence[str]) -> list[list[BlockYearRow]]:
        found = await block_years_of_units(pool, province, list(keys))
        return [found.get(k, []) for k in keys]

    return info.context.loader(f"unit-block-years:{province}", lambda: DataLoader(load_fn=load))


def block_years(info: Info[GraphQLContext, Any], province: str) -> DataLoader[str, list[BlockYearRow]]:
    pool = info.context.runtime.read_pool

    async def load(keys: Sequence[str]) -> list[list[BlockYearRow]]:
        found = await block_years_of_blocks(pool, province, list(keys))
        return [found.get(k, []) for k in keys]

    return info.context.loader(f"block-years:{province}", lambda: DataLoader(load_fn=load))


def blocks(info: Info[GraphQLContext, Any], province: str) -> DataLoader[str, BlockRow | None]:
    """Blocks by key; the whole (short) list is read once per request and kept."""
    pool = info.context.runtime.read_pool

    async def load(keys: Sequence[str]) -> list[BlockRow | None]:
        everything = {b.key: b for b in await list_blocks(pool, province)}
        return [everything.get(k) for k in keys]

    return info.context.loader(f"blocks:{province}", lambda: DataLoader(load_fn=load))
