"""Unit scoring: the table, self-assessment, cross-check adjustments, classification bands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thidua.domain.classification import classify
from thidua.domain.errors import AlreadyRecorded, MalformedCommand, NotAMember, ReasonRequired
from thidua.domain.provenance import Provenance
from thidua.domain.rulebook import rules_in_force
from thidua.domain.rules import RuleSet
from thidua.domain.scoring import BlockScoring, IncompleteAssessment, NotAssessed

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
CRITERIA = [
    {"code": "c1", "group": "Nhiệm vụ chuyên môn", "name": "Chuyên môn", "max_points": 60},
    {"code": "c2", "group": "Xây dựng Đảng", "name": "Đảng", "max_points": 40},
]
BONUS = [{"code": "co-tinh", "name": "Cờ thi đua UBND tỉnh", "points": 10}]
DEDUCTIONS = [{"code": "tre-han", "name": "Nộp báo cáo trễ", "points": 2}]
MEMBERS = ["a", "b"]


@pytest.fixture
def rules_on() -> Rules:
    """Nghệ An's rules: the unit scoring bands are that province's rule set, not national law."""
    return lambda day: rules_in_force(None, date.fromisoformat(day), "nghe-an")


def table(at: At) -> BlockScoring:
    return BlockScoring.adopt_table(
        province="nghe-an",
        block="khoi-1",
        year=2024,
        criteria=CRITERIA,
        bonus_items=BONUS,
        deduction_items=DEDUCTIONS,
        by=at("2024-01-15"),
    )


def assess(s: BlockScoring, at: At, c1: float, c2: float, bonus: bool = False) -> None:
    s.self_assess(
        unit="a",
        scores={"c1": c1, "c2": c2},
        bonuses=["co-tinh"] if bonus else [],
        deductions=[],
        members=MEMBERS,
        by=at("2024-12-01"),
    )


@pytest.mark.parametrize(
    ("c1", "c2", "band"),
    [
        (55, 37, "excellent"),  # 92, both ≥ 85%
        (60, 33, "good"),  # 93 but c2 = 82.5% < 85%: falls to good (floor 80%)
        (50, 35, "good"),  # 85
        (45, 30, "completed"),  # 75
        (40, 25, "failed"),  # 65
    ],
)
def test_classification_bands_follow_the_rule_set(c1: int, c2: int, band: str, rules_on: Rules) -> None:
    result = classify({"c1": c1, "c2": c2}, {"c1": 60, "c2": 40}, {}, {}, rules_on("2024-12-01"))
    assert result.band == band


def test_self_assessment_then_classification_records_total_and_band(at: At, rules_on: Rules) -> None:
    s = table(at)
    assess(s, at, 52, 34, bonus=True)
    assert s.classify_unit(unit="a", rules=rules_on("2024-12-20"), by=at("2024-12-20")) == "excellent"
    assert s.classifications["a"] == {"total": 96.0, "band": "excellent"}


def test_table_must_have_well_formed_criteria(at: At) -> None:
    with pytest.raises(MalformedCommand):
        BlockScoring.adopt_table(
            province="p",
            block="b",
            year=2024,
            criteria=[],
            bonus_items=[],
            deduction_items=[],
            by=at("2024-01-01"),
        )
    with pytest.raises(MalformedCommand):
        BlockScoring.adopt_table(
            province="p",
            block="b",
            year=2024,
            criteria=[{"code": "c", "max_points": 0}],
            bonus_items=[],
            deduction_items=[],
            by=at("2024-01-01"),
        )


def test_only_members_self_assess_once_on_every_criterion(at: At) -> None:
    s = table(at)
    with pytest.raises(NotAMember):
        s.self_assess(
            unit="z",
            scores={"c1": 1, "c2": 1},
            bonuses=[],
            deductions=[],
            members=MEMBERS,
            by=at("2024-12-01"),
        )
    with pytest.raises(IncompleteAssessment):
        s.self_assess(
            unit="a", scores={"c1": 1}, bonuses=[], deductions=[], members=MEMBERS, by=at("2024-12-01")
        )
    with pytest.raises(MalformedCommand):
        assess(s, at, 61, 1)
    with pytest.raises(MalformedCommand):
        s.self_assess(
            unit="a",
            scores={"c1": 1, "c2": 1},
            bonuses=["?"],
            deductions=[],
            members=MEMBERS,
            by=at("2024-12-01"),
        )
    assess(s, at, 50, 30)
    with pytest.raises(AlreadyRecorded):
        assess(s, at, 50, 30)


def test_cross_check_adjustment_always_carries_a_reason(at: At, rules_on: Rules) -> None:
    s = table(at)
    assess(s, at, 55, 37)
    with pytest.raises(ReasonRequired):
        s.adjust(unit="a", item_kind="criterion", item="c2", new_points=30, reason="", by=at("2024-12-10"))
    s.adjust(
        unit="a",
        item_kind="criterion",
        item="c2",
        new_points=30,
        reason="thiếu minh chứng",
        by=at("2024-12-10"),
    )
    s.adjust(
        unit="a",
        item_kind="deduction",
        item="tre-han",
        new_points=2,
        reason="trễ báo cáo",
        by=at("2024-12-10"),
    )
    assert s.classify_unit(unit="a", rules=rules_on("2024-12-20"), by=at("2024-12-20")) == "completed"


def test_adjustments_refuse_unknown_items_and_unassessed_units(at: At) -> None:
    s = table(at)
    with pytest.raises(NotAssessed):
        s.adjust(unit="a", item_kind="criterion", item="c1", new_points=1, reason="r", by=at("2024-12-10"))
    assess(s, at, 55, 37)
    with pytest.raises(MalformedCommand):
        s.adjust(unit="a", item_kind="criterion", item="c9", new_points=1, reason="r", by=at("2024-12-10"))
    with pytest.raises(MalformedCommand):
        s.adjust(unit="a", item_kind="magic", item="c1", new_points=1, reason="r", by=at("2024-12-10"))
    with pytest.raises(AlreadyRecorded):
        s.adjust(unit="a", item_kind="criterion", item="c1", new_points=55, reason="r", by=at("2024-12-10"))
    with pytest.raises(NotAssessed):
        s.classify_unit(unit="b", rules=RuleSet("x", s.created_on.date(), "x"), by=at("2024-12-10"))


def test_scoring_rebuilt_from_stored_events_equals_the_original(
    at: At, rules_on: Rules, rebuild: Callable[[BlockScoring], Any]
) -> None:
    s = table(at)
    assess(s, at, 55.5, 37, bonus=True)
    s.adjust(
        unit="a",
        item_kind="bonus",
        item="co-tinh",
        new_points=0,
        reason="chưa có quyết định",
        by=at("2024-12-10"),
    )
    s.classify_unit(unit="a", rules=rules_on("2024-12-20"), by=at("2024-12-20"))
    assert rebuild(s) == s
