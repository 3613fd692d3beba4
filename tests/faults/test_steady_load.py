"""Under a steady load (bounded: a fixed number of requests, loopback only), the server's memory
stays flat after warm-up and no database connection leaks."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import create_database, drop_database
from tests.faults.load import register
from tests.hostile import figures
from tests.hostile.served import ServedProcess
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"
WARM_UP = 400
LOAD = 2000
CLIENTS = 4
TIME_BOUND_S = 120
RSS_GROWTH_LIMIT_KIB = 40 * 1024  # flat: allocator noise and caches, not a leak per request
READ = "query { auditTrail(first: 20) { edges { node { position eventType summary } } } viewer { subject } }"


def _connections(params: ConnectionParams) -> int:
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (params.dbname,),
        ).fetchone()
    return int(row[0]) if row else 0


def _run(requests: int, job: Callable[[int], bool], deadline: float) -> int:
    """`requests` calls of `job` from CLIENTS threads; returns how many failed."""
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda i: time.monotonic() < deadline and job(i), range(requests)))
    return sum(not r for r in results)


@pytest.mark.slow
def test_memory_stays_flat_and_no_connection_leaks_under_steady_load(
    pg_server: ConnectionParams, private_dir: Path
) -> None:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    registry.close()
    served = ServedProcess(params, private_dir / "app.log")
    served.start()
    admin = served.token(PROVINCE, "province_admin")
    auditor = served.token(PROVINCE, "auditor")
    deadline = time.monotonic() + TIME_BOUND_S
    try:
        with httpx.Client(limits=httpx.Limits(max_connections=CLIENTS)) as client:

            def job(i: int) -> bool:
                if i % 4 == 0:  # one write in four, the rest reads
                    return register(client, served.url, admin, f"u-{i}-{time.monotonic_ns()}").ok
                response = client.post(
                    f"{served.url}/graphql",
                    json={"query": READ},
                    headers={"Authorization": f"Bearer {auditor}"},
                    timeout=30,
                )
                return response.status_code == 200 and not response.json().get("errors")

            assert _run(WARM_UP, job, deadline) == 0
            time.sleep(1)
            rss_before, conns_before = served.rss_kib(), _connections(params)
            failed = _run(LOAD, job, deadline)
            time.sleep(1)
            rss_after, conns_after = served.rss_kib(), _connections(params)
        assert time.monotonic() < deadline, "the load did not finish within its time bound"
        figures.measure("load_requests", LOAD)
        figures.measure("load_rss_growth_mib", (rss_after - rss_before) / 1024)
        figures.measure("load_rss_after_warmup_mib", rss_before / 1024)
        figures.measure("load_db_connections_before", conns_before)
        figures.measure("load_db_connections_after", conns_after)
        assert failed == 0
        assert rss_after - rss_before < RSS_GROWTH_LIMIT_KIB, (rss_before, rss_after)
        assert conns_after <= conns_before + 1, (conns_before, conns_after)
    finally:
        served.stop()
        drop_database(pg_server, params)
