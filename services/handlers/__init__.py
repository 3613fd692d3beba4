"""Handlers of the typed commands, one module per GraphQL feature; importing this registers them."""

from thidua.services.handlers import awards, ballots, blocks, organisation, ratings, scoring, units

__all__ = ["awards", "ballots", "blocks", "organisation", "ratings", "scoring", "units"]
