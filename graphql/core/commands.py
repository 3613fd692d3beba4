"""Mutations (thao tác ghi) as the API shows them: the common input fields, the payload, the call.

A mutation's input builds its typed command (`to_command()`); `send` checks the permission
matrix for it (with the unit acted for) and hands it to the services' dispatcher
(`services/dispatch.py`), which stamps the provenance, honours the idempotency key and runs the
handler in a worker thread. This module only translates: the input's provenance fields in, the
dispatcher's `Outcome` out as a `MutationPayload` with `UserError` values.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Protocol, Self

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.errors import UserError, user_error_of
from thidua.graphql.core.permissions import authorize
from thidua.services.dispatch import Origin, dispatch, today_in_vietnam
from thidua.services.handlers.base import Command
from thidua.services.outcome import Outcome

__all__ = [
    "CommandInput",
    "IdempotencyKey",
    "MutationPayload",
    "Outcome",
    "mutate",
    "send",
    "today_in_vietnam",
]

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Khóa chống ghi trùng: gửi lại cùng khóa thì không ghi thêm, nhận lại kết quả đầu."
    ),
]


@strawberry.input(description="Các trường chung của mọi thao tác ghi (nguồn gốc sự kiện).")
class CommandInput:
    effective_on: date | None = strawberry.field(
        default=None,
        description="Ngày có hiệu lực (ví dụ ngày họp); mặc định hôm nay theo giờ Việt Nam.",
    )
    correlation_id: str | None = strawberry.field(
        default=None,
        description="Mã liên kết các sự kiện của cùng một việc; mặc định là mã yêu cầu.",
    )

    def origin(self, request_id: str) -> Origin:
        return Origin(request_id, effective_on=self.effective_on, correlation_id=self.correlation_id)


@strawberry.type(description="Kết quả chung của một thao tác ghi.")
class MutationPayload:
    ok: bool = strawberry.field(description="Thao tác đã được ghi vào sổ cái.")
    position: int | None = strawberry.field(
        description="Vị trí của sự kiện cuối cùng trong sổ cái tỉnh; truyền vào `atLeastPosition` "
        "của truy vấn để đọc được điều vừa ghi."
    )
    errors: list[UserError] = strawberry.field(description="Lý do bị từ chối (rỗng khi thành công).")
    key: str | None = strawberry.field(
        description="Khóa của đối tượng được tạo hoặc tác động (mã đơn vị, mã phiếu, số tờ trình…)."
    )
    correlation_id: str = strawberry.field(description="Mã liên kết đã ghi vào các sự kiện.")
    replayed: bool = strawberry.field(
        description="Kết quả được trả lại từ lần gửi đầu tiên cùng khóa chống ghi trùng "
        "(không ghi thêm sự kiện)."
    )

    @classmethod
    def of(cls, outcome: Outcome) -> Self:
        return cls(
            ok=outcome.ok,
            position=outcome.position,
            errors=[user_error_of(e) for e in outcome.errors],
            key=outcome.key,
            correlation_id=outcome.correlation_id,
            replayed=outcome.replayed,
        )


class ToCommand(Protocol):
    """A mutation's input: its provenance fields and the typed command it asks for."""

    def origin(self, request_id: str) -> Origin: ...

    def to_command(self) -> Command: ...


async def send(info: Info[GraphQLContext, Any], input: ToCommand, idempotency_key: str | None) -> Outcome:
    """Authorize the input's command and dispatch it."""
    command = input.to_command()
    caller = authorize(info, command.operation(), unit=command.target.unit)
    context = info.context
    return await dispatch(
        context.runtime,
        caller,
        command,
        input.origin(context.request_id),
        idempotency_key,
        # What a key stands for; without a key nothing is digested (a bulk input is large).
        request=asdict(input) if idempotency_key is not None else {},  # type: ignore[call-overload]
    )


async def mutate(
    info: Info[GraphQLContext, Any], input: ToCommand, idempotency_key: str | None
) -> MutationPayload:
    """`send`, answered as the shared payload: the whole body of most mutation resolvers."""
    return MutationPayload.of(await send(info, input, idempotency_key))
