"""Floors (mức sàn): the same work done the fastest way PostgreSQL allows, in the same run.

- `insert_floor`: one-row insert transactions, sequential, into an events-like table taking the
  same EXCLUSIVE table lock as eventsourcing, in one round trip per event (a server-side
  function in autocommit, as fast as a client can go while committing each event);
- `copy_floor`: the same rows as a bulk write, one transaction per request's batch (lock + COPY);
- `read_floor`: every row of an events table read with asyncpg, decoded, in batches;
- `copy_readmodel_floor`: a rebuild's final read-model rows COPYed into fresh tables of the same
  shape (with `read_floor`, the fair floor of a rebuild: every event read, every result written).

The floor table has the columns, keys and hash-chain trigger of a province's `ledger_events`
(`services.ledger_chain`): the chain is work the product must do, so the floor does it too.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from thidua.services.database import ConnectionParams
from thidua.services.ledger_chain import chain_ddl

FLOOR_SCHEMA = "bench_floor"
COLUMNS = ("originator_id", "originator_version", "topic", "state")

Row = tuple[uuid.UUID, int, str, bytes]


@dataclass
class FloorResult:
    rows: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def _events(schema: str) -> str:
    return f'"{schema}"."ledger_events"'


async def create_floor_table(
    conn: asyncpg.Connection, schema: str = FLOOR_SCHEMA, *, chain: bool = True
) -> str:
    """A fresh events-like table shaped like eventsourcing's, with our chain trigger; its name."""
    table = _events(schema)
    await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    await conn.execute(f"CREATE SCHEMA {schema}")
    await conn.execute(
        f"CREATE TABLE {table} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
        "topic text, state bytea, notification_id bigserial, "
        "PRIMARY KEY (originator_id, originator_version))"
    )
    await conn.execute(f"CREATE UNIQUE INDEX ON {table} (notification_id ASC)")
    if chain:
        for statement in chain_ddl(schema):
            await conn.execute(statement)
    await conn.execute(
        f"""
        CREATE FUNCTION {schema}.insert_one(uuid, bigint, text, bytea) RETURNS bigint
        LANGUAGE plpgsql AS $fn$
        DECLARE position bigint;
        BEGIN
            LOCK TABLE {table} IN EXCLUSIVE MODE;
            INSERT INTO {table} (originator_id, originator_version, topic, state)
                VALUES ($1, $2, $3, $4) RETURNING notification_id INTO position;
            RETURN position;
        END
        $fn$
        """
    )
    return table


async def insert_floor(
    conn: asyncpg.Connection,
    templates: Sequence[Row],
    *,
    duration: float,
    max_rows: int = 1_000_000,
    schema: str = FLOOR_SCHEMA,
) -> FloorResult:
    """Sequential one-event transactions for `duration` s, cycling through `templates`
    (topics and payloads taken from the product's own events, each under a fresh id)."""
    await create_floor_table(conn, schema)
    statement = await conn.prepare(f"SELECT {schema}.insert_one($1, $2, $3, $4)")
    latencies: list[float] = []
    count = 0
    started = time.perf_counter()
    stop_at = started + duration
    while count < max_rows:
        began = time.perf_counter()
        if began >= stop_at:
            break
        _, version, topic, state = templates[count % len(templates)]
        await statement.fetchval(uuid.uuid4(), version, topic, state)
        latencies.append(time.perf_counter() - began)
        count += 1
    return FloorResult(count, time.perf_counter() - started, latencies)


async def copy_floor(conn: asyncpg.Connection, batches: Sequence[Sequence[Row]]) -> FloorResult:
    """Each batch in its own transaction: EXCLUSIVE lock, then COPY of its rows."""
    events = await create_floor_table(conn)
    latencies: list[float] = []
    rows = 0
    started = time.perf_counter()
    for batch in batches:
        began = time.perf_counter()
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {events} IN EXCLUSIVE MODE")
            await conn.copy_records_to_table(
                "ledger_events", schema_name=FLOOR_SCHEMA, columns=COLUMNS, records=batch
            )
        latencies.append(time.perf_counter() - began)
        rows += len(batch)
    return FloorResult(rows, time.perf_counter() - started, latencies)


