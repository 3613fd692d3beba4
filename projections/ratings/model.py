"""Ratings as read (pure): band distribution and HTXSNV cap headroom, staff months and years."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from thidua.domain.rating_rules import EXCELLENT, GOOD, allowed_excellent, capped
from thidua.domain.rules import national_rules_in_force

Doc = dict[str, Any]


@dataclass(frozen=True)
class GroupDistribution:
    """Bands in one scope of a month's sheet (the whole unit, or one rating group), and how
    many more HTXSNV the cap (20% of HTTNV) allows; `headroom` is None when no cap is in force."""

    scope: str  # "unit" or the rating group
    bands: Mapping[str, int]
    allowed_excellent: int | None
    headroom: int | None


@dataclass(frozen=True)
class MonthlyRatings:
    """Xếp loại tháng (or quý) of a unit: distribution per scope, entries and corrections."""

    unit: str
    year: int
    month: int | None
    quarter: int | None
    cap_exception: str | None
    rule_version: str | None
    cap_in_force: bool
    scopes: tuple[GroupDistribution, ...]
    entries: tuple[Mapping[str, Any], ...]
    corrections: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class StaffRatings:
    """A staff member's months ("YYYY-MM" -> score, band, unit, group) and year-end ratings."""

    key: str
    name: str | None
    unit: str | None
    rating_group: str | None
    months: Mapping[str, Mapping[str, Any]]
    years: Mapping[str, Mapping[str, Any]]


def monthly_of(doc: Doc) -> MonthlyRatings:
    entries = doc.get("entries", [])
    year = int(doc["year"])
    month = int(doc["month"]) if doc.get("month") is not None else None
    quarter = doc.get("quarter")
    cap = bool(doc.get("cap_in_force"))
    # The national cap in force in the period; a province's stricter set is judged at submit.
    rules = national_rules_in_force(date(year, month or 3 * (int(quarter or 1) - 1) + 1, 1))
    # Bands count everyone; the headroom counts the staff kinds the cap applies to.
    counters: dict[str, Counter[str]] = {"unit": Counter(str(x["band"]) for x in entries)}
    for x in entries:
        counters.setdefault(str(x.get("group")), Counter())[str(x["band"])] += 1
    capped_counts: dict[str, Counter[str]] = {"unit": Counter()}
    for x in entries:
        if capped(x.get("kind"), rules):
            capped_counts["unit"][str(x["band"])] += 1
            capped_counts.setdefault(str(x.get("group")), Counter())[str(x["band"])] += 1
    scopes = []
    for scope, bands in counters.items():
        counted = capped_counts.get(scope, Counter())
        allowed = allowed_excellent(counted[GOOD], rules) if cap else None
        scopes.append(
            GroupDistribution(
                scope=scope,
                bands=dict(sorted(bands.items())),
                allowed_excellent=allowed,
                headroom=None if allowed is None else allowed - counted[EXCELLENT],
            )
        )
    return MonthlyRatings(
        unit=str(doc["unit"]),
        year=year,
        month=month,
        quarter=int(quarter) if quarter else None,
        cap_exception=doc.get("cap_exception"),
        rule_version=doc.get("rule_version"),
        cap_in_force=cap,
        scopes=tuple(sorted(scopes, key=lambda s: (s.scope != "unit", s.scope))),
        entries=tuple(entries),
        corrections=tuple(doc.get("corrections", [])),
    )


def staff_of(doc: Doc | None, year_docs: Iterable[Doc] = ()) -> StaffRatings:
    """A staff member's document and their `staff_year` documents, as one read."""
    base = doc or {}
    years = list(year_docs)
    months: dict[str, Mapping[str, Any]] = {}
    ratings: dict[str, Mapping[str, Any]] = {}
    for y in years:
        months.update(y.get("months", {}))
        if "rating" in y:
            ratings[str(y["year"])] = y["rating"]
    key = base.get("key", years[0]["staff"] if years else None)
    return StaffRatings(
        key=str(key),
        name=base.get("name"),
        unit=base.get("unit"),
        rating_group=base.get("rating_group"),
        months=dict(sorted(months.items())),
        years=dict(sorted(ratings.items())),
    )
