"""What every command mixin shares: load by natural key (one by one or in a batch), build
recipient facts, save together."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, Recording, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.sql import SQL, Identifier

from thidua.domain.discipline import DisciplinaryFile
from thidua.domain.errors import MalformedCommand
from thidua.domain.ids import aggregate_id, aggregate_ref
from thidua.domain.provenance import Provenance
from thidua.domain.recipients import RecipientFacts, staff_facts, unit_facts
from thidua.domain.records import AwardRecord, record_key
from thidua.domain.rulebook import rules_in_force
from thidua.domain.rules import RuleSet
from thidua.services.availability import reconnecting
from thidua.services.commands.errors import (
    NOT_FOUND,
    AlreadyExists,
    CommitOutcomeUnknown,
    ConcurrentChange,
)
from thidua.services.commands.read_cache import ReadCache
from thidua.services.event_store import LedgerRecorder
from thidua.services.idempotency import IdempotencyKeys, KeyAlreadyRecorded, current_scope

log = structlog.get_logger()


class CommandsBase(Application[UUID]):
    """Helpers for command methods; `province` is set by ProvinceApplication."""

    province: str

    def _id(self, kind: str, key: str) -> UUID:
        return aggregate_id(self.province, kind, key)

    def _find(self, kind: str, key: str) -> Any | None:
        try:
            return self.repository.get(self._id(kind, key))
        except AggregateNotFoundError:
            return None

    def _get(self, kind: str, key: str) -> Any:
        """The aggregate, or the kind's NotFound error naming the key in Vietnamese."""
        found = self._find(kind, key)
        if found is None:
            error, what = NOT_FOUND[kind]
            raise error(f"Không tìm thấy {what} «{key}».", key=key)
        return found

    def _get_many(self, kind: str, keys: Sequence[str]) -> dict[str, Any]:
        """Aggregates of one kind by key, read in one query (tải hàng loạt) instead of one round
        trip each; the first missing key, in the order given, is the kind's NotFound error."""
        ids = {self._id(kind, key): key for key in keys}
        found = self._load_many(list(ids))
        for id_, key in ids.items():
            if id_ not in found:
                error, what = NOT_FOUND[kind]
                raise error(f"Không tìm thấy {what} «{key}».", key=key)
        return {key: found[id_] for id_, key in ids.items()}

    def _load_many(self, ids: list[UUID]) -> dict[UUID, Any]:
        """Rebuild aggregates from their events as the repository does (snapshots are off):
        each stored event is mapped to its domain event and folded with `mutate`."""
        if not isinstance(self.recorder, PostgresAggregateRecorder):  # other stores: one by one
            return {i: self.repository.get(i) for i in ids if i in self.repository}
        return self._fold(_select_events(self.recorder, ids), {})

    def _fold(self, events: list[StoredEvent], start: dict[UUID, Any]) -> dict[UUID, Any]:
        """`start` with the stored events (in version order per aggregate) applied."""
        aggregates = dict(start)
        for stored in events:
            event = self.mapper.to_domain_event(stored)
            key = UUID(str(stored.originator_id))
            aggregates[key] = event.mutate(aggregates.get(key))  # type: ignore[attr-defined]
        return {i: a for i, a in aggregates.items() if a is not None}

    def _read_all(self, wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        """The aggregates named by (kind, key) that exist, for a command that only reads them:
        in one query, from the application's read cache (`read_cache`), shared and never to be
        changed. `_require` turns a missing one into its kind's NotFound error."""
        if not isinstance(self.recorder, PostgresAggregateRecorder):  # other stores: one by one
            return {pair: a for pair in wanted if (a := self._find(*pair)) is not None}
        refs = [aggregate_ref(self.province, kind, key) for kind, key in wanted]
        found = self._read_cache.load(self.recorder, refs, self._fold, self._load_many)
        return {pair: a for pair, a in zip(wanted, found, strict=True) if a is not None}

    @staticmethod
    def _require(found: dict[tuple[str, str], Any], kind: str, key: str) -> Any:
        aggregate = found.get((kind, key))
        if aggregate is None:
            error, what = NOT_FOUND[kind]
            raise error(f"Không tìm thấy {what} «{key}».", key=key)
        return aggregate

    @functools.cached_property
    def _read_cache(self) -> ReadCache:
        return ReadCache()

    def _exists(self, kind: str, key: str) -> bool:
        return self._id(kind, key) in self.repository

    def _refuse_existing(self, kind: str, key: str) -> None:
        if self._exists(kind, key):
            _, what = NOT_FOUND.get(kind, (None, kind))
            raise AlreadyExists(f"Đã có {what} «{key}».", kind=kind, key=key)

    @property
    def idempotency_keys(self) -> IdempotencyKeys:
        """The province's key table (it lives beside the events: they are written together)."""
        if not isinstance(self.recorder, LedgerRecorder):
            raise TypeError("idempotency keys need the province event store (services.event_store)")
        return self.recorder.keys

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save; under an idempotency key (`idempotency.run_once`) the recorder
        writes the key in the events' transaction, and a save that lost to a transaction which
        had recorded the same key says so (`KeyAlreadyRecorded`) instead of CONCURRENT_CHANGE."""
        scope = current_scope()
        if scope is None:
            return super().save(*objs, **kwargs)
        try:
            recordings = super().save(*objs, idempotency=scope, **kwargs)
        except IntegrityError:
            # Our own earlier attempt (a COMMIT whose acknowledgement was lost) or a twin request.
            stored = self.idempotency_keys.find(scope.request.subject, scope.request.key)
            if stored is not None:
                raise KeyAlreadyRecorded(stored) from None
            raise
        if recordings:
            scope.position = max(r.notification.id for r in recordings)
        return recordings

    def _commit(self, *aggregates: Aggregate | None) -> int:
        """Save together (one transaction); the position of the last event recorded.

        Under an idempotency key the first save records the key with the command's outcome:
        a command's facts belong in one `_commit`; a later one is a follow-up that is safe to
        repeat (see `services.idempotency`)."""
        saving = [a for a in aggregates if a is not None]
        # Kept before `save` collects them: needed to recognise our own insert below.
        pending = [event for aggregate in saving for event in aggregate.pending_events]
        try:
            recordings = self.save(*saving)
        except IntegrityError:
            position = self._recorded_by_lost_acknowledgement(pending)
            if position is None:
                raise ConcurrentChange(
                    "Dữ liệu vừa được người khác thay đổi; vui lòng tải lại và thử lại."
                ) from None
            return position
        except (OperationalError, InterfaceError) as lost:
            if current_scope() is not None:
                # Under an idempotency key a retry finds out by itself: the key was recorded in
                # the same transaction as these events. The caller hears SERVICE_UNAVAILABLE now.
                raise
            # The recorder gave up retrying. Whether the COMMIT landed decides what the caller
            # may do next: look, and say "unknown" only when even looking is impossible.
            try:
                position = self._recorded_by_lost_acknowledgement(pending)
            except (OperationalError, InterfaceError):
                raise CommitOutcomeUnknown(str(lost)) from lost
            if position is None:
                raise  # nothing was recorded: a plain retry is safe
            return position
        return max((r.notification.id for r in recordings), default=0)

    def _recorded_by_lost_acknowledgement(self, pending: list[CanMutateAggregate[UUID]]) -> int | None:
        """The position of `pending` if every one of them is already stored byte for byte.

        The recorder retries an insert whose connection broke (PostgreSQL restarted, network
        cut). When the break came after the COMMIT reached the server, the retry collides with
        the rows it wrote itself. That is our command succeeding, not another writer's change:
        answering CONCURRENT_CHANGE would tell the clerk it failed, and an idempotency key would
        store that wrong answer. A real concurrent writer's events differ (another timestamp,
        another payload), so comparing the stored bytes tells the two apart.
        """
        if not pending or not isinstance(self.recorder, PostgresAggregateRecorder):
            return None
        wanted = {
            (UUID(str(e.originator_id)), e.originator_version): self.mapper.to_stored_event(e)
            for e in pending
        }
        stored = _select_recorded(self.recorder, list(wanted))
        for slot, event in wanted.items():
            found = stored.get(slot)
            if found is None or found[0] != event.topic or found[1] != event.state:
                return None
        log.warning("commit_acknowledgement_lost", province=self.province, events=len(pending))
        positions: list[int] = [row[2] for row in stored.values()]
        return max(positions)

    def rules_on(self, on: date) -> RuleSet:
        """The province's rules in force on `on`."""
        book = self._read_all([("rulebook", self.province)]).get(("rulebook", self.province))
        return rules_in_force(book, on, self.province)

    def _award_record(self, recipient_kind: str, recipient: str, by: Provenance) -> AwardRecord:
        """The recipient's award record, opened on first use (saved with the command)."""
        found: AwardRecord | None = self._find("record", record_key(recipient_kind, recipient))
        return found or AwardRecord.open(self.province, recipient_kind, recipient, by)

    def _recipient(self, kind: str, key: str, by: Provenance) -> RecipientFacts:
        discipline: DisciplinaryFile | None = self._find("discipline", f"{kind}:{key}")
        record = self._award_record(kind, key, by)
        if kind == "unit":
            return unit_facts(self._get("unit", key), discipline, record)
        if kind == "staff":
            return staff_facts(self._get("staff", key), discipline, record)
        raise MalformedCommand(f"Loại đối tượng «{kind}» không hợp lệ.", kind=kind)


