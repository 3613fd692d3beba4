"""How errors leave the API: expected ones keep their code, unexpected ones are masked.

`ThiduaSchema.process_errors` logs each unexpected error exactly once, with the request id the
middleware bound to the log context, and `ErrorShaping` rewrites the response so a client sees
only a code, a Vietnamese message and the request id to quote to support. Strawberry's own
error logging is replaced by this (it would log expected refusals as tracebacks).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog
from graphql.error import GraphQLError
from strawberry import Schema
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from graphql import ExecutionResult as GraphQLExecutionResult
from thidua.graphql.core.errors import is_expected

log = structlog.get_logger()

INTERNAL_MESSAGE = "Đã xảy ra lỗi hệ thống; vui lòng thử lại hoặc báo mã yêu cầu cho quản trị viên."


def _request_id(execution_context: ExecutionContext | None) -> str:
    context = getattr(execution_context, "context", None)
    return str(getattr(context, "request_id", "") or "")


def _code_for_validation(error: GraphQLError) -> str:
    """Errors graphql-core raises before execution: the query itself is at fault."""
    message = error.message
    if "tokens" in message and "more than" in message:
        return "QUERY_TOO_LARGE"
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


class ThiduaSchema(Schema):
    """The schema, with unexpected errors logged once (and expected ones not at all)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is None or is_expected(original) or isinstance(original, GraphQLError):
                continue
            log.error(
                "graphql_unexpected_error",
                request_id=_request_id(execution_context),
                path=".".join(str(p) for p in error.path or []),
                operation=getattr(execution_context, "operation_name", None),
                exc_info=original,
            )


class ErrorShaping(SchemaExtension):
    """Give every error a machine-readable `extensions.code`; mask the unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | StrawberryExecutionResult) and result.errors:
            request_id = _request_id(self.execution_context)
            result.errors = [shape_error(e, request_id) for e in result.errors]


def shape_error(error: GraphQLError, request_id: str) -> GraphQLError:
    original = error.original_error
    extensions: dict[str, Any] = dict(error.extensions or {})
    if original is None:
        extensions.setdefault("code", _code_for_validation(error))
        return _with(error, error.message, extensions)
    if is_expected(original):
        extensions["code"] = str(getattr(original, "code", "ERROR"))
        details = getattr(original, "details", None)
        if details:
            extensions["details"] = dict(details)
        return _with(error, str(getattr(original, "message_vi", error.message)), extensions)
    if isinstance(original, GraphQLError):  # e.g. a permission class's error with its code
        extensions.update(original.extensions or {})
        extensions.setdefault("code", "GRAPHQL_ERROR")
        return _with(error, error.message, extensions)
    return _with(error, INTERNAL_MESSAGE, {"code": "INTERNAL_ERROR", "requestId": request_id}, masked=True)


def _with(
    error: GraphQLError, message: str, extensions: dict[str, Any], *, masked: bool = False
) -> GraphQLError:
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if masked else error.original_error,
        extensions=extensions,
    )
