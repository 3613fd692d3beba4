"""Idempotency keys (khóa chống ghi trùng): a retried command ends exactly once.

A client that retries a mutation (a timeout, a dropped connection, a server that died) sends the
same key. A key belongs to one caller: it is stored under `(province, subject, key)` (the province
is the table's schema), so another user of the province who happens to pick the same key runs
their own command and never hears the first user's outcome.

**Where the key is recorded.** In the province's `idempotency_keys` table, in the SAME
transaction as the command's events: the event store's recorder (`services.event_store`) inserts
the key row, with the outcome the caller will hear, right after the events. So a process that
dies before the COMMIT leaves no trace (a retry runs the command), and one that dies after it
leaves the outcome (a retry hears it). There is no "pending" state that could outlive a process.
Two requests with one key racing each other are settled by the same transaction: the table's
primary key (and the aggregates' version numbers) let one commit; the other's events roll back
with its failed insert, and it answers the first one's outcome.

**What is stored, and when** (`run_once`, which first looks the key up: a stored outcome is
answered without running anything; the first answer is always the very document a retry hears):
- a command that records events: the key and its outcome, in its first save's transaction; later
  saves of the same command (follow-ups that are safe to repeat, such as recording that a secret
  ballot's key was destroyed after the tally) move the stored position in their own transactions.
  A command's facts must therefore be in its first save: closing a ballot saves the closing and
  the tally together;
- a command that records nothing (a repeated key destruction) and a refusal (a domain rule said
  no): the outcome in a transaction of its own after the command. Refusals are stored rather than
  re-run so that a key always answers the same way: a clerk told "refused" must not find the
  command recorded after a retry because the province changed in between. A crash before that
  transaction loses nothing (nothing was recorded) and the retry runs the command again;
- not stored: `CONCURRENT_CHANGE` (someone else changed the record at that instant: trying again
  is exactly what the client should do) and every failure that is not a refusal (a lost
  database, a bug). Before the recording save nothing was recorded, so the retry runs the
  command; after it, the key is there and the retry hears the outcome.

A key is bound to one operation and one input digest: reusing it for something else is refused
(`IDEMPOTENCY_KEY_REUSED`) rather than answered with an unrelated result. Keys claimed by the
former design that were still "pending" when it was replaced are kept as `unknown`: their command
may or may not have recorded, so they answer `IDEMPOTENCY_OUTCOME_UNKNOWN` (check the audit
trail, then use a new key), which keeps the "never twice" promise they were given
(`services.idempotency_upgrade`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from psycopg.sql import SQL, Composed, Identifier
from psycopg.types.json import Jsonb

from thidua.services.availability import reconnecting
from thidua.services.errors import ApplicationError

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore

log = structlog.get_logger()

MAX_KEY_LENGTH = 200
TABLE = "idempotency_keys"


class IdempotencyKeyReused(ApplicationError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyOutcomeUnknown(ApplicationError):
    code = "IDEMPOTENCY_OUTCOME_UNKNOWN"


class InvalidIdempotencyKey(ApplicationError):
    code = "INVALID_IDEMPOTENCY_KEY"


def request_hash(operation: str, payload: Any) -> str:
    """A stable digest of the operation and its input (keys sorted, so order does not matter)."""
    canonical = json.dumps([operation, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidIdempotencyKey(
            f"Khóa chống ghi trùng phải là chuỗi in được, 1–{MAX_KEY_LENGTH} ký tự.",
            field="idempotencyKey",
        )


def keys_ddl(schema: str) -> list[Composed]:
    """The province's key table (created with its event store)."""
    return [
        SQL(
            "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
            "subject text NOT NULL, "
            "key text NOT NULL, "
            "operation text NOT NULL, "
            "request_hash text NOT NULL, "
            "state text NOT NULL CHECK (state IN ('done', 'unknown')), "
            "outcome jsonb, "
            "attempt text, "
            "recorded_at timestamptz NOT NULL DEFAULT now(), "
            "PRIMARY KEY (subject, key))"
        ).format(schema=Identifier(schema), table=Identifier(TABLE))
    ]


