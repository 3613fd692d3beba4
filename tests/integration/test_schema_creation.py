"""Schemas are created under one advisory lock: server processes starting at once never race.

Two `thidua serve` workers starting together each rewrote every province's functions and
triggers, and PostgreSQL answered "tuple concurrently updated" to one of them (about one start
in four with several provinces). Here two registries (two processes' worth of connections) open
the same provinces at once, round after round, with the schemas' recorded migrations cleared
before each round so that both really have steps to run, as after an upgrade that adds some.
"""

from __future__ import annotations

import threading
import time

import psycopg
from eventsourcing.domain import Aggregate

from thidua.services.database import ConnectionParams
from thidua.services.migrations.province_steps import PROVINCE_STEPS
from thidua.services.migrations.runner import apply_pending
from thidua.services.migrations.steps import ProvinceContext
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry, schema_lock
from thidua.services.tenancy import schema_for

PROVINCES = [f"tinh-{i}" for i in range(5)]
LEDGER_STORE = "thidua.services.event_store:LedgerFactory"  # as the registry's applications
ROUNDS = 8


def _clear_marks(database: ConnectionParams) -> None:
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        for code in PROVINCES:
            conn.execute(f'DELETE FROM "{schema_for(code)}".schema_migrations')


def _open_all_at_once(database: ConnectionParams, provinces: list[str]) -> list[str]:
    # Small pools: the session's server is shared with every other test's connections.
    registries = [ProvinceRegistry(database, pool_size=1, pool_overflow=1) for _ in range(2)]
    start = threading.Barrier(len(registries))
    errors: list[str] = []

    def open_provinces(registry: ProvinceRegistry) -> None:
        start.wait()
        try:
            for code in provinces:
                registry.app(code)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=open_provinces, args=(r,)) for r in registries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for registry in registries:
        registry.close()
    return errors


def test_processes_opening_the_same_provinces_at_once_never_collide(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    for code in PROVINCES:
        registry.create_province(code, code, created_by="op")
    registry.close()  # its pools: the two below are the processes
    failures = []
    for _ in range(ROUNDS):
        _clear_marks(database)
        failures += _open_all_at_once(database, PROVINCES)
    assert failures == [], f"{len(failures)} of {ROUNDS} rounds failed: {failures[:3]}"


def test_a_prepared_schema_is_left_alone(registry: ProvinceRegistry, database: ConnectionParams) -> None:
    """A process starting beside others that serve writes rewrites nothing (and so takes no
    lock on their tables): the functions keep the transaction that created them."""
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    query = "SELECT xmin::text FROM pg_proc WHERE proname = 'ledger_chain'"
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        before = conn.execute(query).fetchall()
        assert _open_all_at_once(database, ["nghe-an"]) == []
        assert conn.execute(query).fetchall() == before


def test_an_application_built_before_another_process_prepared_the_schema_can_write(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """A province created while a server runs: the server may build the province's application
    (its projections see the new row) before the creating process made the tables, then find them
    prepared. Its inserts failed with "Composite type 'stored_event_uuid' not found"."""
    info = _registered_without_tables(database, "ha-tinh")
    server = ProvinceRegistry(database)
    opened: list[ProvinceApplication] = []
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as lock_conn, schema_lock(lock_conn):
        thread = threading.Thread(target=lambda: opened.append(server.app("ha-tinh")))
        thread.start()  # builds its application, then waits for the schema lock
        time.sleep(1.0)
        env = {**database.eventsourcing_env(info), "PERSISTENCE_MODULE": LEDGER_STORE}
        creator = ProvinceApplication("ha-tinh", env=env)  # "another process" makes the tables
        with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
            apply_pending(
                conn, info, PROVINCE_STEPS, ProvinceContext(conn, "ha-tinh", info, creator.recorder)
            )
        creator.close()
    thread.join(timeout=30)
    try:
        app = opened[0]
        assert app.position_of(app.save(Memo("ghi chú"))) == 1
    finally:
        server.close()


class Memo(Aggregate):
    def __init__(self, text: str) -> None:
        self.text = text


def _registered_without_tables(database: ConnectionParams, code: str) -> str:
    """The province's row and empty schema, as `create_province` leaves them before its tables."""
    schema = schema_for(code)
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO platform.provinces (code, name, schema_name, created_by) VALUES (%s, %s, %s, 'op')",
            (code, code, schema),
        )
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema
