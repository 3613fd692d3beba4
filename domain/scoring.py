"""A block's scoring for a year (chấm điểm thi đua): the table, self-assessments, cross-checks.

The table (bảng chấm điểm) has criteria in groups with maximum points, plus bonus items (e.g. +10
for a provincial flag) and deductions. Each member unit self-assesses (tự chấm điểm); the block
cross-checks (thẩm định chéo) and may adjust, always with a reason; classification applies the
bands of the rules in force. Services pass the block-year's member list where membership matters.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .block_year import block_year_key
from .classification import classify
from .errors import AlreadyRecorded, Conflict, MalformedCommand, NotAMember, ReasonRequired
from .ids import aggregate_id
from .provenance import Provenance
from .rules import RuleSet

ITEM_KINDS = ("criterion", "bonus", "deduction")


def _check_items(items: list[dict[str, Any]], points_field: str, what: str) -> None:
    codes = [i.get("code") for i in items]
    if len(set(codes)) != len(codes) or any(not isinstance(c, str) or not c for c in codes):
        raise MalformedCommand(f"Mã {what} trùng lặp hoặc trống.")
    if any(not isinstance(i.get(points_field), int) or i[points_field] <= 0 for i in items):
        raise MalformedCommand(f"Điểm của {what} phải là số nguyên dương.")


class BlockScoring(LedgerAggregate):
    """Id from f"{block}/{year}", like the block-year it scores."""

    class TableAdopted(LedgerAggregate.Created):
        province: str
        block: str
        year: int
        criteria: list[dict[str, Any]]
        bonus_items: list[dict[str, Any]]
        deduction_items: list[dict[str, Any]]

    class SelfAssessed(LedgerAggregate.Event):
        unit: str
        scores: dict[str, float]
        bonuses: list[str]
        deductions: list[str]

    class ScoreAdjusted(LedgerAggregate.Event):
        unit: str
        item_kind: str
        item: str
        old_points: float
        new_points: float
        reason: str

    class UnitClassified(LedgerAggregate.Event):
        unit: str
        total: float
        band: str
        below_floor: list[str]
        rule_version: str

    def __init__(
        self,
        *,
        province: str,
        block: str,
        year: int,
        criteria: list[dict[str, Any]],
        bonus_items: list[dict[str, Any]],
        deduction_items: list[dict[str, Any]],
    ) -> None:
        self.province = province
        self.block = block
        self.year = year
        self.maxima: dict[str, int] = {c["code"]: c["max_points"] for c in criteria}
        self.item_points: dict[str, dict[str, int]] = {
            "bonus": {b["code"]: b["points"] for b in bonus_items},
            "deduction": {d["code"]: d["points"] for d in deduction_items},
        }
        # unit -> {"criterion": {...}, "bonus": {...}, "deduction": {...}}
        self.sheets: dict[str, dict[str, dict[str, float]]] = {}
        self.classifications: dict[str, dict[str, Any]] = {}

    @classmethod
    def adopt_table(
        cls,
        *,
        province: str,
        block: str,
        year: int,
        criteria: list[dict[str, Any]],
        bonus_items: list[dict[str, Any]],
        deduction_items: list[dict[str, Any]],
        by: Provenance,
    ) -> BlockScoring:
        """Criteria: {code, group, name, max_points}; bonus/deduction: {code, name, points}."""
        require_year(year)
        if not criteria:
            raise MalformedCommand("Bảng chấm điểm phải có tiêu chí.")
        _check_items(criteria, "max_points", "tiêu chí")
        _check_items(bonus_items, "points", "điểm thưởng")
        _check_items(deduction_items, "points", "điểm trừ")
        return cls._start(
            cls.TableAdopted,
            by,
            id=aggregate_id(province, "scoring", block_year_key(block, year)),
            province=province,
            block=require_text(block, "block"),
            year=year,
            criteria=[dict(c) for c in criteria],
            bonus_items=[dict(b) for b in bonus_items],
            deduction_items=[dict(d) for d in deduction_items],
        )

    def self_assess(
        self,
        *,
        unit: str,
        scores: dict[str, float],
        bonuses: list[str],
        deductions: list[str],
        members: list[str],
        by: Provenance,
    ) -> None:
        """A member unit scores itself on every criterion, once."""
        if unit not in members:
            raise NotAMember(f"«{unit}» không thuộc khối năm {self.year}.", unit=unit)
        if unit in self.sheets:
            raise AlreadyRecorded(f"«{unit}» đã tự chấm điểm năm {self.year}.", unit=unit)
        if set(scores) != set(self.maxima):
            raise IncompleteAssessment(
                "Phải chấm đủ và đúng các tiêu chí của bảng.",
                missing=", ".join(sorted(set(self.maxima) - set(scores))),
                unknown=", ".join(sorted(set(scores) - set(self.maxima))),
            )
        for code, points in scores.items():
            self._check_points("criterion", code, points)
        for kind, codes in (("bonus", bonuses), ("deduction", deductions)):
            if len(set(codes)) != len(codes) or set(codes) - set(self.item_points[kind]):
                raise MalformedCommand(f"Mục {kind} không có trong bảng hoặc trùng lặp.")
        self._record(
            self.SelfAssessed,
            by,
            unit=unit,
            scores={k: float(v) for k, v in scores.items()},
            bonuses=sorted(bonuses),
            deductions=sorted(deductions),
        )

    @event(SelfAssessed)
    def _on_self_assessed(
        self, unit: str, scores: dict[str, float], bonuses: list[str], deductions: list[str]
    ) -> None:
        self.sheets[unit] = {
            "criterion": dict(scores),
            "bonus": {c: float(self.item_points["bonus"][c]) for c in bonuses},
            "deduction": {c: float(self.item_points["deduction"][c]) for c in deductions},
        }

    def _maximum(self, kind: str, item: str) -> int:
        table = self.maxima if kind == "criterion" else self.item_points.get(kind, {})
        if item not in table:
            raise MalformedCommand(f"Mục «{item}» không có trong bảng.", item=item)
        return table[item]

    def _check_points(self, kind: str, item: str, points: float) -> None:
        maximum = self._maximum(kind, item)
        if not 0 <= points <= maximum:
            raise MalformedCommand(f"Điểm «{item}» phải từ 0 đến {maximum}.", item=item, points=points)

    def adjust(
        self,
        *,
        unit: str,
        item_kind: str,
        item: str,
        new_points: float,
        reason: str,
        by: Provenance,
    ) -> None:
        """Cross-check adjustment (thẩm định chéo): always with a reason."""
        if not reason.strip():
            raise ReasonRequired("Điều chỉnh điểm phải nêu lý do.", unit=unit, item=item)
        if item_kind not in ITEM_KINDS:
            raise MalformedCommand(f"Loại mục «{item_kind}» không hợp lệ.")
        if unit not in self.sheets:
            raise NotAssessed(f"«{unit}» chưa tự chấm điểm.", unit=unit)
        self._check_points(item_kind, item, new_points)
        old = self.sheets[unit][item_kind].get(item, 0.0)
        if old == new_points:
            raise AlreadyRecorded(f"Mục «{item}» đã là {new_points} điểm.", item=item)
        self._record(
            self.ScoreAdjusted,
            by,
            unit=unit,
            item_kind=item_kind,
            item=item,
            old_points=float(old),
            new_points=float(new_points),
            reason=reason.strip(),
        )

    @event(ScoreAdjusted)
    def _on_adjusted(self, unit: str, item_kind: str, item: str, new_points: float) -> None:
        points = self.sheets[unit][item_kind]
        if item_kind != "criterion" and new_points == 0:
            points.pop(item, None)
        else:
            points[item] = new_points

    def classify_unit(self, *, unit: str, rules: RuleSet, by: Provenance) -> str:
        """Classify by the bands in force; returns the band (also recorded)."""
        if unit not in self.sheets:
            raise NotAssessed(f"«{unit}» chưa tự chấm điểm.", unit=unit)
        sheet = self.sheets[unit]
        result = classify(sheet["criterion"], self.maxima, sheet["bonus"], sheet["deduction"], rules)
        self._record(
            self.UnitClassified,
            by,
            unit=unit,
            total=result.total,
            band=result.band,
            below_floor=list(result.below_floor),
            rule_version=rules.version,
        )
        return result.band

    @event(UnitClassified)
    def _on_classified(self, unit: str, total: float, band: str) -> None:
        self.classifications[unit] = {"total": total, "band": band}


class IncompleteAssessment(MalformedCommand):
    code = "INCOMPLETE_ASSESSMENT"


class NotAssessed(Conflict):
    code = "NOT_ASSESSED"
