"""Pure rating arithmetic (xếp loại): bands by score, the HTXSNV cap, year-end derivation.

Bands (Decree 335/2025): ≥ 90 HTXSNV, 70–89 HTTNV, 50–69 HTNV, below 50 KHTNV. The count of
HTXSNV may not exceed 20% of the count of HTTNV within the unit and within each rating group,
for the staff kinds the rules name: công chức from 01/01/2026 (Decree 335/2025); cán bộ, công
chức, viên chức from Decree 48/2023 (amending Decree 90/2020, by the Party's 20% ratio); nobody
earlier. Người lao động are never counted. We read "20% of the HTTNV count" literally (HTTNV band
only, rounded down): a sheet with 4 HTTNV allows no HTXSNV, one with 5 allows one. A staff member
whose kind is not recorded is counted (the cap is not escaped by a missing field).

The year-end rule (mean of the periods, a minimum of months, a failed month capping the year) is
no text's: a province setting shown unverified. Discipline from khiển trách up decided in the
year makes the year "Không hoàn thành nhiệm vụ" (Decree 335/2025).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discipline_forms import at_least as form_at_least
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


def capped(kind: object, rules: RuleSet) -> bool:
    """Whether a staff member of `kind` counts towards the cap (an unknown kind does)."""
    return kind is None or kind in rules.excellent_cap_applies_to


def cap_breaches(entries: Iterable[Mapping[str, object]], rules: RuleSet) -> list[CapBreach]:
    """Every scope (the unit, then each group) whose HTXSNV count exceeds the cap, counting the
    staff of the kinds the cap applies to."""
    if not rules.excellent_cap_in_force:
        return []
    rows = [r for r in entries if capped(r.get("kind"), rules)]
    scopes: dict[str, Counter[str]] = {"unit": Counter(str(r["band"]) for r in rows)}
    for row in rows:
        scopes.setdefault(f"group:{row['group']}", Counter())[str(row["band"])] += 1
    breaches = []
    for scope, counts in scopes.items():
        allowed = allowed_excellent(counts[GOOD], rules)
        if counts[EXCELLENT] > allowed:
            breaches.append(CapBreach(scope, counts[EXCELLENT], counts[GOOD], allowed))
    return breaches


def min_periods(rules: RuleSet, quarterly: bool) -> int:
    """Periods needed for a year rating: the months the rules ask, or as many quarters."""
    return math.ceil(rules.year_rating_min_months / 3) if quarterly else rules.year_rating_min_months


def year_rating(
    scores: Iterable[int], rules: RuleSet, *, quarterly: bool = False, discipline: Iterable[str] = ()
) -> tuple[float, str] | None:
    """Average of the period scores and its band; None with too few periods rated.

    A year with any period not completed (KHTNV) cannot be rated HTXSNV (where the province's
    year rule says so); discipline from the rules' form up decided in the year makes it KHTNV.
    """
    values = list(scores)
    if len(values) < min_periods(rules, quarterly):
        return None
    average = round(sum(values) / len(values), 2)
    band = band_for(int(average), rules)
    if (
        rules.year_rating_failed_month_caps
        and band == EXCELLENT
        and any(band_for(v, rules) == FAILED for v in values)
    ):
        band = GOOD
    if any(form_at_least(form, rules.discipline_fails_year_from) for form in discipline):
        band = FAILED
    return average, band
