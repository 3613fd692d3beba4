"""How long `thidua ledger verify` takes on a big province (default: one million events).

    .venv/bin/python bench/ledger_verify.py --url postgresql://postgres@127.0.0.1:5432/postgres \
        --events 1000000 [--roundtrip]

Creates a throwaway database on that server, a province in it, appends N generic events in
batches through the chain trigger (as the application would, minus the Python side), then times
`verify_ledger` and drops the database. With --roundtrip it also times `export_history` to a
temporary file and `import_history` into a second database, and checks the heads are equal.
Without --url an embedded PostgreSQL is started.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import psycopg

from thidua.services.database import ConnectionParams, EmbeddedPostgres
from thidua.services.history_export import export_history
from thidua.services.history_import import check_history_file, import_history
from thidua.services.ledger import ledger_head, verify_ledger
from thidua.services.registry import ProvinceRegistry

BATCH = 100_000


def fill(params: ConnectionParams, events: int) -> float:
    """Append `events` rows of about 200 bytes of JSON each; return the seconds it took."""
    started = time.monotonic()
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        for low in range(0, events, BATCH):
            high = min(low + BATCH, events)
            conn.execute(
                "INSERT INTO p_bench.ledger_events (originator_id, originator_version, topic, state) "
                "SELECT gen_random_uuid(), 1, 'thidua.domain.bench:Generated.Happened', "
                "convert_to(json_build_object('n', n, 'actor_user', 'clerk-' || (n %% 97), "
                "'actor_role', 'unit_clerk', 'effective_on', '2025-06-30', "
                "'note', repeat('sự kiện ', 12))::text, 'UTF8') "
                "FROM generate_series(%s, %s) AS n",
                (low + 1, high),
            )
            print(f"  appended {high:>9,} events ({time.monotonic() - started:.0f} s)")
    return time.monotonic() - started


async def export_to(params: ConnectionParams, path: Path) -> float:
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **params.asyncpg_kwargs())
    try:
        with path.open("wb") as out:
            summary = await export_history(pool, "bench", out)
    finally:
        await pool.close()
    size = path.stat().st_size  # noqa: ASYNC240 - once, after the export
    print(f"export: {summary.events:,} events in {summary.seconds:.1f} s, {size / 1e6:,.0f} MB")
    return summary.seconds


def roundtrip(server: ConnectionParams, params: ConnectionParams) -> None:
    name = f"thidua_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = server.with_dbname(name)
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
            path = Path(tmp) / "bench.ndjson"
            asyncio.run(export_to(params, path))
            started = time.monotonic()
            checked = check_history_file(path)
            check_seconds = time.monotonic() - started
            registry = ProvinceRegistry(target)
            registry.ensure_platform_schema()
            try:
                summary = import_history(registry, path)
            finally:
                registry.close()
        print(f"import: {summary.events:,} events in {summary.seconds:.1f} s "
              f"(of which the file check {check_seconds:.1f} s)")
        print(f"import: head {summary.head_hash}@{summary.head_position} "
              f"{'equals' if summary.head_hash == checked.head_hash else 'DIFFERS FROM'} the file's")
    finally:
        with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def measure(params: ConnectionParams) -> None:
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **params.asyncpg_kwargs())
    try:
        started = time.monotonic()
        report = await verify_ledger(pool, "bench")
        elapsed = time.monotonic() - started
        head = await ledger_head(pool, "bench")
    finally:
        await pool.close()
    rate = report.events_checked / elapsed if elapsed else 0.0
    print(f"verify: {report.summary()}")
    print(f"verify: {report.events_checked:,} events in {elapsed:.2f} s ({rate:,.0f} events/s)")
    print(f"head:   {head.checkpoint}")


def run(server: ConnectionParams, events: int, with_roundtrip: bool) -> None:
    name = f"thidua_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = server.with_dbname(name)
    try:
        registry = ProvinceRegistry(params)
        registry.ensure_platform_schema()
        registry.create_province("bench", "Tỉnh thử tải", created_by="bench")
        registry.close()
        seconds = fill(params, events)
        print(f"fill:   {events:,} events in {seconds:.1f} s")
        with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
            size = conn.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('p_bench.ledger_events'))"
            ).fetchone()
        print(f"table:  {size[0] if size else '?'}")
        asyncio.run(measure(params))
        if with_roundtrip:
            roundtrip(server, params)
    finally:
        with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", help="a PostgreSQL server (its maintenance database)")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--roundtrip", action="store_true", help="also time export and import")
    args = parser.parse_args()
    if args.url:
        run(ConnectionParams.from_url(args.url), args.events, args.roundtrip)
        return
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        embedded = EmbeddedPostgres(Path(tmp))
        try:
            run(embedded.start(), args.events, args.roundtrip)
        finally:
            embedded.stop()


if __name__ == "__main__":
    main()
