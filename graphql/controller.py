"""The Litestar controller serving `/graphql` over HTTP and WebSocket.

Browsers cannot set headers on a WebSocket upgrade, so a subscription client may send its token
in the `connection_init` payload instead (`{"authorization": "Bearer <token>"}`); it is verified
like the header, and a bad token closes the connection (4403) before any subscription starts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, ClassVar

import structlog
from cross_web import HTTPException as StrawberryHTTPException
from litestar import Request, Response
from litestar.background_tasks import BackgroundTasks
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import MediaType
from litestar.exceptions import HTTPException
from litestar.exceptions.responses import create_exception_response
from litestar.status_codes import HTTP_200_OK, HTTP_413_REQUEST_ENTITY_TOO_LARGE
from litestar.types import ExceptionHandlersMap, Scope
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.litestar import make_graphql_controller
from strawberry.types.unset import UnsetType

from thidua.graphql.context import STANDINGS_POSITION_KEY, GraphQLContext, get_context
from thidua.graphql.core.consistency import at_least
from thidua.graphql.core.errors import NotYetVisible
from thidua.graphql.core.response_cache import (
    ROOT_FIELD,
    FreshPositions,
    Key,
    Plan,
    ResponseCache,
    Ticket,
    body_to_keep,
    canonical,
    plan_of,
    wait_position,
)
from thidua.graphql.core.transport import (
    EMPTY_BODY,
    INTERNAL,
    INVALID_JSON,
    BodyNotJson,
    Refusal,
    refusal_of_status,
    refusal_of_strawberry,
    too_large,
)
from thidua.graphql.graphiql import graphiql_page
from thidua.projections.standings.queries import standings_position
from thidua.services.access_log import OPERATION_KEY, Operation
from thidua.services.auth import AuthError, Principal
from thidua.services.http import REQUEST_ID_KEY, principal_of
from thidua.services.settings import Settings

log = structlog.get_logger()

GRAPHQL_PATH = "/graphql"
REQUEST_KEYS = frozenset({"query", "variables", "operationName", "extensions"})
TICKET_KEY = "thidua_standings_ticket"
BODY_REMEMBERED = 16 * 1024  # bodies up to this size are remembered parsed: 4 MiB in all
BODIES = 256
KEPT_ANSWER = Operation("query", (ROOT_FIELD,), "ok")
FOLLOW_S = 2.0  # how long a miss waits for the same query already running, then runs its own


def graphql_controller(schema: Any, settings: Settings) -> type[Any]:
    """The `/graphql` route: POST queries and mutations, WebSocket subscriptions, GraphiQL in
    development. GET queries are off: they invite caches and logs to keep private data."""
    base = make_graphql_controller(
        schema,
        path=GRAPHQL_PATH,
        graphql_ide="graphiql" if settings.http.graphiql else None,
        allow_queries_via_get=False,
        context_getter=get_context,
        max_subscriptions_per_connection=20,
    )

    kept = KeptAnswers()

    class ThiduaGraphQLController(base):  # type: ignore[valid-type,misc]
        # GraphiQL from this server's own files, not a CDN (graphql/graphiql says why).
        graphql_ide_html = graphiql_page()

        # strawberry provides the sub-response with `sync_to_thread=True`: a hop to the thread
        # pool and back on every request, and its wait, for building an empty Response object.
        # Built inline instead. And Litestar resolves
        # dependencies that do not depend on each other in an anyio task group, which costs
        # more than these three trivial ones: chained (response, then root value, then our
        # context), each is resolved alone, in place.
        dependencies: ClassVar[dict[str, Any]] = {
            **base.dependencies,
            "response": Provide(_sub_response, sync_to_thread=False),
            "root_value": Provide(_no_root_value),
            "custom_context": Provide(_context_after_root_value),
        }

        # Kept standings answers are served before strawberry and the handler's dependencies
        # run (graphql/core/response_cache.py says why that is exact); anything else, and
        # every miss, goes the normal way and may be kept on its way out.
        before_request = kept.before_request

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
            response: Response[Any] | None = None
            try:
                # strawberry's own `execute_request` answers its refusals as English plain text;
                # they are answered here as GraphQL errors (graphql/core/transport.py).
                response = await self.run(request, context=context, root_value=root_value)
            except StrawberryHTTPException as exc:
                refusal = refusal_of_strawberry(exc.status_code, exc.reason, exc.__cause__)
                response = refusal_response(request, refusal)
            finally:
                kept.keep(request, response)  # also on failure: whoever waits must not wait on
            return response

        def decode_json(self, data: str | bytes) -> object:
            return decode_body(data)

        async def on_ws_connect(self, context: Any) -> UnsetType | dict[str, object] | None:
            await authenticate_connection(context)
            return await super().on_ws_connect(context)  # type: ignore[no-any-return]

    return ThiduaGraphQLController


def decode_body(data: str | bytes) -> object:
    """The JSON body, or BodyNotJson (a JSONDecodeError, which strawberry answers with 400).

    strawberry assumes a JSON object (or a batch list) and would answer 500 for `null`, `42`,
    bytes that are not UTF-8, or a number of more than 4,300 digits (Python refuses to convert
    such an integer: a ValueError that is not a JSONDecodeError)."""
    if not data or data.isspace():
        raise BodyNotJson(EMPTY_BODY, "body is empty")
    try:
        value = json.loads(data)
    except UnicodeDecodeError:
        raise BodyNotJson(INVALID_JSON, "body is not UTF-8") from None
    except RecursionError:  # a body nested deeper than any real request (a JSON bomb)
        raise BodyNotJson(INVALID_JSON, "body is nested too deeply") from None
    except ValueError as exc:  # JSON syntax, or an integer too long to convert
        raise BodyNotJson(INVALID_JSON, str(exc)[:200]) from None
    if not isinstance(value, dict | list):
        raise BodyNotJson(INVALID_JSON, "body is not a JSON object")
    return value


def refusal_response(request: Request[Any, Any, Any], refusal: Refusal) -> Response[bytes]:
    """A transport refusal as a GraphQL-shaped JSON answer (the request id only for a 5xx, which
    the client quotes to support; a refusal says itself what to change)."""
    state = request.scope.setdefault("state", {})
    request_id = state.get(REQUEST_ID_KEY)
    state[OPERATION_KEY] = Operation("transport", (), refusal.code)  # the access line carries the code
    return Response(
        refusal.body(request_id if refusal.status >= 500 else None),
        status_code=refusal.status,
        media_type=MediaType.JSON,
        headers=dict(refusal.headers),
    )


def transport_exception_handlers() -> ExceptionHandlersMap:
    """The app's exception handlers: failures below GraphQL at `/graphql` (a method the route
    does not serve, a body over the limit, a crash before strawberry runs) answer as GraphQL
    errors; other paths keep Litestar's answers. Unexpected exceptions are logged once."""
    return {HTTPException: _on_http_exception, Exception: _on_unexpected_exception}


