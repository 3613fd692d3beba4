"""The standings projection: block-year, ballot and unit documents (see reducer.py)."""

from __future__ import annotations

from typing import ClassVar

from thidua.projections.base import TableSpec
from thidua.projections.documents import DocumentProjection, Reducer, doc_tables
from thidua.projections.standings.reducer import StandingsReducer

VERSION = 1
DOCS, ALIASES = doc_tables(f"standings_v{VERSION}")


class Standings(DocumentProjection):
    """Bảng xếp hạng: scores, classification, rank, votes, officers per block and year."""

    name: ClassVar[str] = "standings"
    version: ClassVar[int] = VERSION
    reducer: ClassVar[Reducer] = StandingsReducer()
    tables: ClassVar[tuple[TableSpec, ...]] = (DOCS, ALIASES)
