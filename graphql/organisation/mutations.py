# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on the province's rule book (bộ quy tắc) and its council (Hội đồng Thi đua – Khen thưởng)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.inputs import InputArg
from thidua.services.handlers.organisation import (
    AdoptRules,
    AppointCouncilMember,
    ConstituteCouncil,
    DeclarePublicHolidays,
    ReleaseCouncilMember,
)


@strawberry.input(
    description="Tỉnh áp dụng một phiên bản quy tắc chặt hơn (ngưỡng, hạn mức, thời hạn) từ một ngày."
)
class AdoptRulesInput(CommandInput):
    version: str = strawberry.field(description="Tên phiên bản, ví dụ nghe-an-2026.")
    effective_from: date = strawberry.field(description="Ngày bắt đầu áp dụng.")
    legal_basis: str = strawberry.field(description="Căn cứ pháp lý (số hiệu văn bản).")
    overrides: JSON = strawberry.field(
        description="Các giá trị thay đổi so với quy tắc quốc gia, dạng đối tượng JSON (tên → giá trị)."
    )

    def to_command(self) -> AdoptRules:
        return AdoptRules(
            version=self.version,
            effective_from=self.effective_from,
            legal_basis=self.legal_basis,
            overrides=_overrides(self.overrides),
        )


@strawberry.input(
    description="Ngày nghỉ lễ, Tết và nghỉ bù của một năm theo thông báo của Chính phủ: những ngày này "
    "không tính là ngày làm việc (ví dụ thời hạn công khai đề nghị khen thưởng)."
)
class DeclarePublicHolidaysInput(CommandInput):
    year: int = strawberry.field(description="Năm.")
    days: list[date] = strawberry.field(
        description="Các ngày nghỉ rơi vào ngày thường (thứ Hai đến thứ Sáu) trong năm."
    )
    legal_basis: str = strawberry.field(description="Căn cứ (số hiệu thông báo hoặc văn bản).")
    reason: str | None = strawberry.field(
        default=None, description="Lý do sửa đổi, bắt buộc khi năm này đã được ghi nhận."
    )

    def to_command(self) -> DeclarePublicHolidays:
        return DeclarePublicHolidays(
            year=self.year,
            days=tuple(self.days),
            legal_basis=self.legal_basis,
            reason=self.reason,
        )


@strawberry.input(description="Thành lập Hội đồng Thi đua – Khen thưởng tỉnh.")
class ConstituteCouncilInput(CommandInput):
    decision_ref: str = strawberry.field(description="Số hiệu quyết định thành lập.")

    def to_command(self) -> ConstituteCouncil:
        return ConstituteCouncil(
            decision_ref=self.decision_ref,
        )


@strawberry.input(description="Bổ nhiệm thành viên Hội đồng.")
class AppointCouncilMemberInput(CommandInput):
    member: str = strawberry.field(description="Mã thành viên (trùng mã người dùng khi bỏ phiếu).")
    name: str = strawberry.field(description="Họ và tên.")
    role: str = strawberry.field(
        description="chair (Chủ tịch), vice_chair (Phó Chủ tịch), standing_member (Ủy viên thường trực), "
        "member (Ủy viên), secretary (Thư ký)."
    )

    def to_command(self) -> AppointCouncilMember:
        return AppointCouncilMember(
            member=self.member,
            name=self.name,
            role=self.role,
        )


@strawberry.input(description="Thôi làm thành viên Hội đồng.")
class ReleaseCouncilMemberInput(CommandInput):
    member: str = strawberry.field(description="Mã thành viên.")
    reason: str = strawberry.field(description="Lý do.")

    def to_command(self) -> ReleaseCouncilMember:
        return ReleaseCouncilMember(
            member=self.member,
            reason=self.reason,
        )


def _overrides(value: JSON) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidArgument("«overrides» phải là một đối tượng JSON.", field="overrides")
    return cast(dict[str, Any], value)


@strawberry.type
class OrganisationMutations:
    @strawberry.mutation(
        description="Áp dụng bộ quy tắc của tỉnh từ một ngày (việc được xét theo quy tắc hiệu lực khi đó)."
    )
    async def adopt_rules(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AdoptRulesInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Ghi nhận ngày nghỉ lễ của một năm (không tính vào thời hạn ngày làm việc); "
        "ghi nhận lại một năm là sửa đổi, phải nêu lý do."
    )
    async def declare_public_holidays(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DeclarePublicHolidaysInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Thành lập Hội đồng Thi đua – Khen thưởng tỉnh.")
    async def constitute_council(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ConstituteCouncilInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Bổ nhiệm thành viên Hội đồng Thi đua – Khen thưởng.")
    async def appoint_council_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AppointCouncilMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Thành viên thôi tham gia Hội đồng.")
    async def release_council_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ReleaseCouncilMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
