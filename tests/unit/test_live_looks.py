"""Feeds woken by one notice share one look per key (graphql/core/live.py)."""

from __future__ import annotations

import asyncio

import pytest

from thidua.graphql.core.live import SharedLooks


async def test_feeds_at_one_generation_share_one_look_and_a_new_generation_looks_again() -> None:
    looks: SharedLooks[int] = SharedLooks()
    calls: list[int | None] = []

    async def look(previous: int | None) -> int:
        calls.append(previous)
        await asyncio.sleep(0.01)
        return len(calls)

    answers = await asyncio.gather(*(looks.get("khoi-a", 1, look) for _ in range(20)))
    assert answers == [1] * 20
    assert calls == [None]
    assert await looks.get("khoi-a", 1, look) == 1  # later, same generation: still shared
    assert await looks.get("khoi-a", 2, look) == 2  # a new notice: looked again, given the last
    assert calls == [None, 1]
    assert await looks.get("khoi-b", 2, look) == 3  # another key is its own look


async def test_a_failed_look_is_not_shared_with_later_feeds() -> None:
    looks: SharedLooks[int] = SharedLooks()

    async def broken(previous: int | None) -> int:
        raise ConnectionError("database away")

    async def fine(previous: int | None) -> int:
        return 7

    with pytest.raises(ConnectionError):
        await looks.get("khoi-a", 1, broken)
    assert await looks.get("khoi-a", 1, fine) == 7
