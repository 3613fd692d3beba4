"""Serving the app over HTTP: one process, or several sharing the port (`thidua serve --workers`).

One process runs Python on one core at a time (the GIL), and a write costs milliseconds of
Python; several processes use the other cores. Nothing they hold in memory needs sharing: the
aggregate cache fast-forwards from the store on every load, kept standings answers are keyed by
a position read from the database per request, idempotency claims are rows, and the projections
have one owner per province and projection through advisory locks (the others answer from the
tracking table). The parent prepares what must happen once: the embedded server, the demo.
"""

from __future__ import annotations

import asyncio
import gc
import os
from typing import Any

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


def freeze_startup_objects() -> None:
    """Move what is imported and built by now (modules, the GraphQL schema) out of the garbage
    collector's reach: it lives as long as the process, and full collections walking it paused
    the server for tens of ms at a time (p99 of the standings bench 54 -> 14 ms)."""
    gc.collect()
    gc.freeze()


def serve_processes(
    settings: Settings, params: ConnectionParams, workers: int, *, host: str, port: int
) -> None:
    """On the database the caller started once (`params`), load the demo once if asked, then
    serve with `workers` processes until Ctrl-C stops them."""
    import uvicorn  # noqa: PLC0415 (only the serving commands need it)

    if settings.load_demo:
        asyncio.run(_load_demo(settings, params))
    os.environ["DATABASE_URL"] = params.to_url()
    os.environ["THIDUA_LOAD_DEMO"] = "false"
    log.info("serving_processes", workers=workers, database=params.describe())
    uvicorn.run(
        "thidua.services.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **UVICORN_OPTIONS,
    )


async def _load_demo(settings: Settings, params: ConnectionParams) -> None:
    from thidua.services.demo import load_demo_if_empty  # noqa: PLC0415
    from thidua.services.runtime import open_runtime  # noqa: PLC0415

    runtime = await open_runtime(settings, params)
    try:
        await load_demo_if_empty(runtime)
    finally:
        await runtime.close()
