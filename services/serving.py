"""What serving needs below the composition root (`thidua.app.serving` serves): uvicorn's
options, the exit status of a failed start, the database prepared once before any server
process starts, SIGTERM handled as Ctrl-C, and the start-up objects kept out of the collector.
"""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

import anyio.to_thread
import structlog

from thidua.services.database import ConnectionParams
from thidua.services.demo import DemoLoader
from thidua.services.settings import Settings

log = structlog.get_logger()

UVICORN_OPTIONS: dict[str, Any] = {
    "log_config": None,  # logs go through structlog (services.logging)
    "access_log": False,  # ours has durations and the request's context (services.access_log)
    "ws": "websockets-sansio",
    "timeout_graceful_shutdown": 10,
    # A worker must start (imports, the app's startup) within this or the supervisor kills and
    # restarts it; uvicorn's 5 s is too short on a loaded machine (workers died in a loop there).
    "timeout_worker_healthcheck": 30,
}
STARTUP_FAILURE = 3  # as uvicorn's own (uvicorn.config.STARTUP_FAILURE)


def freeze_startup_objects() -> None:
    """Move what is imported and built by now (modules, the GraphQL schema) out of the garbage
    collector's reach: it lives as long as the process, and full collections walking it would
    pause the server for tens of ms at a time."""
    gc.collect()
    gc.freeze()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager's stop) handled as Ctrl-C: uvicorn shuts down gracefully on
    either, then raises the signal again with the handler found at start; the default SIGTERM
    action would end the process there, before the embedded database is stopped."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


async def prepare_database(
    settings: Settings, params: ConnectionParams, *, demo: Sequence[DemoLoader] = ()
) -> None:
    """Everything that is created once: the platform tables, every province's event store and
    chain triggers, the read-model tables, and the demo when asked, with `demo`'s provinces
    after its records (each under its advisory lock, so a server process started alone later
    is safe too)."""
    from thidua.projections.catalogue import all_projections  # noqa: PLC0415
    from thidua.projections.setup import ensure_readmodel  # noqa: PLC0415
    from thidua.services.demo import load_demo_if_empty  # noqa: PLC0415
    from thidua.services.runtime import open_runtime  # noqa: PLC0415

    runtime = await open_runtime(settings, params)
    try:
        provinces = await anyio.to_thread.run_sync(runtime.registry.list_provinces)
        for province in provinces:
            await anyio.to_thread.run_sync(runtime.registry.app, province.code)
        async with runtime.read_pool.acquire() as conn:
            await ensure_readmodel(conn, all_projections())
        if settings.load_demo:
            await load_demo_if_empty(runtime, then=demo)
        log.info("database_prepared", provinces=len(provinces))
    finally:
        await runtime.close()
