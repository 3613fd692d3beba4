"""Who did it, when it was recorded, when it takes effect (nguồn gốc của một sự kiện)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .errors import MalformedCommand

# Read models index the correlation id (one command's events are looked up by it); PostgreSQL
# cannot index a text much over 2,000 bytes, so an unbounded one would stop the projections.
MAX_CORRELATION_ID = 200


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
    """The flat provenance fields every event carries (plus the library's `timestamp`). Called
    for new events only (replay rebuilds from the stored ones), so the checks bind new commands."""
    check_correlation_id(by.correlation_id)
    return {
        "timestamp": by.recorded_at,
        "actor_user": by.actor.user,
        "actor_role": by.actor.role,
        "actor_unit": by.actor.unit,
        "effective_on": by.effective_on,
        "correlation_id": by.correlation_id,
    }


def check_correlation_id(correlation_id: str) -> str:
    """One line of at most 200 characters, not blank; MalformedCommand naming `correlationId`."""
    if (
        not correlation_id.strip()
        or len(correlation_id) > MAX_CORRELATION_ID
        or any(char < " " or char == "\x7f" for char in correlation_id)
    ):
        raise MalformedCommand(
            f"Mã liên kết (correlationId) phải là một dòng chữ, không để trống, tối đa "
            f"{MAX_CORRELATION_ID} ký tự.",
            field="correlationId",
        )
    return correlation_id
