# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations `mergeProvinces` (the platform operator's) and `recordSuccession` (the successor's board)."""

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
    run_mutation,
    today_in_vietnam,
)
from thidua.graphql.core.inputs import InputArg
from thidua.graphql.core.permissions import authenticated, authorize
from thidua.services.mergers import merge_provinces
from thidua.services.outcome import Refusal, is_expected
from thidua.services.person_ids import person_hash
from thidua.services.successions import PredecessorRef, record_succession


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


@strawberry.input(description="Số định danh cá nhân của một cán bộ; hệ thống chỉ giữ mã băm có khóa.")
class LinkPersonIdentityInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ trong tỉnh.")
    national_id: str = strawberry.field(description="Số định danh cá nhân (CCCD, 12 chữ số).")


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
        runtime = info.context.runtime
        id_key = runtime.settings.person_id_key

        def refs() -> list[PredecessorRef]:
            return [
                PredecessorRef(
                    p.province,
                    p.key,
                    None if p.national_id is None else person_hash(id_key, p.national_id),
                )
                for p in input.predecessors
            ]

        outcome = await run_mutation(
            info,
            "recordSuccession",
            input,
            lambda app, by: record_succession(
                runtime.registry,
                app.province,
                recipient_kind=input.recipient_kind,
                recipient=input.recipient,
                predecessors=refs(),
                succession=input.succession,
                document=input.document,
                by=by,
            ),
            idempotency_key=idempotency_key,
            key=input.recipient,
            # A national ID number never reaches the stored digest (it could be recovered by
            # trying numbers); the predecessors are then left out of it whole.
            undigested=frozenset({"predecessors"} if any(p.national_id for p in input.predecessors) else ()),
        )
        return MutationPayload.of(outcome)

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
        id_key = info.context.runtime.settings.person_id_key
        outcome = await run_mutation(
            info,
            "linkPersonIdentity",
            input,
            lambda app, by: app.link_person(
                staff=input.staff, person_hash=person_hash(id_key, input.national_id), by=by
            ),
            idempotency_key=idempotency_key,
            key=input.staff,
            undigested=frozenset({"national_id"}),
        )
        return MutationPayload.of(outcome)
