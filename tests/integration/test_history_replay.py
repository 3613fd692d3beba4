"""Replay: block standings as of past instants, from the ledger and from the read model, agree
with the standings the read model showed at those instants."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.integration.test_ledger_cli import thidua
from thidua.domain.provenance import Actor, Provenance
from thidua.projections.standings.projection import DOCS
from thidua.projections.standings.queries import get_standings
from thidua.projections.standings.reducer import BLOCK_YEAR
from thidua.services.database import ConnectionParams
from thidua.services.history_replay import explain_unit, position_at, replay_standings
from thidua.services.projection_host import ProjectionHost
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry

VN = timezone(timedelta(hours=7))
BLOCK = "khoi-noi-chinh"
CRITERIA = [
    {"code": "c1", "group": "Công tác chuyên môn", "name": "Nhiệm vụ chính trị", "max_points": 60},
    {"code": "c2", "group": "Xây dựng Đảng", "name": "Công tác đảng, đoàn thể", "max_points": 40},
]
BONUS = [{"code": "co-tinh", "name": "Cờ thi đua của UBND tỉnh", "points": 10}]
DEDUCTIONS = [{"code": "vi-pham", "name": "Vi phạm kỷ luật", "points": 5}]
MEMBERS = {
    "cong-an": "Công an tỉnh",
    "quan-su": "Bộ Chỉ huy Quân sự tỉnh",
    "toa-an": "Tòa án nhân dân tỉnh",
    "vien-kiem-sat": "Viện Kiểm sát nhân dân tỉnh",
}
Row = tuple[str, float, int, str | None]


def at(day: int, hour: int = 9) -> Provenance:
    """The block's clerk acting on `day` December 2025, recorded then (Vietnam time)."""
    return Provenance(
        actor=Actor(user="thu-ky-khoi", role="block_officer", unit="cong-an"),
        recorded_at=datetime(2025, 12, day, hour, tzinfo=VN),
        effective_on=date(2025, 12, day),
        correlation_id=f"ngay-{day}-{hour}",
    )


def end_of(day: int) -> datetime:
    return datetime(2025, 12, day, 23, 59, tzinfo=VN)


@pytest.fixture
def app(registry: ProvinceRegistry) -> ProvinceApplication:
    """Nghệ An's internal-affairs block for 2025 with its scoring table (recorded 1 December)."""
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    province = registry.app("nghe-an")
    for key, name in MEMBERS.items():
        province.register_unit(key=key, name=name, by=at(1))
    province.create_block(key=BLOCK, name="Khối Nội chính", kind="block", by=at(1))
    province.open_block_year(block=BLOCK, year=2025, members=list(MEMBERS), members_claimed=None, by=at(1))
    province.adopt_scoring_table(
        block=BLOCK, year=2025, criteria=CRITERIA, bonus_items=BONUS, deduction_items=DEDUCTIONS, by=at(1)
    )
    return province


@pytest.fixture
async def host(
    registry: ProvinceRegistry, database: ConnectionParams, app: ProvinceApplication
) -> AsyncIterator[ProjectionHost]:
    projections = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.5)
    await projections.start()
    try:
        yield projections
    finally:
        await projections.stop()


def assess(
    app: ProvinceApplication, unit: str, c1: float, c2: float, *, day: int, bonuses: list[str] | None = None
) -> int:
    return app.self_assess(
        block=BLOCK,
        year=2025,
        unit=unit,
        scores={"c1": c1, "c2": c2},
        bonuses=bonuses or [],
        deductions=[],
        by=at(day),
    )


def ledger_rows(registry: ProvinceRegistry, until: datetime | None) -> list[Row]:
    replay = replay_standings(registry, "nghe-an", until)
    if not replay.blocks:
        return []
    (block,) = replay.blocks
    return [(u.unit, u.total, u.rank, u.band) for u in block.units]


async def read_model_rows(host: ProjectionHost, until: datetime | None = None) -> list[Row]:
    standings = await get_standings(host.pool, "nghe-an", BLOCK, 2025, as_of=until)
    assert standings is not None
    return [(u.unit, u.total, u.rank or 0, u.classification) for u in standings.units if u.total is not None]


