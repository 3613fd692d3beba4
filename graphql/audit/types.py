"""Types of the audit trail (nhật ký kiểm tra): one entry per recorded event."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from thidua.graphql.core.lineage import OriginProvince
from thidua.projections.audit.queries import AuditEntry as AuditRow


@strawberry.type(description="Một sự kiện trong nhật ký kiểm tra (audit trail) của tỉnh.")
class AuditEntry:
    origin_province: OriginProvince = strawberry.field(
        description="Tỉnh ghi sự kiện: tỉnh của người gọi, hoặc tỉnh trước sáp nhập (includePredecessors)."
    )
    position: int = strawberry.field(description="Vị trí trong lịch sử của tỉnh gốc (tăng dần).")
    recorded_at: datetime = strawberry.field(description="Thời điểm ghi nhận vào sổ cái.")
    effective_on: date | None = strawberry.field(description="Ngày có hiệu lực (ví dụ ngày họp).")
    aggregate_type: str = strawberry.field(description="Loại đối tượng, ví dụ Ballot, AwardProposal.")
    aggregate_id: str = strawberry.field(description="Mã đối tượng (UUID).")
    aggregate_version: int = strawberry.field(description="Phiên bản của đối tượng sau sự kiện.")
    event_type: str = strawberry.field(description="Loại sự kiện, ví dụ Ballot.Tallied.")
    actor_user: str | None = strawberry.field(description="Người thực hiện.")
    actor_role: str | None = strawberry.field(description="Vai trò của người thực hiện.")
    actor_unit: str | None = strawberry.field(description="Đơn vị mà người thực hiện đại diện.")
    correlation_id: str | None = strawberry.field(description="Mã liên kết các sự kiện của một việc.")
    summary: str = strawberry.field(description="Tóm tắt tiếng Việt cho người đọc.")
    payload: JSON = strawberry.field(
        description="Nội dung sự kiện (không bao giờ chứa lá phiếu kín đã niêm phong)."
    )

    @classmethod
    def of(cls, row: AuditRow, origin: OriginProvince) -> AuditEntry:
        return cls(
            origin_province=origin,
            position=row.position,
            recorded_at=row.recorded_at,
            effective_on=row.effective_on,
            aggregate_type=row.aggregate_type,
            aggregate_id=str(row.aggregate_id),
            aggregate_version=row.aggregate_version,
            event_type=row.event_type,
            actor_user=row.actor_user,
            actor_role=row.actor_role,
            actor_unit=row.actor_unit,
            correlation_id=row.correlation_id,
            summary=row.summary_vi,
            payload=cast(JSON, row.payload),
        )


@strawberry.input(description="Bộ lọc nhật ký kiểm tra; các điều kiện kết hợp bằng AND.")
class AuditFilter:
    aggregate_id: strawberry.ID | None = strawberry.field(
        default=None, description="Chỉ các sự kiện của một đối tượng (UUID)."
    )
    correlation_id: str | None = strawberry.field(
        default=None, description="Chỉ các sự kiện của một việc (mã liên kết)."
    )
    subject: str | None = strawberry.field(
        default=None,
        description="Chỉ các sự kiện liên quan tới một chủ thể, ví dụ `unit:so-noi-vu` "
        "hoặc `block-year:khoi-dang/2025`.",
    )
    event_type: str | None = strawberry.field(default=None, description="Chỉ một loại sự kiện.")
    recorded_before: datetime | None = strawberry.field(
        default=None, description="Chỉ các sự kiện ghi nhận trước thời điểm này (xem lại quá khứ)."
    )
