# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutation `registerUnit` (đăng ký đơn vị), through an interim adapter (core/interim.py)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.domain.provenance import Provenance
from thidua.domain.units import Unit
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, run_mutation
from thidua.graphql.core.interim import save
from thidua.services.province_app import ProvinceApplication


@strawberry.input(description="Đăng ký một cơ quan, đơn vị của tỉnh.")
class RegisterUnitInput(CommandInput):
    key: str = strawberry.field(description="Mã đơn vị, duy nhất trong tỉnh, ví dụ so-noi-vu.")
    name: str = strawberry.field(description="Tên đơn vị, ví dụ «Sở Nội vụ».")


@strawberry.type(description="Kết quả đăng ký đơn vị.")
class RegisterUnitPayload(MutationPayload):
    pass


@strawberry.type
class UnitMutations:
    @strawberry.mutation(description="Đăng ký một cơ quan, đơn vị (Ban Thi đua – Khen thưởng).")
    async def register_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: Annotated[RegisterUnitInput, strawberry.argument(description="Đầu vào của lệnh.")],
        idempotency_key: IdempotencyKey = None,
    ) -> RegisterUnitPayload:
        def command(app: ProvinceApplication, by: Provenance) -> int:
            return save(app, Unit.register(app.province, input.key, input.name, by))

        outcome = await run_mutation(
            info, "registerUnit", input, command, idempotency_key=idempotency_key, key=input.key
        )
        return RegisterUnitPayload.of(outcome)
