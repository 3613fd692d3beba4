"""Exactly once across a crash: SIGKILL the worker mid-batch, restart it, compare with a rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import asyncpg
import psycopg
from eventsourcing.domain import Aggregate, event

from thidua.projections.audit.projection import AuditTrail
from thidua.projections.rebuild import verify
from thidua.services.database import ConnectionParams
from thidua.services.projection_host import decoder_for
from thidua.services.registry import ProvinceRegistry

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EVENTS = 30_000

# The worker runs in another process; it imports this module by name to decode Tick events.
# pytest may import it as `test_projections_crash` or `tests.integration...`: use its own name.
WORKER = (
    "import importlib, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; "
    "importlib.import_module(sys.argv[3]); "
    "from thidua.app.cli import cli; "
    "cli(sys.argv[4:])"
)


class Ticker(Aggregate):
    """A throwaway aggregate: only text fields, so any application can decode it."""

    class Ticked(Aggregate.Event):
        unit: str
        n: int

    def __init__(self) -> None:
        self.count = 0

    @event(Ticked)
    def tick(self, unit: str, n: int) -> None:
        self.count = n


def _url(params: ConnectionParams) -> str:
    auth = params.user + (f":{quote(params.password)}" if params.password else "")
    return f"postgresql://{auth}@localhost:{params.port}/{params.dbname}?host={quote(params.host)}"


def _start_worker(params: ConnectionParams) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _url(params),
        "THIDUA_ENV": "test",
        "THIDUA_LOG_FORMAT": "json",
    }
    command = ["projections", "run", "--batch", "1500"]
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(ROOT), str(HERE), __name__, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _writing_batch_in_progress(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    """The worker's backend is inside a transaction that has already written rows."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = 'thidua-projections' AND backend_xid IS NOT NULL "
        "AND (query LIKE 'COPY %' OR query LIKE 'UPDATE readmodel.tracking %')"
    ).fetchone()
    return bool(row and row[0])


def _position(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    row = conn.execute(
        "SELECT coalesce(max(position), 0) FROM readmodel.tracking "
        "WHERE province = 'nghe-an' AND projection = 'audit'"
    ).fetchone()
    return int(row[0]) if row else 0  # type: ignore[call-overload]


def _wait(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.002)
    return False


async def test_killing_the_worker_mid_batch_neither_loses_nor_repeats_an_event(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    for i in range(EVENTS // 100):
        ticker = Ticker()
        for n in range(99):
            ticker.tick(unit=f"u{i % 7}", n=n)
        app.save(ticker)

    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as watch:
        worker = _start_worker(database)
        try:
            assert _wait(lambda: _writing_batch_in_progress(watch), 60), "no batch seen"
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
        killed_at = _position(watch)
        assert 0 <= killed_at < EVENTS, "the kill must land before the end"
        # The killed transaction is rolled back: rows and position still agree.
        rows = watch.execute(
            "SELECT count(*), coalesce(max(position), 0) FROM readmodel.audit_trail_v2"
        ).fetchone()
        assert rows == (killed_at, killed_at)

        worker = _start_worker(database)
        try:
            assert _wait(lambda: _position(watch) == EVENTS, 120), "the restart did not catch up"
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=20)
        count, distinct = watch.execute(
            "SELECT count(*), count(DISTINCT position) FROM readmodel.audit_trail_v2"
        ).fetchone() or (0, 0)
        assert count == distinct == EVENTS

    pool = await asyncpg.create_pool(min_size=1, max_size=2, **database.asyncpg_kwargs())
    try:
        checked = await verify(pool, "nghe-an", AuditTrail(), decoder_for(registry, "nghe-an"))
    finally:
        await pool.close()
    assert checked.identical
