"""/metrics in Prometheus' format: requests by operation and outcome, latencies, events written,
projection lag per province, pool use; the operators' token; and every server process counted
when `thidua serve --workers 2` shares the port. The access log carries each request's duration.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.faults.load import register
from tests.hostile.served import ServedProcess
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

PROVINCE = "do-dem"  # a province of these tests only: the in-thread apps share the process's counters
METRICS_TOKEN = "operators-scrape-token-0123456789"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, by name and sorted labels (the parser rejects bad text)."""
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def with_provinces(server: ConnectionParams, *codes: str) -> ConnectionParams:
    params = create_database(server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    for code in codes:
        registry.create_province(code, f"Tỉnh {code}", created_by="op")
    registry.close()
    return params


@pytest.fixture
def metered(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    params = with_provinces(pg_server, PROVINCE, "ha-tinh")
    app = ServedApp(conftest.test_settings(THIDUA_METRICS_TOKEN=METRICS_TOKEN), params)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        drop_database(pg_server, params)


def scrape(url: str, token: str | None = METRICS_TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{url}/metrics", headers=headers, timeout=10)


def test_metrics_count_operations_outcomes_events_lag_and_pools(metered: ServedApp) -> None:
    before = samples(scrape(metered.url).text)
    admin = metered.token(PROVINCE, "province_admin")
    with httpx.Client() as client:
        for unit in ("so-gd", "so-yt", "so-tc"):
            assert register(client, metered.url, admin, unit).ok
        refused = client.post(
            f"{metered.url}/graphql",
            json={"query": "{ auditTrail(first: 1) { edges { cursor } } }"},
            headers={"Authorization": f"Bearer {metered.token(PROVINCE, 'unit_clerk', unit='so-gd')}"},
        )
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    answer = scrape(metered.url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    found = samples(answer.text)

    def grew(name: str, **labels: str) -> float:
        return value(found, name, **labels) - value(before, name, **labels)

    operations = "thidua_graphql_operations_total"
    assert grew(operations, operation="registerUnit", kind="mutation", outcome="ok") == 3
    assert grew(operations, operation="auditTrail", kind="query", outcome="FORBIDDEN") == 1
    durations = "thidua_graphql_request_duration_seconds_count"
    assert grew(durations, operation="registerUnit", kind="mutation") == 3
    assert grew("thidua_http_requests_total", route="/graphql", method="POST", status="200") == 4
    assert grew("thidua_http_request_duration_seconds_sum", route="/graphql") > 0
    head = value(found, "thidua_ledger_head_position", province=PROVINCE)
    assert head >= 3
    assert value(found, "thidua_events_written_total", province=PROVINCE) == head
    # Projection lag per province and projection, as the database has it (each one listed).
    lagged = {labels for (name, labels) in found if name == "thidua_projection_lag_events"}
    assert (("projection", "audit"), ("province", "ha-tinh")) in lagged
    assert (("projection", "standings"), ("province", PROVINCE)) in lagged
    assert value(found, "thidua_pool_connections", pool="read", province="", state="max") == 10
    assert value(found, "thidua_pool_connections", pool="write", province=PROVINCE, state="open") >= 1


def test_metrics_need_the_operators_token_when_one_is_set(metered: ServedApp) -> None:
    assert scrape(metered.url, token=None).status_code == 401
    assert scrape(metered.url, token="operators-scrape-token-WRONG00000").status_code == 401
    caller = metered.token(PROVINCE, "province_admin")  # a user's token is not the operators'
    assert scrape(metered.url, token=caller).status_code == 401
    assert scrape(metered.url).status_code == 200


def test_two_server_processes_are_counted_as_one_service(database: ConnectionParams, tmp_path: Path) -> None:
    registry = ProvinceRegistry(database)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Đo Đếm", created_by="op")
    registry.close()
    served = ServedProcess(database, tmp_path / "app.log", THIDUA_WORKERS="2")
    served.start()
    served.wait_started(2)
    units = [f"don-vi-{i:02d}" for i in range(24)]
    try:
        token = served.token(PROVINCE, "province_admin")
        # A connection per request, so that both processes accept some of them.
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(limits=fresh) as client, ThreadPoolExecutor(8) as pool:
            assert all(a.ok for a in pool.map(lambda u: register(client, served.url, token, u), units))
        time.sleep(0.2)
        # Each scrape is a new connection, answered by either process: each must see all of them.
        for _ in range(6):
            found = samples(scrape(served.url, token=None).text)
            assert value(
                found,
                "thidua_graphql_operations_total",
                operation="registerUnit",
                kind="mutation",
                outcome="ok",
            ) == len(units)
            assert value(found, "thidua_events_written_total", province=PROVINCE) == value(
                found, "thidua_ledger_head_position", province=PROVINCE
            )
        lines = [line for line in served.log_lines() if line.get("event") == "http_request"]
        writes = [line for line in lines if line.get("operation") == "registerUnit"]
        assert len(writes) == len(units)
        assert all(line["duration_ms"] > 0 and line["status"] == 200 for line in writes)
        assert all(line["request_id"] for line in writes)
        assert {line["province"] for line in writes} == {PROVINCE}
        assert len({line["pid"] for line in writes}) == 2, "both processes served writes"
    finally:
        assert served.stop() == 0
