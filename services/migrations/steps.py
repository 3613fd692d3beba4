"""What a migration step is: a version number, a name, and what it does to one schema.

A step runs in one transaction with the row that records it, under the schema lock; its version
is one more than the step before it, and once released it is never edited (a database that
recorded it will not run it again): a change is a new step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg

C = TypeVar("C")


@dataclass(frozen=True)
class PlatformContext:
    """What a platform step works on: a connection inside the step's transaction."""

    conn: psycopg.Connection[Any]


@dataclass(frozen=True)
class ProvinceContext:
    """What a province step works on: the connection (inside the step's transaction), the
    province, its (validated) schema name, and its event store's recorder (eventsourcing's
    `PostgresApplicationRecorder`, ours `services.event_store.LedgerRecorder`)."""

    conn: psycopg.Connection[Any]
    province: str
    schema: str
    recorder: Any

    def run(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self.conn.execute(statement.encode())


@dataclass(frozen=True)
class Step(Generic[C]):
    version: int
    name: str
    apply: Callable[[C], None]


def check_series(steps: Sequence[Step[Any]]) -> None:
    """Versions 1, 2, 3, ... without gaps or repeats (checked when the series is defined)."""
    versions = [step.version for step in steps]
    if versions != list(range(1, len(steps) + 1)):
        raise ValueError(f"migration steps must be numbered 1..n in order, found {versions}")
