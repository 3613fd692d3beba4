"""The Litestar application factory: the HTTP routes of every layer, the lifespan of the runtime."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from litestar import Litestar

from thidua.app.sample_year import SAMPLE_DEMO
from thidua.graphql.attachments.endpoints import attachment_routes
from thidua.graphql.controller import graphql_controller, transport_exception_handlers
from thidua.graphql.graphiql import assets_router
from thidua.graphql.paperwork.routes import paperwork_router
from thidua.graphql.schema import build_schema
from thidua.services.access_log import access_log_middleware
from thidua.services.background import start_background_services
from thidua.services.cors import cors_config
from thidua.services.database import ConnectionParams
from thidua.services.demo import load_demo_if_empty
from thidua.services.http import health, ready, request_context_middleware
from thidua.services.metrics_endpoint import PoolSampler, metrics
from thidua.services.runtime import open_runtime
from thidua.services.serving import STARTUP_FAILURE, freeze_startup_objects
from thidua.services.settings import Settings
from thidua.services.tracing import tracing

log = structlog.get_logger()


def create_app(settings: Settings, params: ConnectionParams | None = None) -> Litestar:
    """Build the app; its lifespan opens the runtime (embedded PostgreSQL unless `params` or
    DATABASE_URL name a server), loads the demo if asked, starts the projections, and closes all
    of it on shutdown (Ctrl-C)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        runtime = await open_runtime(settings, params)
        app.state.runtime = runtime
        try:
            if settings.load_demo:
                await load_demo_if_empty(runtime, then=SAMPLE_DEMO)
            await start_background_services(runtime)
            sampler = PoolSampler(runtime)
            runtime.services["pool_sampler"] = sampler
            await sampler.start()
            log.info("app_started")
            yield
        finally:
            await runtime.close()
            traced.shutdown()
            log.info("app_stopped")

    # Introspection follows GraphiQL: both on in development, both off by default in production.
    schema = build_schema(introspection=settings.http.graphiql)
    controller = graphql_controller(schema, settings)
    traced = tracing(settings)
    ide = [assets_router()] if settings.http.graphiql else []
    operators = [metrics] if settings.ops.metrics else []
    return Litestar(
        route_handlers=[
            health,
            ready,
            controller,
            paperwork_router(settings),
            *attachment_routes(settings),
            *ide,
            *operators,
        ],
        # Outermost first: the span covers the request, the access line carries its context.
        middleware=[*traced.middleware, request_context_middleware, access_log_middleware],
        cors_config=cors_config(settings),
        lifespan=[lifespan],
        request_max_body_size=settings.http.max_body_bytes,
        exception_handlers=transport_exception_handlers(),
        debug=False,
        # Litestar would install its own stdlib format over ours; logs go through structlog.
        logging_config=None,
    )


def app_from_environment() -> Litestar:
    """The app of one server process among several (`thidua serve --workers N`): settings from
    the environment, which the parent set to the database it prepared (and the demo off: the
    parent loaded it once)."""
    from thidua.services.cli.common import load_settings  # noqa: PLC0415 (the CLI imports us)

    try:
        app = create_app(load_settings())
    except Exception as exc:
        # uvicorn restarts a worker that raised here, forever; one that exits with its startup
        # failure status stops the parent, which then exits non-zero (services/serving.py).
        log.error("server_process_start_failed", error=str(exc))
        sys.exit(STARTUP_FAILURE)
    freeze_startup_objects()
    return app
