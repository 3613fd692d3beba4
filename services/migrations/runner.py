"""Applying the steps: the version tables, the schema lock, the order, and what is pending.

Every process that opens the database runs `migrate_platform`, and every process that opens a
province runs `migrate_province`: a schema already at the release's version costs two catalog
reads and takes no lock (a process starting beside others that serve writes rewrites nothing);
otherwise the pending steps run under the schema lock, each in its own transaction with its
version row, so processes starting at once apply each step exactly once. A schema recording a
version this release does not know (made by a newer release) is refused, never served.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, TypeVar

import psycopg
import structlog
from psycopg import sql
from psycopg.rows import tuple_row

from thidua.services.errors import ApplicationError
from thidua.services.migrations.platform_steps import PLATFORM_STEPS
from thidua.services.migrations.province_steps import PROVINCE_STEPS
from thidua.services.migrations.steps import PlatformContext, ProvinceContext, Step

log = structlog.get_logger()

# One creator of schemas at a time among every process sharing the database: two server
# processes starting at once each rewrote the same functions, and PostgreSQL answered "tuple
# concurrently updated" to one of them, which then died.
SCHEMA_LOCK = 7301
VERSION_TABLE = "schema_migrations"
PLATFORM_SCHEMA = "platform"

C = TypeVar("C")


class SchemaNewerThanRelease(ApplicationError):
    code = "SCHEMA_NEWER_THAN_RELEASE"


@dataclass(frozen=True)
class MigrationStatus:
    """Where one schema stands: the newest version it recorded (None: no version table, a
    database made before versioning), the release's newest, and the names of the steps to run."""

    schema: str
    version: int | None
    latest: int
    pending: tuple[str, ...]

    @property
    def current(self) -> bool:
        return self.version == self.latest


@contextmanager
def schema_lock(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Hold the schema lock for the block (`conn` in autocommit: a session lock)."""
    conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def migrate_platform(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the platform's pending steps; the names of those applied (`conn` in autocommit)."""
    if _status(conn, PLATFORM_SCHEMA, PLATFORM_STEPS).current:
        return []
    with schema_lock(conn):
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {PLATFORM_SCHEMA}")
        return apply_pending(conn, PLATFORM_SCHEMA, PLATFORM_STEPS, PlatformContext(conn))


def migrate_province(conn: psycopg.Connection[Any], province: str, schema: str, recorder: Any) -> list[str]:
    """Apply a province schema's pending steps; the names of those applied (`conn` in
    autocommit; `schema` is the registry's, derived from a validated code)."""
    if _status(conn, schema, PROVINCE_STEPS).current:
        return []
    with schema_lock(conn):
        context = ProvinceContext(conn, province, schema, recorder)
        return apply_pending(conn, schema, PROVINCE_STEPS, context)


def platform_status(conn: psycopg.Connection[Any]) -> MigrationStatus:
    return _status(conn, PLATFORM_SCHEMA, PLATFORM_STEPS, refuse_newer=False)


def province_status(conn: psycopg.Connection[Any], schema: str) -> MigrationStatus:
    return _status(conn, schema, PROVINCE_STEPS, refuse_newer=False)


def _table(schema: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(VERSION_TABLE))


def _recorded(conn: psycopg.Connection[Any], schema: str) -> set[int] | None:
    with conn.cursor(row_factory=tuple_row) as cursor:
        cursor.execute("SELECT to_regclass(format('%%I.%%I', %s::text, %s::text))", (schema, VERSION_TABLE))
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return None
        cursor.execute(sql.SQL("SELECT version FROM {}").format(_table(schema)))
        return {int(r[0]) for r in cursor.fetchall()}


def _status(
    conn: psycopg.Connection[Any], schema: str, steps: Sequence[Step[C]], *, refuse_newer: bool = True
) -> MigrationStatus:
    recorded = _recorded(conn, schema)
    latest = steps[-1].version
    newest = max(recorded) if recorded else (None if recorded is None else 0)
    if refuse_newer and newest is not None and newest > latest:
        raise SchemaNewerThanRelease(
            f"Lược đồ «{schema}» đã ở phiên bản {newest}, mới hơn bản phát hành này (phiên bản "
            f"{latest}): hãy chạy bản phát hành mới hơn.",
            schema=schema,
            version=newest,
            latest=latest,
        )
    pending = tuple(f"{s.version} {s.name}" for s in steps if recorded is None or s.version not in recorded)
    return MigrationStatus(schema, newest, latest, pending)


def apply_pending(
    conn: psycopg.Connection[Any], schema: str, steps: Sequence[Step[C]], context: C
) -> list[str]:
    """The version table, then each step not yet recorded, in order (the caller holds the
    schema lock)."""
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} ("
            "version int PRIMARY KEY, name text NOT NULL, release text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        ).format(_table(schema))
    )
    _status(conn, schema, steps)  # refuses a schema a newer release migrated meanwhile
    recorded = _recorded(conn, schema) or set()
    applied = []
    release = version("thidua")
    for step in steps:
        if step.version in recorded:
            continue
        with conn.transaction():
            step.apply(context)
            conn.execute(
                sql.SQL("INSERT INTO {} (version, name, release) VALUES (%s, %s, %s)").format(_table(schema)),
                (step.version, step.name, release),
            )
        log.info("migration_applied", schema=schema, version=step.version, step=step.name)
        applied.append(f"{step.version} {step.name}")
    return applied
