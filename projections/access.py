"""Reading a province's read models under row-level security (đọc theo tỉnh).

Every query function takes its connection from `province_reader`, so the database itself limits
what a query can see to one province, whatever its WHERE clause says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from thidua.projections.ddl import READER_ROLE


@asynccontextmanager
async def province_reader(pool: asyncpg.Pool | asyncpg.Connection, province: str) -> AsyncIterator[Any]:
    """A read-only transaction as `thidua_reader` that sees only `province`'s rows.

    Accepts a pool (a connection is borrowed) or a connection (nested use in a transaction the
    caller already opened is refused by asyncpg, so pass a fresh one).
    """
    if isinstance(pool, asyncpg.Pool):
        async with pool.acquire() as conn, _reader_tx(conn, province) as tx:
            yield tx
    else:
        async with _reader_tx(pool, province) as tx:
            yield tx


@asynccontextmanager
async def _reader_tx(conn: Any, province: str) -> AsyncIterator[Any]:
    async with conn.transaction(readonly=True):
        # SET LOCAL lasts until the transaction ends, so a pooled connection keeps nothing.
        # One round trip for both (a simple query may hold several statements; it takes no
        # parameters, so the province is quoted as a literal).
        await conn.execute(
            f"SET LOCAL ROLE {READER_ROLE}; SELECT set_config('thidua.province', {_literal(province)}, true)"
        )
        yield conn


def _literal(text: str) -> str:
    """`text` as an escape-string literal: the same whatever standard_conforming_strings says."""
    if "\x00" in text:
        raise ValueError("a province code cannot hold a NUL character")
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
