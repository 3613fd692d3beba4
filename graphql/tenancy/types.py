# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Types of the caller (viewer) and the province (tỉnh)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.audit.ledger import Ledger
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.permissions import authenticated, authorize
from thidua.graphql.core.vocabulary import Role
from thidua.services.ledger import ledger_head


@strawberry.type(description="Người đang gọi API (viewer): danh tính lấy từ mã xác thực đã kiểm tra.")
class Viewer:
    subject: str = strawberry.field(description="Mã người dùng (sub).")
    province: str | None = strawberry.field(description="Tỉnh (province) của người dùng.")
    roles: list[Role] = strawberry.field(description="Vai trò (roles), ví dụ unit_clerk, auditor.")
    unit: str | None = strawberry.field(description="Đơn vị (unit) mà người dùng đại diện, nếu có.")
    allowed_operations: list[str] = strawberry.field(
        description="Các trường gốc (truy vấn, thao tác ghi, theo dõi) mà vai trò được phép gọi."
    )


@strawberry.type(description="Tỉnh trước sáp nhập (predecessor): sổ cái đã khóa, vẫn đọc được để kiểm tra.")
class PredecessorProvince:
    code: str = strawberry.field(description="Mã tỉnh trước sáp nhập.")
    name: str = strawberry.field(description="Tên tỉnh trước sáp nhập.")
    merged_on: date = strawberry.field(description="Ngày sáp nhập có hiệu lực.")
    basis: str = strawberry.field(description="Văn bản quyết định sáp nhập.")
    head: str = strawberry.field(
        description="Đầu sổ cái khi khóa, dạng HASH@VỊ_TRÍ (kiểm bằng `thidua ledger verify`)."
    )
    merged_into: str = strawberry.field(
        description="Mã tỉnh nhận trực tiếp (tỉnh này, hoặc một tỉnh trước sáp nhập của nó)."
    )

    @strawberry.field(
        description="Sổ cái đã khóa của tỉnh trước sáp nhập, cho ban thi đua và kiểm toán viên của tỉnh "
        "kế thừa (như trường gốc `ledger`): đối chiếu với điểm kiểm tra lưu trước sáp nhập."
    )
    async def ledger(self, info: Info[GraphQLContext, Any]) -> Ledger:
        # The successor's roles that read its own ledger; an operator (no province) names this one.
        principal = authenticated(info)
        authorize(info, "ledger", province=None if principal.province is not None else self.code)
        head = await ledger_head(info.context.runtime.read_pool, self.code)
        return Ledger(
            province=head.province,
            head_position=head.position,
            head_hash=head.hash,
            checkpoint=head.checkpoint,
        )


@strawberry.type(description="Tỉnh kế thừa (successor) của một tỉnh đã sáp nhập.")
class SuccessorProvince:
    code: str = strawberry.field(description="Mã tỉnh kế thừa.")
    merged_on: date = strawberry.field(description="Ngày sáp nhập có hiệu lực.")


@strawberry.type(description="Tỉnh (province): một đơn vị thuê dùng chung hệ thống.")
class Province:
    code: str = strawberry.field(description="Mã tỉnh, ví dụ nghe-an.")
    name: str = strawberry.field(description="Tên tỉnh, ví dụ «Tỉnh Nghệ An».")
    created_at: datetime = strawberry.field(description="Thời điểm tạo trên hệ thống.")
    predecessors: list[PredecessorProvince] = strawberry.field(
        description="Các tỉnh trước sáp nhập, kể cả của chúng (gần nhất trước); rỗng nếu không có."
    )
    successor: SuccessorProvince | None = strawberry.field(
        description="Tỉnh kế thừa, nếu tỉnh này đã sáp nhập (sổ cái đã khóa)."
    )
