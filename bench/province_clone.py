"""Provinces cloned from one generated through the domain (tỉnh nhân bản), for the cases that
need many provinces, or several large ones, in minutes rather than hours.

A template province is written once through the domain (`bench.datagen`, the services commands)
and its read models are rebuilt by the product's projections. Each clone is then made by SQL in
the same database: the template's events are copied in order into the clone's own ledger with
every aggregate id re-derived for the clone's code (`domain.ids.aggregate_id` is a uuid5 of
"province/kind/key"), and the template's code replaced by the clone's in the payloads; the
clone's chain trigger hashes each row as it arrives, so the clone's ledger verifies like any
other. The read-model rows are copied the same way (ids mapped, the code replaced), with the
tracking positions, which stay valid because the clone's positions are the template's.

What a clone cannot say: ids of other aggregates written inside a payload keep the template's
value (the product reads them by natural key, not by those ids), and hashes shown in read models
are the template's. Neither changes what a query costs.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import asyncpg

from thidua.domain import ids
from thidua.domain.ids import PROJECT_NAMESPACE
from thidua.services.tenancy import schema_for

CLONE_VERSION = 1  # bump when what a clone holds changes: cached databases are then rebuilt
NAMES_TABLE = "bench_meta.template_names"


@contextlib.contextmanager
def recording_names(template: str, into: set[str]) -> Iterator[None]:
    """Collects the "province/kind/key" names of every aggregate id derived for `template`
    while generating it (the only way back from an id to what it names)."""
    original = ids.uuid5  # type: ignore[attr-defined]
    prefix = f"{template}/"

    def recording(namespace: uuid.UUID, name: str) -> uuid.UUID:
        if namespace == PROJECT_NAMESPACE and name.startswith(prefix):
            into.add(name[len(prefix) :])
        return original(namespace, name)

    ids.uuid5 = recording  # type: ignore[attr-defined]
    try:
        yield
    finally:
        ids.uuid5 = original  # type: ignore[attr-defined]


async def store_names(conn: asyncpg.Connection, names: set[str]) -> None:
    await conn.execute("CREATE SCHEMA IF NOT EXISTS bench_meta")
    await conn.execute(f"CREATE TABLE IF NOT EXISTS {NAMES_TABLE} (name text PRIMARY KEY)")
    await conn.copy_records_to_table(
        "template_names", schema_name="bench_meta", records=[(n,) for n in sorted(names)]
    )


async def _id_map(conn: asyncpg.Connection, template: str, clone: str) -> None:
    """`pg_temp.clone_ids(old, new)`: the template's aggregate ids and the clone's."""
    names = [r["name"] for r in await conn.fetch(f"SELECT name FROM {NAMES_TABLE}")]
    await conn.execute("DROP TABLE IF EXISTS pg_temp.clone_ids")
    await conn.execute("CREATE TEMP TABLE clone_ids (old uuid PRIMARY KEY, new uuid NOT NULL)")
    await conn.copy_records_to_table(
        "clone_ids",
        records=[
            (uuid.uuid5(PROJECT_NAMESPACE, f"{template}/{n}"), uuid.uuid5(PROJECT_NAMESPACE, f"{clone}/{n}"))
            for n in names
        ],
    )
    await conn.execute("ANALYZE pg_temp.clone_ids")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column_expr(name: str, data_type: str, template: str, clone: str) -> str:
    col = f'src."{name}"'
    t, c = _literal(template), _literal(clone)
    if name == "province":
        return c
    if data_type == "uuid":
        return f"coalesce((SELECT new FROM pg_temp.clone_ids WHERE old = {col}), {col})"
    if data_type in ("text", "character varying"):
        return f"replace({col}, {t}, {c})"
    if data_type == "jsonb":
        return f"replace({col}::text, {t}, {c})::jsonb"
    if data_type == "json":
        return f"replace({col}::text, {t}, {c})::json"
    return col


async def _readmodel_tables(conn: asyncpg.Connection) -> dict[str, list[tuple[str, str]]]:
    """readmodel tables with a `province` column: their copyable columns (not generated, not
    drawn from a sequence) and types."""
    rows = await conn.fetch(
        """
        SELECT c.table_name, c.column_name, c.data_type
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'readmodel' AND t.table_type = 'BASE TABLE'
          AND c.is_generated = 'NEVER' AND c.identity_generation IS NULL
          AND coalesce(c.column_default, '') NOT LIKE 'nextval(%'
        ORDER BY c.table_name, c.ordinal_position
        """
    )
    tables: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        tables.setdefault(r["table_name"], []).append((r["column_name"], r["data_type"]))
    return {name: cols for name, cols in tables.items() if any(c == "province" for c, _ in cols)}


async def clone_province(conn: asyncpg.Connection, template: str, clone: str) -> int:
    """Copy the template's events and read-model rows into `clone` (created empty beforehand);
    the events copied."""
    source, target = schema_for(template), schema_for(clone)
    existing = await conn.fetchval(f'SELECT count(*) FROM "{target}"."ledger_events"')
    if existing:
        msg = f"clone {clone} is not empty ({existing} events)"
        raise RuntimeError(msg)
    await _id_map(conn, template, clone)
    t, c = _literal(template), _literal(clone)
    async with conn.transaction():
        status = await conn.execute(
            f"""
            INSERT INTO "{target}"."ledger_events" (originator_id, originator_version, topic, state)
            SELECT coalesce(m.new, e.originator_id), e.originator_version, e.topic,
                   convert_to(replace(convert_from(e.state, 'UTF8'), {t}, {c}), 'UTF8')
            FROM "{source}"."ledger_events" e LEFT JOIN pg_temp.clone_ids m ON m.old = e.originator_id
            ORDER BY e.notification_id
            """
        )
        for table, columns in (await _readmodel_tables(conn)).items():
            names = ", ".join(f'"{n}"' for n, _ in columns)
            exprs = ", ".join(_column_expr(n, d, template, clone) for n, d in columns)
            await conn.execute(
                f'INSERT INTO readmodel."{table}" ({names}) SELECT {exprs} '
                f'FROM readmodel."{table}" src WHERE src.province = {t}'
            )
    return int(status.split()[-1])
