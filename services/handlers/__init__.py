"""Handlers of the typed commands, one module per GraphQL feature; importing this registers them."""

from thidua.services.handlers import (
    awards,
    ballots,
    blocks,
    dossiers,
    organisation,
    ratings,
    scoring,
    tenancy,
    units,
)

__all__ = [
    "awards",
    "ballots",
    "blocks",
    "dossiers",
    "organisation",
    "ratings",
    "scoring",
    "tenancy",
    "units",
]
