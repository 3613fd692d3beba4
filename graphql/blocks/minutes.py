# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""What a block's minutes record beyond members and officers: the decision behind a change, the
meetings that are no review (phát động, quy chế, tiêu chí, kế hoạch), a block re-formed."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.domain.block_minutes import ADOPTED_ITEMS, MEETING_KINDS, decision_reference
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, perform
from thidua.graphql.core.inputs import InputArg
from thidua.services.access import Target


def _listed(table: dict[str, str] | Any) -> str:
    return "; ".join(f"{code}: {words}" for code, words in table.items())


@strawberry.input(description="Quyết định (số, ngày ký, cơ quan ban hành) là căn cứ của một thay đổi.")
class DecisionInput:
    number: str = strawberry.field(description="Số hiệu quyết định, ví dụ 123/QĐ-UBND.")
    signed_on: date = strawberry.field(description="Ngày ký.")
    issuer: str = strawberry.field(description="Cơ quan, người ban hành, ví dụ «UBND tỉnh».")


def decision_of(given: DecisionInput | None, field: str = "decision") -> dict[str, str] | None:
    """The decision as the events store it (checked: a document number, an issuer)."""
    return None if given is None else decision_reference(given.number, given.signed_on, given.issuer, field)


@strawberry.input(description="Kiện toàn, thành lập lại khối thi đua theo quyết định.")
class ReformBlockInput(CommandInput):
    key: str = strawberry.field(description="Mã khối.")
    decision: DecisionInput = strawberry.field(description="Quyết định kiện toàn, thành lập lại.")
    name: str | None = strawberry.field(default=None, description="Tên mới của khối, nếu đổi.")


@strawberry.input(
    description="Hội nghị của khối không phải sơ kết, tổng kết: phát động, thông qua quy chế, tiêu chí, "
    "kế hoạch."
)
class HoldBlockMeetingInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    kind: str = strawberry.field(description=f"Loại hội nghị: {_listed(MEETING_KINDS)}.")
    held_on: date = strawberry.field(description="Ngày họp.")
    host: str | None = strawberry.field(default=None, description="Đơn vị chủ trì (thành viên khối).")
    adopted: list[str] = strawberry.field(
        default_factory=list, description=f"Nội dung hội nghị thông qua, ký kết: {_listed(ADOPTED_ITEMS)}."
    )
    note: str | None = strawberry.field(default=None, description="Ghi chú, trích biên bản.")


@strawberry.type
class BlockMinutesMutations:
    @strawberry.mutation(description="Kiện toàn, thành lập lại khối thi đua theo quyết định.")
    async def reform_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ReformBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "reformBlock",
            input,
            lambda app, by: app.reform_block(
                key=input.key,
                decision=decision_reference(
                    input.decision.number, input.decision.signed_on, input.decision.issuer
                ),
                name=input.name,
                by=by,
            ),
            idempotency_key,
            key=input.key,
        )

    @strawberry.mutation(
        description="Ghi nhận hội nghị của khối (phát động, ký kết giao ước; thông qua quy chế, tiêu chí, "
        "kế hoạch) với ngày, đơn vị chủ trì và nội dung thông qua."
    )
    async def hold_block_meeting(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[HoldBlockMeetingInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "holdBlockMeeting",
            input,
            lambda app, by: app.hold_block_meeting(
                block=input.block,
                year=input.year,
                kind=input.kind,
                held_on=input.held_on,
                host=input.host,
                adopted=list(input.adopted),
                note=input.note,
                by=by,
            ),
            idempotency_key,
            target=Target(block=input.block, year=input.year),
            key=f"{input.block}/{input.year}",
        )
