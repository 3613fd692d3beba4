"""The served app answers health, readiness and GraphQL over real HTTP."""

from __future__ import annotations

import httpx

from tests.conftest import ServedApp


def test_health_and_ready_answer(served_app: ServedApp) -> None:
    health = httpx.get(f"{served_app.url}/health")
    assert health.json() == {"status": "ok"}
    assert health.headers["x-request-id"]
    ready = httpx.get(f"{served_app.url}/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["database"] == "ok"


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
