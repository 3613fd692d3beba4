"""Upgrade: the keys of the former shared table move into their province's own table.

Before keys were recorded with the events (`services.idempotency`), they lived in one table for
every province, `platform.idempotency_keys`, keyed by province and key, and were claimed as
"pending" before the command ran. Each province's rows move the first time its event store is
opened; the former table is dropped once empty.
"""

from __future__ import annotations

from typing import Any

import psycopg
import structlog
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from thidua.services.idempotency import TABLE

log = structlog.get_logger()

FORMER_EXISTS = "SELECT to_regclass('platform.idempotency_keys') IS NOT NULL"


def migrate_platform_keys(conn: psycopg.Connection[Any], province: str, schema: str) -> int:
    """Move this province's keys into its own table, in the caller's transaction. A key left
    pending (its command may or may not have recorded) becomes `unknown`: it answers
    IDEMPOTENCY_OUTCOME_UNKNOWN, never runs its command a second time."""
    with conn.cursor(row_factory=tuple_row) as cursor:
        cursor.execute(FORMER_EXISTS)
        if not _flag(cursor):
            return 0
        # Several server processes open their provinces at once: one moves at a time, and one
        # that waited sees the table its predecessor dropped is gone.
        cursor.execute("SELECT pg_advisory_xact_lock(7303)")
        cursor.execute(FORMER_EXISTS)
        if not _flag(cursor):
            return 0
        cursor.execute(
            SQL(
                "WITH moved AS (DELETE FROM platform.idempotency_keys WHERE province = %s "
                "RETURNING key, operation, request_hash, subject, state, outcome, created_at) "
                "INSERT INTO {schema}.{table} "
                "(subject, key, operation, request_hash, state, outcome, recorded_at) "
                "SELECT subject, key, operation, request_hash, "
                "CASE WHEN state = 'done' THEN 'done' ELSE 'unknown' END, "
                "CASE WHEN state = 'done' THEN outcome END, created_at FROM moved"
            ).format(schema=Identifier(schema), table=Identifier(TABLE)),
            (province,),
        )
        moved = cursor.rowcount
        cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM platform.idempotency_keys)")
        if _flag(cursor):
            cursor.execute("DROP TABLE platform.idempotency_keys")
    if moved:
        log.info("idempotency_keys_migrated", province=province, keys=moved)
    return moved


def _flag(cursor: psycopg.Cursor[tuple[Any, ...]]) -> bool:
    row = cursor.fetchone()
    return bool(row and row[0])
