"""Switching a rebuilt province's rows into the live tables (hoán đổi bảng).

The live tables are shared by every province of the database, so the general switch deletes the
province's live rows and inserts the build's: every row passes through the live table's indexes
(the audit trail's GIN index among them) and is written a second time. When the province is the
only one a live table holds, the build table itself can become the live table instead: its
secondary indexes are built in bulk once the pass is over (before the switch, so readers are not
held), and the switch drops the old table and renames the build in its place (ACCESS EXCLUSIVE
for the few statements of the switch; readers then see the new rows, never a mix). A table with
statements of its own after isolation (e.g. a function bound to it) always takes the row copy.
"""

from __future__ import annotations

from typing import Any

import structlog

from thidua.projections.base import TableSpec
from thidua.projections.ddl import LIVE, SCHEMA, Target, isolate
from thidua.projections.names import quote_ident

log = structlog.get_logger()

# For the bulk index builds of a rebuild: PostgreSQL sorts in memory up to this, then on disk.
INDEX_BUILD_MEMORY = "256MB"


def can_rename(spec: TableSpec) -> bool:
    """Whether a build of this table may replace its live table (nothing else bound to it)."""
    return not spec.after_isolation


async def alone(conn: Any, spec: TableSpec, province: str) -> bool:
    """Whether the live table holds no other province's rows (two range probes of its key)."""
    live = LIVE.table(spec.name)
    other = await conn.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM {live} WHERE province < $1) "  # noqa: S608 - our table
        f"OR EXISTS (SELECT 1 FROM {live} WHERE province > $1)",
        province,
    )
    return not other


async def _bound(conn: Any, table: str) -> bool:
    """Whether views, functions or triggers depend on the table (a drop would take them along)."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM pg_depend WHERE refobjid = $1::regclass "
            "AND classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass, 'pg_trigger'::regclass))",
            table,
        )
    )


def _index_name(spec: TableSpec, target: Target, i: int) -> str:
    return f"{spec.name}{target.suffix}_ix{i}"


async def index_build(conn: Any, spec: TableSpec, target: Target) -> None:
    """Give a build table the live table's secondary indexes, built in bulk from its rows."""
    async with conn.transaction():
        await conn.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        for i, columns in enumerate(spec.indexes):
            index = quote_ident(_index_name(spec, target, i))
            how = columns if columns.startswith("USING ") else f"({columns})"
            await conn.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {target.table(spec.name)} {how}")


async def rename_into_live(conn: Any, spec: TableSpec, target: Target, province: str) -> bool:
    """Inside the switch's transaction: replace the live table by the (indexed) build table, if
    the live table still holds no other province's rows; False (nothing changed) otherwise."""
    live = LIVE.table(spec.name)
    await conn.execute(f"LOCK TABLE {live} IN ACCESS EXCLUSIVE MODE")
    if not await alone(conn, spec, province) or await _bound(conn, live):
        return False
    built = target.table(spec.name)
    pkey = await conn.fetchval(
        "SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'", built
    )
    await conn.execute(f"DROP TABLE {live}")
    await conn.execute(f"ALTER TABLE {built} SET SCHEMA {quote_ident(SCHEMA)}")
    moved = f"{quote_ident(SCHEMA)}.{quote_ident(spec.name + target.suffix)}"
    await conn.execute(f"ALTER TABLE {moved} RENAME TO {quote_ident(spec.name)}")
    if pkey is not None:
        await conn.execute(
            f"ALTER TABLE {live} RENAME CONSTRAINT {quote_ident(pkey)} TO {quote_ident(spec.name + '_pkey')}"
        )
    for i in range(len(spec.indexes)):
        await conn.execute(
            f"ALTER INDEX {quote_ident(SCHEMA)}.{quote_ident(_index_name(spec, target, i))} "
            f"RENAME TO {quote_ident(f'{spec.name}_ix{i}')}"
        )
    for statement in isolate(spec.name):
        await conn.execute(statement)
    log.debug("projection_table_renamed", province=province, table=spec.name)
    return True
