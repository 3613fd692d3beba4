"""Replay: block standings as of three past instants equal what they were at those instants."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.integration.test_ledger_cli import thidua
from thidua.domain.classification import total_points
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.rules import national_rules_in_force
from thidua.domain.scoring import BlockScoring
from thidua.domain.transcodings import DateAsISO
from thidua.services.history_replay import explain_unit, position_at, replay_standings
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry

VN = timezone(timedelta(hours=7))
CRITERIA = [
    {"code": "c1", "group": "Công tác chuyên môn", "name": "Nhiệm vụ chính trị", "max_points": 60},
    {"code": "c2", "group": "Xây dựng Đảng", "name": "Công tác đảng, đoàn thể", "max_points": 40},
]
BONUS = [{"code": "co-tinh", "name": "Cờ thi đua của UBND tỉnh", "points": 10}]
DEDUCTIONS = [{"code": "vi-pham", "name": "Vi phạm kỷ luật", "points": 5}]
MEMBERS = ["cong-an", "quan-su", "toa-an", "vien-kiem-sat"]


def at(day: int, hour: int = 9) -> Provenance:
    """A clerk of the block acting on `day` December 2025, recorded then (Vietnam time)."""
    return Provenance(
        actor=Actor(user="thu-ky-khoi", role="block_officer", unit="cong-an"),
        recorded_at=datetime(2025, 12, day, hour, tzinfo=VN),
        effective_on=date(2025, 12, day),
        correlation_id=f"ngay-{day}-{hour}",
    )


def standings_now(scoring: BlockScoring) -> list[tuple[str, float, str | None]]:
    """What the live aggregate says at this moment: (unit, total, band), best first."""
    rows = [
        (unit, total_points(s["criterion"], s["bonus"], s["deduction"]),
         scoring.classifications.get(unit, {}).get("band"))
        for unit, s in scoring.sheets.items()
    ]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def replayed(registry: ProvinceRegistry, until: datetime) -> list[tuple[str, float, str | None]]:
    replay = replay_standings(registry, "nghe-an", until)
    (block,) = [b for b in replay.blocks if b.block == "khoi-noi-chinh"]
    return [(u.unit, u.total, u.band) for u in block.units]


@pytest.fixture
def app(registry: ProvinceRegistry) -> ProvinceApplication:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    province_app = registry.app("nghe-an")
    transcoder: Any = province_app.mapper.transcoder
    if "date_iso" not in transcoder.names:  # until the application registers the domain's own
        transcoder.register(DateAsISO())
    return province_app


def test_replay_reproduces_the_standings_recorded_at_three_past_instants(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    scoring = BlockScoring.adopt_table(
        province="nghe-an", block="khoi-noi-chinh", year=2025, criteria=CRITERIA,
        bonus_items=BONUS, deduction_items=DEDUCTIONS, by=at(1),
    )
    other = BlockScoring.adopt_table(
        province="nghe-an", block="khoi-dang", year=2025, criteria=CRITERIA,
        bonus_items=[], deduction_items=[], by=at(1),
    )
    recorded: dict[datetime, list[tuple[str, float, str | None]]] = {}

    # 10 December: three units self-assess.
    for unit, c1, c2, bonus in (("cong-an", 55, 36, ["co-tinh"]), ("quan-su", 54, 38, []),
                                ("toa-an", 50, 30, [])):
        scoring.self_assess(unit=unit, scores={"c1": c1, "c2": c2}, bonuses=bonus,
                            deductions=[], members=MEMBERS, by=at(10))
    other.self_assess(unit="so-noi-vu", scores={"c1": 40, "c2": 30}, bonuses=[], deductions=[],
                      members=["so-noi-vu"], by=at(10))
    app.save(scoring, other)
    recorded[datetime(2025, 12, 10, 23, 59, tzinfo=VN)] = standings_now(scoring)

    # 15 December: the fourth unit self-assesses; the block cross-checks and adjusts two scores.
    scoring.self_assess(unit="vien-kiem-sat", scores={"c1": 52, "c2": 38}, bonuses=[],
                        deductions=[], members=MEMBERS, by=at(15))
    scoring.adjust(unit="cong-an", item_kind="criterion", item="c1", new_points=45,
                   reason="Chưa đủ minh chứng chỉ tiêu 3", by=at(15, 14))
    scoring.adjust(unit="toa-an", item_kind="deduction", item="vi-pham", new_points=5,
                   reason="Có cán bộ bị kỷ luật khiển trách", by=at(15, 15))
    app.save(scoring)
    recorded[datetime(2025, 12, 15, 23, 59, tzinfo=VN)] = standings_now(scoring)

    # 20 December: classification by the bands in force.
    rules = national_rules_in_force(date(2025, 12, 20))
    for unit in MEMBERS:
        scoring.classify_unit(unit=unit, rules=rules, by=at(20))
    app.save(scoring)
    recorded[datetime(2025, 12, 20, 23, 59, tzinfo=VN)] = standings_now(scoring)

    # Later history must not leak into the past.
    scoring.adjust(unit="quan-su", item_kind="criterion", item="c2", new_points=30,
                   reason="Phúc tra", by=at(28))
    app.save(scoring)

    for instant, expected in recorded.items():
        assert replayed(registry, instant) == expected, instant
    # The cross-check changed the order: the replays really differ from one instant to the next.
    assert [u[0] for u in recorded[datetime(2025, 12, 10, 23, 59, tzinfo=VN)]] == [
        "cong-an", "quan-su", "toa-an",
    ]
    assert [u[0] for u in recorded[datetime(2025, 12, 15, 23, 59, tzinfo=VN)]] == [
        "quan-su", "cong-an", "vien-kiem-sat", "toa-an",
    ]
    assert all(band for _, _, band in recorded[datetime(2025, 12, 20, 23, 59, tzinfo=VN)])
    assert replayed(registry, datetime(2025, 12, 9, tzinfo=VN)) == []


def test_each_figure_lists_the_events_that_produced_it(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    scoring = BlockScoring.adopt_table(
        province="nghe-an", block="khoi-noi-chinh", year=2025, criteria=CRITERIA,
        bonus_items=BONUS, deduction_items=DEDUCTIONS, by=at(1),
    )
    scoring.self_assess(unit="cong-an", scores={"c1": 55, "c2": 36}, bonuses=["co-tinh"],
                        deductions=[], members=MEMBERS, by=at(10))
    scoring.self_assess(unit="toa-an", scores={"c1": 55, "c2": 36}, bonuses=["co-tinh"],
                        deductions=[], members=MEMBERS, by=at(10))
    scoring.adjust(unit="cong-an", item_kind="criterion", item="c1", new_points=50,
                   reason="Chưa đủ minh chứng", by=at(15))
    scoring.adjust(unit="cong-an", item_kind="criterion", item="c1", new_points=55,
                   reason="Đã bổ sung minh chứng", by=at(16))
    scoring.classify_unit(unit="cong-an", rules=national_rules_in_force(date(2025, 12, 20)),
                          by=at(20))
    app.save(scoring)

    replay = replay_standings(registry, "nghe-an")
    units = {u.unit: u for u in replay.blocks[0].units}
    cong_an = units["cong-an"]
    assert (cong_an.total, cong_an.rank, cong_an.band, cong_an.band_vi) == (
        101.0, 1, "excellent", "Xuất sắc"
    )
    assert units["toa-an"].rank == 1  # equal totals share a rank
    assert [c.event for c in cong_an.causes] == [
        "SelfAssessed", "ScoreAdjusted", "ScoreAdjusted", "UnitClassified"
    ]
    assert [c.position for c in cong_an.causes] == [2, 4, 5, 6]
    assert "Chưa đủ minh chứng" in cong_an.causes[1].detail
    assert cong_an.causes[1].recorded_at == datetime(2025, 12, 15, 9, tzinfo=VN)
    assert cong_an.causes[0].actor == "thu-ky-khoi"
    explained = explain_unit(registry, "nghe-an", block="khoi-noi-chinh", year=2025, unit="cong-an",
                             until=datetime(2025, 12, 15, 12, tzinfo=VN))
    assert explained is not None
    assert (explained.total, explained.band) == (96.0, None)
    assert [c.position for c in explained.causes] == [2, 4]
    assert explain_unit(registry, "nghe-an", block="khoi-noi-chinh", year=2025,
                        unit="quan-su") is None


def test_the_position_of_an_instant_is_the_last_event_recorded_by_then(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    scoring = BlockScoring.adopt_table(
        province="nghe-an", block="khoi-noi-chinh", year=2025, criteria=CRITERIA,
        bonus_items=[], deduction_items=[], by=at(1),
    )
    app.save(scoring)
    scoring.self_assess(unit="cong-an", scores={"c1": 55, "c2": 36}, bonuses=[],
                        deductions=[], members=MEMBERS, by=at(10))
    app.save(scoring)
    assert position_at(registry, "nghe-an", datetime(2025, 11, 30, tzinfo=VN)) == 0
    assert position_at(registry, "nghe-an", datetime(2025, 12, 1, 9, tzinfo=VN)) == 1
    assert position_at(registry, "nghe-an", datetime(2025, 12, 9, tzinfo=VN)) == 1
    assert position_at(registry, "nghe-an", datetime(2026, 1, 1, tzinfo=VN)) == 2


def test_the_replay_command_prints_the_standings_and_their_causes(
    registry: ProvinceRegistry, app: ProvinceApplication
) -> None:
    scoring = BlockScoring.adopt_table(
        province="nghe-an", block="khoi-noi-chinh", year=2025, criteria=CRITERIA,
        bonus_items=BONUS, deduction_items=DEDUCTIONS, by=at(1),
    )
    scoring.self_assess(unit="cong-an", scores={"c1": 55, "c2": 36}, bonuses=[],
                        deductions=[], members=MEMBERS, by=at(10))
    scoring.self_assess(unit="toa-an", scores={"c1": 50, "c2": 36}, bonuses=[],
                        deductions=[], members=MEMBERS, by=at(10))
    app.save(scoring)
    scoring.adjust(unit="cong-an", item_kind="criterion", item="c1", new_points=45,
                   reason="Chưa đủ minh chứng", by=at(15))
    app.save(scoring)

    before = thidua(registry.params, "replay", "--province", "nghe-an", "--until", "2025-12-14",
                    "--explain")
    assert before.returncode == 0, before.stderr
    lines = before.stdout.splitlines()
    assert "ledger position 3" in lines[0]
    assert [line.split()[1] for line in lines if line.strip().startswith(("1 ", "2 "))] == [
        "cong-an", "toa-an",
    ]
    after = thidua(registry.params, "replay", "--province", "nghe-an", "--json")
    data = json.loads(after.stdout)
    assert [u["unit"] for u in data["blocks"][0]["units"]] == ["toa-an", "cong-an"]
    assert data["blocks"][0]["units"][1]["causes"] == [2, 4]
