"""The facts a year's statistical forms count, read from events and read models.

- movements launched in the year: `Movement.Launched` events whose effective date (the launch
  decision's) falls in the year, from the audit trail;
- block-years of the year: each block's yearly emulation among its members (giao ước thi đua);
- award lines of decisions dated in the year (`sources.decision_lines`), those revoked since
  counted apart (a report counts awards in force).

The year is the calendar year (1 January – 31 December). Decree 09/2019/NĐ-CP closes yearly
administrative reports on 14 December; whether the statistical forms of Circular 02/2023 use
that cut-off was not found in the texts searched, so the calendar year is used and said so on
the form. A merged province may report with its predecessors' figures (`lineage_figures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from thidua.projections.audit.by_type import events_of_types
from thidua.projections.awards.later_revocations import (
    LaterRevocations,
    later_revocations,
    with_later_revocations,
)
from thidua.projections.standings.queries import list_block_years
from thidua.services.paperwork.sources import AwardLine, decision_lines, iter_decisions


@dataclass(frozen=True)
class MovementFact:
    key: str
    name: str
    kind: str  # regular | thematic
    launched_on: date
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class YearFigures:
    year: int
    movements: tuple[MovementFact, ...]
    block_years: tuple[str, ...]  # "block/year" keys
    lines: tuple[AwardLine, ...]  # awards in force, of decisions dated in the year
    revoked: tuple[AwardLine, ...]  # lines of the year's decisions revoked since


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


async def year_figures(
    pool: Any, province: str, year: int, later: LaterRevocations | None = None
) -> YearFigures:
    """The province's figures of the year; `later`: its successors' revocations of its awards
    after a merger, counted as revocations (a lineage's figures)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    launched = await events_of_types(
        pool, province, ["Movement.Launched"], effective_from=first, effective_to=last
    )
    movements = tuple(
        MovementFact(
            key=str(e.payload.get("key")),
            name=str(e.payload.get("name")),
            kind=str(e.payload.get("kind")),
            launched_on=e.effective_on or first,
            starts_on=_day(e.payload.get("starts_on")),
            ends_on=_day(e.payload.get("ends_on")),
        )
        for e in launched
    )
    block_years: list[str] = []
    after: str | None = None
    while True:
        page = await list_block_years(pool, province, year=year, after=after, limit=1000)
        block_years += [f"{ref.block}/{ref.year}" for ref in page]
        if len(page) < 1000:
            break
        after = f"{page[-1].block}/{page[-1].year}"
    lines: list[AwardLine] = []
    revoked: list[AwardLine] = []
    async for decision in iter_decisions(pool, province):
        for line in decision_lines(with_later_revocations(province, decision, later or {})):
            if line.decided_on is None or line.decided_on.year != year:
                continue
            (revoked if line.revoked_by is not None else lines).append(line)
    return YearFigures(year, movements, tuple(block_years), tuple(lines), tuple(revoked))


async def lineage_figures(pool: Any, provinces: Sequence[str], year: int) -> YearFigures:
    """The year's figures of a successor and the provinces merged into it (`provinces`, the
    successor first): a merged province reports the whole year, its predecessors' part included.
    A predecessor's block-years are named `<province>/<block>/<year>` so two provinces' blocks of
    the same key are counted apart."""
    # A predecessor's award a successor revoked after the merger no longer counts as in force.
    later = await later_revocations(pool, provinces)
    parts = [await year_figures(pool, province, year, later) for province in provinces]
    return YearFigures(
        year,
        tuple(m for part in parts for m in part.movements),
        tuple(
            key if at == 0 else f"{provinces[at]}/{key}"
            for at, part in enumerate(parts)
            for key in part.block_years
        ),
        tuple(line for part in parts for line in part.lines),
        tuple(line for part in parts for line in part.revoked),
    )
