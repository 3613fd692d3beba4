"""Pure rating arithmetic (xếp loại): bands by score, the HTXSNV cap, year-end derivation.

Bands (Decree 335/2025): ≥ 90 HTXSNV, 70–89 HTTNV, 50–69 HTNV, below 50 KHTNV. From
01/01/2026 the count of HTXSNV may not exceed 20% of the count of HTTNV within the unit and
within each rating group. We read "20% of the HTTNV count" literally (HTTNV band only, rounded
down): a sheet with 4 HTTNV allows no HTXSNV, one with 5 allows one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .rules import RuleSet

EXCELLENT, GOOD, COMPLETED, FAILED = "HTXSNV", "HTTNV", "HTNV", "KHTNV"
BAND_NAMES_VI = {
    EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    GOOD: "Hoàn thành tốt nhiệm vụ",
    COMPLETED: "Hoàn thành nhiệm vụ",
    FAILED: "Không hoàn thành nhiệm vụ",
}
MAX_SCORE = 100


def band_for(score: int, rules: RuleSet) -> str:
    if score >= rules.rating_excellent_min:
        return EXCELLENT
    if score >= rules.rating_good_min:
        return GOOD
    if score >= rules.rating_completed_min:
        return COMPLETED
    return FAILED


@dataclass(frozen=True)
class CapBreach:
    """Where the cap is exceeded: scope is "unit" or a rating group's name."""

    scope: str
    excellent: int
    good: int
    allowed: int


def allowed_excellent(good_count: int, rules: RuleSet) -> int:
    num, den = rules.excellent_cap
    return (good_count * num) // den


def cap_breaches(entries: Iterable[Mapping[str, object]], rules: RuleSet) -> list[CapBreach]:
    """Every scope (the unit, then each group) whose HTXSNV count exceeds the cap."""
    if not rules.excellent_cap_in_force:
        return []
    rows = list(entries)
    scopes: dict[str, Counter[str]] = {"unit": Counter(str(r["band"]) for r in rows)}
    for row in rows:
        scopes.setdefault(f"group:{row['group']}", Counter())[str(row["band"])] += 1
    breaches = []
    for scope, counts in scopes.items():
        allowed = allowed_excellent(counts[GOOD], rules)
        if counts[EXCELLENT] > allowed:
            breaches.append(CapBreach(scope, counts[EXCELLENT], counts[GOOD], allowed))
    return breaches


def year_rating(scores: Iterable[int], rules: RuleSet) -> tuple[float, str] | None:
    """Average of the monthly scores and its band; None with too few months rated.

    A year with any month not completed (KHTNV) cannot be rated HTXSNV: the year's band is
    capped at HTTNV then, so one excellent stretch does not hide a failed month.
    """
    values = list(scores)
    if len(values) < rules.year_rating_min_months:
        return None
    average = round(sum(values) / len(values), 2)
    band = band_for(int(average), rules)
    if band == EXCELLENT and any(band_for(v, rules) == FAILED for v in values):
        band = GOOD
    return average, band
