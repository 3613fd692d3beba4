"""The base every aggregate shares: events that say who, when recorded, when effective, why.

Each aggregate declares its events explicitly (auditors read them) as subclasses of
`LedgerAggregate.Event` / `LedgerAggregate.Created`, and applies each with an `@event(...)`
decorated `_on_*` method whose body only assigns state. Public command methods check first
(raising a `DomainError`), then call `self._record(EventClass, by, **payload)`.

Payloads hold only JSON primitives, dates, lists and str-keyed dicts, so a rebuilt aggregate
equals the original (see `transcodings.py` for `date`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from .errors import MalformedCommand
from .provenance import Provenance, stamp

TAgg = TypeVar("TAgg", bound="LedgerAggregate")


class LedgerAggregate(Aggregate):
    """Base aggregate of the ledger (sổ cái)."""

    class Event(Aggregate.Event):
        actor_user: str
        actor_role: str
        actor_unit: str | None
        effective_on: date
        correlation_id: str

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _start(
        cls: type[TAgg],
        event_class: type[Aggregate.Created],
        by: Provenance,
        *,
        id: UUID,
        **payload: Any,
    ) -> TAgg:
        return cls._create(event_class, id=id, **stamp(by), **payload)

    def _record(self, event_class: type[Aggregate.Event], by: Provenance, **payload: Any) -> None:
        self.trigger_event(event_class, **stamp(by), **payload)


def require_text(value: str, field: str) -> str:
    """A non-blank string, stripped; `MalformedCommand` otherwise."""
    cleaned = value.strip()
    if not cleaned:
        raise MalformedCommand(f"Trường «{field}» không được để trống.", field=field)
    return cleaned


def require_year(year: int) -> int:
    """An emulation year within the range a province can plausibly record."""
    if not 1945 <= year <= 2200:
        raise MalformedCommand(f"Năm {year} không hợp lệ.", field="year", value=year)
    return year


def require_month(month: int) -> int:
    """A calendar month, 1 to 12 (checked before a date is built from it)."""
    if not 1 <= month <= 12:
        raise MalformedCommand(f"Tháng {month} không hợp lệ (từ 1 đến 12).", field="month", value=month)
    return month
