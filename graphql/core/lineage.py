# mypy: disable-error-code="untyped-decorator"
# (strawberry.type with keyword options is typed as returning Any)
"""Reading a successor province together with its predecessors (đọc cả tỉnh trước sáp nhập).

The provinces a read may cover come only from the platform's lineage of the caller's own
province (`services.mergers.lineage`): the caller's province, then every province merged into it
and theirs further back, nearest first. No argument names a province, so a token can never reach
a province outside its own lineage, and a predecessor's token never reaches its successor (the
lineage is walked backwards only). Each province is then read as any read is, through
`province_reader` under row-level security with that province set, one province at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from thidua.services.mergers import lineage


@strawberry.type(description="Tỉnh ghi nhận một mục: tỉnh của người gọi hoặc một tỉnh trước sáp nhập của nó.")
class OriginProvince:
    code: str = strawberry.field(description="Mã tỉnh.")
    known_name: strawberry.Private[str | None] = None

    @strawberry.field(description="Tên tỉnh.")
    async def name(self, info: Info[GraphQLContext, Any]) -> str:
        if self.known_name is not None:
            return self.known_name
        return await province_names(info).load(self.code)


def province_names(info: Info[GraphQLContext, Any]) -> DataLoader[str, str]:
    """Province names by code, read once per request for every entry that selects one (most
    reads of one province never do)."""
    runtime = info.context.runtime

    def names(codes: Sequence[str]) -> list[str]:
        return [runtime.registry.get(code).name for code in codes]

    async def load(codes: Sequence[str]) -> list[str]:
        return await runtime.run_sync(lambda: names(codes))

    return info.context.loader("province-names", lambda: DataLoader(load_fn=load))


@dataclass(frozen=True)
class Lineage:
    """The provinces a read covers, the caller's own first."""

    provinces: tuple[OriginProvince, ...]

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.provinces]

    def origin(self, code: str) -> OriginProvince:
        return next(p for p in self.provinces if p.code == code)


def own_origin(province: str) -> OriginProvince:
    """The caller's province as an origin; its name is read only if selected."""
    return OriginProvince(code=province)


async def lineage_of(
    info: Info[GraphQLContext, Any], province: str, *, include_predecessors: bool
) -> Lineage:
    """The caller's province alone, or with its predecessors (nearest first) when asked."""
    runtime = info.context.runtime
    provinces = [own_origin(province)]
    if include_predecessors:
        before, _ = await runtime.run_sync(lambda: lineage(runtime.registry, province))
        provinces += [OriginProvince(code=row.predecessor, known_name=row.predecessor_name) for row in before]
    return Lineage(tuple(provinces))


K = TypeVar("K")


def lineage_cursor(
    after: str | None, provinces: int, inner: Callable[[str | None], K | None]
) -> tuple[int, K | None]:
    """The province read (its index in the lineage) and the keyset inside an `after` cursor of a
    list read across a lineage. The caller's own cursors keep the list's plain form (index 0); a
    predecessor's are `[index, key]`. `inner` checks the key as the list checks a plain cursor
    (`key_cursor`, `int_cursor`); a province beyond those read is INVALID_CURSOR."""
    value = decode_cursor(after)
    if not isinstance(value, list):
        return 0, inner(after)
    if len(value) == len(("index", "key")) and type(value[0]) is int and 0 < value[0] < provinces:
        return value[0], inner(encode_cursor(value[1]))
    raise invalid_cursor("after")


def lineage_cursor_text(index: int, key: object) -> str:
    """The cursor of `key` in the province read `index`-th (see `lineage_cursor`)."""
    return encode_cursor(key if index == 0 else [index, key])