def _on_http_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith(GRAPHQL_PATH):
        return create_exception_response(request, exc)
    if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        limit = request.app.request_max_body_size
        refusal = too_large(limit if isinstance(limit, int) else 0)
    else:
        refusal = refusal_of_status(exc.status_code)
    if exc.status_code >= 500:  # e.g. the client went away mid-body: not our bug, but worth a line
        log.warning("http_request_failed", status=exc.status_code, detail=str(exc.detail)[:200])
    return refusal_response(request, refusal)


def _on_unexpected_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("http_unexpected_error", method=request.method, exc_info=exc)
    if not request.url.path.startswith(GRAPHQL_PATH):
        return create_exception_response(request, exc)
    return refusal_response(request, INTERNAL)


class KeptAnswers:
    """The kept standings answers of one app: looked up before the handler runs, stored after.

    Concurrent misses of one key at one position run the query once: the first runs it, the
    others wait (bounded) for its answer. After a write, a page read by many clients at once
    would otherwise be executed by each of them (4 ms of CPU apiece for a 20-unit block)."""

    def __init__(self) -> None:
        self.answers = ResponseCache()
        self.positions = FreshPositions()
        self._running: dict[tuple[Key, int], asyncio.Future[bytes | None]] = {}

    async def before_request(self, request: Request[Any, Any, Any]) -> Response[Any] | None:
        """The kept answer, when there is one for this request now; else None (the handler
        runs, and a ticket left in the request's state lets `keep` store its answer)."""
        ticket = await self._ticket(request)
        if ticket is None:
            return None
        body = ticket.body
        slot = (ticket.key, ticket.position)
        running = self._running.get(slot) if body is None else None
        if running is not None:
            body = await self._follow(slot, running)
            if body is None:
                return None  # the first one failed, or is slow: the normal way, not kept
        if body is not None:
            request.scope["state"][OPERATION_KEY] = KEPT_ANSWER  # for the access log and /metrics
            return Response(body, status_code=HTTP_200_OK, media_type=MediaType.JSON)
        self._running[slot] = asyncio.get_running_loop().create_future()
        state = request.scope["state"]
        state[TICKET_KEY] = ticket
        # The execution reads its standings at this position, not at one read again.
        state[STANDINGS_POSITION_KEY] = (ticket.key[0], ticket.position)
        return None

    async def _follow(self, slot: tuple[Key, int], running: asyncio.Future[bytes | None]) -> bytes | None:
        """The answer of the request already running this query (None if it gives none in time)."""
        try:
            return await asyncio.wait_for(asyncio.shield(running), FOLLOW_S)
        except TimeoutError:
            if self._running.get(slot) is running:  # its owner never finished: forget it
                del self._running[slot]
            return None

    def keep(self, request: Request[Any, Any, Any], response: Response[Any] | None) -> None:
        """Store the answer of a request that had a ticket, and hand it to those waiting."""
        ticket = request.scope.get("state", {}).pop(TICKET_KEY, None)
        if not isinstance(ticket, Ticket):
            return
        body = None
        if response is not None:
            background = response.background
            tasks = getattr(background, "tasks", None) if background is not None else ()
            extra = bool(response.headers or response.cookies or tasks or (background and tasks is None))
            body = body_to_keep(response.status_code or HTTP_200_OK, response.content, extra)
        if body is not None:
            self.answers.put(ticket.key, ticket.position, body)
        running = self._running.pop((ticket.key, ticket.position), None)
        if running is not None and not running.done():
            running.set_result(body)

    async def _ticket(self, request: Request[Any, Any, Any]) -> Ticket | None:
        principal = await _cacheable(request)
        asked = None if principal is None else asked_by(await request.body())
        if principal is None or principal.province is None or asked is None:
            return None
        wait = wait_position(asked.plan, asked.variables)
        if wait is None:
            return None
        province = principal.province
        runtime = request.app.state.runtime
        pool = runtime.read_pool
        try:
            if wait > 0:  # checked once, not waited for: the normal way waits (5 s) if need be
                await at_least(runtime, province, wait, wait_s=0.0)
            position = await self.positions.read(
                id(pool), province, lambda name: standings_position(pool, name)
            )
        except NotYetVisible:
            return None  # the normal way waits, and answers NOT_YET itself
        except Exception:  # e.g. the database is away: the normal way says so, with its code
            log.debug("standings_cache_position_failed", exc_info=True)
            return None
        if position is None:
            return None
        key = (province, principal.roles, principal.unit, asked.query, asked.operation, asked.variables_key)
        return Ticket(key, position, self.answers.get(key, position))


