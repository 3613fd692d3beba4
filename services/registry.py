"""The province registry: which tenants exist, and each one's event-sourced application.

The registry's own table lives in the `platform` schema. Provinces are created by a platform
operator; each gets a schema derived from its validated code, the eventsourcing tables inside
it, and the hash-chain triggers (`services.ledger_chain`), by the schema's migrations
(`services.migrations`), which every process applies when it opens the province.

A province lives on one database server (`services.servers`): the main one, or another the
configuration names and the registry row records (`server`). Its schema, event store and read
models are made there; the registry's own tables stay on the main server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
import structlog
from psycopg.rows import dict_row

from thidua.projections.ddl import BASE_DDL, DDL_LOCK, TRACKING_ISOLATION
from thidua.services.database import ConnectionParams
from thidua.services.errors import ProvinceAlreadyExists, ProvinceNotFound
from thidua.services.event_store import POOL_WAIT_S
from thidua.services.idempotency_upgrade import migrate_platform_keys
from thidua.services.migrations import SCHEMA_LOCK, migrate_platform, migrate_province, schema_lock
from thidua.services.province_app import ProvinceApplication
from thidua.services.servers import MAIN_SERVER, Servers
from thidua.services.tenancy import schema_for, validate_province_code

log = structlog.get_logger()

__all__ = ["SCHEMA_LOCK", "ProvinceInfo", "ProvinceRegistry", "schema_lock"]


@dataclass(frozen=True)
class ProvinceInfo:
    code: str
    name: str
    schema_name: str
    created_at: datetime
    server: str = MAIN_SERVER


class ProvinceRegistry:
    """Creates provinces and hands out their applications (one per province, cached)."""

    def __init__(
        self,
        params: ConnectionParams,
        *,
        pool_size: int = 2,
        pool_overflow: int = 6,
        aggregate_cache: int = 1000,
        servers: Servers | None = None,
    ) -> None:
        self.params = params  # the main server: the platform tables
        self.servers = servers if servers is not None else Servers(params)
        self._pool_size = pool_size
        self._pool_overflow = pool_overflow
        self._aggregate_cache = aggregate_cache
        self._apps: dict[str, ProvinceApplication] = {}
        self._migrated: dict[str, list[str]] = {}  # the steps this registry applied, by schema
        self._prepared: set[str] = {MAIN_SERVER}  # servers whose shared read-model tables exist
        self._lock = threading.Lock()

    def _connect(self, server: str = MAIN_SERVER) -> psycopg.Connection[dict[str, object]]:
        params = self.servers.params(server)
        return psycopg.connect(params.psycopg_conninfo(), autocommit=True, row_factory=dict_row)

    def connect_to(self, server: str) -> psycopg.Connection[tuple[Any, ...]]:
        """A connection (autocommit, rows as tuples) to a server by name."""
        return psycopg.connect(self.servers.params(server).psycopg_conninfo(), autocommit=True)

    def params_for(self, code: str) -> ConnectionParams:
        """The connection of the server the province lives on."""
        return self.servers.params(self.get(code).server)

    def ensure_platform_schema(self) -> None:
        """Apply the platform's pending migrations (none: two catalog reads, no lock)."""
        with self._connect() as conn:
            applied = migrate_platform(conn)
        if applied:
            self._migrated["platform"] = applied

    def migrate(self) -> dict[str, list[str]]:
        """Apply every pending migration: the platform's, then each province's (`thidua db
        migrate`); the steps applied, by schema (empty when the database was current)."""
        self.ensure_platform_schema()
        for server in self.servers.names():
            self.prepare_server(server)
        for info in self.list_provinces():
            self.app(info.code)
        return {schema: list(steps) for schema, steps in self._migrated.items()}

    def prepare_server(self, server: str) -> None:
        """What every province on `server` shares, made once: the reader role, the `readmodel`
        schemas and the tracking table under row-level security (on the main server the
        platform's migrations made them). Nothing is locked once they exist."""
        if server in self._prepared:
            return
        with self._connect(server) as conn:
            if conn.execute("SELECT to_regclass('readmodel.tracking') AS t").fetchone() == {"t": None}:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK,))
                    for statement in [*BASE_DDL, *TRACKING_ISOLATION]:
                        conn.execute(statement.encode())
                log.info("database_server_prepared", server=server)
        self._prepared.add(server)

    def create_province(
        self, code: str, name: str, *, created_by: str, server: str = MAIN_SERVER
    ) -> ProvinceInfo:
        """Register a province on `server` and build its event store there; a second creation,
        or a server the configuration does not name, is refused (nothing recorded)."""
        validate_province_code(code)
        schema = schema_for(code)
        clean_name = name.strip()
        self.servers.params(server)  # UNKNOWN_DATABASE_SERVER before anything is written
        self.prepare_server(server)
        with self._connect() as conn, conn.transaction():
            row = conn.execute(
                "INSERT INTO platform.provinces (code, name, schema_name, created_by, server) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (code) DO NOTHING "
                "RETURNING code, name, schema_name, created_at, server",
                (code, clean_name, schema, created_by, server),
            ).fetchone()
            if row is None:
                raise ProvinceAlreadyExists(f"Tỉnh «{code}» đã được tạo trước đó.", province=code)
            if server == MAIN_SERVER:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            else:  # made there before the registry's row commits: no row names a missing schema
                with self._connect(server) as remote:
                    remote.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        self.app(code)  # creates the eventsourcing tables and the chain triggers
        from thidua.services.base_salary import carry_to_new_province  # noqa: PLC0415 - it imports this module

        carry_to_new_province(self, code, created_by)  # base salaries adopted before it existed
        log.info("province_created", province=code, schema=schema, server=server, created_by=created_by)
        return _info(row)

    def list_provinces(self) -> list[ProvinceInfo]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT code, name, schema_name, created_at, server FROM platform.provinces ORDER BY code"
            ).fetchall()
        return [_info(r) for r in rows]

    def get(self, code: str) -> ProvinceInfo:
        validate_province_code(code)
        with self._connect() as conn:
            row = conn.execute(
                "SELECT code, name, schema_name, created_at, server FROM platform.provinces WHERE code = %s",
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
            app = self.open_at(self.get(code))
            self._apps[code] = app
            return app

    def open_at(self, info: ProvinceInfo) -> ProvinceApplication:
        """A new application of the province on `info.server`, its schema's pending migrations
        applied there (not cached: `app` caches the one of the registry's row)."""
        env = self.servers.params(info.server).eventsourcing_env(info.schema_name)
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
        app = ProvinceApplication(info.code, env=env)
        try:
            self._ensure_ledger_schema(app, info)
        except BaseException:
            app.close()
            raise
        return app

    def relocate(self, code: str, *, source: str, target: str) -> None:
        """Record that the province now lives on `target` (`province move` does it once the copy
        there is verified); refused unless the registry still names `source`."""
        with self._connect() as conn, conn.transaction():
            moved = conn.execute(
                "UPDATE platform.provinces SET server = %s WHERE code = %s AND server = %s",
                (target, code, source),
            ).rowcount
        if moved != 1:
            raise ProvinceNotFound(f"Tỉnh «{code}» không còn ở máy chủ «{source}».", province=code)
        with self._lock:
            stale = self._apps.pop(code, None)
        if stale is not None:
            stale.close()
        log.info("province_relocated", province=code, source=source, target=target)

    def _ensure_ledger_schema(self, app: ProvinceApplication, info: ProvinceInfo) -> None:
        """The province's pending migrations, on its server (its event store, chain triggers,
        file store; none once current, and then no lock is taken on tables others are writing).
        Keys a former release kept in the platform table are moved in either case (a check of
        one catalog row once they are gone); that release had only the main server."""
        recorder: Any = app.recorder  # LedgerRecorder (typed as the interface)
        code, schema = info.code, info.schema_name
        self.prepare_server(info.server)
        with self._connect(info.server) as conn:
            applied = migrate_province(conn, code, schema, recorder)
            if info.server == MAIN_SERVER:
                with conn.transaction():
                    migrate_platform_keys(conn, code, schema)
        # Maybe prepared by another process after this application was built: the recorder
        # looked for its composite type then, and must look again to insert.
        recorder.datastore.register_type_adapters()
        if applied:
            self._migrated[schema] = applied
            log.info("ledger_schema_prepared", schema=schema, steps=applied)

    def opened(self) -> dict[str, ProvinceApplication]:
        """The applications opened so far, by province (their pools are what /metrics shows)."""
        return dict(self._apps)

    def close(self) -> None:
        with self._lock:
            for app in self._apps.values():
                app.close()
            self._apps.clear()


def _info(row: dict[str, object]) -> ProvinceInfo:
    return ProvinceInfo(
        code=str(row["code"]),
        name=str(row["name"]),
        schema_name=str(row["schema_name"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
        server=str(row.get("server") or MAIN_SERVER),
    )
