"""A collective's member figures for a year (số liệu thành viên của tập thể), for Tập thể lao động
tiên tiến / xuất sắc.

Derived from the record where it has them: the staff on the unit's rating sheets that year, their
year-end ratings, the titles on their records and the discipline decided in the year. When any
member lacks a year-end rating the derivation is incomplete, and the figures a clerk noted
(`noteMemberStats`) are used instead if there are any; otherwise the incomplete derivation
stands, so a missing rating shows as a missing prerequisite rather than being guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discipline_forms import at_least as form_at_least
from .rating_rules import COMPLETED, EXCELLENT, GOOD


@dataclass(frozen=True)
class MemberFacts:
    """What the record says about one member for the year."""

    staff: str
    year_band: str | None
    titles: frozenset[str]
    discipline_forms: tuple[str, ...]


@dataclass(frozen=True)
class MemberFigures:
    members: int
    completed: int
    advanced: int
    grassroots_fighters: int
    disciplined_from_warning: int | None  # None: not known (noted figures without it)
    source: str  # derived | noted
    complete: bool = True


def derive(members: Iterable[MemberFacts], bar: str = "canh_cao") -> MemberFigures:
    rows = list(members)
    return MemberFigures(
        members=len(rows),
        completed=sum(1 for m in rows if m.year_band in (EXCELLENT, GOOD, COMPLETED)),
        advanced=sum(1 for m in rows if "lao_dong_tien_tien" in m.titles),
        grassroots_fighters=sum(1 for m in rows if "chien_si_thi_dua_co_so" in m.titles),
        disciplined_from_warning=sum(
            1 for m in rows if any(form_at_least(f, bar) for f in m.discipline_forms)
        ),
        source="derived",
        complete=bool(rows) and all(m.year_band is not None for m in rows),
    )


def noted(stats: Mapping[str, object]) -> MemberFigures:
    """Figures typed in from the unit's report (member_stats fact)."""
    disciplined = stats.get("disciplined")
    return MemberFigures(
        members=int(str(stats.get("members", 0))),
        completed=int(str(stats.get("completed", 0))),
        advanced=int(str(stats.get("advanced", 0))),
        grassroots_fighters=int(str(stats.get("grassroots_fighters", 0))),
        disciplined_from_warning=None if disciplined is None else int(str(disciplined)),
        source="noted",
    )


def choose(derived: MemberFigures | None, stats: object) -> MemberFigures | None:
    """The derivation when complete; else the noted figures; else the incomplete derivation."""
    if derived is not None and derived.complete:
        return derived
    if isinstance(stats, Mapping) and stats.get("members"):
        return noted(stats)
    return derived