async def _cacheable(request: Request[Any, Any, Any]) -> Principal | None:
    """The verified caller when this is a plain JSON POST by a caller of a province (the body
    is judged by `asked_by`); None for anything else."""
    principal, auth_error = principal_of(request.scope.get("state", {}))
    if request.method != "POST" or principal is None or auth_error is not None or principal.province is None:
        return None
    content_type, accept = _content_headers(request.scope["headers"])
    if (
        content_type is None
        or accept is None
        or "application/json" not in parse_content_type(content_type)[0]
        or _may_stream(accept)
    ):
        return None
    return principal


@dataclass(frozen=True)
class Asked:
    """What a cacheable request body asks: one operation's text, name and variables."""

    query: str
    operation: str | None
    variables: Mapping[str, Any]  # read-only: shared by every request with the same body
    variables_key: str
    plan: Plan


def asked_by(body: bytes) -> Asked | None:
    """The request body as a cacheable ask, None for any other. A pure function of the bytes,
    so small bodies are remembered: clients send the same page query again and again. A body
    that does not even name the root field (every mutation) is not parsed here, nor let into
    the remembered bodies, where it would push out the page queries."""
    if ROOT_FIELD.encode() not in body:
        return None
    return _asked_remembered(body) if len(body) <= BODY_REMEMBERED else _asked(body)


def _asked(body: bytes) -> Asked | None:
    try:
        data = decode_body(body)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not data.keys() <= REQUEST_KEYS:
        return None
    query, variables, operation = data.get("query"), data.get("variables"), data.get("operationName")
    if (
        data.get("extensions") is not None
        or not isinstance(query, str)
        or not isinstance(operation, str | None)
        or not isinstance(variables, dict | None)
    ):
        return None
    plan = plan_of(query, operation)
    variables_key = canonical(variables or {})
    if plan is None or variables_key is None:
        return None
    return Asked(query, operation, MappingProxyType(variables or {}), variables_key, plan)


_asked_remembered = lru_cache(maxsize=BODIES)(_asked)


def _content_headers(headers: Iterable[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    """Content-Type and Accept ("" when absent) read from the raw ASGI headers (names are lower
    case there), cheaper than building Litestar's Headers; None for a header sent twice, which
    this path leaves to strawberry."""
    found: dict[bytes, str | None] = {b"content-type": "", b"accept": ""}
    seen: set[bytes] = set()
    for name, value in headers:
        if name in found:
            found[name] = None if name in seen else value.decode("latin-1")
            seen.add(name)
    return found[b"content-type"], found[b"accept"]


def _may_stream(accept: str) -> bool:
    """An Accept header that could pick one of strawberry's streaming transports (multipart or
    server-sent events): such requests are never answered from kept bytes."""
    lowered = accept.lower()
    return "multipart" in lowered or "event-stream" in lowered


async def _no_root_value(response: Response[Any]) -> None:
    """No root value (as strawberry's default); takes `response` only to be resolved after it."""


async def _context_after_root_value(state: State, scope: Scope, root_value: Any) -> GraphQLContext:
    """`get_context`; takes `root_value` only to be resolved after it."""
    return await get_context(state, scope)


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
