# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Queries `viewer` and `province`."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.permissions import MATRIX, ProvinceArg, authorize_read, guard
from thidua.graphql.core.vocabulary import Role, of
from thidua.graphql.tenancy.types import Province, Viewer


@strawberry.type
class TenancyQueries:
    @strawberry.field(description="Người đang gọi (viewer); null khi chưa xác thực.")
    def viewer(self, info: Info[GraphQLContext, Any]) -> Viewer | None:
        principal = info.context.principal
        if principal is None:
            return None
        allowed = sorted(op for op, access in MATRIX.items() if principal.roles & access.roles)
        return Viewer(
            subject=principal.subject,
            province=principal.province,
            roles=[of(Role, r) for r in sorted(r.value for r in principal.roles)],
            unit=principal.unit,
            allowed_operations=allowed,
        )

    @strawberry.field(
        description="Tỉnh (province) của người gọi; người vận hành nền tảng nêu mã tỉnh qua `province`.",
        extensions=guard("province"),
    )
    async def province(
        self,
        info: Info[GraphQLContext, Any],
        province: ProvinceArg = None,
    ) -> Province:
        caller = await authorize_read(info, "province", province=province)
        runtime = info.context.runtime
        found = await runtime.run_sync(lambda: runtime.registry.get(caller.province))
        return Province(code=found.code, name=found.name, created_at=found.created_at)
