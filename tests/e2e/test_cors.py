"""CORS (THIDUA_CORS_ORIGINS): a frontend on a listed origin may call the API from a browser;
any other origin, and every origin while the setting is empty (the default), gets no CORS grant.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests import conftest
from tests.conftest import ServedApp
from thidua.services.database import ConnectionParams

FRONTEND = "http://localhost:5173"
OTHER = "https://tinh-khac.example.vn"
QUERY = {"query": "{ viewer { subject province } }"}


@pytest.fixture
def cors_app(database: ConnectionParams) -> Iterator[ServedApp]:
    settings = conftest.test_settings(THIDUA_CORS_ORIGINS=f"{FRONTEND}, https://thidua.example.gov.vn")
    app = ServedApp(settings, database)
    app.start()
    try:
        yield app
    finally:
        app.stop()


def preflight(url: str, origin: str) -> httpx.Response:
    return httpx.options(
        f"{url}/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_a_listed_origin_passes_the_preflight_and_reads_the_answer(cors_app: ServedApp) -> None:
    answer = preflight(cors_app.url, FRONTEND)
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == FRONTEND
    allowed = {h.strip().lower() for h in answer.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in answer.headers  # bearer tokens, no cookies

    token = cors_app.token("nghe-an", "auditor", user="frontend-dev")
    actual = httpx.post(
        f"{cors_app.url}/graphql",
        json=QUERY,
        headers={"Origin": FRONTEND, "Authorization": f"Bearer {token}"},
    )
    assert actual.json()["data"]["viewer"] == {"subject": "frontend-dev", "province": "nghe-an"}
    assert actual.headers["access-control-allow-origin"] == FRONTEND
    assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()


def test_an_origin_not_listed_gets_no_grant(cors_app: ServedApp) -> None:
    answer = preflight(cors_app.url, OTHER)
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers
    actual = httpx.post(f"{cors_app.url}/graphql", json=QUERY, headers={"Origin": OTHER})
    assert "access-control-allow-origin" not in actual.headers  # the browser keeps the body from the page


def test_cors_is_off_by_default(served_app: ServedApp) -> None:
    assert served_app.settings.ops.cors_origins == ()
    answer = preflight(served_app.url, FRONTEND)
    assert "access-control-allow-origin" not in answer.headers
    actual = httpx.post(f"{served_app.url}/graphql", json=QUERY, headers={"Origin": FRONTEND})
    assert "access-control-allow-origin" not in actual.headers
