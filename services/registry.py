"""The province registry: which tenants exist, and each one's event-sourced application.

The registry's own table lives in the `platform` schema. Provinces are created by a platform
operator; each gets a schema derived from its validated code, the eventsourcing tables inside
it, and the hash-chain triggers (`services.ledger_chain`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from typing import Any

import psycopg
import structlog
from psycopg import sql
from psycopg.rows import dict_row

from thidua.services.attachments.store import attachments_ddl
from thidua.services.database import ConnectionParams
from thidua.services.errors import ProvinceAlreadyExists, ProvinceNotFound
from thidua.services.event_store import POOL_WAIT_S
from thidua.services.idempotency_upgrade import migrate_platform_keys
from thidua.services.ledger_chain import chain_ddl
from thidua.services.ledger_closure import closure_ddl
from thidua.services.province_app import ProvinceApplication
from thidua.services.tenancy import schema_for, validate_province_code

log = structlog.get_logger()

# One creator of schemas at a time among every process sharing the database: two server
# processes starting at once each rewrote the same functions, and PostgreSQL answered "tuple
# concurrently updated" to one of them, which then died.
SCHEMA_LOCK = 7301

PLATFORM_DDL = """
CREATE SCHEMA IF NOT EXISTS platform;
CREATE TABLE IF NOT EXISTS platform.provinces (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    schema_name text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL
);
-- One row, rewritten by every /ready: the readiness probe is a real write (services/readiness.py).
CREATE TABLE IF NOT EXISTS platform.readiness (
    id         int PRIMARY KEY CHECK (id = 1),
    checked_at timestamptz NOT NULL
);
-- Lineage (dòng kế thừa): each merged province, its successor and the head its ledger was closed at.
CREATE TABLE IF NOT EXISTS platform.successions (
    predecessor   text PRIMARY KEY REFERENCES platform.provinces (code),
    successor     text NOT NULL REFERENCES platform.provinces (code),
    effective_on  date NOT NULL,
    basis         text NOT NULL,
    head_hash     text NOT NULL,
    head_position bigint NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    recorded_by   text NOT NULL
);
CREATE INDEX IF NOT EXISTS successions_successor ON platform.successions (successor);
"""


@dataclass(frozen=True)
class ProvinceInfo:
    code: str
    name: str
    schema_name: str
    created_at: datetime


class ProvinceRegistry:
    """Creates provinces and hands out their applications (one per province, cached)."""

    def __init__(
        self,
        params: ConnectionParams,
        *,
        pool_size: int = 2,
        pool_overflow: int = 6,
        aggregate_cache: int = 1000,
    ) -> None:
        self.params = params
        self._pool_size = pool_size
        self._pool_overflow = pool_overflow
        self._aggregate_cache = aggregate_cache
        self._apps: dict[str, ProvinceApplication] = {}
        self._lock = threading.Lock()

    def _connect(self) -> psycopg.Connection[dict[str, object]]:
        return psycopg.connect(self.params.psycopg_conninfo(), autocommit=True, row_factory=dict_row)

    def ensure_platform_schema(self) -> None:
        with self._connect() as conn, schema_lock(conn):
            conn.execute(PLATFORM_DDL)

    def create_province(self, code: str, name: str, *, created_by: str) -> ProvinceInfo:
        """Register a province and build its event store; a second creation is refused."""
        validate_province_code(code)
        schema = schema_for(code)
        clean_name = name.strip()
        with self._connect() as conn, conn.transaction():
            row = conn.execute(
                "INSERT INTO platform.provinces (code, name, schema_name, created_by) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (code) DO NOTHING "
                "RETURNING code, name, schema_name, created_at",
                (code, clean_name, schema, created_by),
            ).fetchone()
            if row is None:
                raise ProvinceAlreadyExists(f"Tỉnh «{code}» đã được tạo trước đó.", province=code)
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        self.app(code)  # creates the eventsourcing tables and the chain triggers
        from thidua.services.base_salary import carry_to_new_province  # noqa: PLC0415 - it imports this module

        carry_to_new_province(self, code, created_by)  # base salaries adopted before it existed
        log.info("province_created", province=code, schema=schema, created_by=created_by)
        return _info(row)

    def list_provinces(self) -> list[ProvinceInfo]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT code, name, schema_name, created_at FROM platform.provinces ORDER BY code"
            ).fetchall()
        return [_info(r) for r in rows]

    def get(self, code: str) -> ProvinceInfo:
        validate_province_code(code)
        with self._connect() as conn:
            row = conn.execute(
                "SELECT code, name, schema_name, created_at FROM platform.provinces WHERE code = %s",
                (code,),
            ).fetchone()
        if row is None:
            raise ProvinceNotFound(f"Không tìm thấy tỉnh «{code}».", province=code)
        return _info(row)

    def app(self, code: str) -> ProvinceApplication:
        """The province's application; an unknown province is an error, never an empty history.
        Opening it makes sure its schema has the chain triggers and the file store."""
        cached = self._apps.get(code)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._apps.get(code)
            if cached is not None:
                return cached
            info = self.get(code)
            env = self.params.eventsourcing_env(info.schema_name)
            env["POSTGRES_POOL_SIZE"] = str(self._pool_size)
            env["POSTGRES_MAX_OVERFLOW"] = str(self._pool_overflow)
            # Hot aggregates (an open ballot, a block's scoring, a rating sheet) are read by every
            # command on them; replaying their whole history each time grows with the history.
            # The library's cache fast-forwards from the store on every get (so writes by other
            # processes and history imports are seen) and hands out deep copies (so a refused
            # command leaves no trace in it).
            env["AGGREGATE_CACHE_MAXSIZE"] = str(self._aggregate_cache)
            # Our recorder: the idempotency key in the events' transaction, bounded waits on a lost
            # database (services/event_store.py). No pre-ping: its SELECT 1 per checkout cost a
            # round trip per load, and psycopg's pool sleeps with a growing back-off after each
            # dead connection it finds that way; instead the first statement that fails on a dead
            # connection has every idle one checked and is tried once more.
            env["PERSISTENCE_MODULE"] = "thidua.services.event_store:LedgerFactory"
            env["POSTGRES_CONNECT_TIMEOUT"] = str(POOL_WAIT_S)
            env["POSTGRES_PRE_PING"] = "n"
            env["CREATE_TABLE"] = "n"  # created by `_ensure_ledger_schema`, under the schema lock
            app = ProvinceApplication(code, env=env)
            try:
                self._ensure_ledger_schema(app, code, info.schema_name)
            except BaseException:
                app.close()
                raise
            self._apps[code] = app
            return app

    def _ensure_ledger_schema(self, app: ProvinceApplication, code: str, schema: str) -> None:
        """The province's event store (the recorder's tables, its idempotency keys among them)
        and its chain triggers, created under the schema lock and marked done. A schema already
        marked with this version is left alone, so a process starting beside others that serve
        writes takes no lock on their tables. Keys a former release kept in the platform table
        are moved in either case (a check of one catalog row once they are gone)."""
        recorder: Any = app.recorder  # LedgerRecorder (typed as the interface)
        marker = ledger_schema_marker(schema, recorder.sql_create_statements)
        with self._connect() as conn, schema_lock(conn):
            row = conn.execute(
                "SELECT obj_description(%s::regnamespace, 'pg_namespace') AS marker", (schema,)
            ).fetchone()
            if row is not None and row["marker"] == marker:
                # Prepared by another process, maybe after this application was built: the
                # recorder looked for its composite type then, and must look again to insert.
                recorder.datastore.register_type_adapters()
                with conn.transaction():
                    migrate_platform_keys(conn, code, schema)
                return
            recorder.create_table()
            with conn.transaction():
                for statement in [*chain_ddl(schema), *closure_ddl(schema), *attachments_ddl(schema)]:
                    conn.execute(statement.encode())
                migrate_platform_keys(conn, code, schema)
                conn.execute(
                    sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(schema), sql.Literal(marker))
                )
            log.info("ledger_schema_prepared", schema=schema)

    def opened(self) -> dict[str, ProvinceApplication]:
        """The applications opened so far, by province (their pools are what /metrics shows)."""
        return dict(self._apps)

    def close(self) -> None:
        with self._lock:
            for app in self._apps.values():
                app.close()
            self._apps.clear()


@contextmanager
def schema_lock(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Hold the schema lock for the block (`conn` in autocommit: a session lock)."""
    conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def ledger_schema_marker(schema: str, recorder_statements: Sequence[sql.Composable] = ()) -> str:
    """What a prepared ledger schema's comment says: a digest of the recorder's, the chain's and
    the file store's statements and the event store library's version, so a change to any of them
    is applied at the next start."""
    texts = [s.as_string(None) for s in recorder_statements]
    prepared = [
        *texts,
        *chain_ddl(schema),
        *closure_ddl(schema),
        *attachments_ddl(schema),
        version("eventsourcing"),
    ]
    digest = hashlib.sha256("\n".join(prepared).encode())
    return f"thidua ledger schema {digest.hexdigest()[:16]}"


def _info(row: dict[str, object]) -> ProvinceInfo:
    return ProvinceInfo(
        code=str(row["code"]),
        name=str(row["name"]),
        schema_name=str(row["schema_name"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
    )
