"""The awards register projection: proposal, decision and recipient documents."""

from __future__ import annotations

from typing import ClassVar

from thidua.projections.awards.reducer import AwardsReducer
from thidua.projections.base import TableSpec
from thidua.projections.documents import DocumentProjection, Reducer, doc_tables

VERSION = 3  # 2: each dossier item with its reference and stored file; 3: the domain's statuses,
# the board's dossier steps and versions, a decision's grants, a proposal's group
DOCS, ALIASES = doc_tables(f"awards_v{VERSION}")


class AwardsRegister(DocumentProjection):
    """Sổ khen thưởng: proposals and their timeline, decisions, revocations, recipients."""

    name: ClassVar[str] = "awards"
    version: ClassVar[int] = VERSION
    reducer: ClassVar[Reducer] = AwardsReducer()
    tables: ClassVar[tuple[TableSpec, ...]] = (DOCS, ALIASES)
