# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Relay-style connections (phân trang bằng con trỏ): edges, nodes, page info, opaque cursors.

A cursor wraps the keyset value the read model pages on (a position, a key, a (score, key)
pair), so the next page starts exactly after the last row seen even when rows are added.
The client treats it as an opaque string.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from thidua.graphql.core.errors import InvalidArgument, InvalidCursor

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE = 50
MAX_PAGE = 200


@strawberry.type(description="Thông tin trang (page info) của một danh sách phân trang.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Còn trang sau không.")
    end_cursor: str | None = strawberry.field(description="Con trỏ của phần tử cuối trang.")
    start_cursor: str | None = strawberry.field(description="Con trỏ của phần tử đầu trang.")


@strawberry.type(description="Một phần tử của trang, kèm con trỏ (cursor) của nó.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Con trỏ mờ; truyền vào `after` để lấy tiếp.")
    node: T = strawberry.field(description="Phần tử.")


@strawberry.type(description="Một trang kết quả (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="Các phần tử của trang, kèm con trỏ.")
    page_info: PageInfo = strawberry.field(description="Thông tin phân trang.")

    @strawberry.field(description="Các phần tử của trang (không kèm con trỏ).")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(key: Any) -> str:
    raw = json.dumps(key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    """The keyset value inside a cursor; None means "from the start"."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor("Con trỏ phân trang không hợp lệ.", field="after") from None


def page_size(first: int | None) -> int:
    """The page size asked for, bounded (the cost rule counts on this bound)."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise InvalidArgument(f"Tham số «first» phải trong khoảng 0–{MAX_PAGE}.", field="first", value=first)
    return first


def connection(
    rows: Sequence[R],
    limit: int,
    *,
    key: Callable[[R], Any],
    node: Callable[[R], T],
    has_next: bool | None = None,
) -> Connection[T]:
    """Build a page from rows fetched with `limit + 1` (the extra row says a next page exists),
    or from exactly one page when the query function says whether more follow (`has_next`)."""
    page = list(rows[:limit])
    edges = [Edge(cursor=encode_cursor(key(r)), node=node(r)) for r in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > limit if has_next is None else has_next,
            end_cursor=edges[-1].cursor if edges else None,
            start_cursor=edges[0].cursor if edges else None,
        ),
    )


def slice_connection(
    items: Sequence[R],
    first: int | None,
    after: str | None,
    *,
    key: Callable[[R], Any],
    node: Callable[[R], T],
) -> Connection[T]:
    """Page through a list already in memory, ordered by `key` (small lists: blocks, ballots)."""
    limit = page_size(first)
    start = decode_cursor(after)
    ordered = sorted(items, key=lambda r: _sortable(key(r)))
    if start is not None:
        ordered = [r for r in ordered if _sortable(key(r)) > _sortable(start)]
    return connection(ordered[: limit + 1], limit, key=key, node=node)


def _sortable(value: Any) -> Any:
    # JSON turns tuples into lists; compare both as tuples.
    return tuple(value) if isinstance(value, list | tuple) else (value,)
