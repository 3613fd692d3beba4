"""The projection host (bộ chạy mô hình đọc): one catch-up runner per province, in this process.

Wiring only: it decodes stored events with each province application's mapper (projections/
never imports services), owns (province, projection) pairs through PostgreSQL advisory locks held
on one connection for the process's lifetime, wakes runners on the `ledger_events` NOTIFY that
eventsourcing sends on every insert (one channel for all province schemas; the listening
connection comes back after a restart of PostgreSQL, and wakes every runner then) with a poll
fallback,
and answers readiness and read-your-writes waits from the tracking table, so they hold whichever
process owns the projections. With `run=False` it only answers (a separate worker runs them).

One host runs the provinces of one database server (`server`; services/servers.py): its pool,
ownership locks and LISTEN are on that server, where those provinces' events and read models
are. `services.projection_hosts` puts one per server behind one service.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import Any

import anyio.to_thread
import asyncpg
import structlog
from eventsourcing.persistence import StoredEvent

from thidua.projections.base import Projection
from thidua.projections.catalogue import all_projections
from thidua.projections.envelope import Decode, Envelope, StoredRow
from thidua.projections.errors import NotYetProjected
from thidua.projections.fastdecode import fast_decoder
from thidua.projections.runner import DEFAULT_BATCH, ProvinceRunner
from thidua.projections.setup import ensure_readmodel
from thidua.projections.status import ProjectionStatus, list_provinces, projection_status
from thidua.projections.tracking import try_own
from thidua.services.database import ConnectionParams
from thidua.services.pg_listener import Listener
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import MAIN_SERVER

log = structlog.get_logger()

CHANNEL = "ledger_events"
APPLICATION_NAME = "thidua-projections"
LISTEN_NAME = "thidua-projections-listen"
OWNER_NAME = "thidua-projections-owner"  # the session holding the ownership locks


def decoder_for(registry: ProvinceRegistry, province: str) -> Decode:
    """Stored row -> Envelope: straight from the stored JSON where that gives the same envelope
    (projections/fastdecode.py), else through the province application's mapper."""
    return fast_decoder(mapper_decoder(registry, province))


def mapper_decoder(registry: ProvinceRegistry, province: str) -> Decode:
    """Stored row -> Envelope through the province application's mapper (its transcodings)."""
    mapper = registry.app(province).mapper

    def decode(row: StoredRow) -> Envelope:
        event = mapper.to_domain_event(
            StoredEvent(
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=row.state,
            )
        )
        return Envelope.of(row.position, row.topic, event)

    return decode


