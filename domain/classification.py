"""Unit classification from scores (xếp loại đơn vị theo điểm): pure arithmetic.

The bands are a province's rule, not national law: Nghệ An's draft (total ≥ 90 with no criterion
under 85% of its maximum is "excellent"; ≥ 80 with floors at 80% "good"; ≥ 70 "completed"; under
70 fails) is that province's rule set; another province adopts its own (`adoptRules` with
`unit_bands`) before classifying, and is refused until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import RuleViolation
from .rules import RuleSet, at_least

FAILED_BAND = "failed"
BAND_NAMES_VI = {
    "excellent": "Xuất sắc",
    "good": "Tốt",
    "completed": "Hoàn thành",
    FAILED_BAND: "Không hoàn thành",
}


@dataclass(frozen=True)
class Classification:
    total: float
    band: str
    below_floor: tuple[str, ...]  # criteria under the floor of the best band the total reached


def total_points(
    scores: Mapping[str, float], bonuses: Mapping[str, float], deductions: Mapping[str, float]
) -> float:
    return round(sum(scores.values()) + sum(bonuses.values()) - sum(deductions.values()), 2)


def _reaches(points: float, maximum: int, floor: tuple[int, int]) -> bool:
    # Scores come in halves and quarters, so scale to hundredths and compare exactly.
    return at_least(round(points * 100), maximum * 100, floor)


def classify(
    scores: Mapping[str, float],
    maxima: Mapping[str, int],
    bonuses: Mapping[str, float],
    deductions: Mapping[str, float],
    rules: RuleSet,
) -> Classification:
    """The highest band whose total and per-criterion floors are both met."""
    if not rules.unit_bands:
        raise UnitBandsNotAdopted(
            "Tỉnh chưa ban hành thang xếp loại đơn vị theo điểm (không có quy định chung của Nhà nước); "
            "hãy ban hành quy tắc «unit_bands» trước khi xếp loại.",
            rule="unit_bands",
        )
    total = total_points(scores, bonuses, deductions)
    first_missed: tuple[str, ...] = ()
    for band in rules.unit_bands:
        if total < band.min_total:
            continue
        below = tuple(
            code
            for code, maximum in maxima.items()
            if not _reaches(scores.get(code, 0.0), maximum, band.criterion_floor)
        )
        if not below:
            return Classification(total, band.name, first_missed)
        first_missed = first_missed or below
    return Classification(total, FAILED_BAND, first_missed)


class UnitBandsNotAdopted(RuleViolation):
    code = "UNIT_BANDS_NOT_ADOPTED"
