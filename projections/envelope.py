"""One stored event as projections see it (phong bì sự kiện): position, times, actor, payload.

Projections never import services: `services/projection_host.py` turns a stored row into a
domain event with the province application's mapper and hands it here as a `decode` callable.
`Envelope.of(position, event)` reads the convention fields every ledger event carries
(actor_user, actor_role, actor_unit, effective_on, correlation_id, timestamp) and flattens the
rest into a JSON-ready `payload`, the same dictionary the audit trail stores and the reducers
read, so that a live projection and an "as of" replay from the audit trail see identical data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import msgspec

# Fields that describe the event rather than its content: stored in their own columns.
ENVELOPE_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "actor_user",
        "actor_role",
        "actor_unit",
        "effective_on",
        "correlation_id",
    }
)

# The sealed papers of a secret ballot (phiếu kín) never leave the event store: any payload key
# naming them is dropped, at any depth, before an audit row or a reducer sees the payload.
SEALED_FIELDS = frozenset({"sealed", "sealed_papers", "ballot_papers", "paper_choices"})


_EVENT_TYPES: dict[str, str] = {}  # topic -> event type


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded event with its province position (notification id)."""

    position: int
    aggregate_id: UUID
    aggregate_version: int
    topic: str
    recorded_at: datetime
    effective_on: date | None
    actor_user: str | None
    actor_role: str | None
    actor_unit: str | None
    correlation_id: str | None
    payload: dict[str, Any]

    @property
    def event_type(self) -> str:
        """`Unit.Registered` for topic `thidua.domain.units:Unit.Registered`."""
        # Reducers ask for it several times per event and document; topics are few.
        known = _EVENT_TYPES.get(self.topic)
        if known is None:
            known = _EVENT_TYPES[self.topic] = self.topic.rpartition(":")[2]
        return known

    @property
    def aggregate_type(self) -> str:
        return self.event_type.rpartition(".")[0] or self.event_type

    @classmethod
    def of(cls, position: int, topic: str, event: object) -> Envelope:
        state: Mapping[str, Any] = vars(event)
        effective = state.get("effective_on")
        return cls(
            position=position,
            aggregate_id=state["originator_id"],
            aggregate_version=int(state["originator_version"]),
            topic=topic,
            recorded_at=state["timestamp"],
            effective_on=effective if isinstance(effective, date) else None,
            actor_user=_text(state.get("actor_user")),
            actor_role=_text(state.get("actor_role")),
            actor_unit=_text(state.get("actor_unit")),
            correlation_id=_text(state.get("correlation_id")),
            payload={
                k: to_json(v)
                for k, v in state.items()
                if k not in ENVELOPE_FIELDS and k not in SEALED_FIELDS and not k.startswith("_")
            },
        )


def _text(value: Any) -> Any:
    """PostgreSQL text and jsonb cannot hold NUL: an event that carries one (recorded before the
    API refused it, or imported) must not stop the province's projections for good, so the read
    models show U+FFFD in its place while the event store keeps the original bytes."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def to_json(value: Any) -> Any:  # noqa: PLR0911 - one return per JSON shape
    """A JSON-ready copy: dates and datetimes as ISO text, UUIDs and decimals as text."""
    if isinstance(value, str):
        return _text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, Mapping):
        return {_text(str(k)): to_json(v) for k, v in value.items() if str(k) not in SEALED_FIELDS}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if hasattr(value, "__dict__"):
        return to_json(vars(value))
    return str(value)


# JSON text for a jsonb column. jsonb keeps its own key order and no whitespace, so the text needs
# neither sorted keys nor spaces; msgspec (already installed with litestar) encodes it several
# times faster than the standard library (a rebuild encodes every document it writes: hundreds of
# MB). jsonb stores numbers as numeric, so `1e16` here and `1e+16` from `json.dumps` are equal.
_JSONB_ENCODE = msgspec.json.Encoder().encode


def jsonb_text(value: Any) -> str:
    return _JSONB_ENCODE(value).decode("utf-8")


@dataclass(frozen=True, slots=True)
class StoredRow:
    """The columns of `<schema>.ledger_events` a projection needs."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


Decode = Callable[[StoredRow], Envelope]
