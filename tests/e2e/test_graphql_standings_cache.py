"""Kept standings answers (graphql/core/response_cache.py) never hide a write, never cross a
province or a role, and leave `asOf`, errors and refusals to the normal way.

Driven over real HTTP: the same query text and variables are sent again and again (so a kept
answer would be served if one existed) around writes that change the standings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from tests import conftest
from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from tests.e2e.test_graphql_whole_year import BLOCK, PROVINCE, Province, organise, pledge_and_register, score
from thidua.graphql import controller
from thidua.graphql.core.consistency import WAIT_S
from thidua.graphql.core.response_cache import ResponseCache
from thidua.graphql.scoring import queries as scoring_queries
from thidua.projections.standings import queries as standings_queries
from thidua.services.auth import issue_token
from thidua.services.database import ConnectionParams

OTHER = "ha-tinh"
LIVE = """query Live($block: String!, $year: Int!) {
  standings(blockId: $block, year: $year) { position lines { unit total checkedScores } }
}"""
WAITING = """query Waiting($block: String!, $year: Int!, $at: Int) {
  standings(blockId: $block, year: $year, atLeastPosition: $at) { position lines { unit total } }
}"""
AS_OF = """query Then($block: String!, $year: Int!, $asOf: DateTime) {
  standings(blockId: $block, year: $year, asOf: $asOf) { position lines { unit total } }
}"""
VARIABLES = {"block": BLOCK, "year": 2025}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An", OTHER: "Tỉnh Hà Tĩnh"}) as app:
        yield app


@pytest.fixture(scope="module")
def scored(served: ServedApp) -> Province:
    p = Province(served)
    organise(p)
    pledge_and_register(p)
    score(p)
    return p


def _total(standings: dict[str, Any], unit: str) -> float:
    return float(next(line["total"] for line in standings["lines"] if line["unit"] == unit))


def _cross_check(p: Province, points: int) -> int:
    payload = p.ok(
        p.officer,
        "crossCheckAssessment",
        {
            "block": BLOCK,
            "year": 2025,
            "unit": "so-tai-chinh",
            "item": "c1",
            "newPoints": points,
            "reason": "Đo bộ đệm: thẩm định chéo",
            "effectiveOn": "2025-12-02",
        },
    )
    return int(payload["position"])


@pytest.fixture
def hits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts answers served from the cache (the app runs in this process)."""
    counted: list[int] = []
    original = ResponseCache.get

    def get(self: ResponseCache, key: Any, position: int) -> bytes | None:
        found = original(self, key, position)
        if found is not None:
            counted.append(position)
        return found

    monkeypatch.setattr(ResponseCache, "get", get)
    return counted


def test_a_write_is_seen_with_and_without_at_least_position(scored: Province, hits: list[int]) -> None:
    p = scored
    reader = p.auditor
    first = reader.data(WAITING, {**VARIABLES, "at": p.last})["standings"]
    for _ in range(3):  # the same answer again: now kept
        assert reader.data(LIVE, VARIABLES)["standings"]["position"] == first["position"]
    assert len(hits) >= 2, "the same live query was never answered from the cache"
    before = _total(reader.data(LIVE, VARIABLES)["standings"], "so-tai-chinh")

    position = _cross_check(p, 40)
    # Read-your-writes: the kept answer of the same text and variables is never served stale.
    after = reader.data(WAITING, {**VARIABLES, "at": position})["standings"]
    assert after["position"] >= position
    assert _total(after, "so-tai-chinh") == before - 10  # c1: 50 -> 40

    # Without atLeastPosition, once the projection has the event, the plain query shows it too.
    deadline = time.monotonic() + 10
    while _total(reader.data(LIVE, VARIABLES)["standings"], "so-tai-chinh") != before - 10:
        assert time.monotonic() < deadline, "the kept answer hid a projected write"
        time.sleep(0.05)
    # Once shown, never the old one again.
    for _ in range(5):
        assert _total(reader.data(LIVE, VARIABLES)["standings"], "so-tai-chinh") == before - 10


