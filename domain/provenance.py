"""Who did it, when it was recorded, when it takes effect (nguồn gốc của một sự kiện)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The person acting: user id, role, and the unit they act for (if any)."""

    user: str
    role: str
    unit: str | None


@dataclass(frozen=True)
class Provenance:
    """Passed to every command.

    `recorded_at` is when the ledger learns the fact (tz-aware, supplied by services: the
    domain has no clock); `effective_on` is when it takes effect, e.g. the meeting date, which
    may lie years back for imported history. Rules are judged on `effective_on`.
    """

    actor: Actor
    recorded_at: datetime
    effective_on: date
    correlation_id: str

    def __post_init__(self) -> None:
        if self.recorded_at.tzinfo is None:
            msg = "recorded_at must be timezone-aware"
            raise ValueError(msg)


def stamp(by: Provenance) -> dict[str, Any]:
    """The flat provenance fields every event carries (plus the library's `timestamp`)."""
    return {
        "timestamp": by.recorded_at,
        "actor_user": by.actor.user,
        "actor_role": by.actor.role,
        "actor_unit": by.actor.unit,
        "effective_on": by.effective_on,
        "correlation_id": by.correlation_id,
    }
