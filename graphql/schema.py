"""The GraphQL schema (lược đồ GraphQL), composed from the feature modules."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext


@strawberry.type(description="Người đang gọi API (viewer): danh tính lấy từ mã xác thực.")
class Viewer:
    subject: str = strawberry.field(description="Mã người dùng (sub).")
    province: str | None = strawberry.field(description="Tỉnh (province) của người dùng.")
    roles: list[str] = strawberry.field(description="Vai trò (roles).")
    unit: str | None = strawberry.field(description="Đơn vị (unit) của người dùng, nếu có.")


@strawberry.type(description="Truy vấn gốc.")
class Query:
    @strawberry.field(description="Người đang gọi (viewer); null khi chưa xác thực.")
    def viewer(self, info: Info[GraphQLContext, None]) -> Viewer | None:
        principal = info.context.principal
        if principal is None:
            return None
        return Viewer(
            subject=principal.subject,
            province=principal.province,
            roles=sorted(r.value for r in principal.roles),
            unit=principal.unit,
        )


schema = strawberry.Schema(query=Query)
