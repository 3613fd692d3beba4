"""Handlers of the typed commands, one module per GraphQL feature; importing this registers them."""

from thidua.services.handlers import ballots

__all__ = ["ballots"]
