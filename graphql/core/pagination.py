# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Relay-style connections (phân trang bằng con trỏ): edges, nodes, page info, opaque cursors.

A cursor wraps the keyset value the read model pages on (a position, a key, a (score, key)
pair), so the next page starts exactly after the last row seen even when rows are added.
The client treats it as an opaque string. `totalCount` counts every row the filters match
(all pages), only when asked: the count runs when the field is selected.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from thidua.graphql.core.errors import InvalidArgument, InvalidCursor

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K", str, int)

DEFAULT_PAGE = 50
MAX_PAGE = 200
MAX_CURSOR_CHARS = 1024  # a cursor this API gives out is far shorter (a key is at most 200)
MAX_BIGINT = 2**63 - 1  # positions are PostgreSQL bigint


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
    counter: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(description="Các phần tử của trang (không kèm con trỏ).")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="Tổng số phần tử khớp bộ lọc, trên mọi trang (null với danh sách không đếm)."
    )
    async def total_count(self) -> int | None:
        return None if self.counter is None else await self.counter()


def encode_cursor(key: Any) -> str:
    raw = json.dumps(key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid_cursor(argument: str = "after") -> InvalidCursor:
    return InvalidCursor(
        f"Con trỏ phân trang «{argument}» không hợp lệ: hãy dùng giá trị «endCursor» (hoặc «cursor») "
        "của trang trước, hoặc bỏ trống để lấy từ đầu.",
        field=argument,
    )


def decode_cursor(cursor: str | None, argument: str = "after") -> Any:
    """The keyset value inside a cursor; None means "from the start". Only the shape is checked
    here; each connection checks the type of its own keys (`key_cursor`, `int_cursor`)."""
    if cursor is None:
        return None
    if len(cursor) > MAX_CURSOR_CHARS:
        raise invalid_cursor(argument)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError, RecursionError):
        raise invalid_cursor(argument) from None


def key_cursor(cursor: str | None, argument: str = "after") -> str | None:
    """A cursor over natural keys (or decision numbers): a non-empty text a key column can hold."""
    start = decode_cursor(cursor, argument)
    if start is None:
        return None
    if not isinstance(start, str) or not start or not _storable(start):
        raise invalid_cursor(argument)
    return start


def int_cursor(
    cursor: str | None, argument: str = "after", *, low: int = 0, high: int = MAX_BIGINT
) -> int | None:
    """A cursor over integers (positions, months) between `low` and `high`; booleans are not."""
    start = decode_cursor(cursor, argument)
    if start is None:
        return None
    if not isinstance(start, int) or isinstance(start, bool) or not low <= start <= high:
        raise invalid_cursor(argument)
    return start


def _storable(text: str) -> bool:
    """Text PostgreSQL can compare with a text column: UTF-8 without NUL or other controls."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(char < " " or char == "\x7f" for char in text)


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
    counter: Callable[[], Awaitable[int]] | None = None,
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
        counter=counter,
    )


def slice_connection(
    items: Sequence[R],
    first: int | None,
    after: str | None,
    *,
    key: Callable[[R], K],
    node: Callable[[R], T],
    cursor: Callable[[str | None], K | None],
) -> Connection[T]:
    """Page through a list already in memory, ordered by `key` (small lists: blocks, a unit's
    months); `cursor` decodes `after` into a value of the same type as the keys."""
    limit = page_size(first)
    start = cursor(after)
    ordered = sorted(items, key=key)
    total = len(ordered)
    if start is not None:
        ordered = [r for r in ordered if key(r) > start]

    async def counter() -> int:
        return total

    return connection(ordered[: limit + 1], limit, key=key, node=node, counter=counter)
