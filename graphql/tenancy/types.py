"""Types of the caller (viewer) and the province (tỉnh)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from thidua.graphql.core.vocabulary import Role


@strawberry.type(description="Người đang gọi API (viewer): danh tính lấy từ mã xác thực đã kiểm tra.")
class Viewer:
    subject: str = strawberry.field(description="Mã người dùng (sub).")
    province: str | None = strawberry.field(description="Tỉnh (province) của người dùng.")
    roles: list[Role] = strawberry.field(description="Vai trò (roles), ví dụ unit_clerk, auditor.")
    unit: str | None = strawberry.field(description="Đơn vị (unit) mà người dùng đại diện, nếu có.")
    allowed_operations: list[str] = strawberry.field(
        description="Các trường gốc (truy vấn, thao tác ghi, theo dõi) mà vai trò được phép gọi."
    )


@strawberry.type(description="Tỉnh (province): một đơn vị thuê dùng chung hệ thống.")
class Province:
    code: str = strawberry.field(description="Mã tỉnh, ví dụ nghe-an.")
    name: str = strawberry.field(description="Tên tỉnh, ví dụ «Tỉnh Nghệ An».")
    created_at: datetime = strawberry.field(description="Thời điểm tạo trên hệ thống.")
