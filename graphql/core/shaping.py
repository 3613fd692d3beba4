"""How errors leave the API: expected ones keep their code, unexpected ones are masked.

Strawberry passes every error of every transport (HTTP, WebSocket, subscriptions, validation)
through `Schema.process_errors` once, before the response is formatted. `ThiduaSchema` uses
that single place to give each error a machine-readable `extensions.code`, and to log each
unexpected error exactly once, with the request id the middleware bound to the log context,
before masking it: a client sees only a code, a Vietnamese message and the request id to quote
to support. (Strawberry's default logs expected refusals as tracebacks; this replaces it.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import structlog
from graphql.error import GraphQLError
from strawberry import Schema
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from thidua.graphql.core.dates import InvalidScalarValue
from thidua.graphql.core.errors import is_expected
from thidua.services.availability import is_database_unavailable

log = structlog.get_logger()

INTERNAL_MESSAGE = "Đã xảy ra lỗi hệ thống; vui lòng thử lại hoặc báo mã yêu cầu cho quản trị viên."
UNAVAILABLE_MESSAGE = "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; vui lòng thử lại sau ít phút."


def _request_id(execution_context: ExecutionContext | None) -> str:
    context = getattr(execution_context, "context", None)
    return str(getattr(context, "request_id", "") or "")


# graphql-core's wrapping of a refused variable value: "Variable '$input' has invalid value at .a.b: …"
_VARIABLE_PREFIX = re.compile(r"Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<path>[^:\s]*))?: ")


def _shape_scalar_refusal(error: GraphQLError, refusal: InvalidScalarValue) -> dict[str, Any]:
    """A variable refused by one of our scalars: the scalar's Vietnamese message, with the
    variable (and the path inside it) it came from, and its code."""
    extensions: dict[str, Any] = dict(refusal.extensions or {})
    match = _VARIABLE_PREFIX.match(error.message)
    if match is not None:
        where = match["name"] + (match["path"] or "")
        extensions["field"] = where
        error.message = f"Biến «${where}»: {refusal.message}"
    else:
        error.message = refusal.message
    return extensions


def _code_for_validation(error: GraphQLError) -> str:
    """Errors graphql-core raises before execution: the query itself is at fault."""
    message = error.message
    if "tokens" in message and "more than" in message:
        return "QUERY_TOO_LARGE"
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


class ThiduaSchema(Schema):
    """The schema, with errors shaped in place and unexpected ones logged once."""

    async def execute(  # noqa: PLR0917 (strawberry's signature)
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """As strawberry's, but never a subscription: `execute` runs one result, so a
        subscription sent over HTTP would fail inside (a null root field, logged as a crash).
        Refused before it runs instead; subscriptions go through `subscribe` (WebSocket)."""
        allowed = set(allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES)
        allowed.discard(OperationType.SUBSCRIPTION)
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed,
            operation_extensions,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        request_id = _request_id(execution_context)
        for error in errors:
            original = error.original_error
            if original is not None and not is_expected(original) and not isinstance(original, GraphQLError):
                log.error(
                    "graphql_unexpected_error",
                    request_id=request_id,
                    path=".".join(str(p) for p in error.path or []),
                    operation=getattr(execution_context, "operation_name", None),
                    exc_info=original,
                )
            shape_error(error, request_id)


def shape_error(error: GraphQLError, request_id: str) -> None:
    """Set `extensions.code` (and mask the message of an unexpected error), in place."""
    original = error.original_error
    extensions: dict[str, Any] = dict(error.extensions or {})
    if original is None:
        extensions.setdefault("code", _code_for_validation(error))
    elif is_expected(original):
        extensions["code"] = str(getattr(original, "code", "ERROR"))
        details = getattr(original, "details", None)
        if details:
            extensions["details"] = dict(details)
        error.message = str(getattr(original, "message_vi", error.message))
    elif isinstance(original, InvalidScalarValue):
        extensions.update(_shape_scalar_refusal(error, original))
    elif isinstance(original, GraphQLError):  # e.g. raised by graphql-core with its own code
        extensions.update(original.extensions or {})
        extensions.setdefault("code", "GRAPHQL_ERROR")
    elif is_database_unavailable(original):
        extensions = {"code": "SERVICE_UNAVAILABLE", "requestId": request_id, "retryable": True}
        error.message = UNAVAILABLE_MESSAGE
        error.original_error = None
    else:
        extensions = {"code": "INTERNAL_ERROR", "requestId": request_id}
        error.message = INTERNAL_MESSAGE
        error.original_error = None
    error.extensions = extensions
