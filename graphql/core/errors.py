"""Expected errors as part of the schema (lỗi nghiệp vụ), with stable codes and Vietnamese messages.

Two families reach a client: refusals a client can act on (a domain rule, a conflict, a missing
permission) and failures it cannot (a bug, a lost database). The first carry a stable `code`;
mutations return them as `UserError` values in their payload, queries raise them as GraphQL
errors with `extensions.code`. The second are masked (see `shaping.py`).
"""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from thidua.domain.errors import DomainError
from thidua.projections.errors import ProjectionError
from thidua.services.errors import ApplicationError

# Errors a client can act on; everything else is masked.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (DomainError, ApplicationError, ProjectionError)


class NotYetVisible(ApplicationError):
    """The read model has not reached the position the client asked to see (read-your-writes)."""

    code = "NOT_YET"


class NotFoundError(ApplicationError):
    """The thing asked for does not exist in the caller's province."""

    code = "NOT_FOUND"


class InvalidCursor(ApplicationError):
    code = "INVALID_CURSOR"


class InvalidArgument(ApplicationError):
    code = "INVALID_ARGUMENT"


@strawberry.type(description="Lỗi nghiệp vụ (user error): lý do một thao tác bị từ chối.")
class UserError:
    code: str = strawberry.field(
        description="Mã lỗi ổn định để máy đọc, ví dụ NOT_A_MEMBER, RATING_CAP_EXCEEDED."
    )
    message: str = strawberry.field(description="Thông báo tiếng Việt cho người dùng.")
    field: str | None = strawberry.field(
        default=None, description="Trường của đầu vào gây lỗi, nếu xác định được."
    )
    details: JSON | None = strawberry.field(
        default=None, description="Chi tiết có cấu trúc (khóa → giá trị) đi kèm lỗi."
    )


def user_error(exc: Exception) -> UserError:
    """An expected error as a payload value."""
    code = str(getattr(exc, "code", "ERROR"))
    message = str(getattr(exc, "message_vi", str(exc)))
    details: dict[str, Any] = dict(getattr(exc, "details", {}) or {})
    field = details.get("field")
    return UserError(
        code=code,
        message=message,
        field=str(field) if field is not None else None,
        details=cast(JSON, details) if details else None,
    )


def user_error_dict(error: UserError) -> dict[str, Any]:
    """For storing with an idempotency key (the replay returns exactly the same errors)."""
    return {
        "code": error.code,
        "message": error.message,
        "field": error.field,
        "details": error.details,
    }


def user_error_from_dict(data: dict[str, Any]) -> UserError:
    return UserError(
        code=data["code"],
        message=data["message"],
        field=data.get("field"),
        details=cast(JSON, data.get("details")),
    )


def is_expected(exc: BaseException | None) -> bool:
    return isinstance(exc, EXPECTED_ERRORS)
