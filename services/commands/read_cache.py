"""Aggregates that commands only read (bộ nhớ đệm chỉ đọc): a bulk command's roster of staff, the
rule book, kept per application with the version each was rebuilt to.

A read asks the store in one query for the events recorded after the versions held (none, most
of the time) and folds only those. Stored events are never updated or deleted, so an aggregate
rebuilt to version v stays exact up to v; what is read is as fresh as a full rebuild in the same
instant would be. Whatever is returned is shared between threads: callers read it and never call
its commands (a command that changes an aggregate loads it with `CommandsBase._get`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.sql import SQL, Identifier

from thidua.services.availability import reconnecting

Fold = Callable[[list[StoredEvent], dict[UUID, Any]], dict[UUID, Any]]


class ReadCache:
    """At most `size` aggregates, the least recently read dropped first."""

    def __init__(self, size: int = 100_000) -> None:
        self._size = size
        self._held: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def load(
        self,
        recorder: PostgresAggregateRecorder,
        ids: Sequence[UUID],
        fold: Fold,
        reload: Callable[[list[UUID]], dict[UUID, Any]],
    ) -> dict[UUID, Any]:
        """The aggregates of `ids` that exist, brought up to date. `fold(events, start)` applies
        events in order to the aggregates in `start` (a missing one is created by its first
        event); `reload(ids)` rebuilds aggregates from their first event."""
        with self._lock:
            held = {i: self._held[i] for i in ids if i in self._held}
        versions = [held[i].version if i in held else 0 for i in ids]
        newer = _select_events_after(recorder, list(ids), versions)
        fresh: dict[UUID, Any] = {}
        if newer:
            changed = {UUID(str(e.originator_id)) for e in newer}
            # A held aggregate is shared: rebuild a changed one anew rather than change it in place.
            fresh.update(reload([i for i in changed if i in held]))
            fresh.update(fold([e for e in newer if UUID(str(e.originator_id)) not in held], {}))
        found = {i: fresh.get(i, held.get(i)) for i in ids}
        with self._lock:
            for i, aggregate in fresh.items():
                current = self._held.get(i)
                if current is None or current.version < aggregate.version:
                    self._held[i] = aggregate
            for i in found:
                if i in self._held:
                    self._held.move_to_end(i)
            while len(self._held) > self._size:
                self._held.popitem(last=False)
        return {i: a for i, a in found.items() if a is not None}


def _select_events_after(
    recorder: PostgresAggregateRecorder, ids: list[UUID], versions: list[int]
) -> list[StoredEvent]:
    if not ids:
        return []
    return reconnecting(recorder.datastore, lambda: _select_after_once(recorder, ids, versions))


def _select_after_once(
    recorder: PostgresAggregateRecorder, ids: list[UUID], versions: list[int]
) -> list[StoredEvent]:
    statement = SQL(
        "SELECT e.originator_id, e.originator_version, e.topic, e.state "
        "FROM unnest(%s::uuid[], %s::int[]) AS held(id, version) "
        "JOIN {schema}.{table} e ON e.originator_id = held.id AND e.originator_version > held.version "
        "ORDER BY e.originator_id, e.originator_version"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
        # Sent as array literals: psycopg's list dumper handles each UUID in Python, at several
        # times the cost for the hundreds of ids of a bulk command.
        cursor.execute(
            statement,
            ("{" + ",".join(map(str, ids)) + "}", "{" + ",".join(map(str, versions)) + "}"),
        )
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in cursor.fetchall()
        ]
