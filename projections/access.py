"""Reading a province's read models under row-level security (đọc theo tỉnh).

Every query function takes its connection from `province_reader`, so the database itself limits
what a query can see to one province, whatever its WHERE clause says; given a pool, it borrows
from the pool of the server the province lives on (`projections.routing`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from thidua.projections.ddl import READER_ROLE
from thidua.projections.routing import pool_for


@asynccontextmanager
async def province_reader(pool: asyncpg.Pool | asyncpg.Connection, province: str) -> AsyncIterator[Any]:
    """A read-only transaction as `thidua_reader` that sees only `province`'s rows.

    Accepts a pool (a connection is borrowed) or a connection (nested use in a transaction the
    caller already opened is refused by asyncpg, so pass a fresh one).
    """
    if isinstance(pool, asyncpg.Pool):
        routed = await pool_for(pool, province)
        async with routed.acquire() as conn, _reader_tx(conn, province) as tx:
            yield tx
    else:
        async with _reader_tx(pool, province) as tx:
            yield tx


@asynccontextmanager
async def _reader_tx(conn: Any, province: str) -> AsyncIterator[Any]:
    if conn.is_in_transaction():
        # A BEGIN inside would only warn, and our COMMIT would end the caller's transaction.
        raise asyncpg.InterfaceError("province_reader needs a connection outside a transaction")
    # One round trip opens the read-only transaction, takes the reader role and sets the province
    # (a simple query may hold several statements; it takes no parameters, so the province is
    # quoted as a literal). SET LOCAL lasts until the transaction ends, so a pooled connection
    # keeps nothing.
    await conn.execute(
        f"BEGIN READ ONLY; SET LOCAL ROLE {READER_ROLE}; "
        f"SELECT set_config('thidua.province', {_literal(province)}, true)"
    )
    try:
        yield conn
    except BaseException:
        if conn.is_in_transaction() and not conn.is_closed():
            # Failing here (a query still running after a cancellation) leaves the rollback to
            # the pool, which rolls back whatever a released connection has open.
            with contextlib.suppress(Exception):
                await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


def _literal(text: str) -> str:
    """`text` as an escape-string literal: the same whatever standard_conforming_strings says."""
    if "\x00" in text:
        raise ValueError("a province code cannot hold a NUL character")
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
