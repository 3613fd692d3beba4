# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations `mergeProvinces` (the platform operator's), `recordSuccession` and
`revokePredecessorAward` (the successor's board)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.domain.provenance import Actor, Provenance
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import (
    CommandInput,
    IdempotencyKey,
    MutationPayload,
    Outcome,
    mutate,
    today_in_vietnam,
)
from thidua.graphql.core.inputs import InputArg
from thidua.graphql.core.permissions import authenticated, authorize
from thidua.services.handlers.tenancy import (
    LinkPersonIdentity,
    Predecessor,
    RecordSuccession,
    RevokePredecessorAward,
)
from thidua.services.mergers import merge_provinces
from thidua.services.outcome import Refusal, is_expected


@strawberry.input(
    description="Sáp nhập tỉnh (Nghị quyết 202/2025/QH15): khóa sổ cái các tỉnh trước sáp nhập tại đầu sổ, "
    "tỉnh kế thừa ghi lại HASH@VỊ_TRÍ của từng tỉnh."
)
class MergeProvincesInput(CommandInput):
    into: str = strawberry.field(description="Mã tỉnh kế thừa (đã có, hoặc tạo mới khi nêu `name`).")
    predecessors: list[str] = strawberry.field(description="Mã các tỉnh trước sáp nhập.")
    basis: str = strawberry.field(
        description="Văn bản quyết định sáp nhập, ví dụ «Nghị quyết 202/2025/QH15»."
    )
    name: str | None = strawberry.field(default=None, description="Tên tỉnh kế thừa khi tạo mới.")


@strawberry.input(description="Một đơn vị (người) trước kế thừa: của tỉnh này hoặc của tỉnh trước sáp nhập.")
class PredecessorInput:
    key: str | None = strawberry.field(
        default=None, description="Mã đơn vị (cán bộ) trong tỉnh của nó (hoặc nêu `nationalId`)."
    )
    province: str | None = strawberry.field(
        default=None, description="Mã tỉnh trước sáp nhập; bỏ trống: tỉnh của người gọi."
    )
    national_id: str | None = strawberry.field(
        default=None,
        description="Với một người: số định danh cá nhân, đối chiếu qua mã băm có khóa (không lưu số).",
    )


@strawberry.input(
    description="Kế thừa: đơn vị (người) của tỉnh kế thừa nhận hồ sơ thi đua của các đơn vị (người) trước "
    "(sáp nhập, hợp nhất, chia tách, đổi tên, điều chuyển), theo văn bản quyết định."
)
class RecordSuccessionInput(CommandInput):
    recipient_kind: str = strawberry.field(description="unit hoặc staff.")
    recipient: str = strawberry.field(description="Đơn vị (người) kế thừa.")
    predecessors: list[PredecessorInput] = strawberry.field(description="Các đơn vị (người) trước kế thừa.")
    succession: str = strawberry.field(
        description="merge (sáp nhập), consolidation (hợp nhất), split (chia tách), rename (đổi tên), "
        "transfer (điều chuyển)."
    )
    document: str = strawberry.field(description="Số hiệu văn bản quyết định việc kế thừa.")

    def to_command(self) -> RecordSuccession:
        return RecordSuccession(
            recipient_kind=self.recipient_kind,
            recipient=self.recipient,
            predecessors=tuple(Predecessor(p.province, p.key, p.national_id) for p in self.predecessors),
            succession=self.succession,
            document=self.document,
        )


@strawberry.input(description="Số định danh cá nhân của một cán bộ; hệ thống chỉ giữ mã băm có khóa.")
class LinkPersonIdentityInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ trong tỉnh.")
    national_id: str = strawberry.field(description="Số định danh cá nhân (CCCD, 12 chữ số).")

    def to_command(self) -> LinkPersonIdentity:
        return LinkPersonIdentity(staff=self.staff, national_id=self.national_id)


@strawberry.input(
    description="Hủy bỏ, sau sáp nhập, quyết định khen thưởng của tỉnh trước sáp nhập: do cấp có thẩm quyền "
    "của tỉnh kế thừa, đối với đơn vị (người) đã kế thừa người được khen; ghi cả hai cấp quyết định."
)
class RevokePredecessorAwardInput(CommandInput):
    recipient_kind: str = strawberry.field(description="unit hoặc staff.")
    recipient: str = strawberry.field(
        description="Đơn vị (người) của tỉnh kế thừa đã kế thừa người được khen."
    )
    province: str = strawberry.field(description="Mã tỉnh trước sáp nhập đã ghi quyết định.")
    number: str = strawberry.field(description="Số quyết định khen thưởng bị hủy bỏ.")
    revoking_decision: str = strawberry.field(description="Số quyết định hủy bỏ.")
    revoking_authority: str = strawberry.field(
        description="Cấp quyết định hủy bỏ của tỉnh kế thừa, ví dụ provincial_chair."
    )
    revoking_signer: str = strawberry.field(description="Người ký quyết định hủy bỏ.")
    ground: str = strawberry.field(description="Căn cứ hủy bỏ, ví dụ fraudulent_achievements.")
    reason: str = strawberry.field(description="Lý do.")

    def to_command(self) -> RevokePredecessorAward:
        return RevokePredecessorAward(
            recipient_kind=self.recipient_kind,
            recipient=self.recipient,
            province=self.province,
            number=self.number,
            revoking_decision=self.revoking_decision,
            revoking_authority=self.revoking_authority,
            revoking_signer=self.revoking_signer,
            ground=self.ground,
            reason=self.reason,
        )


@strawberry.type
class TenancyMutations:
    @strawberry.mutation(
        description="Sáp nhập tỉnh (người vận hành nền tảng): mọi kiểm tra trước, rồi khóa sổ từng tỉnh "
        "trước sáp nhập và ghi đầu sổ của chúng vào sổ cái tỉnh kế thừa."
    )
    async def merge_provinces(
        self, info: Info[GraphQLContext, Any], input: InputArg[MergeProvincesInput]
    ) -> MutationPayload:
        # An operator's token names no province: the successor stands for it (a token that also
        # holds a province acts there, as on every field).
        named = None if authenticated(info).province is not None else input.into
        caller = authorize(info, "mergeProvinces", province=named)
        runtime = info.context.runtime
        correlation_id = input.correlation_id or info.context.request_id
        on: date = input.effective_on or today_in_vietnam()
        by = Provenance(
            Actor(caller.principal.subject, caller.acting_role.value, None),
            datetime.now(UTC),
            on,
            correlation_id,
        )
        try:
            report = await runtime.run_sync(
                lambda: merge_provinces(
                    runtime.registry,
                    into=input.into,
                    predecessors=list(input.predecessors),
                    effective_on=on,
                    basis=input.basis,
                    by=by,
                    into_name=input.name,
                )
            )
        except Exception as exc:
            if not is_expected(exc):
                raise
            return MutationPayload.of(Outcome(None, input.into, correlation_id, [Refusal.of(exc)]))
        return MutationPayload.of(Outcome(report.position or None, input.into, correlation_id))

    @strawberry.mutation(
        description="Ghi nhận kế thừa hồ sơ của đơn vị (người) trước, kể cả ở tỉnh trước sáp nhập."
    )
    async def record_succession(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordSuccessionInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Gắn số định danh cá nhân cho cán bộ (chỉ lưu mã băm có khóa) để nhận ra cùng một "
        "người ở các tỉnh khác (sáp nhập, điều chuyển)."
    )
    async def link_person_identity(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[LinkPersonIdentityInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Hủy bỏ quyết định khen thưởng của tỉnh trước sáp nhập (sau ngày sáp nhập, do cấp "
        "có thẩm quyền của tỉnh kế thừa)."
    )
    async def revoke_predecessor_award(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RevokePredecessorAwardInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
