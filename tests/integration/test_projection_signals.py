"""Projection signals: the runner's batches wake the watchers of their province, in any process,
and the listening connection comes back after PostgreSQL ends it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.integration.test_projections_runner import create, record
from thidua.services.database import ConnectionParams
from thidua.services.projection_host import LISTEN_NAME, OWNER_NAME, ProjectionHost
from thidua.services.projection_signals import APPLICATION_NAME, ProjectionSignals
from thidua.services.registry import ProvinceRegistry


@pytest.fixture
async def signals(database: ConnectionParams) -> AsyncIterator[ProjectionSignals]:
    s = ProjectionSignals(database)
    await s.start()
    try:
        yield s
    finally:
        await s.stop()


@pytest.fixture
async def host(registry: ProvinceRegistry, database: ConnectionParams) -> AsyncIterator[ProjectionHost]:
    create(registry, "nghe-an", "ninh-binh")
    # A long poll: the runner works on the ledger's NOTIFY, the signals on the runner's.
    h = ProjectionHost(database, registry, poll_s=30, claim_s=0.5)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


async def test_a_batch_wakes_the_watchers_of_its_province_only(
    host: ProjectionHost, signals: ProjectionSignals, registry: ProvinceRegistry
) -> None:
    assert signals.connected
    with signals.watch("nghe-an") as nghe_an, signals.watch("ninh-binh") as ninh_binh:
        position = record(registry, "nghe-an", 3)
        await asyncio.wait_for(nghe_an.wait(), 10)
        # Woken once the rows are there: the notice is sent in the batch's transaction.
        async with host.pool.acquire() as conn:
            reached = await conn.fetchval(
                "SELECT min(position) FROM readmodel.tracking WHERE province = 'nghe-an'"
            )
        assert reached >= position
        assert not ninh_binh.is_set()
    assert signals.watching() == 0


async def _end_backends(database: ConnectionParams, application_name: str) -> int:
    conn = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        ended: int = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = $1 AND datname = current_database()",
            application_name,
        )
    finally:
        await conn.close()
    return ended


async def test_the_runners_listen_again_after_their_connection_is_ended(
    host: ProjectionHost, signals: ProjectionSignals, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """The runners poll every 30 s here: a write projected sooner was heard."""
    assert await _end_backends(database, LISTEN_NAME) == 1
    with signals.watch("nghe-an") as advanced:
        await asyncio.sleep(1.0)  # reconnected (first retry after 0.2 s)
        advanced.clear()
        record(registry, "nghe-an", 2)
        await asyncio.wait_for(advanced.wait(), 10)


async def test_the_signals_come_back_after_their_connection_is_ended(
    host: ProjectionHost, signals: ProjectionSignals, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    with signals.watch("nghe-an") as advanced:
        assert await _end_backends(database, APPLICATION_NAME) == 1
        await asyncio.wait_for(advanced.wait(), 5)  # woken to poll while disconnected
        for _ in range(100):
            if signals.connected:
                break
            await asyncio.sleep(0.1)
        assert signals.connected
        advanced.clear()
        record(registry, "nghe-an", 2)
        await asyncio.wait_for(advanced.wait(), 10)


async def _owned(database: ConnectionParams) -> int:
    conn = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        held: int = await conn.fetchval(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1 "
            "AND a.datname = current_database()",
            OWNER_NAME,
        )
    finally:
        await conn.close()
    return held


async def test_ownership_is_claimed_again_after_its_session_is_ended(
    host: ProjectionHost, signals: ProjectionSignals, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """A restart of PostgreSQL ends the session holding the ownership locks: the host notices,
    opens a new session, owns every projection again, and goes on projecting."""
    owned = await _owned(database)
    assert owned == 2 * len(host.projections)
    assert await _end_backends(database, OWNER_NAME) == 1
    for _ in range(100):
        if await _owned(database) == owned:
            break
        await asyncio.sleep(0.1)
    assert await _owned(database) == owned
    with signals.watch("nghe-an") as advanced:
        record(registry, "nghe-an", 2)
        await asyncio.wait_for(advanced.wait(), 10)
