# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on blocks (khối, cụm thi đua) and their years: members, officers, pledges, reviews."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import InputArg, TextEntry, texts
from thidua.services.handlers.blocks import (
    AddBlockMember,
    ChooseLeadingUnits,
    ChooseOfficers,
    CreateBlock,
    DisbandBlock,
    HoldReview,
    OpenBlockYear,
    RemoveBlockMember,
    RenameBlock,
    SignPledge,
)


@strawberry.input(description="Thành lập một khối hoặc cụm thi đua.")
class CreateBlockInput(CommandInput):
    key: str = strawberry.field(description="Mã khối, ví dụ khoi-noi-chinh.")
    name: str = strawberry.field(description="Tên khối, ví dụ «Khối thi đua Nội chính».")
    kind: str = strawberry.field(default="block", description="block (khối) hoặc cluster (cụm).")

    def to_command(self) -> CreateBlock:
        return CreateBlock(
            key=self.key,
            name=self.name,
            kind=self.kind,
        )


@strawberry.input(description="Đổi tên khối thi đua.")
class RenameBlockInput(CommandInput):
    key: str = strawberry.field(description="Mã khối.")
    name: str = strawberry.field(description="Tên mới.")

    def to_command(self) -> RenameBlock:
        return RenameBlock(
            key=self.key,
            name=self.name,
        )


@strawberry.input(description="Giải thể khối thi đua.")
class DisbandBlockInput(CommandInput):
    key: str = strawberry.field(description="Mã khối.")
    decision_ref: str = strawberry.field(description="Số hiệu văn bản.")

    def to_command(self) -> DisbandBlock:
        return DisbandBlock(
            key=self.key,
            decision_ref=self.decision_ref,
        )


@strawberry.input(description="Mở năm thi đua của khối với danh sách đơn vị thành viên.")
class OpenBlockYearInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    members: list[str] = strawberry.field(description="Mã các đơn vị thành viên.")
    members_claimed: int | None = strawberry.field(
        default=None,
        description="Số thành viên văn bản nêu (có thể khác danh sách; sự chênh lệch được ghi nhận).",
    )

    def to_command(self) -> OpenBlockYear:
        return OpenBlockYear(
            block=self.block,
            year=self.year,
            members=tuple(self.members),
            members_claimed=self.members_claimed,
        )


@strawberry.input(description="Thêm một đơn vị thành viên của khối trong năm.")
class AddBlockMemberInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")

    def to_command(self) -> AddBlockMember:
        return AddBlockMember(
            block=self.block,
            year=self.year,
            unit=self.unit,
        )


@strawberry.input(description="Bớt một đơn vị thành viên của khối trong năm, kèm lý do.")
class RemoveBlockMemberInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")
    reason: str = strawberry.field(description="Lý do.")

    def to_command(self) -> RemoveBlockMember:
        return RemoveBlockMember(
            block=self.block,
            year=self.year,
            unit=self.unit,
            reason=self.reason,
        )


@strawberry.input(description="Chọn Khối trưởng, Khối phó phục vụ trong một năm.")
class ChooseOfficersInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm Khối trưởng, Khối phó phục vụ.")
    leader: str = strawberry.field(description="Đơn vị Khối trưởng.")
    deputy: str | None = strawberry.field(default=None, description="Đơn vị Khối phó.")
    method: str = strawberry.field(description="vote (bỏ phiếu) hoặc acclamation (suy tôn, biểu quyết).")
    ballot: str | None = strawberry.field(default=None, description="Mã cuộc bỏ phiếu, nếu bầu bằng phiếu.")
    chosen_in_year: int | None = strawberry.field(
        default=None, description="Năm các thành viên bầu (thường là năm trước, ở hội nghị tổng kết)."
    )

    def to_command(self) -> ChooseOfficers:
        return ChooseOfficers(
            block=self.block,
            year=self.year,
            leader=self.leader,
            deputy=self.deputy,
            method=self.method,
            ballot=self.ballot,
            chosen_in_year=self.chosen_in_year,
        )


@strawberry.input(description="Đơn vị ký giao ước thi đua của khối với các chỉ tiêu.")
class SignPledgeInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Đơn vị ký.")
    targets: list[TextEntry] = strawberry.field(description="Các chỉ tiêu (tên → mức cam kết).")
    movement: str | None = strawberry.field(default=None, description="Phong trào thi đua gắn với giao ước.")

    def to_command(self) -> SignPledge:
        return SignPledge(
            block=self.block,
            year=self.year,
            unit=self.unit,
            targets=texts(self.targets, "targets"),
            movement=self.movement,
        )


@strawberry.input(description="Hội nghị sơ kết (giữa năm) hoặc tổng kết (cuối năm) của khối.")
class HoldReviewInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    kind: str = strawberry.field(description="mid_year (sơ kết) hoặc year_end (tổng kết).")
    chaired_by: str | None = strawberry.field(default=None, description="Đơn vị chủ trì.")
    note: str | None = strawberry.field(default=None, description="Ghi chú, biên bản.")

    def to_command(self) -> HoldReview:
        return HoldReview(
            block=self.block,
            year=self.year,
            kind=self.kind,
            chaired_by=self.chaired_by,
            note=self.note,
        )


@strawberry.input(description="Suy tôn (hoặc bầu) các đơn vị dẫn đầu khối trong năm.")
class ChooseLeadingUnitsInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    units: list[str] = strawberry.field(description="Các đơn vị dẫn đầu.")
    method: str = strawberry.field(description="acclamation (suy tôn) hoặc vote (bỏ phiếu).")
    ballot: str | None = strawberry.field(default=None, description="Mã cuộc bỏ phiếu, nếu có.")

    def to_command(self) -> ChooseLeadingUnits:
        return ChooseLeadingUnits(
            block=self.block,
            year=self.year,
            units=tuple(self.units),
            method=self.method,
            ballot=self.ballot,
        )


@strawberry.type
class BlockMutations:
    @strawberry.mutation(description="Thành lập khối hoặc cụm thi đua.")
    async def create_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CreateBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Đổi tên khối thi đua.")
    async def rename_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RenameBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Giải thể khối thi đua.")
    async def disband_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DisbandBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Mở năm thi đua của khối; mỗi đơn vị chỉ ở một khối mỗi loại mỗi năm.")
    async def open_block_year(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[OpenBlockYearInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Thêm đơn vị thành viên của khối trong năm.")
    async def add_block_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AddBlockMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Bớt đơn vị thành viên của khối trong năm (có lý do).")
    async def remove_block_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RemoveBlockMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Chọn Khối trưởng, Khối phó (bầu hoặc biểu quyết), thường cho năm sau.")
    async def choose_officers(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChooseOfficersInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Ký giao ước thi đua của khối (cán bộ thi đua ký cho đơn vị mình).")
    async def sign_pledge(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[SignPledgeInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Ghi nhận hội nghị sơ kết hoặc tổng kết của khối.")
    async def hold_review(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[HoldReviewInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Suy tôn hoặc bầu đơn vị dẫn đầu khối (điều kiện của Cờ thi đua tỉnh).")
    async def choose_leading_units(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChooseLeadingUnitsInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
