"""The projection runner: exactly once, wake-ups, ownership, audit rows, isolation, rebuild."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import asyncpg
import pytest
from eventsourcing.domain import Aggregate, event

from thidua.domain.transcodings import DateAsISO
from thidua.projections.access import province_reader
from thidua.projections.audit.projection import AuditTrail
from thidua.projections.audit.queries import list_audit_trail
from thidua.projections.errors import NotYetProjected
from thidua.projections.rebuild import rebuild, verify
from thidua.services.database import ConnectionParams
from thidua.services.projection_host import ProjectionHost, decoder_for
from thidua.services.registry import ProvinceRegistry


class Probe(Aggregate):
    """A throwaway aggregate with the ledger's convention fields."""

    class Noted(Aggregate.Event):
        actor_user: str
        actor_role: str
        actor_unit: str | None
        effective_on: date
        correlation_id: str
        unit: str
        text: str

    def __init__(self, label: str) -> None:
        self.label = label
        self.notes: list[str] = []

    def note(self, unit: str, text: str, n: int = 0) -> None:
        self.trigger_event(
            self.Noted,
            actor_user="clerk",
            actor_role="unit_clerk",
            actor_unit=unit,
            effective_on=date(2025, 12, 20),
            correlation_id=f"c-{n}",
            unit=unit,
            text=text,
        )

    @event(Noted)
    def _noted(self, unit: str, text: str) -> None:
        self.notes.append(text)


def record(registry: ProvinceRegistry, province: str, count: int, per_save: int = 50) -> int:
    app = registry.app(province)
    position = 0
    made = 0
    while made < count:
        probe = Probe(f"p{made}")
        for i in range(min(per_save - 1, count - made - 1)):
            probe.note("so-tu-phap", f"ghi chú {i}", made + i)
        recordings = app.save(probe)
        made += len(recordings)
        position = max(r.notification.id for r in recordings)
    return position


def create(registry: ProvinceRegistry, *codes: str) -> None:
    for code in codes:
        registry.create_province(code, code.replace("-", " ").title(), created_by="op")
        transcoder = registry.app(code).mapper.transcoder
        if "date_iso" not in getattr(transcoder, "names", {}):
            # The domain's applications register it; this test's bare Probe needs it too.
            transcoder.register(DateAsISO())  # type: ignore[attr-defined]


@pytest.fixture
async def host(registry: ProvinceRegistry, database: ConnectionParams) -> AsyncIterator[ProjectionHost]:
    create(registry, "nghe-an", "ninh-binh")
    h = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.5, batch_size=500)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


async def test_the_audit_trail_has_one_row_per_event_with_actor_and_position(
    host: ProjectionHost, registry: ProvinceRegistry
) -> None:
    position = record(registry, "nghe-an", 120)
    await host.wait_for("nghe-an", position, timeout_s=10)
    page = await list_audit_trail(host.pool, "nghe-an", limit=500)
    assert [e.position for e in page.entries] == list(range(1, 121))
    noted = next(e for e in page.entries if e.event_type == "Probe.Noted")
    assert noted.actor_unit == "so-tu-phap"
    assert noted.effective_on == date(2025, 12, 20)
    assert noted.payload["text"].startswith("ghi chú")
    assert noted.aggregate_type == "Probe"


async def test_a_query_waiting_for_a_position_never_reached_says_not_yet(
    host: ProjectionHost,
) -> None:
    with pytest.raises(NotYetProjected) as err:
        await host.wait_for("nghe-an", 10_000, timeout_s=0.3)
    assert err.value.code == "NOT_YET_PROJECTED"


async def test_rows_of_one_province_are_invisible_to_another_and_without_a_province(
    host: ProjectionHost, registry: ProvinceRegistry
) -> None:
    na = record(registry, "nghe-an", 10)
    nb = record(registry, "ninh-binh", 7)
    await host.wait_for("nghe-an", na, timeout_s=10)
    await host.wait_for("ninh-binh", nb, timeout_s=10)
    async with province_reader(host.pool, "ninh-binh") as conn:
        rows = await conn.fetch("SELECT DISTINCT province FROM readmodel.audit_trail_v2")
    assert [r[0] for r in rows] == ["ninh-binh"]
    async with host.pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL ROLE thidua_reader")
        assert await conn.fetchval("SELECT count(*) FROM readmodel.audit_trail_v2") == 0
        assert await conn.fetchval("SELECT count(*) FROM readmodel.tracking") == 0


