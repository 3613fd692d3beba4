"""The served app answers health, readiness and GraphQL over real HTTP."""

from __future__ import annotations

import time

import httpx
import psycopg

from tests.conftest import ServedApp
from thidua.projections.catalogue import all_projections
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry


def test_health_and_ready_answer(served_app: ServedApp) -> None:
    health = httpx.get(f"{served_app.url}/health")
    assert health.json() == {"status": "ok"}
    assert health.headers["x-request-id"]
    ready = httpx.get(f"{served_app.url}/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "lag": 0}


def test_graphql_introspection_and_viewer(served_app: ServedApp) -> None:
    token = served_app.token("nghe-an", "auditor", user="thanh-tra-1")
    response = httpx.post(
        f"{served_app.url}/graphql",
        json={"query": "{ __schema { queryType { name } } viewer { subject province roles } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    assert body["data"]["viewer"] == {
        "subject": "thanh-tra-1",
        "province": "nghe-an",
        "roles": ["auditor"],
    }


def test_a_token_signed_with_another_key_identifies_nobody(served_app: ServedApp) -> None:
    from thidua.services.auth import issue_token

    forged = issue_token(
        "another-secret-that-is-long-enough-000000", subject="x", province="nghe-an", roles=["province_admin"]
    )
    response = httpx.post(
        f"{served_app.url}/graphql",
        json={"query": "{ viewer { subject } }"},
        headers={"Authorization": f"Bearer {forged}"},
    )
    assert response.json()["data"]["viewer"] is None


def test_ready_tells_provinces_and_heads_only_to_a_platform_operator(
    served_app: ServedApp, database: ConnectionParams
) -> None:
    registry = ProvinceRegistry(database)
    for code in ("nghe-an", "ha-tinh"):
        registry.create_province(code, code, created_by="op")
    registry.close()
    ready = f"{served_app.url}/ready"
    anonymous = httpx.get(ready)
    admin = httpx.get(ready, headers=_bearer(served_app.token("nghe-an", "province_admin")))
    forged = httpx.get(ready, headers={"authorization": "Bearer not-a-token"})
    for answer in (anonymous, admin, forged):
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"status": "ready", "lag": 0}
        assert "nghe-an" not in answer.text
        assert answer.headers["cache-control"] == "no-store"
    operator = httpx.get(ready, headers=_bearer(served_app.token(None, "platform_operator")))
    body = operator.json()
    assert body["status"] == "ready"
    assert body["database"] == "ok"
    assert set(body["provinces"]) == {"nghe-an", "ha-tinh"}
    assert body["provinces"]["nghe-an"]["head"] == 0
    assert set(body["provinces"]["nghe-an"]["lag"]) == {p.name for p in all_projections()}


def test_ready_means_the_database_takes_writes(served_app: ServedApp, database: ConnectionParams) -> None:
    """A server that answers SELECT 1 but refuses writes (read only, as a standby or a full disk
    leaves it) is not ready."""
    _set_read_only(database, True)
    try:
        answers = []
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            answers.append(httpx.get(f"{served_app.url}/ready", timeout=10))
            time.sleep(0.1)
        assert {a.status_code for a in answers} == {503}, [a.text for a in answers]
        assert answers[-1].json() == {"status": "not_ready", "lag": None}
    finally:
        _set_read_only(database, False)
    deadline = time.monotonic() + 10
    while httpx.get(f"{served_app.url}/ready", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "ready again once writes are taken"
        time.sleep(0.1)


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _set_read_only(database: ConnectionParams, on: bool) -> None:
    """Make new sessions of the database read only (or not), and end the app's sessions so that
    its pools reconnect under the new default."""
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = off")  # this session may still write
        setting = "SET default_transaction_read_only = on" if on else "RESET default_transaction_read_only"
        conn.execute(f'ALTER DATABASE "{database.dbname}" {setting}')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
