"""Serving the app over HTTP: one process, or several sharing the port (`thidua serve --workers`).

One process runs Python on one core at a time (the GIL), and a write costs milliseconds of
Python; several processes use the other cores. Nothing they hold in memory needs sharing: the
aggregate cache fast-forwards from the store on every load, kept standings answers are keyed by
a position read from the database per request, idempotency claims are rows, and the projections
have one owner per province and projection through advisory locks (the others answer from the
tracking table). The command prepares what must happen once, before any server process starts:
the database (the embedded server, watched and restarted if it dies), every schema, the demo.

The exit status tells a service manager what happened: 0 after a requested stop (Ctrl-C,
SIGTERM), STARTUP_FAILURE when a server process could not start (uvicorn itself answers 0 when
it stops because one of its workers failed to start, so a manager would never restart it).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import anyio.to_thread
import structlog

from thidua.services.database import ConnectionParams
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
    collector's reach: it lives as long as the process, and full collections walking it paused
    the server for tens of ms at a time (p99 of the standings bench 54 -> 14 ms)."""
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


def serve(settings: Settings, params: ConnectionParams, workers: int, *, host: str, port: int) -> int:
    """Prepare the database once, then serve with `workers` processes until stopped; the exit
    status (0 after a requested stop)."""
    asyncio.run(prepare_database(settings, params))
    settings = dataclasses.replace(settings, load_demo=False)  # loaded once, above
    if workers == 1:
        return _serve_one(settings, params, host=host, port=port)
    return _serve_many(params, workers, host=host, port=port)


async def prepare_database(settings: Settings, params: ConnectionParams) -> None:
    """Everything that is created once: the platform tables, every province's event store and
    chain triggers, the read-model tables, and the demo when asked (each under its advisory
    lock, so a server process started alone later is safe too)."""
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
            await load_demo_if_empty(runtime)
        log.info("database_prepared", provinces=len(provinces))
    finally:
        await runtime.close()


def _serve_one(settings: Settings, params: ConnectionParams, *, host: str, port: int) -> int:
    import uvicorn  # noqa: PLC0415 (only the serving commands need it)

    from thidua.services.app import create_app  # noqa: PLC0415

    app = create_app(settings, params)
    freeze_startup_objects()
    config = uvicorn.Config(app, host=host, port=port, **UVICORN_OPTIONS)
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # the signal raised again after the shutdown
        server.run()
    if not server.started:
        log.error("server_start_failed")
        return STARTUP_FAILURE
    return 0


def _serve_many(params: ConnectionParams, workers: int, *, host: str, port: int) -> int:
    """Several processes (spawned: each builds its app from the environment) on one socket."""
    import uvicorn  # noqa: PLC0415
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    from thidua.services.metrics import multiprocess_directory  # noqa: PLC0415

    os.environ["DATABASE_URL"] = params.to_url()
    os.environ["THIDUA_LOAD_DEMO"] = "false"
    log.info("serving_processes", workers=workers, database=params.describe())
    config = uvicorn.Config(
        "thidua.services.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **UVICORN_OPTIONS,
    )
    supervisor = Multiprocess(config, sockets=[config.bind_socket()])
    with multiprocess_directory():  # /metrics adds up every worker's samples
        supervisor.run()
    failed = [p.pid for p in supervisor.processes if p.exitcode == STARTUP_FAILURE]
    if failed:
        log.error("server_process_failed_to_start", pids=failed)
        return STARTUP_FAILURE
    return 0