def _select_recorded(
    recorder: PostgresAggregateRecorder, slots: list[tuple[UUID, int]]
) -> dict[tuple[UUID, int], tuple[str, bytes, int]]:
    """Topic, state and position of the stored events at these (originator, version) slots."""
    return reconnecting(recorder.datastore, lambda: _select_recorded_once(recorder, slots))


def _select_recorded_once(
    recorder: PostgresAggregateRecorder, slots: list[tuple[UUID, int]]
) -> dict[tuple[UUID, int], tuple[str, bytes, int]]:
    statement = SQL(
        "SELECT originator_id, originator_version, topic, state, notification_id FROM {schema}.{table} "
        "WHERE (originator_id, originator_version) IN (SELECT * FROM unnest(%s::uuid[], %s::int[]))"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
        cursor.execute(statement, ([s[0] for s in slots], [s[1] for s in slots]))
        return {
            (UUID(str(row["originator_id"])), int(row["originator_version"])): (
                str(row["topic"]),
                bytes(row["state"]),
                int(row["notification_id"]),
            )
            for row in cursor.fetchall()
        }


def _select_events(recorder: PostgresAggregateRecorder, ids: list[UUID]) -> list[StoredEvent]:
    if not ids:
        return []
    return reconnecting(recorder.datastore, lambda: _select_events_once(recorder, ids))


def _select_events_once(recorder: PostgresAggregateRecorder, ids: list[UUID]) -> list[StoredEvent]:
    statement = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
        "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
        cursor.execute(statement, (ids,))
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in cursor.fetchall()
        ]
