# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on units (cơ quan, đơn vị), their staff (cán bộ) and discipline (kỷ luật)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import InputArg
from thidua.graphql.core.payloads import as_payload, read_back
from thidua.graphql.relay import objects
from thidua.graphql.units.types import Unit
from thidua.services.handlers.units import (
    ChangeRatingGroup,
    ChangeStaffKind,
    CloseDisciplinaryCase,
    DissolveUnit,
    ImposeDiscipline,
    OpenDisciplinaryCase,
    RegisterStaff,
    RegisterUnit,
    RenameUnit,
    TransferStaff,
)


@strawberry.input(description="Đăng ký một cơ quan, đơn vị của tỉnh.")
class RegisterUnitInput(CommandInput):
    key: str = strawberry.field(description="Mã đơn vị, duy nhất trong tỉnh, ví dụ so-noi-vu.")
    name: str = strawberry.field(description="Tên đơn vị, ví dụ «Sở Nội vụ».")

    def to_command(self) -> RegisterUnit:
        return RegisterUnit(
            key=self.key,
            name=self.name,
        )


@strawberry.input(description="Đổi tên đơn vị.")
class RenameUnitInput(CommandInput):
    key: str = strawberry.field(description="Mã đơn vị.")
    name: str = strawberry.field(description="Tên mới.")

    def to_command(self) -> RenameUnit:
        return RenameUnit(
            key=self.key,
            name=self.name,
        )


@strawberry.input(description="Giải thể hoặc sáp nhập đơn vị (từ ngày có hiệu lực).")
class DissolveUnitInput(CommandInput):
    key: str = strawberry.field(description="Mã đơn vị.")
    decision_ref: str = strawberry.field(description="Số hiệu văn bản giải thể, sáp nhập.")
    successor: str | None = strawberry.field(default=None, description="Đơn vị tiếp nhận (khi sáp nhập).")

    def to_command(self) -> DissolveUnit:
        return DissolveUnit(
            key=self.key,
            decision_ref=self.decision_ref,
            successor=self.successor,
        )


@strawberry.input(description="Tiếp nhận một cán bộ vào đơn vị, trong một nhóm xếp loại.")
class RegisterStaffInput(CommandInput):
    key: str = strawberry.field(description="Mã cán bộ, duy nhất trong tỉnh.")
    name: str = strawberry.field(description="Họ và tên.")
    unit: str = strawberry.field(description="Đơn vị công tác.")
    rating_group: str = strawberry.field(
        description="Nhóm xếp loại: unit_leadership (lãnh đạo đơn vị), heads_of_department (lãnh đạo phòng), "
        "specialists (chuyên môn)."
    )
    staff_kind: str | None = strawberry.field(
        default=None,
        description="cong_chuc (công chức), vien_chuc (viên chức) hoặc nguoi_lao_dong (người lao động); "
        "quyết định cán bộ có bị tính vào giới hạn 20% HTXSNV không (không nêu: được tính).",
    )

    def to_command(self) -> RegisterStaff:
        return RegisterStaff(
            key=self.key,
            name=self.name,
            unit=self.unit,
            rating_group=self.rating_group,
            staff_kind=self.staff_kind,
        )


@strawberry.input(description="Ghi loại cán bộ (công chức, viên chức, người lao động), kèm lý do.")
class ChangeStaffKindInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ.")
    staff_kind: str = strawberry.field(description="cong_chuc, vien_chuc hoặc nguoi_lao_dong.")
    reason: str = strawberry.field(description="Lý do (ví dụ quyết định tuyển dụng, chuyển đổi).")

    def to_command(self) -> ChangeStaffKind:
        return ChangeStaffKind(
            staff=self.staff,
            staff_kind=self.staff_kind,
            reason=self.reason,
        )


@strawberry.input(description="Chuyển cán bộ sang nhóm xếp loại khác.")
class ChangeRatingGroupInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ.")
    rating_group: str = strawberry.field(description="Nhóm xếp loại mới.")

    def to_command(self) -> ChangeRatingGroup:
        return ChangeRatingGroup(
            staff=self.staff,
            rating_group=self.rating_group,
        )


@strawberry.input(description="Điều chuyển cán bộ sang đơn vị khác.")
class TransferStaffInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ.")
    unit: str = strawberry.field(description="Đơn vị mới.")
    rating_group: str = strawberry.field(description="Nhóm xếp loại ở đơn vị mới.")

    def to_command(self) -> TransferStaff:
        return TransferStaff(
            staff=self.staff,
            unit=self.unit,
            rating_group=self.rating_group,
        )


