"""The running process's shared parts, built once: database, registry, read pool, verifier.

`open_runtime()` is the composition root used by the HTTP app, the CLI and the tests.
Commands run off the event loop (`run_command`): eventsourcing's PostgreSQL recorder is
synchronous (psycopg 3 with its own pool), so each command goes to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import anyio.to_thread
import asyncpg
import structlog

from thidua.services.auth import TokenVerifier
from thidua.services.availability import CONNECT_TIMEOUT_S
from thidua.services.database import ConnectionParams, EmbeddedPostgres, resolve_database
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import Servers, routed_pool
from thidua.services.settings import Settings

log = structlog.get_logger()
T = TypeVar("T")

# A query of the API may take this long before it is given up (and answered SERVICE_UNAVAILABLE):
# long enough for the heaviest read (verifying a 1M-event ledger takes about 6 s), short enough
# that a request never waits for a database that stopped answering.
READ_TIMEOUT_S = 30.0


async def keep_session(conn: asyncpg.Connection) -> None:
    """The read pool's reset on release: nothing beyond what asyncpg always does (drop listener
    callbacks, roll back an unfinished transaction). Readers change no session state: every SET
    is LOCAL to its transaction (`projections.access`), and LISTEN, session advisory locks and
    held cursors live on connections of their own. The default reset sent four statements to the
    server on every release, a round trip of every query answered."""


class BackgroundService(Protocol):
    """Something the runtime starts and stops with the process (e.g. the projection runner)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    params: ConnectionParams
    registry: ProvinceRegistry
    read_pool: asyncpg.Pool
    verifier: TokenVerifier
    embedded: EmbeddedPostgres | None = None
    services: dict[str, Any] = field(default_factory=dict)

    async def run_command(self, province: str, command: Callable[[ProvinceApplication], T]) -> T:
        """Run a write command against a province's application in a worker thread."""

        def call() -> T:
            return command(self.registry.app(province))

        return await anyio.to_thread.run_sync(call)

    async def run_sync(self, fn: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(fn)

    async def close(self) -> None:
        for name, service in reversed(list(self.services.items())):
            stop = getattr(service, "stop", None)
            if stop is not None:
                try:
                    await stop()
                except Exception:
                    log.exception("service_stop_failed", service=name)
        await self.read_pool.close()
        await anyio.to_thread.run_sync(self.registry.close)
        if self.embedded is not None:
            self.embedded.stop()


async def open_runtime(settings: Settings, params: ConnectionParams | None = None) -> Runtime:
    """Connect (starting the embedded server if no DATABASE_URL), prepare the platform schema."""
    embedded: EmbeddedPostgres | None = None
    if params is None:
        params, embedded = await anyio.to_thread.run_sync(
            resolve_database, settings.database.url, settings.database.data_dir
        )
    assert params is not None
    servers = Servers.of(params, settings.database.servers)
    registry = ProvinceRegistry(
        params,
        pool_size=settings.database.province_pool_size,
        pool_overflow=settings.database.province_pool_overflow,
        servers=servers,
    )
    await anyio.to_thread.run_sync(registry.ensure_platform_schema)
    read_pool = await routed_pool(
        servers,
        min_size=1,
        max_size=settings.database.read_pool_size,
        timeout=CONNECT_TIMEOUT_S,
        command_timeout=READ_TIMEOUT_S,
        reset=keep_session,
    )
    log.info(
        "runtime_opened", database=params.describe(), embedded=embedded is not None, servers=servers.names()
    )
    return Runtime(
        settings=settings,
        params=params,
        registry=registry,
        read_pool=read_pool,
        verifier=TokenVerifier(settings.auth),
        embedded=embedded,
    )
