"""Who may call what, over real HTTP: codes for the unauthenticated, the expired, the forbidden."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.auth import issue_token
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry
from thidua.services.settings import DEV_JWT_SECRET


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.create_province("ha-tinh", "Tỉnh Hà Tĩnh", created_by="op")
    registry.close()
    app = ServedApp(conftest.test_settings(THIDUA_MAX_BODY_BYTES="65536"), params)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        drop_database(pg_server, params)


def client(served: ServedApp, province: str | None, *roles: str, unit: str | None = None) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, *roles, unit=unit))


def test_a_caller_without_a_token_is_told_to_authenticate(served: ServedApp) -> None:
    anonymous = GraphQLClient(served, None)
    assert anonymous.data("{ viewer { subject } }") == {"viewer": None}
    assert anonymous.error_code("{ province { code } }") == "UNAUTHENTICATED"


def test_an_expired_token_is_reported_as_expired(served: ServedApp) -> None:
    expired = issue_token(
        DEV_JWT_SECRET, subject="x", province="nghe-an", roles=["auditor"], now=1_000_000, ttl_seconds=60
    )
    assert GraphQLClient(served, expired).error_code("{ province { code } }") == "TOKEN_EXPIRED"


def test_the_province_comes_from_the_token(served: ServedApp) -> None:
    auditor = client(served, "nghe-an", "auditor")
    assert auditor.data("{ province { code name } }")["province"] == {
        "code": "nghe-an",
        "name": "Tỉnh Nghệ An",
    }
    assert auditor.error_code('{ province(province: "ha-tinh") { code } }') == "FORBIDDEN"
    assert auditor.error_code('{ ledger(province: "ha-tinh") { headPosition } }') == "FORBIDDEN"


def test_a_platform_operator_names_the_province_explicitly(served: ServedApp) -> None:
    operator = client(served, None, "platform_operator")
    assert operator.data('{ province(province: "ha-tinh") { code } }')["province"]["code"] == "ha-tinh"
    assert operator.error_code("{ province { code } }") == "FORBIDDEN"
    assert operator.error_code("{ auditTrail { edges { node { position } } } }") == "FORBIDDEN"


def test_roles_without_the_audit_trail_are_refused_it(served: ServedApp) -> None:
    for role in ("unit_clerk", "block_officer", "council_member"):
        assert (
            client(served, "nghe-an", role).error_code("{ auditTrail { edges { node { position } } } }")
            == "FORBIDDEN"
        )


def test_the_viewer_lists_what_its_roles_allow(served: ServedApp) -> None:
    viewer = client(served, "nghe-an", "unit_clerk", unit="so-noi-vu").data(
        "{ viewer { roles unit allowedOperations } }"
    )["viewer"]
    assert viewer["unit"] == "so-noi-vu"
    assert "submitSelfAssessment" in viewer["allowedOperations"]
    assert "auditTrail" not in viewer["allowedOperations"]


def test_the_ledger_head_and_verification_answer_an_auditor(served: ServedApp) -> None:
    ledger = client(served, "nghe-an", "auditor").data(
        "{ ledger { headPosition checkpoint verify { ok eventsChecked } } }"
    )["ledger"]
    assert ledger["verify"]["ok"] is True
    assert ledger["checkpoint"].endswith(f"@{ledger['headPosition']}")


def test_batched_queries_are_refused(served: ServedApp) -> None:
    token = served.token("nghe-an", "auditor")
    response = httpx.post(
        f"{served.url}/graphql",
        json=[{"query": "{ viewer { subject } }"}] * 2,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400


def test_a_request_body_over_the_size_limit_is_refused(served: ServedApp) -> None:
    token = served.token("nghe-an", "auditor")
    padding = " " * 70_000
    response = httpx.post(
        f"{served.url}/graphql",
        json={"query": "{ viewer { subject } }" + padding},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413


def test_get_queries_are_not_served(served: ServedApp) -> None:
    response = httpx.get(
        f"{served.url}/graphql",
        params={"query": "{ viewer { subject } }"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code in {400, 405}
