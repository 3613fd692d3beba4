# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on blocks (khối, cụm thi đua) and their years: members, officers, pledges, reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.domain.block_minutes import OFFICER_METHODS
from thidua.graphql.blocks.minutes import DecisionInput, decision_given
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import CountEntry, InputArg, TextEntry, counts, texts
from thidua.graphql.core.payloads import as_payload, read_back
from thidua.graphql.relay import objects
from thidua.graphql.units.types import Block, BlockYear
from thidua.services.handlers.blocks import (
    AddBlockMember,
    AddBlockMemberForPeriod,
    ChooseLeadingUnits,
    ChooseOfficers,
    CreateBlock,
    DisbandBlock,
    EndBlockMemberPeriod,
    HoldReview,
    OpenBlockYear,
    RemoveBlockMember,
    RenameBlock,
    SignPledge,
)

METHODS_DOC = "; ".join(f"{code}: {words}" for code, words in OFFICER_METHODS.items())


@strawberry.input(description="Thành lập một khối hoặc cụm thi đua.")
class CreateBlockInput(CommandInput):
    key: str = strawberry.field(description="Mã khối, ví dụ khoi-noi-chinh.")
    name: str = strawberry.field(description="Tên khối, ví dụ «Khối thi đua Nội chính».")
    kind: str = strawberry.field(default="block", description="block (khối) hoặc cluster (cụm).")
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định thành lập khối, nếu có."
    )

    def to_command(self) -> CreateBlock:
        return CreateBlock(
            key=self.key,
            name=self.name,
            kind=self.kind,
            decision=decision_given(self.decision),
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
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định xác định thành viên khối năm đó, nếu có."
    )

    def to_command(self) -> OpenBlockYear:
        return OpenBlockYear(
            block=self.block,
            year=self.year,
            members=tuple(self.members),
            members_claimed=self.members_claimed,
            decision=decision_given(self.decision),
        )


@strawberry.input(description="Thêm một đơn vị thành viên của khối trong năm.")
class AddBlockMemberInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định bổ sung thành viên, nếu có."
    )

    def to_command(self) -> AddBlockMember:
        return AddBlockMember(
            block=self.block,
            year=self.year,
            unit=self.unit,
            decision=decision_given(self.decision),
        )


@strawberry.input(
    description="Thêm một đơn vị thành viên của khối cho một thời gian trong năm (ví dụ sau sáp nhập tỉnh: "
    "từ 01/7 đến 31/12); thời gian không được trùng với thời gian là thành viên khối khác cùng loại."
)
class AddBlockMemberForPeriodInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")
    starts_on: date = strawberry.field(description="Ngày bắt đầu là thành viên (trong năm).")
    ends_on: date = strawberry.field(description="Ngày cuối cùng là thành viên (trong năm).")
    earlier: str | None = strawberry.field(
        default=None,
        description="Khối đơn vị thuộc trước đó, «<tỉnh>/<khối>» nếu ở tỉnh trước sáp nhập (ghi nhận, "
        "không kiểm tra).",
    )
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định bổ sung thành viên, nếu có."
    )

    def to_command(self) -> AddBlockMemberForPeriod:
        return AddBlockMemberForPeriod(
            block=self.block,
            year=self.year,
            unit=self.unit,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            earlier=self.earlier,
            decision=decision_given(self.decision),
        )


@strawberry.input(
    description="Kết thúc sớm thời gian là thành viên khối của một đơn vị (thành viên theo thời gian, "
    "addBlockMemberForPeriod): ngày cuối cùng mới, kèm lý do; thành viên cả năm bớt bằng removeBlockMember."
)
class EndBlockMemberPeriodInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")
    ends_on: date = strawberry.field(
        description="Ngày cuối cùng là thành viên: trong thời gian đang có, trước ngày kết thúc của nó."
    )
    reason: str = strawberry.field(description="Lý do.")
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định điều chỉnh thành viên, nếu có."
    )

    def to_command(self) -> EndBlockMemberPeriod:
        return EndBlockMemberPeriod(
            block=self.block,
            year=self.year,
            unit=self.unit,
            ends_on=self.ends_on,
            reason=self.reason,
            decision=decision_given(self.decision),
        )


@strawberry.input(description="Bớt một đơn vị thành viên của khối trong năm, kèm lý do.")
class RemoveBlockMemberInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Mã đơn vị.")
    reason: str = strawberry.field(description="Lý do.")
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định điều chỉnh thành viên, nếu có."
    )

    def to_command(self) -> RemoveBlockMember:
        return RemoveBlockMember(
            block=self.block,
            year=self.year,
            unit=self.unit,
            reason=self.reason,
            decision=decision_given(self.decision),
        )


@strawberry.input(description="Chọn Khối trưởng, Khối phó phục vụ trong một năm.")
class ChooseOfficersInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm Khối trưởng, Khối phó phục vụ.")
    leader: str = strawberry.field(description="Đơn vị Khối trưởng.")
    deputy: str | None = strawberry.field(default=None, description="Đơn vị Khối phó.")
    method: str = strawberry.field(description=f"Cách chọn, đúng như biên bản ghi: {METHODS_DOC}.")
    ballot: str | None = strawberry.field(default=None, description="Mã cuộc bỏ phiếu, nếu bầu bằng phiếu.")
    chosen_in_year: int | None = strawberry.field(
        default=None,
        description="Năm các thành viên bầu (thường là năm trước, ở hội nghị tổng kết). Khi năm phục vụ "
        "chưa mở, năm đó được mở với các đơn vị thành viên của năm bầu (trừ đơn vị đã giải thể).",
    )
    decision: DecisionInput | None = strawberry.field(
        default=None, description="Quyết định giao Khối trưởng, Khối phó (bắt buộc khi method là assignment)."
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
            decision=decision_given(self.decision),
        )


