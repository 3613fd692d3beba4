"""Over real HTTP: units registered, an open ballot opened, voted, closed and tallied, read back
through the audit trail with read-your-writes; and one province's token never reaches another's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from thidua.graphql.schema import schema
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

UNITS = {"so-noi-vu": "Sở Nội vụ", "so-tu-phap": "Sở Tư pháp", "so-tai-chinh": "Sở Tài chính"}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.create_province("ha-tinh", "Tỉnh Hà Tĩnh", created_by="op")
    registry.close()
    app = ServedApp(conftest.test_settings(), params)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        drop_database(pg_server, params)


def as_(served: ServedApp, province: str | None, role: str, unit: str | None = None) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, role, unit=unit, user=f"{role}-{unit or 'x'}"))


AUDIT = """query($at: Int, $filter: AuditFilter) {
  auditTrail(atLeastPosition: $at, filter: $filter, first: 200) {
    edges { node { position eventType actorUser actorRole summary payload } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def test_an_open_ballot_is_voted_closed_tallied_and_audited(served: ServedApp) -> None:
    admin = as_(served, "nghe-an", "province_admin")
    for key, name in UNITS.items():
        payload = admin.mutate("registerUnit", {"key": key, "name": name}, key=f"unit-{key}")
        assert payload["ok"], payload
    retried = admin.mutate("registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ"}, key="unit-so-noi-vu")
    assert retried["ok"]  # the stored first answer, nothing recorded twice

    officer = as_(served, "nghe-an", "block_officer")
    opened = officer.mutate(
        "openBallot",
        {
            "key": "khoi-noi-chinh/2025/xep-loai-so-tu-phap",
            "purpose": "classification",
            "subject": "so-tu-phap",
            "question": "approve",
            "electorate": "block_members",
            "voters": list(UNITS),
            "options": ["approve", "reject"],
            "effectiveOn": "2025-12-20",
        },
    )
    assert opened["ok"], opened
    ballot = opened["key"]

    for unit in UNITS:
        clerk = as_(served, "nghe-an", "unit_clerk", unit)
        vote = clerk.mutate("castVote", {"ballot": ballot, "voter": unit, "choice": "approve"})
        assert vote["ok"], vote
    twice = as_(served, "nghe-an", "unit_clerk", "so-noi-vu").mutate(
        "castVote", {"ballot": ballot, "voter": "so-noi-vu", "choice": "reject"}
    )
    assert twice["ok"] is False
    assert twice["errors"][0]["code"] == "DUPLICATE_VOTE"
    assert twice["errors"][0]["message"]  # Vietnamese, for the user

    impostor = as_(served, "nghe-an", "unit_clerk", "so-noi-vu")
    assert (
        impostor.error_code(
            'mutation { castVote(input: {ballot: "x", voter: "so-tu-phap", choice: "approve"}) { ok } }'
        )
        == "FORBIDDEN"
    )

    closed = officer.mutate("closeBallot", {"ballot": ballot})
    assert closed["ok"], closed

    auditor = as_(served, "nghe-an", "auditor")
    trail = auditor.data(AUDIT, {"at": closed["position"], "filter": {"eventType": "Ballot.Tallied"}})
    tallied = [e["node"] for e in trail["auditTrail"]["edges"]]
    assert len(tallied) == 1
    assert tallied[0]["payload"]["counts"] == {"approve": 3, "reject": 0}
    assert tallied[0]["actorRole"] == "block_officer"

    everything = auditor.data(AUDIT, {"at": closed["position"]})["auditTrail"]["edges"]
    types = [e["node"]["eventType"] for e in everything]
    assert types.count("Unit.Registered") == 3
    assert types.count("Ballot.OpenVoteCast") == 3


def test_asking_for_a_position_not_yet_projected_answers_not_yet(served: ServedApp) -> None:
    auditor = as_(served, "nghe-an", "auditor")
    assert auditor.error_code(AUDIT, {"at": 10_000_000}) == "NOT_YET"


def test_a_province_token_never_reads_or_changes_another_provinces_data(served: ServedApp) -> None:
    admin_a = as_(served, "nghe-an", "province_admin")
    made = admin_a.mutate("registerUnit", {"key": "so-y-te", "name": "Sở Y tế"})
    assert made["ok"]
    ballot_a = admin_a.mutate(
        "openBallot",
        {
            "key": "isolation",
            "purpose": "classification",
            "question": "approve",
            "electorate": "block_members",
            "voters": ["so-y-te"],
            "options": ["approve", "reject"],
        },
    )["key"]

    auditor_b = as_(served, "ha-tinh", "auditor")
    admin_b = as_(served, "ha-tinh", "province_admin")
    clerk_b = as_(served, "ha-tinh", "unit_clerk", "so-y-te")
    # Every root query field: either refused when naming the other province, or answering
    # from the caller's own province only.
    assert schema._schema.query_type is not None
    query_fields = set(schema._schema.query_type.fields)
    checked: set[str] = {"viewer"}
    assert auditor_b.data("{ viewer { province } }")["viewer"]["province"] == "ha-tinh"
    assert auditor_b.data("{ province { code } }")["province"]["code"] == "ha-tinh"
    assert auditor_b.error_code('{ province(province: "nghe-an") { code } }') == "FORBIDDEN"
    checked.add("province")
    assert auditor_b.data("{ ledger { headPosition } }")["ledger"]["headPosition"] == 0
    assert auditor_b.error_code('{ ledger(province: "nghe-an") { headPosition } }') == "FORBIDDEN"
    checked.add("ledger")
    assert auditor_b.data(AUDIT)["auditTrail"]["edges"] == []
    checked.add("auditTrail")
    assert query_fields <= checked, f"root fields without an isolation check: {query_fields - checked}"

    # Every mutation acts in the caller's province: the other province's keys are unknown there.
    vote = clerk_b.mutate("castVote", {"ballot": ballot_a, "voter": "so-y-te", "choice": "approve"})
    assert vote["errors"][0]["code"] == "NOT_FOUND"
    close = admin_b.mutate("closeBallot", {"ballot": ballot_a})
    assert close["errors"][0]["code"] == "NOT_FOUND"
    same_key = admin_b.mutate("registerUnit", {"key": "so-y-te", "name": "Sở Y tế Hà Tĩnh"})
    assert same_key["ok"]  # a unit of the same key in another province is another unit
    assert auditor_b.data("{ ledger { headPosition } }")["ledger"]["headPosition"] == 1