async def test_replay_reproduces_the_standings_recorded_at_three_past_instants(
    registry: ProvinceRegistry, app: ProvinceApplication, host: ProjectionHost
) -> None:
    recorded: dict[datetime, list[Row]] = {}

    # 10 December: three units self-assess.
    assess(app, "cong-an", 55, 36, day=10, bonuses=["co-tinh"])
    assess(app, "quan-su", 54, 38, day=10)
    position = assess(app, "toa-an", 50, 30, day=10)
    await host.wait_for("nghe-an", position, timeout_s=20)
    recorded[end_of(10)] = await read_model_rows(host)

    # 15 December: the fourth unit self-assesses; the block cross-checks and adjusts two scores.
    assess(app, "vien-kiem-sat", 52, 38, day=15)
    app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="cong-an",
        item_kind="criterion",
        item="c1",
        new_points=45,
        reason="Chưa đủ minh chứng chỉ tiêu 3",
        by=at(15, 14),
    )
    position = app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="toa-an",
        item_kind="deduction",
        item="vi-pham",
        new_points=5,
        reason="Có cán bộ bị kỷ luật khiển trách",
        by=at(15, 15),
    )
    await host.wait_for("nghe-an", position, timeout_s=20)
    recorded[end_of(15)] = await read_model_rows(host)

    # 20 December: classification by the bands in force.
    for unit in MEMBERS:
        position = app.classify_unit(block=BLOCK, year=2025, unit=unit, by=at(20))
    await host.wait_for("nghe-an", position, timeout_s=20)
    recorded[end_of(20)] = await read_model_rows(host)

    # Later history must not leak into the past.
    position = app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="quan-su",
        item_kind="criterion",
        item="c2",
        new_points=30,
        reason="Phúc tra",
        by=at(28),
    )
    await host.wait_for("nghe-an", position, timeout_s=20)

    # The cross-check changed the order: the three instants really differ.
    assert [r[0] for r in recorded[end_of(10)]] == ["cong-an", "quan-su", "toa-an"]
    assert [r[0] for r in recorded[end_of(15)]] == ["quan-su", "cong-an", "vien-kiem-sat", "toa-an"]
    assert all(r[3] for r in recorded[end_of(20)])
    for instant, expected in recorded.items():
        assert ledger_rows(registry, instant) == expected, instant
        assert await read_model_rows(host, instant) == expected, instant
    assert ledger_rows(registry, end_of(9)) == []

    replayed = thidua(registry.params, "replay", "--province", "nghe-an", "--until", "2025-12-15", "--json")
    assert replayed.returncode == 0, replayed.stderr
    data = json.loads(replayed.stdout)
    assert data["read_model"] == "checked"
    assert data["disagreements"] == []
    units = data["blocks"][0]["units"]
    assert [(u["unit"], u["total"], u["rank"], u["band"]) for u in units] == recorded[end_of(15)]

    printed = thidua(registry.params, "replay", "--province", "nghe-an", "--until", "2025-12-20")
    assert "Bộ Chỉ huy Quân sự tỉnh" in printed.stdout
    assert "agree on every total, rank and band" in printed.stdout


async def test_a_read_model_that_disagrees_with_the_ledger_is_reported(
    registry: ProvinceRegistry, app: ProvinceApplication, host: ProjectionHost
) -> None:
    assess(app, "cong-an", 55, 36, day=10)
    position = assess(app, "toa-an", 50, 30, day=10)
    await host.wait_for("nghe-an", position, timeout_s=20)
    # A forged read model: the operator bumps a total in the standings document.
    async with host.pool.acquire() as conn:
        changed = await conn.execute(
            f"UPDATE readmodel.{DOCS.name} SET doc = jsonb_set(doc, "
            "'{sheets,toa-an,checked,criterion,c1}', '60') WHERE province = 'nghe-an' "
            "AND kind = $1",
            BLOCK_YEAR,
        )
    assert changed.endswith("1")
    replayed = thidua(registry.params, "replay", "--province", "nghe-an")
    assert replayed.returncode == 1
    assert "toa-an" in replayed.stderr
    assert "DISAGREES" in replayed.stderr


def test_each_figure_lists_the_events_that_produced_it(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    own = assess(app, "cong-an", 55, 36, day=10, bonuses=["co-tinh"])
    assess(app, "toa-an", 55, 36, day=10, bonuses=["co-tinh"])
    first = app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="cong-an",
        item_kind="criterion",
        item="c1",
        new_points=50,
        reason="Chưa đủ minh chứng",
        by=at(15),
    )
    second = app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="cong-an",
        item_kind="criterion",
        item="c1",
        new_points=55,
        reason="Đã bổ sung minh chứng",
        by=at(16),
    )
    classified = app.classify_unit(block=BLOCK, year=2025, unit="cong-an", by=at(20))

    replay = replay_standings(registry, "nghe-an")
    units = {u.unit: u for u in replay.blocks[0].units}
    cong_an = units["cong-an"]
    assert (cong_an.total, cong_an.rank, cong_an.band, cong_an.band_vi) == (101.0, 1, "excellent", "Xuất sắc")
    assert units["toa-an"].rank == 1  # equal totals share a rank
    assert [c.event for c in cong_an.causes] == [
        "SelfAssessed",
        "ScoreAdjusted",
        "ScoreAdjusted",
        "UnitClassified",
    ]
    # Classifying also notes the band on the unit's award record, saved in the same transaction.
    assert [c.position for c in cong_an.causes][:3] == [own, first, second]
    assert cong_an.causes[3].position <= classified
    assert "Chưa đủ minh chứng" in cong_an.causes[1].detail
    assert cong_an.causes[1].recorded_at == datetime(2025, 12, 15, 9, tzinfo=VN)
    assert cong_an.causes[0].actor == "thu-ky-khoi"
    explained = explain_unit(
        registry,
        "nghe-an",
        block=BLOCK,
        year=2025,
        unit="cong-an",
        until=datetime(2025, 12, 15, 12, tzinfo=VN),
    )
    assert explained is not None
    assert (explained.total, explained.band) == (96.0, None)
    assert [c.position for c in explained.causes] == [own, first]
    assert explain_unit(registry, "nghe-an", block=BLOCK, year=2025, unit="quan-su") is None