async def insert_floor_parallel(
    params: ConnectionParams, templates: Sequence[Row], *, tables: int, duration: float
) -> FloorResult:
    """`tables` sequential inserters at once, each on its own table (one per province)."""
    conns = [await asyncpg.connect(**params.asyncpg_kwargs()) for _ in range(tables)]
    try:
        parts = await asyncio.gather(
            *(
                insert_floor(conn, templates, duration=duration, schema=f"{FLOOR_SCHEMA}_{n}")
                for n, conn in enumerate(conns)
            )
        )
    finally:
        for conn in conns:
            await conn.close()
    latencies = [x for part in parts for x in part.latencies]
    return FloorResult(sum(p.rows for p in parts), max(p.seconds for p in parts), latencies)


async def read_floor(conn: asyncpg.Connection, table: str, *, batch: int = 10_000) -> FloorResult:
    """Read and decode every row of `table` (quoted, qualified) in position order."""
    rows = 0
    started = time.perf_counter()
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        cursor = await conn.cursor(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {table} ORDER BY notification_id"
        )
        while chunk := await cursor.fetch(batch):
            rows += len(chunk)
    return FloorResult(rows, time.perf_counter() - started)


async def sample_rows(
    conn: asyncpg.Connection, table: str, *, after: int = 0, limit: int = 5000
) -> list[Row]:
    """Rows the product recorded (after a position), used as the floors' payloads."""
    records = await conn.fetch(
        "SELECT originator_id, originator_version, topic, state "
        f"FROM {table} WHERE notification_id > $1 ORDER BY notification_id LIMIT $2",
        after,
        limit,
    )
    return [(r[0], int(r[1]), str(r[2]), bytes(r[3])) for r in records]


READMODEL_FLOOR_SCHEMA = "bench_floor_readmodel"


@dataclass(frozen=True)
class ReadModelTable:
    """A read-model table to copy: its live name, column definitions and secondary indexes."""

    name: str
    body: str
    indexes: tuple[str, ...] = ()


async def copy_readmodel_floor(
    conn: asyncpg.Connection, province: str, tables: Sequence[ReadModelTable], scratch: Path
) -> FloorResult:
    """COPY a province's final read-model rows into fresh tables shaped like the live ones (same
    columns, keys and secondary indexes), all in one transaction; `rows` counts the rows copied.

    The rows are first written to binary files under `scratch` (not timed), so the timed part is
    what a rebuild cannot avoid: PostgreSQL parsing, storing and indexing every final row once.
    """
    await asyncio.to_thread(scratch.mkdir, parents=True, exist_ok=True)
    await conn.execute(f"DROP SCHEMA IF EXISTS {READMODEL_FLOOR_SCHEMA} CASCADE")
    await conn.execute(f"CREATE SCHEMA {READMODEL_FLOOR_SCHEMA}")
    files: list[tuple[ReadModelTable, Path]] = []
    try:
        for table in tables:
            path = scratch / f"{table.name}.copy"
            await conn.copy_from_query(
                f'SELECT * FROM readmodel."{table.name}" WHERE province = $1',
                province, output=path, format="binary",
            )
            await conn.execute(f'CREATE TABLE {READMODEL_FLOOR_SCHEMA}."{table.name}" ({table.body})')
            for i, columns in enumerate(table.indexes):
                spec = columns if columns.startswith("USING ") else f"({columns})"
                await conn.execute(
                    f'CREATE INDEX "{table.name}_fx{i}" ON {READMODEL_FLOOR_SCHEMA}."{table.name}" {spec}'
                )
            files.append((table, path))
        rows = 0
        started = time.perf_counter()
        async with conn.transaction():
            for table, path in files:
                status = await conn.copy_to_table(
                    table.name, schema_name=READMODEL_FLOOR_SCHEMA, source=path, format="binary"
                )
                rows += int(status.split()[-1])
        seconds = time.perf_counter() - started
    finally:
        for _, path in files:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        await conn.execute(f"DROP SCHEMA IF EXISTS {READMODEL_FLOOR_SCHEMA} CASCADE")
    return FloorResult(rows, seconds)