@strawberry.input(description="Mở một vụ việc: xem xét kỷ luật, điều tra, thanh tra, xác minh khiếu nại.")
class OpenDisciplinaryCaseInput(CommandInput):
    subject_kind: str = strawberry.field(description="unit (đơn vị) hoặc staff (cá nhân).")
    subject_key: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    case: str = strawberry.field(description="Mã vụ việc.")
    kind: str = strawberry.field(
        description="review (xem xét kỷ luật), investigation (điều tra), inspection (thanh tra), "
        "complaint_verification (xác minh khiếu nại, tố cáo)."
    )
    reference: str = strawberry.field(description="Số hiệu văn bản.")

    def to_command(self) -> OpenDisciplinaryCase:
        return OpenDisciplinaryCase(
            subject_kind=self.subject_kind,
            subject_key=self.subject_key,
            case=self.case,
            kind=self.kind,
            reference=self.reference,
        )


@strawberry.input(description="Kết thúc một vụ việc.")
class CloseDisciplinaryCaseInput(CommandInput):
    subject_kind: str = strawberry.field(description="unit hoặc staff.")
    subject_key: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    case: str = strawberry.field(description="Mã vụ việc.")
    outcome: str = strawberry.field(description="Kết luận, ví dụ cleared (không vi phạm), disciplined.")
    reference: str = strawberry.field(description="Số hiệu văn bản kết luận.")

    def to_command(self) -> CloseDisciplinaryCase:
        return CloseDisciplinaryCase(
            subject_kind=self.subject_kind,
            subject_key=self.subject_key,
            case=self.case,
            outcome=self.outcome,
            reference=self.reference,
        )


@strawberry.input(description="Thi hành kỷ luật tới một ngày (thành tích chỉ tính từ sau ngày đó).")
class ImposeDisciplineInput(CommandInput):
    subject_kind: str = strawberry.field(description="unit hoặc staff.")
    subject_key: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    form: str = strawberry.field(description="Hình thức kỷ luật, ví dụ reprimand (khiển trách).")
    reference: str = strawberry.field(description="Số hiệu quyết định kỷ luật.")
    until: date = strawberry.field(description="Ngày hết thời hạn kỷ luật.")

    def to_command(self) -> ImposeDiscipline:
        return ImposeDiscipline(
            subject_kind=self.subject_kind,
            subject_key=self.subject_key,
            form=self.form,
            reference=self.reference,
            until=self.until,
        )


@strawberry.type(description="Kết quả thao tác ghi trên một đơn vị, kèm đơn vị sau khi ghi.")
class UnitPayload(MutationPayload):
    @strawberry.field(description="Đơn vị sau thao tác (đọc lại tại «position»); null khi bị từ chối.")
    async def unit(self, info: Info[GraphQLContext, Any]) -> Unit | None:
        province = await read_back(info, self, "unit")
        if province is None:
            return None
        return await objects.unit(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type
class UnitMutations:
    @strawberry.mutation(description="Đăng ký một cơ quan, đơn vị (Ban Thi đua – Khen thưởng).")
    async def register_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RegisterUnitInput],
        idempotency_key: IdempotencyKey = None,
    ) -> UnitPayload:
        return as_payload(UnitPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Đổi tên đơn vị.")
    async def rename_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RenameUnitInput],
        idempotency_key: IdempotencyKey = None,
    ) -> UnitPayload:
        return as_payload(UnitPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Giải thể hoặc sáp nhập đơn vị; không khen thưởng đơn vị đã giải thể.")
    async def dissolve_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DissolveUnitInput],
        idempotency_key: IdempotencyKey = None,
    ) -> UnitPayload:
        return as_payload(UnitPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Tiếp nhận cán bộ vào đơn vị (cán bộ thi đua của đơn vị hoặc Ban).")
    async def register_staff(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RegisterStaffInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Chuyển cán bộ sang nhóm xếp loại khác.")
    async def change_rating_group(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChangeRatingGroupInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Ghi loại cán bộ: công chức, viên chức hay người lao động.")
    async def change_staff_kind(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChangeStaffKindInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Điều chuyển cán bộ sang đơn vị khác.")
    async def transfer_staff(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[TransferStaffInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Mở vụ việc kỷ luật, điều tra, thanh tra hoặc xác minh: đề nghị khen phải chờ."
    )
    async def open_disciplinary_case(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[OpenDisciplinaryCaseInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Kết thúc vụ việc kỷ luật, điều tra, thanh tra hoặc xác minh.")
    async def close_disciplinary_case(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CloseDisciplinaryCaseInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Thi hành kỷ luật (thành tích chỉ tính từ khi hết thời hạn).")
    async def impose_discipline(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ImposeDisciplineInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