async def test_rebuild_from_zero_equals_the_live_tables(
    host: ProjectionHost, registry: ProvinceRegistry
) -> None:
    position = record(registry, "nghe-an", 300)
    await host.wait_for("nghe-an", position, timeout_s=10)
    decode = decoder_for(registry, "nghe-an")
    checked = await verify(host.pool, "nghe-an", AuditTrail(), decode, batch_size=64)
    assert checked.identical
    assert checked.live[0].rows == 300
    seen: list[int] = []
    rebuilt = await rebuild(
        host.pool,
        "nghe-an",
        AuditTrail(),
        decode,
        batch_size=64,
        progress=lambda pos, _head: seen.append(pos),
    )
    assert rebuilt.position == position
    assert seen[-1] == position
    assert (await verify(host.pool, "nghe-an", AuditTrail(), decode)).identical


async def test_a_second_host_owns_nothing_while_the_first_runs(
    host: ProjectionHost, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    second = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.2)
    await second.start()
    try:
        position = record(registry, "nghe-an", 200)
        await host.wait_for("nghe-an", position, timeout_s=10)
        await asyncio.sleep(0.3)
        assert all(not r.projections for r in second.runners.values())
        page = await list_audit_trail(host.pool, "nghe-an", limit=1000)
        assert len(page.entries) == 200
    finally:
        await second.stop()


async def test_a_stopped_owner_hands_over_to_the_next_host(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    create(registry, "nghe-an")
    first = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.2)
    second = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.2)
    await first.start()
    await second.start()
    try:
        await first.wait_for("nghe-an", record(registry, "nghe-an", 30), timeout_s=10)
        await first.stop()
        await second.wait_for("nghe-an", record(registry, "nghe-an", 30), timeout_s=10)
        status = await second.status(["nghe-an"])
        assert {s.lag for s in status} == {0}
    finally:
        await second.stop()


async def test_readiness_reports_position_and_lag_per_projection(
    host: ProjectionHost, registry: ProvinceRegistry
) -> None:
    position = record(registry, "nghe-an", 5)
    await host.wait_for("nghe-an", position, timeout_s=10)
    report = await host.readiness()
    assert report["ready"] is True
    assert report["nghe-an"]["audit"] == {"position": position, "head": position, "lag": 0}


async def test_the_reader_role_cannot_write(host: ProjectionHost) -> None:
    async with host.pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL ROLE thidua_reader")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("DELETE FROM readmodel.audit_trail_v2")


async def _live_table(conn: asyncpg.Connection) -> tuple[int, list[str]]:
    """The live audit table's oid and the names of its indexes."""
    oid = await conn.fetchval("SELECT 'readmodel.audit_trail_v2'::regclass::oid")
    names = await conn.fetch(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = $1 ORDER BY 1", oid
    )
    return int(oid), [r[0] for r in names]


async def test_a_rebuild_alone_in_the_live_table_takes_its_place_and_shares_rows_otherwise(
    host: ProjectionHost, registry: ProvinceRegistry
) -> None:
    position = record(registry, "nghe-an", 120)
    await host.wait_for("nghe-an", position, timeout_s=10)
    decode = decoder_for(registry, "nghe-an")
    async with host.pool.acquire() as conn:
        before, indexes = await _live_table(conn)
    await rebuild(host.pool, "nghe-an", AuditTrail(), decode, batch_size=64)
    async with host.pool.acquire() as conn:
        renamed, renamed_indexes = await _live_table(conn)
    # Alone in the table: the build became the live table, under the live names and isolation.
    assert renamed != before
    assert renamed_indexes == indexes
    async with province_reader(host.pool, "nghe-an") as conn:
        assert await conn.fetchval("SELECT count(*) FROM readmodel.audit_trail_v2") == 120
    async with host.pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL ROLE thidua_reader")
        assert await conn.fetchval("SELECT count(*) FROM readmodel.audit_trail_v2") == 0
    assert (await verify(host.pool, "nghe-an", AuditTrail(), decode)).identical

    other = record(registry, "ninh-binh", 30)
    await host.wait_for("ninh-binh", other, timeout_s=10)
    await rebuild(host.pool, "nghe-an", AuditTrail(), decode, batch_size=64)
    async with host.pool.acquire() as conn:
        shared, _ = await _live_table(conn)
    # Another province's rows in it: the rows are copied and the table stays.
    assert shared == renamed
    async with province_reader(host.pool, "ninh-binh") as conn:
        assert await conn.fetchval("SELECT count(*) FROM readmodel.audit_trail_v2") == 30
    assert (await verify(host.pool, "nghe-an", AuditTrail(), decode)).identical
    assert (await verify(host.pool, "ninh-binh", AuditTrail(), decoder_for(registry, "ninh-binh"))).identical