@dataclass(frozen=True)
class KeyedRequest:
    """One request carrying a key: whose key it is, what it asks for, and the fixed part of the
    outcome it will answer (the caller's document: the GraphQL payload's key, correlation id)."""

    subject: str
    key: str
    operation: str
    digest: str
    answer: Mapping[str, Any] = field(default_factory=dict)
    # This execution of the request: tells our own COMMIT, whose acknowledgement a broken
    # connection lost, from a twin request's (a client's request id may be repeated).
    attempt: str = field(default_factory=lambda: os.urandom(12).hex())

    def outcome(self, position: int | None, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {**self.answer, "position": position, "errors": errors or []}


@dataclass(frozen=True)
class Answer:
    """What the caller answers: the outcome document, and whether it came from an earlier request."""

    outcome: dict[str, Any]
    replayed: bool


@dataclass(frozen=True)
class StoredKey:
    operation: str
    digest: str
    state: str
    outcome: dict[str, Any] | None
    attempt: str | None

    def answer_for(self, request: KeyedRequest) -> Answer:
        """The stored outcome, when the request is the same one (same operation and input)."""
        if self.operation != request.operation or self.digest != request.digest:
            raise IdempotencyKeyReused(
                "Khóa chống ghi trùng này đã được dùng cho một yêu cầu khác; "
                "hãy dùng khóa mới cho mỗi thao tác.",
                key=request.key,
                operation=self.operation,
            )
        if self.state != "done" or self.outcome is None:
            raise IdempotencyOutcomeUnknown(
                "Yêu cầu đầu tiên với khóa này bị gián đoạn; kết quả chưa rõ. "
                "Hãy kiểm tra nhật ký kiểm toán trước khi gửi lại với khóa mới.",
                key=request.key,
            )
        mine = self.attempt is not None and self.attempt == request.attempt
        if not mine:
            log.info("idempotent_replay", key=request.key, operation=request.operation)
        return Answer(dict(self.outcome), replayed=not mine)


class KeyAlreadyRecorded(Exception):
    """A save lost to a transaction that had recorded the same key (a concurrent twin, or our own
    COMMIT whose acknowledgement the connection lost): its events were rolled back."""

    def __init__(self, stored: StoredKey) -> None:
        super().__init__("idempotency key already recorded")
        self.stored = stored


@dataclass
class KeyScope:
    """The key of the command running in this thread; the event store's saves record it."""

    request: KeyedRequest
    position: int | None = None  # of the last save that recorded, once committed

    @property
    def recorded(self) -> bool:
        return self.position is not None


_scope: ContextVar[KeyScope | None] = ContextVar("thidua_idempotency_scope", default=None)


def current_scope() -> KeyScope | None:
    """The key scope of the command running in this thread (worker threads have their own)."""
    return _scope.get()


@contextmanager
def keyed(request: KeyedRequest) -> Iterator[KeyScope]:
    scope = KeyScope(request)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


class IdempotencyKeys:
    """One province's key table, reached through its event store's connections."""

    def __init__(self, datastore: PostgresDatastore, schema: str) -> None:
        self._datastore = datastore
        names = {"schema": Identifier(schema), "table": Identifier(TABLE)}
        self._select = SQL(
            "SELECT operation, request_hash, state, outcome, attempt FROM {schema}.{table} "
            "WHERE subject = %s AND key = %s"
        ).format(**names)
        self._insert = SQL(
            "INSERT INTO {schema}.{table} "
            "(subject, key, operation, request_hash, state, outcome, attempt) "
            "VALUES (%s, %s, %s, %s, 'done', %s, %s)"
        ).format(**names)
        self._insert_if_absent = self._insert + SQL(" ON CONFLICT (subject, key) DO NOTHING RETURNING 1")

    def find(self, subject: str, key: str) -> StoredKey | None:
        def select() -> StoredKey | None:
            with self._datastore.get_connection() as conn, conn.cursor() as cursor:
                cursor.execute(self._select, (subject, key), prepare=True)
                row = cursor.fetchone()
            return None if row is None else _stored(row)

        return reconnecting(self._datastore, select)

    def store(self, request: KeyedRequest, outcome: dict[str, Any]) -> Answer:
        """Store the outcome of a command that recorded no event (its own transaction); when a
        twin request stored first, its outcome is the answer."""

        def insert() -> bool:
            with self._datastore.get_connection() as conn, conn.transaction(), conn.cursor() as cursor:
                cursor.execute(self._insert_if_absent, self._values(request, outcome))
                return cursor.fetchone() is not None

        if reconnecting(self._datastore, insert):
            return Answer(outcome, replayed=False)
        stored = self.find(request.subject, request.key)
        if stored is None:  # cannot happen: keys are never deleted
            raise RuntimeError("idempotency key vanished")
        return stored.answer_for(request)

    @staticmethod
    def appended(scope: KeyScope | None) -> tuple[Any, ...]:
        """The key arguments of `ledger_append` (services/ledger_append.py) for a save: none
        outside a key scope; the key with its outcome for the command's first save, which the
        function records at the position of the save's last event; for a later save of the same
        command, the key whose stored outcome moves to that position."""
        if scope is None:
            return (None, None, None, None, None, None, False)
        request = scope.request
        return (*IdempotencyKeys._values(request, request.outcome(None)), scope.position is None)

    @staticmethod
    def _values(request: KeyedRequest, outcome: dict[str, Any]) -> tuple[Any, ...]:
        return (
            request.subject,
            request.key,
            request.operation,
            request.digest,
            Jsonb(outcome),
            request.attempt,
        )


def _stored(row: Mapping[str, Any]) -> StoredKey:
    outcome = row["outcome"]
    if isinstance(outcome, str | bytes):
        outcome = json.loads(outcome)
    return StoredKey(
        operation=str(row["operation"]),
        digest=str(row["request_hash"]),
        state=str(row["state"]),
        outcome=outcome,
        attempt=row["attempt"],
    )


Refusal = Callable[[Exception], "list[dict[str, Any]] | None"]


def run_once(
    keys: IdempotencyKeys,
    request: KeyedRequest,
    command: Callable[[], int | None],
    refusal: Refusal,
    *,
    transient: tuple[type[Exception], ...] = (),
) -> Answer:
    """Run `command` (which returns its position) at most once for this key, in this thread.

    `refusal(exc)` gives the payload errors of an expected refusal, or None for a failure that
    must propagate (nothing is stored for it). Refusals of the `transient` kinds are answered
    but not stored: the client is meant to try again.
    """
    stored = keys.find(request.subject, request.key)
    if stored is not None:
        return stored.answer_for(request)
    with keyed(request) as scope:
        try:
            position = command()
        except KeyAlreadyRecorded as taken:
            return taken.stored.answer_for(request)
        except Exception as exc:
            return _after_failure(keys, scope, exc, refusal, transient)
    if scope.recorded:
        return Answer(request.outcome(scope.position), replayed=False)
    return keys.store(request, request.outcome(position))


def _after_failure(
    keys: IdempotencyKeys,
    scope: KeyScope,
    exc: Exception,
    refusal: Refusal,
    transient: tuple[type[Exception], ...],
) -> Answer:
    errors = refusal(exc)
    if errors is None:
        raise exc
    request = scope.request
    if scope.recorded:
        # A follow-up after the recording save was refused: the key answers what the recording
        # save stored, now and on every retry.
        return Answer(request.outcome(scope.position), replayed=False)
    outcome = request.outcome(None, errors)
    if isinstance(exc, transient):
        return Answer(outcome, replayed=False)
    return keys.store(request, outcome)
