"""Races over real HTTP: two clients voting for the same voter at the same instant, and a
mutation retried with one idempotency key, one after another and all at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import httpx
import psycopg
import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.hostile import figures
from thidua.domain.ids import aggregate_id
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

PROVINCE = "nghe-an"
UNITS = [f"so-{i}" for i in range(6)]
BLOCK = "khoi-dua"
CAST = """mutation($input: CastVoteInput!, $key: String) {
  castVote(input: $input, idempotencyKey: $key) { ok position replayed errors { code } } }"""
REGISTER = """mutation($input: RegisterUnitInput!, $key: String) {
  registerUnit(input: $input, idempotencyKey: $key) { ok position replayed errors { code } } }"""


def _by(role: str, unit: str | None = None) -> Provenance:
    return Provenance(Actor("seed", role, unit), datetime.now(UTC), date(2025, 12, 20), "seed")


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[tuple[ServedApp, ConnectionParams]]:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    app = registry.app(PROVINCE)
    for unit in UNITS:
        app.register_unit(key=unit, name=f"Sở {unit}", by=_by("province_admin"))
    app.create_block(key=BLOCK, name="Khối đua", kind="block", by=_by("province_admin"))
    app.open_block_year(block=BLOCK, year=2025, members=UNITS, members_claimed=None, by=_by("province_admin"))
    registry.close()
    served_app = ServedApp(conftest.test_settings(), params)
    served_app.start()
    try:
        yield served_app, params
    finally:
        served_app.stop()
        drop_database(pg_server, params)


def _open_ballot(params: ConnectionParams, key: str) -> None:
    registry = ProvinceRegistry(params)
    try:
        registry.app(PROVINCE).open_ballot(
            key=key, purpose="classification", subject=UNITS[0], award=None, secret=False, question="approve",
            electorate="block_members", block=BLOCK, year=2025, options=["approve", "reject"],
            by=_by("block_officer"),
        )  # fmt: skip
    finally:
        registry.close()


def _post(served: ServedApp, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    response = httpx.post(
        f"{served.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = next(iter(response.json()["data"].values()))
    return payload


def _events(params: ConnectionParams, originator: uuid.UUID, topic_part: str) -> int:
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(
            f"SELECT count(*) FROM {schema_for(PROVINCE)}.ledger_events "
            "WHERE originator_id = %s AND topic LIKE %s",
            (originator, f"%{topic_part}%"),
        ).fetchone()
    return int(row[0]) if row else 0


def test_two_clients_voting_for_the_same_voter_at_once_record_exactly_one_vote(
    served: tuple[ServedApp, ConnectionParams],
) -> None:
    app, params = served
    rounds = 0
    for voter in UNITS:
        ballot = f"dua-{voter}"
        _open_ballot(params, ballot)
        token = app.token(PROVINCE, "unit_clerk", unit=voter, user=f"clerk-{voter}")
        gate = threading.Barrier(2)

        def vote(
            choice: str, ballot: str = ballot, voter: str = voter, token: str = token, gate: Any = gate
        ) -> dict[str, Any]:
            gate.wait()
            return _post(app, CAST, {"input": {"ballot": ballot, "voter": voter, "choice": choice}}, token)

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(vote, ["approve", "reject"]))
        accepted = [r for r in results if r["ok"]]
        refused = [r for r in results if not r["ok"]]
        assert len(accepted) == 1, results
        assert refused[0]["errors"][0]["code"] in {"DUPLICATE_VOTE", "CONCURRENT_CHANGE"}, refused
        assert _events(params, aggregate_id(PROVINCE, "ballot", ballot), "VoteCast") == 1
        rounds += 1
    figures.add("fault_acknowledged", rounds)
    figures.measure("concurrent_vote_rounds", rounds)


def test_a_retried_mutation_records_once_and_returns_the_first_result(
    served: tuple[ServedApp, ConnectionParams],
) -> None:
    app, params = served
    token = app.token(PROVINCE, "province_admin")
    unit = f"moi-{uuid.uuid4().hex[:6]}"
    variables = {"input": {"key": unit, "name": "Sở Mới"}, "key": f"idem-{unit}"}
    first = _post(app, REGISTER, variables, token)
    again = [_post(app, REGISTER, variables, token) for _ in range(3)]
    assert first["ok"]
    assert not first["replayed"]
    assert all(r["ok"] and r["replayed"] and r["position"] == first["position"] for r in again), again
    assert _events(params, aggregate_id(PROVINCE, "unit", unit), "Registered") == 1
    figures.add("fault_acknowledged")


def test_concurrent_retries_with_one_key_record_once_and_all_answer_the_same(
    served: tuple[ServedApp, ConnectionParams],
) -> None:
    app, params = served
    token = app.token(PROVINCE, "province_admin")
    unit = f"dong-{uuid.uuid4().hex[:6]}"
    variables = {"input": {"key": unit, "name": "Sở Đồng thời"}, "key": f"idem-{unit}"}
    gate = threading.Barrier(8)

    def send(_: int) -> dict[str, Any]:
        gate.wait()
        return _post(app, REGISTER, variables, token)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(send, range(8)))
    assert all(r["ok"] for r in results), results
    assert len({r["position"] for r in results}) == 1, results
    assert sum(not r["replayed"] for r in results) == 1, results
    count = _events(params, aggregate_id(PROVINCE, "unit", unit), "Registered")
    figures.add("fault_acknowledged")
    figures.add("fault_duplicated", max(0, count - 1))
    assert count == 1
