"""The Litestar application factory: the one place that imports every layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from litestar import Litestar
from strawberry.litestar import make_graphql_controller

from thidua.graphql.context import get_context
from thidua.graphql.schema import schema
from thidua.services.background import start_background_services
from thidua.services.database import ConnectionParams
from thidua.services.demo import load_demo_if_empty
from thidua.services.http import health, ready, request_context_middleware
from thidua.services.runtime import open_runtime
from thidua.services.settings import Settings

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
                await load_demo_if_empty(runtime)
            await start_background_services(runtime)
            log.info("app_started")
            yield
        finally:
            await runtime.close()
            log.info("app_stopped")

    graphql_controller = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if settings.http.graphiql else None,
        allow_queries_via_get=False,  # GET invites caches and logs to keep private data
        context_getter=get_context,
    )
    return Litestar(
        route_handlers=[health, ready, graphql_controller],
        middleware=[request_context_middleware],
        lifespan=[lifespan],
        request_max_body_size=settings.http.max_body_bytes,
        debug=False,
    )
