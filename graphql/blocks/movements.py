# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on movements (phong trào thi đua) and registrations (đăng ký thi đua, nêu gương)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import CountEntry, InputArg, counts
from thidua.services.handlers.blocks import EndMovement, LaunchMovement, RegisterExemplary, RegisterTitle


@strawberry.input(description="Phát động một phong trào thi đua (thường xuyên hoặc theo chuyên đề).")
class LaunchMovementInput(CommandInput):
    key: str = strawberry.field(description="Mã phong trào.")
    name: str = strawberry.field(description="Tên phong trào.")
    kind: str = strawberry.field(description="regular (thường xuyên) hoặc thematic (theo chuyên đề).")
    starts_on: date = strawberry.field(description="Ngày bắt đầu.")
    ends_on: date | None = strawberry.field(default=None, description="Ngày kết thúc (nếu có).")

    def to_command(self) -> LaunchMovement:
        return LaunchMovement(
            key=self.key,
            name=self.name,
            kind=self.kind,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


@strawberry.input(description="Kết thúc phong trào thi đua.")
class EndMovementInput(CommandInput):
    key: str = strawberry.field(description="Mã phong trào.")
    summary: str = strawberry.field(description="Tổng kết phong trào.")

    def to_command(self) -> EndMovement:
        return EndMovement(
            key=self.key,
            summary=self.summary,
        )


@strawberry.input(
    description="Đăng ký thi đua: đơn vị hoặc cá nhân đăng ký phấn đấu một danh hiệu trong năm."
)
class RegisterTitleInput(CommandInput):
    registrant_kind: str = strawberry.field(description="unit (tập thể) hoặc staff (cá nhân).")
    registrant: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    year: int = strawberry.field(description="Năm đăng ký.")
    award: str = strawberry.field(description="Mã danh hiệu, ví dụ tap_the_lao_dong_xuat_sac.")
    movement: str | None = strawberry.field(default=None, description="Phong trào gắn với đăng ký.")

    def to_command(self) -> RegisterTitle:
        return RegisterTitle(
            registrant_kind=self.registrant_kind,
            registrant=self.registrant,
            year=self.year,
            award=self.award,
            movement=self.movement,
        )


@strawberry.input(description="Đăng ký nêu gương: cá nhân, chi bộ, mô hình cam kết làm gương.")
class RegisterExemplaryInput(CommandInput):
    registrant_kind: str = strawberry.field(description="unit (tập thể) hoặc staff (cá nhân).")
    registrant: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    year: int = strawberry.field(description="Năm đăng ký.")
    theme: str = strawberry.field(description="Chủ đề nêu gương.")
    counts: list[CountEntry] = strawberry.field(
        description="Số lượng đăng ký, ví dụ individuals, party_cells, models."
    )

    def to_command(self) -> RegisterExemplary:
        return RegisterExemplary(
            registrant_kind=self.registrant_kind,
            registrant=self.registrant,
            year=self.year,
            theme=self.theme,
            counts=counts(self.counts, "counts"),
        )


@strawberry.type
class MovementMutations:
    @strawberry.mutation(description="Phát động phong trào thi đua.")
    async def launch_movement(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[LaunchMovementInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Kết thúc phong trào thi đua.")
    async def end_movement(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[EndMovementInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Đăng ký thi đua (đơn vị cho mình và cán bộ của mình).")
    async def register_title(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RegisterTitleInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Đăng ký nêu gương (đơn vị cho mình và cán bộ của mình).")
    async def register_exemplary(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RegisterExemplaryInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