def test_the_position_of_an_instant_is_the_last_event_recorded_by_then(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    setup = position_at(registry, "nghe-an", end_of(1))
    assert setup > 0
    position = assess(app, "cong-an", 55, 36, day=10)
    assert position_at(registry, "nghe-an", datetime(2025, 11, 30, tzinfo=VN)) == 0
    assert position_at(registry, "nghe-an", end_of(9)) == setup
    assert position_at(registry, "nghe-an", datetime(2026, 1, 1, tzinfo=VN)) == position


def test_the_replay_command_prints_the_standings_and_their_causes(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    assess(app, "cong-an", 55, 36, day=10)
    assess(app, "toa-an", 50, 36, day=10)
    adjusted = app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="cong-an",
        item_kind="criterion",
        item="c1",
        new_points=45,
        reason="Chưa đủ minh chứng",
        by=at(15),
    )

    before = thidua(registry.params, "replay", "--province", "nghe-an", "--until", "2025-12-14", "--explain")
    assert before.returncode == 0, before.stderr
    lines = before.stdout.splitlines()
    assert "replayed from the ledger only" in lines[1]  # no read models on this database
    ranked = [line.split()[1] for line in lines if line.strip().startswith(("1 ", "2 "))]
    assert ranked == ["cong-an", "toa-an"]
    assert any("tự chấm điểm: 91 điểm tiêu chí" in line for line in lines)
    after = thidua(registry.params, "replay", "--province", "nghe-an", "--json")
    data: dict[str, Any] = json.loads(after.stdout)
    assert [u["unit"] for u in data["blocks"][0]["units"]] == ["toa-an", "cong-an"]
    assert data["blocks"][0]["units"][1]["causes"][-1] == adjusted


def test_an_event_backdated_after_the_fact_does_not_rewrite_the_past(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    assess(app, "cong-an", 55, 36, day=10)
    assess(app, "toa-an", 50, 36, day=16)
    before = ledger_rows(registry, end_of(15))
    # Recorded after 16 December, but claiming to have been recorded on 12 December.
    app.adjust_score(
        block=BLOCK,
        year=2025,
        unit="cong-an",
        item_kind="criterion",
        item="c1",
        new_points=20,
        reason="Ghi lùi ngày",
        by=at(12),
    )
    assert ledger_rows(registry, end_of(15)) == before == [("cong-an", 91.0, 1, None)]
    assert ledger_rows(registry, None)[-1] == ("cong-an", 56.0, 2, None)


async def test_as_of_standings_list_the_ballots_opened_about_the_block_year_by_then(
    app: ProvinceApplication, host: ProjectionHost
) -> None:
    """Ballots opened about the block-year are found through the live documents' subject, not a
    scan of the trail: one opened by the instant is shown with its unit names, one opened later
    is not, and the live standings show both."""

    def open_about(key: str, day: int) -> int:
        return app.open_ballot(
            key=key, purpose="classification", subject=f"{BLOCK}/2025/cong-an", award=None, secret=False,
            question="approve", electorate="block_members", block=BLOCK, year=2025,
            options=["approve", "reject"], by=at(day),
        ).position

    open_about(f"{BLOCK}/2025/xep-loai-1", 5)
    position = open_about(f"{BLOCK}/2025/xep-loai-2", 20)
    await host.wait_for("nghe-an", position, timeout_s=20)

    live = await get_standings(host.pool, "nghe-an", BLOCK, 2025)
    then = await get_standings(host.pool, "nghe-an", BLOCK, 2025, as_of=end_of(10))
    assert live is not None
    assert then is not None
    assert {b.key for b in live.ballots} == {f"{BLOCK}/2025/xep-loai-1", f"{BLOCK}/2025/xep-loai-2"}
    assert {b.key for b in then.ballots} == {f"{BLOCK}/2025/xep-loai-1"}
    assert {u.name for u in then.units} == set(MEMBERS.values())
