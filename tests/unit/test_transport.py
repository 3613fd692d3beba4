"""Failures below GraphQL at /graphql: a crash before strawberry runs is logged once and answered
as a masked GraphQL error; Litestar's own refusals keep their status in the GraphQL shape; other
paths keep Litestar's answers. (Over real HTTP, every transport refusal: tests/hostile/test_transport.py.)"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Litestar, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.testing import TestClient

from thidua.graphql.controller import transport_exception_handlers


@post("/graphql", sync_to_thread=False)
def crashing() -> None:
    msg = "a bug before strawberry ran"
    raise RuntimeError(msg)


@get("/graphql/refused", sync_to_thread=False)
def refused() -> None:
    raise NotAuthorizedException


@get("/elsewhere", sync_to_thread=False)
def elsewhere() -> None:
    raise NotAuthorizedException


def _app() -> Litestar:
    return Litestar(
        route_handlers=[crashing, refused, elsewhere],
        exception_handlers=transport_exception_handlers(),
        logging_config=None,
    )


def test_a_crash_before_strawberry_is_a_masked_graphql_error_logged_once() -> None:
    with structlog.testing.capture_logs() as logs, TestClient(_app()) as client:
        response = client.post("/graphql", content=b"{}")
    assert response.status_code == 500
    body: dict[str, Any] = response.json()
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert "bug" not in response.text
    errors = [line for line in logs if line["log_level"] == "error"]
    assert [line["event"] for line in errors] == ["http_unexpected_error"]


def test_a_litestar_refusal_at_graphql_keeps_its_status_in_the_graphql_shape() -> None:
    with TestClient(_app()) as client:
        response = client.get("/graphql/refused")
        wrong_method = client.delete("/graphql")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert wrong_method.headers["allow"] == "GET, POST"


def test_other_paths_keep_litestars_answers() -> None:
    with TestClient(_app()) as client:
        response = client.get("/elsewhere")
    assert response.status_code == 401
    assert "errors" not in response.json()
