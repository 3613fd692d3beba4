"""Is the database unavailable (cơ sở dữ liệu không truy cập được)? One answer for every layer.

A lost connection to PostgreSQL (refused, reset, cut mid-statement, a pool that could not hand
one out in time, a statement or connection timeout) is not the caller's fault and not a bug: the
request may be sent again as it is, so the API answers `SERVICE_UNAVAILABLE` with
`retryable: true` instead of the masked `INTERNAL_ERROR`. Both drivers raise it in their own
shapes, often wrapped (eventsourcing re-raises psycopg's errors as its own, a resolver's error
carries the driver's as its cause), so the whole chain of causes is looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import asyncpg
import eventsourcing.persistence
import psycopg
import psycopg_pool
import structlog

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore

log = structlog.get_logger()
T = TypeVar("T")

CONNECT_TIMEOUT_S = 3  # a new connection to PostgreSQL answers within this, or the request hears so

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused or reset connections, socket timeouts
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.InterfaceError,
    # asyncpg raises this when the protocol finds itself mid-operation on a connection that was
    # cut under it (returning a connection to the pool while PostgreSQL crashed).
    asyncpg.exceptions.InternalClientError,
    psycopg.OperationalError,  # also PoolTimeout, AdminShutdown and statement timeouts
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, is a lost or unreachable database."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, UNAVAILABLE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def reconnecting(datastore: PostgresDatastore, work: Callable[[], T]) -> T:
    """Run `work` on the datastore's pool; once more when it failed on a dead pooled connection.

    After PostgreSQL restarts, every idle connection in the pool is dead, and the pool finds out
    one failed statement at a time. On the first failure every idle connection is checked (the
    dead ones are replaced), so the second attempt runs on a live one: the first write after a
    restart succeeds. A failure to get a connection at all (the server is away), a timeout or
    any answer from the server itself is not retried: the caller hears it at once.
    """
    try:
        return work()
    except (eventsourcing.persistence.OperationalError, eventsourcing.persistence.InterfaceError) as lost:
        if not _dead_connection(lost):
            raise
        log.info("database_connections_checked", reason=str(lost)[:200])
        datastore.pool.check()
        return work()


def _dead_connection(error: BaseException) -> bool:
    cause = error.__cause__
    if isinstance(cause, psycopg_pool.PoolTimeout | psycopg_pool.TooManyRequests):
        return False
    if isinstance(cause, psycopg.InterfaceError):  # "the connection is closed"
        return True
    if isinstance(cause, psycopg.OperationalError):
        # No SQLSTATE: the connection itself broke; 57P01-57P03: the server ended the session.
        state = cause.sqlstate
        return state is None or state.startswith("57P")
    return False
