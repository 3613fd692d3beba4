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
from thidua.graphql.tenancy.types import PredecessorProvince, Province, SuccessorProvince, Viewer
from thidua.services.mergers import lineage


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
        before, after = await runtime.run_sync(lambda: lineage(runtime.registry, caller.province))
        return Province(
            code=found.code,
            name=found.name,
            created_at=found.created_at,
            predecessors=[
                PredecessorProvince(
                    code=row.predecessor,
                    name=row.predecessor_name,
                    merged_on=row.effective_on,
                    basis=row.basis,
                    head=row.head,
                    merged_into=row.successor,
                )
                for row in before
            ],
            successor=None
            if after is None
            else SuccessorProvince(code=after.successor, merged_on=after.effective_on),
        )
