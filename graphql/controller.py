"""The Litestar controller serving `/graphql` over HTTP and WebSocket.

Browsers cannot set headers on a WebSocket upgrade, so a subscription client may send its token
in the `connection_init` payload instead (`{"authorization": "Bearer <token>"}`); it is verified
like the header, and a bad token closes the connection (4403) before any subscription starts.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import structlog
from litestar import Response
from litestar.background_tasks import BackgroundTasks
from litestar.di import Provide
from strawberry.exceptions import ConnectionRejectionError
from strawberry.litestar import make_graphql_controller
from strawberry.types.unset import UnsetType

from thidua.graphql.context import GraphQLContext, get_context
from thidua.services.auth import AuthError
from thidua.services.settings import Settings

log = structlog.get_logger()


def graphql_controller(schema: Any, settings: Settings) -> type[Any]:
    """The `/graphql` route: POST queries and mutations, WebSocket subscriptions, GraphiQL in
    development. GET queries are off: they invite caches and logs to keep private data."""
    base = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if settings.http.graphiql else None,
        allow_queries_via_get=False,
        context_getter=get_context,
        max_subscriptions_per_connection=20,
    )

    class ThiduaGraphQLController(base):  # type: ignore[valid-type,misc]
        # strawberry provides the sub-response with `sync_to_thread=True`: a hop to the thread
        # pool and back on every request (8% of a standings request's CPU, and its wait) for
        # building an empty Response object. Built inline instead.
        dependencies: ClassVar[dict[str, Any]] = {
            **base.dependencies,
            "response": Provide(_sub_response, sync_to_thread=False),
        }

        def decode_json(self, data: str | bytes) -> object:
            # strawberry assumes a JSON object (or a batch list) and would answer 500 for
            # `null`, `42` or bytes that are not UTF-8; say 400 like any other malformed body.
            try:
                value = json.loads(data)
            except UnicodeDecodeError:
                raise json.JSONDecodeError("body is not UTF-8", "", 0) from None
            except RecursionError:  # a body nested deeper than any real request (a JSON bomb)
                raise json.JSONDecodeError("body is nested too deeply", "", 0) from None
            if not isinstance(value, dict | list):
                raise json.JSONDecodeError("body is not a JSON object", "", 0)
            return value

        async def on_ws_connect(self, context: Any) -> UnsetType | dict[str, object] | None:
            await authenticate_connection(context)
            return await super().on_ws_connect(context)  # type: ignore[no-any-return]

    return ThiduaGraphQLController


def _sub_response() -> Response[Any]:
    """The response strawberry's resolvers may set headers and cookies on (as its own getter)."""
    return Response({}, background=BackgroundTasks([]))


async def authenticate_connection(context: GraphQLContext) -> None:
    """Take the token from `connection_init` when the upgrade request carried none."""
    params = context.connection_params or {}
    raw = params.get("authorization") or params.get("Authorization")
    if raw is None:
        return
    scheme, _, token = str(raw).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        log.info("ws_auth_refused", reason="header")
        raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
    try:
        principal = context.runtime.verifier.verify(token.strip())
    except AuthError as exc:
        log.info("ws_auth_refused", reason=exc.code)
        raise ConnectionRejectionError({"code": exc.code}) from None
    context.principal = principal
    context.auth_error = None
    structlog.contextvars.bind_contextvars(province=principal.province, user=principal.subject)
