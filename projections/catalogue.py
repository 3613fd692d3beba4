"""The projections this version of the product keeps, by name."""

from __future__ import annotations

from thidua.projections.audit.projection import AuditTrail
from thidua.projections.awards.projection import AwardsRegister
from thidua.projections.base import Projection
from thidua.projections.errors import UnknownProjection
from thidua.projections.lookup.projection import AwardHistory
from thidua.projections.ratings.projection import Ratings
from thidua.projections.standings.projection import Standings


def all_projections() -> list[Projection]:
    """Every projection, in the order a runner applies them within a batch."""
    return [AuditTrail(), Standings(), AwardsRegister(), Ratings(), AwardHistory()]


def select(names: list[str] | None) -> list[Projection]:
    """The named projections (all when `names` is empty); an unknown name is an error."""
    everything = all_projections()
    if not names:
        return everything
    by_name = {p.name: p for p in everything}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise UnknownProjection(
            f"Không có mô hình đọc «{', '.join(missing)}»; có: {', '.join(by_name)}.",
            names=", ".join(missing),
        )
    return [by_name[n] for n in names]
