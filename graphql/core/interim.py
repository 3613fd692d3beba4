"""Interim command adapters, until the services command layer offers these commands.

The services layer (ProvinceApplication command methods, `services/commands/`) is being written
beside this API. Until a command exists there, a mutation calls an adapter of this shape: load
the aggregate by its natural key, call the domain method, save, return the position. Each
mutation's input and payload are the contract; switching an adapter for the services layer's
method changes no schema.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from thidua.domain.errors import NotFound
from thidua.domain.ids import aggregate_id
from thidua.domain.rulebook import RuleBook, rules_in_force
from thidua.domain.rules import RuleSet
from thidua.domain.transcodings import DateAsISO
from thidua.services.province_app import ProvinceApplication


def ensure_transcodings(app: ProvinceApplication) -> None:
    """Dates in event payloads need the domain's transcoding (registered once per application)."""
    transcoder: Any = app.mapper.transcoder
    if "date_iso" not in getattr(transcoder, "names", {}):
        transcoder.register(DateAsISO())


def load(app: ProvinceApplication, kind: str, key: str, what: str) -> Any:
    """The `kind` aggregate with natural `key`, or NOT_FOUND naming it in Vietnamese."""
    ensure_transcodings(app)
    try:
        return app.repository.get(aggregate_id(app.province, kind, key))
    except AggregateNotFoundError:
        raise NotFound(f"Không tìm thấy {what} «{key}».", key=key) from None


def save(app: ProvinceApplication, *aggregates: Any) -> int:
    ensure_transcodings(app)
    return app.position_of(app.save(*aggregates))


def rules_on(app: ProvinceApplication, on: date) -> RuleSet:
    """The province's rules in force on `on` (national defaults without a rule book)."""
    ensure_transcodings(app)
    book_id: UUID = aggregate_id(app.province, "rulebook", app.province)
    try:
        book: RuleBook | None = app.repository.get(book_id)
    except AggregateNotFoundError:
        book = None
    return rules_in_force(book, on)