class ProjectionHost:
    """Registered as `runtime.services["projections"]`: start/stop, readiness, wait_for."""

    def __init__(
        self,
        params: ConnectionParams,
        registry: ProvinceRegistry,
        *,
        run: bool = True,
        projections: Sequence[Projection] | None = None,
        batch_size: int = DEFAULT_BATCH,
        poll_s: float = 1.0,
        claim_s: float = 5.0,
        ready_max_lag: int = 10_000,
        server: str = MAIN_SERVER,
    ) -> None:
        self.params = params
        self.registry = registry
        self.server = server
        self.run = run
        self.projections = list(projections or all_projections())
        self.batch_size = batch_size
        self.poll_s = poll_s
        self.claim_s = claim_s
        self.ready_max_lag = ready_max_lag
        self.runners: dict[str, ProvinceRunner] = {}
        self._wakes: dict[str, asyncio.Event] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stop = asyncio.Event()
        self._new_events = asyncio.Event()  # set on NOTIFY: maybe a province we do not run yet
        self._pool: asyncpg.Pool | None = None
        self._lock_conn: Any = None
        self._listener: Listener | None = None
        self._supervisor: asyncio.Task[None] | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            msg = "projection host not started"
            raise RuntimeError(msg)
        return self._pool

    async def _connect_owner(self) -> Any:
        return await asyncpg.connect(
            **self.params.asyncpg_kwargs(), server_settings={"application_name": OWNER_NAME}
        )

    async def start(self) -> None:
        self._pool = await asyncpg.create_pool(
            min_size=1,
            max_size=4,
            server_settings={"application_name": APPLICATION_NAME},
            **self.params.asyncpg_kwargs(),
        )
        async with self.pool.acquire() as conn:
            await ensure_readmodel(conn, self.projections)
        if not self.run:
            log.info("projections_not_run_here", reason="THIDUA_RUN_PROJECTIONS=false")
            return
        self._lock_conn = await self._connect_owner()
        self._listener = Listener(
            self.params, CHANNEL, self._notified, self._listening, application_name=LISTEN_NAME
        )
        await self._listener.start()
        await self.claim()
        self._supervisor = asyncio.create_task(self._supervise(), name="projection-supervisor")
        log.info("projections_started", provinces=len(self.runners))

    def _notified(self, _payload: str) -> None:
        for wake in self._wakes.values():
            wake.set()
        self._new_events.set()

    def _listening(self, connected: bool) -> None:
        """Back after a lost connection (PostgreSQL restarted): inserts made meanwhile sent
        notices nobody heard, so every runner looks now rather than at its next poll."""
        if connected:
            self._notified("")

    async def claim(self) -> None:
        """Own every unowned (province, projection) we can; start runners for new provinces."""
        await self._keep_ownership_session()
        for province in await self.provinces():
            runner = self.runners.get(province)
            for projection in self.projections:
                if runner is not None and projection.name in runner.projections:
                    continue
                if not await try_own(self._lock_conn, province, projection.name):
                    continue
                if runner is None:
                    decode = await anyio.to_thread.run_sync(decoder_for, self.registry, province)
                    runner = ProvinceRunner(self.pool, province, decode, batch_size=self.batch_size)
                    self.runners[province] = runner
                await runner.adopt(projection)
                log.info("projection_owned", province=province, projection=projection.name)
            if runner is not None and province not in self._tasks:
                wake = self._wakes[province] = asyncio.Event()
                self._tasks[province] = asyncio.create_task(
                    runner.run(wake, self._stop, self.poll_s), name=f"projections-{province}"
                )

    async def _keep_ownership_session(self) -> None:
        """The ownership locks live as long as their session. When PostgreSQL ended it (a
        restart, an operator's terminate), every lock is gone and another process may already
        own our projections: stop our runners, open a new session, and claim afresh."""
        try:
            if self._lock_conn is not None and not self._lock_conn.is_closed():
                await self._lock_conn.fetchval("SELECT 1")
                return
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            pass
        await self._drop_runners()
        if self._lock_conn is not None:
            with contextlib.suppress(Exception):
                await self._lock_conn.close()
        self._lock_conn = await self._connect_owner()
        log.warning("projection_ownership_session_renewed")

    async def _drop_runners(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._wakes.clear()
        self.runners.clear()

    async def _supervise(self) -> None:
        """Re-claim every `claim_s` (another owner may have stopped), and soon after a NOTIFY,
        so that a province created while we run gets its runner without waiting `claim_s`."""
        while not self._stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._new_events.wait(), self.claim_s)
            if self._stop.is_set():
                return
            if self._new_events.is_set():
                await asyncio.sleep(0.05)  # let a burst of notifications settle
                self._new_events.clear()
            try:
                await self.claim()
            except Exception:
                log.exception("projection_claim_failed")

    async def stop(self) -> None:
        self._stop.set()
        tasks = [t for t in (self._supervisor, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._listener is not None:
            await self._listener.stop()
        if self._lock_conn is not None:
            with contextlib.suppress(Exception):
                await self._lock_conn.close()  # closing the session releases its ownership locks
        if self._pool is not None:
            await self._pool.close()
        log.info("projections_stopped")

    async def provinces(self) -> list[str]:
        """The provinces on this host's server (the registry is on the main one)."""
        if self.server != MAIN_SERVER:
            infos = await anyio.to_thread.run_sync(self.registry.list_provinces)
            return [info.code for info in infos if info.server == self.server]
        async with self.pool.acquire() as conn:
            return await list_provinces(conn, MAIN_SERVER)

    async def status(self, provinces: Sequence[str] | None = None) -> list[ProjectionStatus]:
        codes = list(provinces) if provinces is not None else await self.provinces()
        async with self.pool.acquire() as conn:
            return await projection_status(conn, codes, self.projections)

    async def readiness(self) -> dict[str, Any]:
        """`{"ready": bool, "<province>": {"<projection>": {position, head, lag}}}` for /ready."""
        statuses = await self.status()
        report: dict[str, Any] = {}
        for s in statuses:
            report.setdefault(s.province, {})[s.projection] = {
                "position": s.position,
                "head": s.head,
                "lag": s.lag,
            }
        report["ready"] = all(s.lag <= self.ready_max_lag for s in statuses)
        return report

    async def wait_for(
        self,
        province: str,
        position: int,
        timeout_s: float = 5.0,
        projections: Sequence[str] | None = None,
    ) -> None:
        """Return once the projections of `province` reached `position`, else NotYetProjected."""
        names = list(projections) if projections else [p.name for p in self.projections]
        versions = {p.name: p.version for p in self.projections}
        deadline = time.monotonic() + timeout_s
        delay = 0.01
        while True:
            async with self.pool.acquire() as conn:
                rows = await conn.fetch(
                    "SELECT projection, version, position FROM readmodel.tracking "
                    "WHERE province = $1 AND projection = ANY($2::text[])",
                    province,
                    names,
                )
            reached = {
                r["projection"]: r["position"] for r in rows if versions.get(r["projection"]) == r["version"]
            }
            lowest = min((reached.get(n, 0) for n in names), default=0)
            if lowest >= position:
                return
            if time.monotonic() >= deadline:
                raise NotYetProjected(
                    f"Dữ liệu đọc chưa cập nhật tới vị trí {position} (mới tới {lowest}); "
                    "vui lòng thử lại sau giây lát.",
                    province=province,
                    position=position,
                    reached=lowest,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)
