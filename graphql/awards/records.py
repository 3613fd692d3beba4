# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on the facts award prerequisites rest on: initiatives (sáng kiến), a collective's
member statistics, and a merged predecessor's record."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import CountEntry, InputArg, counts
from thidua.services.handlers.awards import AbsorbRecord, NoteMemberStats, RecognizeInitiative


@strawberry.input(description="Công nhận một sáng kiến ở phạm vi cơ sở, tỉnh hoặc toàn quốc.")
class RecognizeInitiativeInput(CommandInput):
    recipient_kind: str = strawberry.field(description="unit hoặc staff.")
    recipient: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    initiative: str = strawberry.field(description="Mã sáng kiến.")
    scope: str = strawberry.field(
        description="grassroots (cơ sở), province (tỉnh) hoặc national (toàn quốc)."
    )
    year: int = strawberry.field(description="Năm công nhận.")
    reference: str = strawberry.field(description="Số hiệu văn bản công nhận.")

    def to_command(self) -> RecognizeInitiative:
        return RecognizeInitiative(
            recipient_kind=self.recipient_kind,
            recipient=self.recipient,
            initiative=self.initiative,
            scope=self.scope,
            year=self.year,
            reference=self.reference,
        )


@strawberry.input(
    description="Số liệu thành viên của tập thể trong năm theo báo cáo (điều kiện Tập thể lao động "
    "tiên tiến, xuất sắc)."
)
class NoteMemberStatsInput(CommandInput):
    unit: str = strawberry.field(description="Đơn vị.")
    year: int = strawberry.field(description="Năm.")
    stats: list[CountEntry] = strawberry.field(
        description="members, completed, advanced (lao động tiên tiến), grassroots_fighters; tùy chọn "
        "disciplined (số người bị kỷ luật từ cảnh cáo trở lên trong năm). Chỉ dùng khi hồ sơ chưa đủ để "
        "tự tính (phiếu xếp loại và xếp loại năm của mọi thành viên)."
    )

    def to_command(self) -> NoteMemberStats:
        return NoteMemberStats(
            unit=self.unit,
            year=self.year,
            stats=counts(self.stats, "stats"),
        )


@strawberry.input(description="Tiếp nhận hồ sơ khen thưởng của đơn vị được sáp nhập (năm liên tục được giữ).")
class AbsorbRecordInput(CommandInput):
    recipient_kind: str = strawberry.field(description="unit hoặc staff.")
    recipient: str = strawberry.field(description="Đơn vị (người) tiếp nhận.")
    predecessor: str = strawberry.field(description="Đơn vị (người) trước sáp nhập.")

    def to_command(self) -> AbsorbRecord:
        return AbsorbRecord(
            recipient_kind=self.recipient_kind,
            recipient=self.recipient,
            predecessor=self.predecessor,
        )


@strawberry.type
class RecordMutations:
    @strawberry.mutation(description="Công nhận sáng kiến (mỗi sáng kiến chỉ làm căn cứ cho một danh hiệu).")
    async def recognize_initiative(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecognizeInitiativeInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Ghi số liệu thành viên của tập thể trong năm.")
    async def note_member_stats(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[NoteMemberStatsInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Tiếp nhận hồ sơ khen thưởng của đơn vị trước sáp nhập.")
    async def absorb_record(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AbsorbRecordInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
