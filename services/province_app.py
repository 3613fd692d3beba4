"""One eventsourcing application per province: its commands, its event store, its schema.

Each province's events live in `<schema>.ledger_events`, so provinces never wait on each other's
EXCLUSIVE insert lock, and an event of one province can never appear in another's history.
Command methods take primitives and a `Provenance`, and return the position (notification id)
of the last event they recorded, for read-your-writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Recording


class ProvinceApplication(Application[UUID]):
    """The write side of one province (tỉnh)."""

    name = "ledger"  # -> table <schema>.ledger_events

    def __init__(self, province: str, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=env)
        self.province = province

    @staticmethod
    def position_of(recordings: list[Recording[Any]]) -> int:
        """The province position of the last recorded event (0 when nothing was recorded)."""
        return max((r.notification.id for r in recordings), default=0)
