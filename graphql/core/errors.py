"""Expected errors as part of the schema (lỗi nghiệp vụ), with stable codes and Vietnamese messages.

Two families reach a client: refusals a client can act on (a domain rule, a conflict, a missing
permission) and failures it cannot (a bug, a lost database). The first carry a stable `code`;
mutations return them as `UserError` values in their payload, queries raise them as GraphQL
errors with `extensions.code`. The second are masked (see `shaping.py`).
"""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from thidua.services.errors import ApplicationError
from thidua.services.outcome import EXPECTED_ERRORS, Refusal, is_expected

__all__ = ["EXPECTED_ERRORS", "UserError", "is_expected", "user_error", "user_error_of"]


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


def user_error_of(refusal: Refusal) -> UserError:
    """A refusal as a payload value."""
    return UserError(
        code=refusal.code,
        message=refusal.message,
        field=refusal.field,
        details=cast(JSON, refusal.details) if refusal.details else None,
    )


def user_error(exc: Exception) -> UserError:
    """An expected error as a payload value."""
    return user_error_of(Refusal.of(exc))
