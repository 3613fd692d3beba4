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
import os

import structlog

from thidua.app.factory import create_app
from thidua.app.sample_year import SAMPLE_DEMO
from thidua.services.database import ConnectionParams
from thidua.services.serving import (
    STARTUP_FAILURE,
    UVICORN_OPTIONS,
    freeze_startup_objects,
    prepare_database,
)
from thidua.services.settings import Settings

log = structlog.get_logger()


def serve(settings: Settings, params: ConnectionParams, workers: int, *, host: str, port: int) -> int:
    """Prepare the database once, then serve with `workers` processes until stopped; the exit
    status (0 after a requested stop)."""
    asyncio.run(prepare_database(settings, params, demo=SAMPLE_DEMO))
    settings = dataclasses.replace(settings, load_demo=False)  # loaded once, above
    if workers == 1:
        return _serve_one(settings, params, host=host, port=port)
    return _serve_many(params, workers, host=host, port=port)


def _serve_one(settings: Settings, params: ConnectionParams, *, host: str, port: int) -> int:
    import uvicorn  # noqa: PLC0415 (only the serving commands need it)

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
        "thidua.app.factory:app_from_environment",
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
