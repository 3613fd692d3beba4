"""A province's event store: eventsourcing's PostgreSQL recorder, with two changes of ours.

0. An insert into a ledger closed by a province merger is refused with `PROVINCE_MERGED`
   (`services.ledger_closure`).
1. A save is one call of `<schema>.ledger_append` (`services.ledger_append`): the lock, the
   events, the idempotency key of the command being saved (`services.idempotency`) and the
   COMMIT in one statement, so the events and the outcome a retry will hear commit together or
   not at all, and the ledger's lock is held for the server's work only.
2. A lost database is answered within seconds, and a restarted one is used at once. The library
   waits up to 30 s for a pooled connection and retries every statement ten times, so a write
   in flight while PostgreSQL was down hung for minutes; and after a restart the pool handed out
   its dead connections one by one, and re-tried its lost connections with a growing back-off.
   Here a connection is waited for `POOL_WAIT_S`, new ones give up after `CONNECT_TIMEOUT_S`,
   the pool's background re-tries end after `RECONNECT_S`, an insert waits for the ledger's
   lock at most `ledger_append.LOCK_WAIT_MS`, and a statement that fails on a dead pooled
   connection is tried once more after every idle connection of the pool has been checked
   (`availability.reconnecting`).

`ProvinceRegistry` selects this module's factory through the library's `PERSISTENCE_MODULE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Identifier

from thidua.domain.lineage import ProvinceMerged
from thidua.services.availability import CONNECT_TIMEOUT_S, reconnecting
from thidua.services.idempotency import IdempotencyKeys, KeyScope, keys_ddl
from thidua.services.ledger_append import FUNCTION
from thidua.services.ledger_closure import CLOSED_SQLSTATE

POOL_WAIT_S = 3  # for a connection from the pool (the library's POSTGRES_CONNECT_TIMEOUT)
# How long the pool keeps re-trying one lost connection in the background, with a back-off that
# doubles from 1 s (psycopg's default is 300 s: after a 4 s outage its next try could be 8 s
# away, and writes failed for seconds after PostgreSQL was back). Past it the pool gives that
# attempt up, and the next request that needs a connection starts a fresh one at once.
RECONNECT_S = 2.0


def _unretried(method: Any) -> Any:
    """The library's method without its own retry loop (ten attempts, each waiting for the pool)."""
    return getattr(method, "__wrapped__", method)


_select_events = _unretried(PostgresAggregateRecorder.select_events)
_select_notifications = _unretried(PostgresApplicationRecorder.select_notifications)
_max_notification_id = _unretried(PostgresApplicationRecorder.max_notification_id)


class LedgerRecorder(PostgresApplicationRecorder):
    """`<schema>.ledger_events`, and `<schema>.idempotency_keys` written in the same transactions."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.extend(keys_ddl(self.datastore.schema))
        self.keys = IdempotencyKeys(self.datastore, self.datastore.schema)
        self._append = SQL("SELECT * FROM {0}.{1}(%s, %s, %s, %s, %s, %s, %s, %s)").format(
            Identifier(self.datastore.schema), Identifier(FUNCTION)
        )

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        result: Sequence[int] | None = reconnecting(
            self.datastore, lambda: self._insert_once(stored_events, kwargs.get("idempotency"))
        )
        return result

    def _insert_once(
        self, stored_events: Sequence[StoredEvent], scope: KeyScope | None
    ) -> Sequence[int] | None:
        """One call of `ledger_append`, alone in autocommit mode: lock, notify, insert, the key
        row, and the COMMIT, all done by the server in one round trip, so the ledger's lock is
        held for the server's own work only. A failure anywhere rolls back all of it."""
        if not stored_events:
            return None
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            try:
                cursor.execute(self._append, (events, *self.keys.appended(scope)), prepare=True)
            except psycopg.Error as refused:
                if refused.sqlstate == CLOSED_SQLSTATE:
                    raise ProvinceMerged(
                        "Sổ cái của tỉnh đã khóa do sáp nhập: không ghi thêm vào tỉnh này; "
                        "hãy ghi vào tỉnh kế thừa (vẫn đọc được để kiểm tra).",
                        schema=self.datastore.schema,
                    ) from None
                raise
            return [row[FUNCTION] for row in cursor.fetchall()]

    def select_events(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        result: Sequence[StoredEvent] = reconnecting(
            self.datastore,
            lambda: _select_events(self, originator_id, gt=gt, lte=lte, desc=desc, limit=limit),
        )
        return result

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        result: Sequence[Notification] = reconnecting(
            self.datastore,
            lambda: _select_notifications(
                self, start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            ),
        )
        return result

    def max_notification_id(self) -> int | None:
        result: int | None = reconnecting(self.datastore, lambda: _max_notification_id(self))
        return result


class LedgerFactory(PostgresFactory):
    """The library's PostgreSQL factory, with our recorder and a bound on each new connection."""

    application_recorder_class = LedgerRecorder

    def __init__(self, env: Environment | dict[str, str] | None) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        assert isinstance(pool.kwargs, dict)  # the library passes a dict
        pool.kwargs["connect_timeout"] = CONNECT_TIMEOUT_S
        pool.reconnect_timeout = RECONNECT_S
