"""Which standings documents may be answered from kept bytes, and the cache's own rules
(graphql/core/response_cache.py). The served behaviour is in tests/e2e/test_graphql_standings_cache.py."""

from __future__ import annotations

import asyncio

import pytest

from thidua.graphql.core.response_cache import (
    FreshPositions,
    Plan,
    ResponseCache,
    body_to_keep,
    canonical,
    plan_of,
    wait_position,
)

LIVE = "query S($b: String!) { standings(blockId: $b, year: 2025) { position lines { unit } } }"


@pytest.mark.parametrize(
    "query",
    [
        LIVE,
        '{ standings(blockId: "k", year: 2025) { position } }',
        '{ a: standings(blockId: "k", year: 1) { position } b: standings(blockId: "j", year: 1) { year } }',
        'query($t: DateTime) { standings(blockId: "k", year: 1, asOf: $t) { position } }',
        '{ standings(blockId: "k", year: 1, asOf: null) { position ...F } } fragment F on Standings { year }',
    ],
)
def test_live_standings_documents_are_cacheable(query: str) -> None:
    assert plan_of(query, None) is not None


@pytest.mark.parametrize(
    "query",
    [
        '{ standings(blockId: "k", year: 1, asOf: "2025-01-01T00:00:00Z") { position } }',
        '{ standings(blockId: "k", year: 1, effectiveOn: "2025-01-01") { position } }',
        'query($t: DateTime = "2025-01-01T00Z") { standings(blockId: "k", year: 1, asOf: $t) { year } }',
        '{ standings(blockId: "k", year: 1) { position } units { nodes { key } } }',
        '{ __typename standings(blockId: "k", year: 1) { position } }',
        '{ standings(blockId: "k", year: 1) { position @include(if: true) } }',
        '{ ...R } fragment R on Query { standings(blockId: "k", year: 1) { position } }',
        'mutation { standings(blockId: "k", year: 1) { position } }',
        'query A { standings(blockId: "k", year: 1) { position } } query B { standings { year } }',
        "{ standings(blockId: ",  # does not parse
    ],
)
def test_other_documents_are_not(query: str) -> None:
    assert plan_of(query, None) is None


def test_the_operation_name_must_be_the_documents() -> None:
    assert plan_of(LIVE, "S") is not None
    assert plan_of(LIVE, "Other") is None


def test_variables_that_ask_for_a_replay_or_a_wait() -> None:
    plan = plan_of(
        'query($t: DateTime, $at: Int) { standings(blockId: "k", year: 1, asOf: $t, atLeastPosition: $at) '
        "{ position } }",
        None,
    )
    assert plan == Plan(("t",), ("at",))
    assert wait_position(plan, {}) == 0
    assert wait_position(plan, {"t": None, "at": 7}) == 7
    assert wait_position(plan, {"t": "2025-01-01T00:00:00Z"}) is None  # a replay
    assert wait_position(plan, {"at": "7"}) is None  # left to the schema to refuse
    assert wait_position(plan, {"at": True}) is None
    literal = plan_of('{ standings(blockId: "k", year: 1, atLeastPosition: 12) { year } }', None)
    assert literal is not None
    assert wait_position(literal, {}) == 12


def test_variables_are_keyed_canonically() -> None:
    assert canonical({"b": "k", "y": 1}) == canonical({"y": 1, "b": "k"})
    assert canonical({"y": 1}) != canonical({"y": 1.0})
    assert canonical({"y": 1}) != canonical({"y": True})


def test_an_answer_is_served_only_at_the_position_it_was_stored_under() -> None:
    cache = ResponseCache(size=2)
    key = ("p", frozenset({"auditor"}), None, LIVE, None, "{}")
    cache.put(key, 5, b"five")
    assert cache.get(key, 5) == b"five"
    assert cache.get(key, 6) is None
    cache.put(key, 4, b"four")  # an older answer never replaces a newer one
    assert cache.get(key, 5) == b"five"
    other = ("q", frozenset({"auditor"}), None, LIVE, None, "{}")
    assert cache.get(other, 5) is None
    cache.put(other, 5, b"q")
    cache.put(("r", frozenset(), None, LIVE, None, "{}"), 1, b"r")
    assert len(cache._entries) == 2  # bounded


def test_only_clean_answers_are_kept() -> None:
    assert body_to_keep(200, b'{"data":{"standings":null}}', extra=False) is not None
    assert body_to_keep(200, b'{"data":null,"errors":[{"message":"x"}]}', extra=False) is None
    assert body_to_keep(200, b'{"data":{"standings":{}},"errors":[]}', extra=False) is None
    assert body_to_keep(400, b'{"data":{}}', extra=False) is None
    assert body_to_keep(200, b'{"data":{}}', extra=True) is None


async def test_a_read_already_running_is_never_joined() -> None:
    """A caller arriving while a read runs waits for the next read: the running one may have
    started before the caller's event was projected."""
    positions = FreshPositions()
    value = 1
    started: list[int] = []
    release = asyncio.Event()

    async def reader(province: str) -> int:
        started.append(value)
        await release.wait()
        release.clear()
        return started[-1]

    first = asyncio.create_task(positions.read(1, "p", reader))
    joined = asyncio.create_task(positions.read(1, "p", reader))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert started == [1]  # one read for both
    value = 2  # an event is projected while the read runs
    late = asyncio.create_task(positions.read(1, "p", reader))
    await asyncio.sleep(0)
    release.set()
    assert await first == 1
    assert await joined == 1
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    release.set()
    assert await late == 2  # a second read, started after the late caller arrived
    assert started == [1, 2]


async def test_a_failed_read_reaches_its_waiters() -> None:
    positions = FreshPositions()

    async def reader(province: str) -> int:
        raise OSError("database away")

    with pytest.raises(OSError, match="database away"):
        await positions.read(1, "p", reader)
