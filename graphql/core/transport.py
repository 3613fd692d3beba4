"""Transport failures (lỗi truyền tải): a request that never became a GraphQL operation.

A body that is not JSON, a wrong content type, a batch, an operation sent with GET, a body over
the size limit, a method other than GET or POST: each is answered in the shape of every other
GraphQL error, `{"errors": [{"message": <Vietnamese>, "extensions": {"code": ...}}]}`, with an
HTTP status that says the same thing, so a frontend handles one error shape whatever failed.

Strawberry and Litestar raise these with English plain-text reasons. They are recognised here
by the exception strawberry chains them from (a JSON error, an operation type it refused) or by
their status and reason, in one table; anything unknown keeps its status and gets a generic code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType


@dataclass(frozen=True)
class Refusal:
    """One transport failure as the client sees it."""

    status: int
    code: str
    message: str
    headers: tuple[tuple[str, str], ...] = ()

    def body(self, request_id: str | None = None) -> bytes:
        extensions: dict[str, Any] = {"code": self.code}
        if request_id:
            extensions["requestId"] = request_id
        return json.dumps(
            {"errors": [{"message": self.message, "extensions": extensions}]},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()


POST_ONLY = (("allow", "POST"),)
GET_AND_POST = (("allow", "GET, POST"),)

INVALID_JSON = Refusal(
    400,
    "INVALID_JSON",
    "Nội dung yêu cầu không phải JSON hợp lệ: cần một đối tượng JSON dạng "
    '{"query": "...", "variables": {...}}, mã hóa UTF-8.',
)
EMPTY_BODY = Refusal(
    400,
    "EMPTY_BODY",
    'Yêu cầu không có nội dung: cần một đối tượng JSON dạng {"query": "...", "variables": {...}}.',
)
UNSUPPORTED_MEDIA_TYPE = Refusal(
    415,
    "UNSUPPORTED_MEDIA_TYPE",
    "Kiểu nội dung không được hỗ trợ: gửi yêu cầu với tiêu đề «Content-Type: application/json».",
)
BATCH_NOT_SUPPORTED = Refusal(
    400,
    "BATCH_NOT_SUPPORTED",
    "Không nhận nhiều thao tác trong một yêu cầu (batching): hãy gửi từng thao tác một.",
)
QUERY_MISSING = Refusal(400, "QUERY_MISSING", "Yêu cầu không có văn bản truy vấn GraphQL («query»).")
INVALID_REQUEST = Refusal(
    400,
    "INVALID_REQUEST",
    "Yêu cầu GraphQL sai dạng: «query» phải là chuỗi, «variables» và «extensions» phải là đối tượng.",
)
UNKNOWN_OPERATION = Refusal(
    400,
    "UNKNOWN_OPERATION",
    "Không xác định được thao tác cần chạy: khi văn bản có nhiều thao tác, hãy nêu «operationName» "
    "đúng tên một thao tác trong đó.",
)
SUBSCRIPTION_NEEDS_WEBSOCKET = Refusal(
    400,
    "SUBSCRIPTION_NEEDS_WEBSOCKET",
    "Theo dõi trực tiếp (subscription) chỉ chạy qua WebSocket tại /graphql, không qua HTTP POST.",
)
OPERATION_NEEDS_POST = Refusal(
    405,
    "METHOD_NOT_ALLOWED",
    "Truy vấn và thao tác ghi phải gửi bằng phương thức POST (GET chỉ mở giao diện GraphiQL).",
    POST_ONLY,
)
METHOD_NOT_ALLOWED = Refusal(
    405,
    "METHOD_NOT_ALLOWED",
    "Phương thức HTTP này không được hỗ trợ tại /graphql: hãy gửi bằng POST.",
    GET_AND_POST,
)
GRAPHIQL_OFF = Refusal(
    404,
    "GRAPHIQL_DISABLED",
    "Giao diện GraphiQL không bật trên máy chủ này; hãy gửi truy vấn GraphQL bằng POST.",
)
INTERNAL = Refusal(
    500,
    "INTERNAL_ERROR",
    "Đã xảy ra lỗi hệ thống; vui lòng thử lại hoặc báo mã yêu cầu cho quản trị viên.",
)

# Strawberry's plain-text reasons that carry no exception to recognise them by.
_BY_REASON = {
    "Unsupported content type": UNSUPPORTED_MEDIA_TYPE,
    "Batching is not enabled": BATCH_NOT_SUPPORTED,
    "No GraphQL query found in the request": QUERY_MISSING,
    "GraphQL only supports GET and POST requests.": METHOD_NOT_ALLOWED,
    "Not Found": GRAPHIQL_OFF,
    "The GraphQL operation's `query` must be a string or null, if provided.": INVALID_REQUEST,
    "The GraphQL operation's `variables` must be an object or null, if provided.": INVALID_REQUEST,
    "The GraphQL operation's `extensions` must be an object or null, if provided.": INVALID_REQUEST,
}

_BY_CAUSE: tuple[tuple[type[BaseException], Refusal], ...] = (
    (json.JSONDecodeError, INVALID_JSON),
    (CannotGetOperationTypeError, UNKNOWN_OPERATION),
    (MissingQueryError, QUERY_MISSING),
)

_BY_STATUS = {
    400: Refusal(400, "BAD_REQUEST", "Yêu cầu không hợp lệ."),
    401: Refusal(401, "UNAUTHENTICATED", "Cần mã xác thực hợp lệ (tiêu đề «Authorization: Bearer <mã>»)."),
    403: Refusal(403, "FORBIDDEN", "Không có quyền thực hiện yêu cầu này."),
    404: Refusal(404, "NOT_FOUND", "Không có địa chỉ này."),
    405: METHOD_NOT_ALLOWED,
    413: Refusal(413, "REQUEST_TOO_LARGE", "Nội dung yêu cầu vượt giới hạn kích thước."),
    415: UNSUPPORTED_MEDIA_TYPE,
}


def too_large(limit: int) -> Refusal:
    return Refusal(
        413,
        "REQUEST_TOO_LARGE",
        f"Nội dung yêu cầu vượt giới hạn {limit:,} byte; hãy chia nhỏ dữ liệu gửi lên.".replace(",", "."),
    )


class BodyNotJson(json.JSONDecodeError):
    """A body that does not decode to a JSON object or list; `refusal` says why, in Vietnamese."""

    def __init__(self, refusal: Refusal, reason: str) -> None:
        super().__init__(reason, "", 0)
        self.refusal = refusal


def refusal_of_strawberry(status: int, reason: str, cause: BaseException | None) -> Refusal:
    """The refusal for strawberry's HTTPException(status, reason) raised from `cause`."""
    if isinstance(cause, BodyNotJson):
        return cause.refusal
    if isinstance(cause, InvalidOperationTypeError):
        if cause.operation_type is OperationType.SUBSCRIPTION:
            return SUBSCRIPTION_NEEDS_WEBSOCKET
        return OPERATION_NEEDS_POST
    for cause_type, refusal in _BY_CAUSE:
        if isinstance(cause, cause_type):
            return refusal
    return _BY_REASON.get(reason) or refusal_of_status(status)


def refusal_of_status(status: int) -> Refusal:
    """A generic refusal for an HTTP status raised below GraphQL (Litestar's own exceptions)."""
    known = _BY_STATUS.get(status)
    if known is not None:
        return known
    if status < 500:
        return Refusal(status, "BAD_REQUEST", "Yêu cầu không hợp lệ.")
    return replace(INTERNAL, status=status)
