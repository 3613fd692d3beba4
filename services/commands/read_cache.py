"""Aggregates that commands only read (bộ nhớ đệm chỉ đọc): a bulk command's roster of staff, the
rule book, kept per application with the version each was rebuilt to.

A read asks the store in one query for the events recorded after the versions held (none, most
of the time) and folds only those. Stored events are never updated or deleted, so an aggregate
rebuilt to version v stays exact up to v; what is read is as fresh as a full rebuild in the same
instant would be. Whatever is returned is shared between threads: callers read it and never call
its commands (a command that changes an aggregate loads it with `CommandsBase._get`).

Aggregates are keyed by the text of their id (`domain.ids.aggregate_ref`), which is also what
the query sends: hashing and printing `UUID` objects is Python code, paid per id of a bulk command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.sql import SQL, Identifier

from thidua.services.availability import reconnecting

Fold = Callable[[list[StoredEvent], dict[UUID, Any]], dict[UUID, Any]]
Reload = Callable[[list[UUID]], dict[UUID, Any]]


class ReadCache:
    """At most `size` aggregates; past that the earliest cached are dropped (and read again
    from the store when next asked for)."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._held: dict[str, Any] = {}
        self._lock = threading.Lock()

    def load(
        self, recorder: PostgresAggregateRecorder, refs: Sequence[str], fold: Fold, reload: Reload
    ) -> list[Any | None]:
        """The aggregates of `refs` (ids as text), brought up to date, in the same order; None
        where none exists. `fold(events, start)` applies events in order to the aggregates in
        `start` (a missing one is created by its first event); `reload(ids)` rebuilds aggregates
        from their first event."""
        with self._lock:
            held = [self._held.get(ref) for ref in refs]
        asked = dict(zip(refs, held, strict=True))  # each id once in the query
        versions = [0 if aggregate is None else aggregate.version for aggregate in asked.values()]
        newer = _select_events_after(recorder, list(asked), versions)
        if not newer:
            return held
        changed = {str(e.originator_id) for e in newer}
        was_held = {ref for ref, aggregate in zip(refs, held, strict=True) if aggregate is not None}
        # A held aggregate is shared: rebuild a changed one anew rather than change it in place.
        rebuilt = reload([UUID(ref) for ref in changed & was_held])
        rebuilt.update(fold([e for e in newer if str(e.originator_id) not in was_held], {}))
        fresh = {str(id_): aggregate for id_, aggregate in rebuilt.items()}
        with self._lock:
            for ref, aggregate in fresh.items():
                current = self._held.pop(ref, None)  # re-inserted: the latest kept longest
                newest = current is None or current.version < aggregate.version
                self._held[ref] = aggregate if newest else current
            while len(self._held) > self._size:
                del self._held[next(iter(self._held))]
        return [fresh.get(ref, aggregate) for ref, aggregate in zip(refs, held, strict=True)]


def _select_events_after(
    recorder: PostgresAggregateRecorder, refs: Sequence[str], versions: list[int]
) -> list[StoredEvent]:
    if not refs:
        return []
    return reconnecting(recorder.datastore, lambda: _select_after_once(recorder, refs, versions))


def _select_after_once(
    recorder: PostgresAggregateRecorder, refs: Sequence[str], versions: list[int]
) -> list[StoredEvent]:
    statement = SQL(
        "SELECT e.originator_id, e.originator_version, e.topic, e.state "
        "FROM unnest(%s::uuid[], %s::int[]) AS held(id, version) "
        "JOIN {schema}.{table} e ON e.originator_id = held.id AND e.originator_version > held.version "
        "ORDER BY e.originator_id, e.originator_version"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
        # Array literals: psycopg's list dumper would handle each id in Python.
        cursor.execute(statement, ("{" + ",".join(refs) + "}", "{" + ",".join(map(str, versions)) + "}"))
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in cursor.fetchall()
        ]
