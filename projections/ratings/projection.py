"""The ratings projection: monthly sheet and staff documents."""

from __future__ import annotations

from typing import ClassVar

from thidua.projections.base import TableSpec
from thidua.projections.documents import DocumentProjection, Reducer, doc_tables
from thidua.projections.ratings.reducer import RatingsReducer

VERSION = 2  # v2: one staff_year document per staff member and year
DOCS, ALIASES = doc_tables(f"ratings_v{VERSION}")


class Ratings(DocumentProjection):
    """Xếp loại: per unit, month and rating group; per staff member, months and year."""

    name: ClassVar[str] = "ratings"
    version: ClassVar[int] = VERSION
    reducer: ClassVar[Reducer] = RatingsReducer()
    tables: ClassVar[tuple[TableSpec, ...]] = (DOCS, ALIASES)