def test_as_of_is_a_replay_never_a_kept_live_answer(scored: Province) -> None:
    p = scored
    reader = p.auditor
    live = reader.data(WAITING, {**VARIABLES, "at": p.last})["standings"]
    time.sleep(0.05)
    as_of = datetime.now(UTC).isoformat()  # after every write so far, before the next one
    time.sleep(0.05)
    position = _cross_check(p, 30)
    reader.data(WAITING, {**VARIABLES, "at": position})  # the live answer moves on
    earlier = reader.data(AS_OF, {**VARIABLES, "asOf": as_of})["standings"]
    assert _total(earlier, "so-tai-chinh") == _total(live, "so-tai-chinh")
    now = reader.data(AS_OF, {**VARIABLES, "asOf": None})["standings"]  # null asOf: live
    assert _total(now, "so-tai-chinh") == 80 - 20  # c1 30 + c2 30


def test_answers_do_not_cross_provinces_or_roles(
    served: ServedApp, scored: Province, hits: list[int]
) -> None:
    p = scored
    for _ in range(3):
        assert p.auditor.data(LIVE, VARIABLES)["standings"] is not None
    # The same text and variables from another province: its own (empty) standings.
    other = GraphQLClient(served, served.token(OTHER, "auditor", user="thanh-tra"))
    assert other.data(LIVE, VARIABLES)["standings"] is None
    # A role the matrix refuses is refused, however often the answer was given to others.
    operator = GraphQLClient(served, served.token(None, "platform_operator", user="op"))
    assert operator.error_code(LIVE, VARIABLES) == "FORBIDDEN"
    assert hits, "the same live query was never answered from the cache"
    no_role = GraphQLClient(served, served.token(PROVINCE, user="nobody"))
    assert no_role.error_code(LIVE, VARIABLES) == "FORBIDDEN"
    anonymous = GraphQLClient(served, None)
    assert anonymous.error_code(LIVE, VARIABLES) == "UNAUTHENTICATED"


def test_an_expired_token_is_refused_after_it_was_served(served: ServedApp, scored: Province) -> None:
    token = issue_token(
        conftest.TEST_SECRET,
        subject="late",
        province=PROVINCE,
        roles=["auditor"],
        ttl_seconds=2,
        now=time.time(),
    )
    reader = GraphQLClient(served, token)
    assert reader.data(LIVE, VARIABLES)["standings"] is not None
    assert reader.data(LIVE, VARIABLES)["standings"] is not None  # kept answer, remembered token
    time.sleep(2.2)
    assert reader.error_code(LIVE, VARIABLES) == "TOKEN_EXPIRED"


def test_concurrent_misses_run_the_query_once(
    served: ServedApp, scored: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = scored
    executions: list[str] = []
    original = getattr(scoring_queries, "get_standings")  # noqa: B009 - the name the resolver calls

    async def counted(*args: Any, **kwargs: Any) -> Any:
        executions.append("standings")
        return await original(*args, **kwargs)

    monkeypatch.setattr(scoring_queries, "get_standings", counted)
    position = _cross_check(p, 35)
    # Wait for the projections without reading standings (that read would be kept).
    p.auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, first: 1) { nodes { position } } }",
        {"at": position},
    )
    readers = [GraphQLClient(served, p.auditor.token) for _ in range(12)]
    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        answers = list(pool.map(lambda c: c.data(LIVE, VARIABLES)["standings"], readers))
    assert all(answer == answers[0] for answer in answers)
    assert _total(answers[0], "so-tai-chinh") == 35 + 30
    assert executions == ["standings"]


def test_a_missed_live_request_reads_the_standings_position_once(
    scored: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The position read on the request's arrival is the one its execution reads at."""
    p = scored
    reads: list[str] = []
    original = standings_queries.standings_position

    async def counted(pool: Any, province: str) -> int | None:
        reads.append(province)
        return await original(pool, province)

    monkeypatch.setattr(standings_queries, "standings_position", counted)
    monkeypatch.setattr(controller, "standings_position", counted)
    position = _cross_check(p, 45)
    p.auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, first: 1) { nodes { position } } }",
        {"at": position},
    )
    reads.clear()
    answer = p.auditor.data(LIVE, VARIABLES)["standings"]
    assert _total(answer, "so-tai-chinh") == 45 + 30
    assert reads == [PROVINCE]


def test_a_position_not_reached_answers_not_yet_after_one_wait(scored: Province) -> None:
    reader = scored.auditor
    reader.data(LIVE, VARIABLES)  # the live answer is kept
    started = time.monotonic()
    assert reader.error_code(WAITING, {**VARIABLES, "at": 10**9}) == "NOT_YET"
    assert time.monotonic() - started < WAIT_S + 2  # waited once (5 s), not twice
