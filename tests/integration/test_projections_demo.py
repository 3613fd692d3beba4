"""The read models of the Nghệ An demo: officers, members, open proposals, audit trail, as of."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.integration.test_ledger_cli import thidua
from tests.unit.test_audit_sentences import dump_signs
from thidua.projections import documents
from thidua.projections.access import province_reader
from thidua.projections.asof import envelope_of_row
from thidua.projections.audit import context as audit_context
from thidua.projections.audit.projection import TABLE as AUDIT_TABLE
from thidua.projections.audit.projection import AuditTrail
from thidua.projections.audit.queries import list_audit_trail
from thidua.projections.awards.queries import list_proposals
from thidua.projections.catalogue import all_projections
from thidua.projections.ddl import LIVE
from thidua.projections.documents import Doc, DocKey, fold
from thidua.projections.envelope import Envelope
from thidua.projections.rebuild import checksums, rebuild_all, verify
from thidua.projections.standings.queries import explain_standing, get_standings, list_block_years
from thidua.projections.standings.reducer import BLOCK_YEAR, StandingsReducer
from thidua.services import importer
from thidua.services.database import ConnectionParams
from thidua.services.parallel_rebuild import groups_of, rebuild_in_processes
from thidua.services.projection_host import ProjectionHost, decoder_for
from thidua.services.registry import ProvinceRegistry

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "nghe-an.json"
EXPECT: dict[str, Any] = json.loads(DEMO.read_text())["expect"]
OPEN = {"submitted", "received", "assigned", "appraised", "returned", "council_approved", "forwarded"}


async def _head(host: ProjectionHost) -> int:
    return max(s.head for s in await host.status(["nghe-an"]))


@pytest.fixture
async def demo(registry: ProvinceRegistry, database: ConnectionParams) -> AsyncIterator[ProjectionHost]:
    importer.import_records(registry, DEMO)
    host = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.5)
    await host.start()
    try:
        await host.wait_for("nghe-an", await _head(host), timeout_s=20)
        yield host
    finally:
        await host.stop()


@pytest.mark.parametrize("officers", EXPECT["officers"], ids=lambda o: f"{o['block']}-{o['year']}")
async def test_the_demo_standings_show_each_years_leader_and_deputy(
    demo: ProjectionHost, officers: dict[str, Any]
) -> None:
    standings = await get_standings(demo.pool, "nghe-an", officers["block"], officers["year"])
    assert standings is not None
    assert standings.officers is not None
    assert standings.officers.leader == officers["leader"]
    assert standings.officers.deputy == officers.get("deputy")


async def test_the_demo_standings_keep_the_claimed_member_count_beside_the_named_members(
    demo: ProjectionHost,
) -> None:
    standings = await get_standings(demo.pool, "nghe-an", "khoi-co-quan-dang", 2021)
    assert standings is not None
    assert len(standings.members) == 10
    assert standings.members_claimed == 10
    assert {u.unit for u in standings.units} == set(standings.members)
    assert all(u.name for u in standings.units)
    refs = await list_block_years(demo.pool, "nghe-an")
    assert ("khoi-co-quan-dang", 2021) in {(r.block, r.year) for r in refs}


async def test_the_demo_open_proposals_of_2021_are_listed_with_their_timeline(
    demo: ProjectionHost,
) -> None:
    proposals = await list_proposals(demo.pool, "nghe-an", year=2021)
    still_open = {(p.award, p.recipient) for p in proposals if p.status in OPEN}
    assert still_open == {(p["award"], p["recipient"]) for p in EXPECT["open_proposals_2021"]}
    assert all(p.timeline[0].status == "submitted" for p in proposals)


async def test_as_of_before_the_year_end_conference_there_were_no_proposals_nor_officers(
    demo: ProjectionHost,
) -> None:
    before = date(2021, 11, 11)
    assert await list_proposals(demo.pool, "nghe-an", year=2021, effective_on=before) == []
    then = await get_standings(demo.pool, "nghe-an", "khoi-co-quan-dang", 2021, effective_on=date(2021, 3, 1))
    now = await get_standings(demo.pool, "nghe-an", "khoi-co-quan-dang", 2021)
    assert then is not None
    assert now is not None
    assert then.members == now.members
    assert then.position < now.position
    recorded = await get_standings(
        demo.pool, "nghe-an", "khoi-co-quan-dang", 2021, as_of=datetime.now(tz=UTC)
    )
    assert recorded == now


async def test_the_audit_trail_of_the_demo_has_a_vietnamese_summary_for_every_event(
    demo: ProjectionHost,
) -> None:
    page = await list_audit_trail(demo.pool, "nghe-an", limit=1000)
    assert len(page.entries) == await _head(demo)
    dumps = {e.event_type: e.summary_vi for e in page.entries if dump_signs(e.summary_vi)}
    assert not dumps, dumps
    assert all(e.actor_user for e in page.entries)


async def test_explain_returns_the_events_behind_a_units_standing(demo: ProjectionHost) -> None:
    entries = await explain_standing(demo.pool, "nghe-an", "khoi-co-quan-dang", 2022, "bao-nghe-an")
    assert any(e.event_type == "BlockYear.OfficersChosen" for e in entries)


async def test_every_projection_of_the_demo_rebuilds_to_the_live_rows(
    demo: ProjectionHost, registry: ProvinceRegistry
) -> None:
    decode = decoder_for(registry, "nghe-an")
    for projection in all_projections():
        result = await verify(demo.pool, "nghe-an", projection, decode, batch_size=7)
        assert result.identical, projection.name


async def test_all_projections_rebuilt_in_one_pass_equal_the_rows_kept_live(
    demo: ProjectionHost, registry: ProvinceRegistry
) -> None:
    decode = decoder_for(registry, "nghe-an")
    projections = all_projections()
    async with demo.pool.acquire() as conn:
        before = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    results = await rebuild_all(demo.pool, "nghe-an", projections, decode, batch_size=7)
    assert [r.projection for r in results] == [p.name for p in projections]
    assert len({r.position for r in results}) == 1
    async with demo.pool.acquire() as conn:
        after = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    assert after == before


class _CopyEveryEvent:
    """The standings reducer without `reduce_into`: the fold deep-copies a document per event."""

    def __init__(self) -> None:
        self.inner = StandingsReducer()

    def alias(self, e: Envelope) -> DocKey | None:
        return self.inner.alias(e)

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        return self.inner.route(e, alias)

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        return self.inner.reduce(kind, key, doc, e, alias)

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        return self.inner.index(kind, doc)


async def test_standings_folded_in_place_equal_those_copied_per_event_and_leave_payloads_alone(
    demo: ProjectionHost,
) -> None:
    async with province_reader(demo.pool, "nghe-an") as conn:
        rows = await conn.fetch(
            "SELECT position, aggregate_id, aggregate_version, event_type, recorded_at, effective_on, "
            "actor_user, actor_role, actor_unit, correlation_id, payload::text AS payload "
            f"FROM readmodel.{AUDIT_TABLE} WHERE province = 'nghe-an' ORDER BY position"
        )
    events = [envelope_of_row(r) for r in rows]
    payloads = copy.deepcopy([e.payload for e in events])
    in_place = fold(StandingsReducer(), events).docs
    assert payloads == [e.payload for e in events]
    assert in_place == fold(_CopyEveryEvent(), events).docs
    assert any(kind == BLOCK_YEAR for kind, _ in in_place)


async def test_projections_rebuilt_in_two_processes_equal_the_rows_kept_live(
    demo: ProjectionHost, database: ConnectionParams
) -> None:
    projections = all_projections()
    names = [p.name for p in projections]
    groups = groups_of(names, 2)
    assert len(groups) == 2
    assert sorted(n for g in groups for n in g) == sorted(names)
    async with demo.pool.acquire() as conn:
        before = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    results = await asyncio.to_thread(rebuild_in_processes, database, "nghe-an", names, 2, batch_size=7)
    assert [r.projection for r in results] == names
    assert {r.position for r in results} == {await _head(demo)}
    async with demo.pool.acquire() as conn:
        after = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    assert after == before


async def test_the_rebuild_command_with_two_processes_prints_every_projection_and_keeps_the_rows(
    demo: ProjectionHost, database: ConnectionParams
) -> None:
    projections = all_projections()
    async with demo.pool.acquire() as conn:
        before = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    done = await asyncio.to_thread(
        thidua, database, "projections", "rebuild", "--province", "nghe-an", "--processes", "2"
    )
    assert done.returncode == 0, done.stderr
    printed = [line.split("\t")[1] for line in done.stdout.splitlines()]
    assert printed == [p.name for p in projections]
    # The spawned processes log as the command was told (THIDUA_LOG_LEVEL=WARNING): no info lines.
    assert "projection_rebuild_started" not in done.stderr
    async with demo.pool.acquire() as conn:
        assert [await checksums(conn, "nghe-an", p, LIVE) for p in projections] == before


# 2: write out and forget after nearly every batch, keeping one document; 7: keep the five most
# recently changed, so documents kept, written out, reloaded and written again all mix.
@pytest.mark.parametrize("flush_docs", [2, 7])
async def test_a_build_that_writes_its_documents_every_few_events_still_equals_the_live_rows(
    demo: ProjectionHost, registry: ProvinceRegistry, monkeypatch: pytest.MonkeyPatch, flush_docs: int
) -> None:
    monkeypatch.setattr(documents, "FLUSH_DOCS", flush_docs)
    decode = decoder_for(registry, "nghe-an")
    for projection in all_projections():
        result = await verify(demo.pool, "nghe-an", projection, decode, batch_size=5)
        assert result.identical, projection.name


async def test_an_audit_build_that_forgets_its_context_rows_reads_them_back_and_still_equals_the_live_rows(
    demo: ProjectionHost, registry: ProvinceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 rows at most in memory: the build forgets them every few batches and reads them back.
    monkeypatch.setattr(audit_context, "KEEP_ROWS", 40)
    result = await verify(demo.pool, "nghe-an", AuditTrail(), decoder_for(registry, "nghe-an"), batch_size=5)
    assert result.identical


@pytest.mark.parametrize("lanes", [2, 3])
async def test_projections_rebuilt_through_several_lanes_equal_the_rows_kept_live(
    demo: ProjectionHost, registry: ProvinceRegistry, database: ConnectionParams, lanes: int
) -> None:
    projections = all_projections()
    async with demo.pool.acquire() as conn:
        before = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    # A pool of its own, with room for the reader and every lane.
    pool = await asyncpg.create_pool(min_size=1, max_size=lanes + 1, **database.asyncpg_kwargs())
    try:
        results = await rebuild_all(
            pool, "nghe-an", projections, decoder_for(registry, "nghe-an"), batch_size=7, lanes=lanes
        )
    finally:
        await pool.close()
    assert {r.position for r in results} == {await _head(demo)}
    async with demo.pool.acquire() as conn:
        after = [await checksums(conn, "nghe-an", p, LIVE) for p in projections]
    assert after == before
