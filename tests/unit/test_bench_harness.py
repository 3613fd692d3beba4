"""A quick smoke test of the benchmark harness (bench/) with tiny sizes: it must keep working,
but its figures mean nothing here (benchmarks are run with `make bench`, not in CI)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import asyncpg
import pytest

from bench.case_hosted_instance import Rates
from bench.cloned_instance import rebuild_provinces
from bench.datagen import Shape, generate
from bench.floors import ReadModelTable, copy_floor, copy_readmodel_floor, insert_floor, read_floor
from bench.load import closed_loop
from bench.options import parse
from bench.province_clone import clone_province, recording_names, store_names
from bench.resources import watched
from bench.results import CaseResult, percentile_ms, write_results
from bench.served import floor_server
from thidua.domain.ids import aggregate_id
from thidua.domain.units import Unit
from thidua.services.database import ConnectionParams
from thidua.services.ledger import verify_ledger
from thidua.services.registry import ProvinceRegistry


def test_percentiles_use_the_nearest_rank_in_milliseconds() -> None:
    latencies = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile_ms(latencies, 50) == 50.0
    assert percentile_ms(latencies, 99) == 99.0
    assert percentile_ms([], 99) is None


def test_results_are_written_as_json_with_machine_facts_and_a_readme_table(tmp_path: Path) -> None:
    results = [
        CaseResult(
            "write_single_province",
            600.0,
            "mutations/s",
            floor=1200.0,
            floor_name="insert",
            p50_ms=10.0,
            p99_ms=40.0,
            goal="≥ 0.5 of floor",
            goal_met=True,
        ),
        CaseResult.skipped("freshness", "ms", "the GraphQL API has no standings yet"),
    ]
    path = write_results(results, {"cores": 2, "commit": "abc"}, tmp_path)
    document = json.loads(path.read_text())
    first = document["cases"][0]
    assert {"name", "value", "unit", "floor", "floor_name", "ratio", "p50_ms", "p99_ms", "params"} <= set(
        first
    )
    assert first["ratio"] == 0.5
    assert document["machine"]["cores"] == 2
    table = (tmp_path / "README-table.md").read_text()
    assert "`write_single_province`" in table
    assert "the GraphQL API has no standings yet" in table


def test_options_select_cases_and_sizes() -> None:
    options = parse(["--only", "projection_rebuild", "--events", "100000", "--duration", "3"])
    assert options.only == ("projection_rebuild",)
    assert (options.events, options.duration) == (100_000, 3.0)


async def test_floors_insert_copy_and_read_on_a_real_database(database: ConnectionParams) -> None:
    rows = [(uuid.uuid4(), 1, "thidua.domain.units:Unit.Registered", b'{"name": "x"}') for _ in range(50)]
    conn = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        inserted = await insert_floor(conn, rows, duration=0.3)
        assert inserted.rows > 0
        assert len(inserted.latencies) == inserted.rows
        copied = await copy_floor(conn, [rows[:25], rows[25:]])
        assert copied.rows == 50
        read = await read_floor(conn, '"bench_floor"."ledger_events"')
        assert read.rows == 50
        # The floor table keeps the hash chain like a province's ledger.
        assert (
            await conn.fetchval('SELECT count(*) FROM "bench_floor"."ledger_events" WHERE chain_hash IS NULL')
            == 0
        )
    finally:
        await conn.close()


def test_generated_province_is_recorded_through_the_domain(registry: ProvinceRegistry) -> None:
    registry.create_province("bench-tiny", "Tỉnh nhỏ", created_by="test")
    app = registry.app("bench-tiny")
    written = generate(app, "bench-tiny", 400, shape=Shape(units=4, staff_per_unit=10, block_size=2))
    assert written >= 400
    topics = {n.topic.rpartition(":")[2] for n in app.recorder.select_notifications(start=1, limit=written)}
    assert {
        "Unit.Registered",
        "StaffMember.Registered",
        "BlockYear.Opened",
        "RatingSheet.Submitted",
    } <= topics


@pytest.mark.timeout(60)
async def test_closed_loop_clients_count_answers_from_a_served_endpoint(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(b'{"data": {"standings": []}}')
    server = floor_server(body, tmp_path)
    async with server:
        result = await closed_loop(
            server.url, lambda c, n: ("/graphql", {}, b"{}"), clients=4, duration=0.5, warmup=0.2
        )
    assert result.requests > 0
    assert result.failures == 0
    assert percentile_ms(result.latencies, 99) is not None


async def test_the_fair_rebuild_floor_copies_a_provinces_read_model_rows_into_fresh_tables(
    database: ConnectionParams, tmp_path: Path
) -> None:
    conn = await asyncpg.connect(**database.asyncpg_kwargs())
    body = "province text NOT NULL, k int NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (province, k)"
    try:
        await conn.execute("CREATE SCHEMA IF NOT EXISTS readmodel")
        await conn.execute(f"CREATE TABLE readmodel.floor_probe ({body})")
        await conn.execute(
            "INSERT INTO readmodel.floor_probe SELECT p, n, jsonb_build_object('n', n) "
            "FROM unnest(ARRAY['a', 'b']) AS p, generate_series(1, 30) AS n"
        )
        table = ReadModelTable("floor_probe", body, ("USING gin (doc)",))
        copied = await copy_readmodel_floor(conn, "a", [table], tmp_path / "scratch")
        assert copied.rows == 30
        assert copied.seconds > 0
        # The fresh tables and the scratch files are gone afterwards.
        assert await conn.fetchval("SELECT to_regnamespace('bench_floor_readmodel')") is None
        assert not list((tmp_path / "scratch").iterdir())
    finally:
        await conn.execute("DROP TABLE IF EXISTS readmodel.floor_probe")
        await conn.close()


async def test_a_cloned_province_verifies_and_reads_as_its_own(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """The clone's ledger verifies, its aggregates load under its own ids and code, and its
    read models stand at the template's positions under its code."""
    names: set[str] = set()
    registry.create_province("mau-nho", "Tỉnh mẫu", created_by="test")
    with recording_names("mau-nho", names):
        written = generate(registry.app("mau-nho"), "mau-nho", 300,
                           shape=Shape(units=4, staff_per_unit=10, block_size=2))
    await rebuild_provinces(database, ["mau-nho"])
    registry.create_province("ban-sao", "Tỉnh nhân bản", created_by="test")
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **database.asyncpg_kwargs())
    try:
        async with pool.acquire() as conn:
            await store_names(conn, names)
            assert await clone_province(conn, "mau-nho", "ban-sao") == written
            tracked = await conn.fetch(
                "SELECT province, projection, position FROM readmodel.tracking ORDER BY projection, province"
            )
            trail = await conn.fetchval(
                "SELECT count(*) FROM readmodel.audit_trail_v2 WHERE province = 'ban-sao'"
            )
        report = await verify_ledger(pool, "ban-sao", None)
    finally:
        await pool.close()
    assert report.ok
    assert report.events_checked == written
    unit: Unit = registry.app("ban-sao").repository.get(aggregate_id("ban-sao", "unit", "u0000"))
    assert (unit.province, unit.key) == ("ban-sao", "u0000")
    positions = {(r["province"], r["projection"]): r["position"] for r in tracked}
    assert {p for (code, _), p in positions.items() if code == "ban-sao"} == {written}
    assert trail == written


def test_the_year_end_rate_is_stated_from_its_parts() -> None:
    rates = Rates.year_end(34, 1.0)
    assert round(rates.write, 2) == round(300 * 25 / 40 * 3 / 3600 * 34, 2)
    assert rates.standings == rates.write * 4
    assert "34 provinces" in rates.estimate(34, 1.0)


async def test_resources_count_the_cpu_and_memory_of_a_process_tree() -> None:
    def spin(seconds: float) -> None:
        deadline = time.process_time() + seconds
        while time.process_time() < deadline:
            pass

    async with watched(os.getpid(), interval=0.05) as usage:
        await asyncio.to_thread(spin, 0.2)
    assert usage.cpu_s >= 0.15
    assert usage.peak_rss_bytes > 0
    assert usage.peak_pss_bytes > 0
    assert usage.peak_processes >= 1
