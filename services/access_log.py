"""The access log and the request metrics: one line per HTTP request with its duration, and the
same request counted in /metrics (by route and status; GraphQL requests also by root field and
outcome).

Inside `request_context_middleware`, so the line carries the request id, province and user. The
GraphQL layer says what a request executed by leaving an `Operation` in the request's state
(`OPERATION_KEY`): the schema extension for executed documents, the controller for a kept
standings answer.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from thidua.services.metrics import HTTP_REQUESTS, HTTP_SECONDS, OPERATION_SECONDS, OPERATIONS
from thidua.services.tracing import annotate

log = structlog.get_logger("thidua.access")
# structlog would run its whole chain before the stdlib level drops a line: ask first.
_level_of = logging.getLogger("thidua.access").isEnabledFor

OPERATION_KEY = "thidua_operation"
ROUTES = frozenset({"/graphql", "/health", "/ready", "/metrics"})
# Probes and scrapes come every few seconds: their lines are DEBUG, the rest INFO.
QUIET_ROUTES = frozenset({"/health", "/ready", "/metrics"})


@dataclass(frozen=True)
class Operation:
    """What a GraphQL request executed: its kind, root fields and outcome (ok, or a code)."""

    kind: str
    fields: tuple[str, ...]
    outcome: str


def route_of(path: str) -> str:
    """A bounded label: the app's routes, `/graphiql` for its files, `other` for anything else
    (a scanner's thousand paths must not become a thousand series)."""
    if path in ROUTES:
        return path
    return "/graphiql" if path.startswith("/graphiql/") else "other"


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:  # subscriptions are long-lived: not timed
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]  # what the client sees when the app fails before answering

        async def send_recording_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                operation = scope.get("state", {}).get(OPERATION_KEY)
                if isinstance(operation, Operation):  # while the request's span is still open
                    annotate(operation.kind, operation.fields, operation.outcome)
            await send(message)

        try:
            await app(scope, receive, send_recording_status)
        finally:
            record(scope, status[0], time.perf_counter() - started)

    return middleware


def record(scope: Scope, status: int, seconds: float) -> None:
    path: str = scope.get("path", "")
    route = route_of(path)
    method = str(scope.get("method", ""))
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_SECONDS.labels(route).observe(seconds)
    state: dict[str, Any] = scope.get("state", {})
    operation = state.get(OPERATION_KEY)
    fields: dict[str, Any] = {}
    if isinstance(operation, Operation):
        for field in operation.fields:
            OPERATIONS.labels(field, operation.kind, operation.outcome).inc()
            OPERATION_SECONDS.labels(field, operation.kind).observe(seconds)
        fields = {"operation": ",".join(operation.fields), "outcome": operation.outcome}
    quiet = route in QUIET_ROUTES and status < 400
    if not _level_of(logging.DEBUG if quiet else logging.INFO):
        return
    (log.debug if quiet else log.info)(
        "http_request",
        method=method,
        path=path,
        status=status,
        duration_ms=round(seconds * 1000, 2),
        pid=os.getpid(),  # which server process, with --workers N
        **fields,
    )
