"""Over real HTTP: units registered, an open ballot opened, voted, closed and tallied, read back
through the audit trail with read-your-writes (isolation between provinces: test_graphql_isolation.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.database import ConnectionParams

UNITS = {"so-noi-vu": "Sở Nội vụ", "so-tu-phap": "Sở Tư pháp", "so-tai-chinh": "Sở Tài chính"}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {"nghe-an": "Tỉnh Nghệ An", "ha-tinh": "Tỉnh Hà Tĩnh"}) as app:
        yield app


def as_(
    served: ServedApp,
    province: str | None,
    role: str,
    unit: str | None = None,
    blocks: list[str] | None = None,
) -> GraphQLClient:
    token = served.token(province, role, unit=unit, user=f"{role}-{unit or 'x'}", blocks=blocks)
    return GraphQLClient(served, token)


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
    assert admin.mutate("createBlock", {"key": "khoi-noi-chinh", "name": "Khối Nội chính"})["ok"]
    year = {"block": "khoi-noi-chinh", "year": 2025, "members": list(UNITS), "effectiveOn": "2025-01-05"}
    assert admin.mutate("openBlockYear", year)["ok"]

    officer = as_(served, "nghe-an", "block_officer", blocks=["khoi-noi-chinh"])
    opened = officer.mutate(
        "openBallot",
        {
            "key": "khoi-noi-chinh/2025/xep-loai-so-tu-phap",
            "purpose": "classification",
            "subject": "so-tu-phap",
            "question": "approve",
            "electorate": "block_members",
            "block": "khoi-noi-chinh",
            "year": 2025,
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