@strawberry.input(description="Đơn vị ký giao ước thi đua của khối với các chỉ tiêu.")
class SignPledgeInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Đơn vị ký.")
    targets: list[TextEntry] = strawberry.field(
        default_factory=list, description="Các chỉ tiêu (tên → mức cam kết)."
    )
    movement: str | None = strawberry.field(default=None, description="Phong trào thi đua gắn với giao ước.")
    targets_unrecorded: bool = strawberry.field(
        default=False,
        description="Biên bản ghi việc ký giao ước nhưng không ghi chỉ tiêu (khi đó không nêu targets).",
    )

    def to_command(self) -> SignPledge:
        return SignPledge(
            block=self.block,
            year=self.year,
            unit=self.unit,
            targets=texts(self.targets, "targets"),
            movement=self.movement,
            targets_unrecorded=self.targets_unrecorded,
        )


@strawberry.input(description="Hội nghị sơ kết (giữa năm) hoặc tổng kết (cuối năm) của khối.")
class HoldReviewInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    kind: str = strawberry.field(description="mid_year (sơ kết) hoặc year_end (tổng kết).")
    chaired_by: str | None = strawberry.field(default=None, description="Đơn vị chủ trì.")
    note: str | None = strawberry.field(default=None, description="Ghi chú, biên bản.")
    held_on: date | None = strawberry.field(
        default=None, description="Ngày họp (mặc định: ngày hiệu lực của lệnh)."
    )
    completion_rate: str | None = strawberry.field(
        default=None,
        description="Tỷ lệ hoàn thành chỉ tiêu giao ước (%, 0–100) như biên bản viết, ví dụ 98,5 hoặc 98.5; "
        "nếu biên bản nêu.",
    )
    counts: list[CountEntry] = strawberry.field(
        default_factory=list,
        description="Các số liệu biên bản nêu (ví dụ đơn vị hoàn thành xuất sắc, chỉ tiêu đạt).",
    )

    def to_command(self) -> HoldReview:
        return HoldReview(
            block=self.block,
            year=self.year,
            kind=self.kind,
            chaired_by=self.chaired_by,
            note=self.note,
            held_on=self.held_on,
            completion_rate=self.completion_rate,
            counts=counts(self.counts, "counts"),
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


@strawberry.type(description="Kết quả thao tác ghi trên một khối, kèm khối sau khi ghi.")
class BlockPayload(MutationPayload):
    @strawberry.field(description="Khối sau thao tác (đọc lại tại «position»); null khi bị từ chối.")
    async def block(self, info: Info[GraphQLContext, Any]) -> Block | None:
        province = await read_back(info, self, "block")
        if province is None:
            return None
        return await objects.block(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type(description="Kết quả thao tác ghi trên một năm thi đua của khối, kèm năm đó sau khi ghi.")
class BlockYearPayload(MutationPayload):
    @strawberry.field(
        description="Năm thi đua của khối sau thao tác (đọc lại tại «position»); null khi bị từ chối."
    )
    async def block_year(self, info: Info[GraphQLContext, Any]) -> BlockYear | None:
        province = await read_back(info, self, "block")
        if province is None:
            return None
        return await objects.block_year(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type
class BlockMutations:
    @strawberry.mutation(description="Thành lập khối hoặc cụm thi đua.")
    async def create_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CreateBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockPayload:
        return as_payload(BlockPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Đổi tên khối thi đua.")
    async def rename_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RenameBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockPayload:
        return as_payload(BlockPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Giải thể khối thi đua.")
    async def disband_block(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DisbandBlockInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockPayload:
        return as_payload(BlockPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Mở năm thi đua của khối; mỗi đơn vị chỉ ở một khối mỗi loại mỗi năm.")
    async def open_block_year(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[OpenBlockYearInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Thêm đơn vị thành viên của khối trong năm.")
    async def add_block_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AddBlockMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(
        description="Thêm đơn vị thành viên của khối cho một thời gian trong năm (thành viên theo thời gian)."
    )
    async def add_block_member_for_period(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AddBlockMemberForPeriodInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(
        description="Kết thúc sớm thời gian là thành viên khối của một đơn vị thành viên theo thời gian "
        "(có lý do)."
    )
    async def end_block_member_period(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[EndBlockMemberPeriodInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Bớt đơn vị thành viên của khối trong năm (có lý do).")
    async def remove_block_member(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RemoveBlockMemberInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(
        description="Chọn Khối trưởng, Khối phó (cách chọn đúng như biên bản ghi), thường cho năm sau."
    )
    async def choose_officers(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChooseOfficersInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Ký giao ước thi đua của khối (cán bộ thi đua ký cho đơn vị mình).")
    async def sign_pledge(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[SignPledgeInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Ghi nhận hội nghị sơ kết hoặc tổng kết của khối.")
    async def hold_review(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[HoldReviewInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Suy tôn hoặc bầu đơn vị dẫn đầu khối (điều kiện của Cờ thi đua tỉnh).")
    async def choose_leading_units(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ChooseLeadingUnitsInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BlockYearPayload:
        return as_payload(BlockYearPayload, await mutate(info, input, idempotency_key))
