"""Idempotency keys in the province's event store: written with the events, or not at all; and
the keys of the former shared table moved over without losing one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest

from thidua.domain.provenance import Actor, Provenance
from thidua.services.commands.errors import ConcurrentChange
from thidua.services.database import ConnectionParams
from thidua.services.idempotency import (
    IdempotencyOutcomeUnknown,
    KeyedRequest,
    request_hash,
    run_once,
)
from thidua.services.registry import ProvinceRegistry

FORMER_TABLE = """
CREATE TABLE platform.idempotency_keys (
    province     text        NOT NULL,
    key          text        NOT NULL,
    operation    text        NOT NULL,
    request_hash text        NOT NULL,
    subject      text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('pending', 'done')),
    outcome      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (province, key)
)
"""


def by() -> Provenance:
    return Provenance(Actor("admin", "province_admin", None), datetime.now(UTC), date(2026, 1, 5), "t")


def request(key: str, subject: str = "admin", unit: str = "so-gd") -> KeyedRequest:
    digest = request_hash("registerUnit", {"key": unit})
    return KeyedRequest(subject, key, "registerUnit", digest, answer={"key": unit, "correlation_id": "c"})


def never_refused(exc: Exception) -> None:
    return None


def count(params: ConnectionParams, sql: str) -> int:
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_a_save_whose_transaction_fails_leaves_neither_events_nor_key(
    registry: ProvinceRegistry, database: ConnectionParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    keys = app.idempotency_keys
    real_appended = keys.appended

    def key_row_that_fails(scope: Any) -> tuple[Any, ...]:
        # The key row, inserted after the events in the same statement, breaks a constraint.
        subject, key, _operation, *rest = real_appended(scope)
        return (subject, key, None, *rest)

    monkeypatch.setattr(keys, "appended", key_row_that_fails)
    with pytest.raises(ConcurrentChange):
        run_once(
            keys, request("k-1"), lambda: app.register_unit(key="so-gd", name="Sở GD", by=by()), never_refused
        )
    assert count(database, "SELECT count(*) FROM p_nghe_an.ledger_events") == 0
    assert count(database, "SELECT count(*) FROM p_nghe_an.idempotency_keys") == 0
    monkeypatch.undo()
    answer = run_once(
        keys, request("k-1"), lambda: app.register_unit(key="so-gd", name="Sở GD", by=by()), never_refused
    )
    assert not answer.replayed
    position = count(database, "SELECT max(notification_id) FROM p_nghe_an.ledger_events")
    assert answer.outcome == {"key": "so-gd", "correlation_id": "c", "position": position, "errors": []}
    assert count(database, "SELECT count(*) FROM p_nghe_an.ledger_events") == 1
    again = run_once(keys, request("k-1"), lambda: pytest.fail("ran twice"), never_refused)
    assert again.replayed
    assert again.outcome == answer.outcome


def test_keys_of_the_former_shared_table_move_to_their_province_pending_ones_as_unknown(
    database: ConnectionParams,
) -> None:
    first = ProvinceRegistry(database)
    first.ensure_platform_schema()
    first.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    first.create_province("ha-tinh", "Tỉnh Hà Tĩnh", created_by="op")
    first.close()
    done = {"key": "so-gd", "correlation_id": "c", "position": 7, "errors": []}
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(FORMER_TABLE)
        for province, key, state, outcome in [
            ("nghe-an", "k-done", "done", json.dumps(done)),
            ("nghe-an", "k-pending", "pending", None),
            ("ha-tinh", "k-done", "done", json.dumps(done)),
        ]:
            conn.execute(
                "INSERT INTO platform.idempotency_keys (province, key, operation, request_hash, subject, "
                "state, outcome) VALUES (%s, %s, 'registerUnit', %s, 'admin', %s, %s)",
                (province, key, request("x").digest, state, outcome),
            )
    registry = ProvinceRegistry(database)
    try:
        app = registry.app("nghe-an")
        replay = run_once(app.idempotency_keys, request("k-done"), lambda: pytest.fail("ran"), never_refused)
        assert replay.replayed
        assert replay.outcome == done
        with pytest.raises(IdempotencyOutcomeUnknown):
            run_once(app.idempotency_keys, request("k-pending"), lambda: pytest.fail("ran"), never_refused)
        assert count(database, "SELECT count(*) FROM platform.idempotency_keys") == 1  # Hà Tĩnh's
        registry.app("ha-tinh")
        assert count(database, "SELECT count(*) FROM p_ha_tinh.idempotency_keys") == 1
        assert count(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'idempotency_keys' "
                     "AND schemaname = 'platform'") == 0  # fmt: skip
    finally:
        registry.close()
