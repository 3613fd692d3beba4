# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""The `auditTrail` query and subscription: every event of the province, for auditors."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any
from uuid import UUID

import strawberry
import structlog
from strawberry.types import Info

from thidua.graphql.audit.types import AuditEntry, AuditFilter
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.consistency import at_least
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.live import live
from thidua.graphql.core.pagination import Connection, connection, int_cursor, page_size
from thidua.graphql.core.permissions import authorize, guard
from thidua.projections.audit.queries import count_audit_trail, list_audit_trail
from thidua.services.ledger import ledger_head

log = structlog.get_logger()

AtLeast = Annotated[
    int | None,
    strawberry.argument(
        description="Đợi (có giới hạn) tới khi dữ liệu đọc gồm vị trí này (đọc được điều vừa ghi)."
    ),
]
First = Annotated[int | None, strawberry.argument(description="Số phần tử mỗi trang (tối đa 200).")]
After = Annotated[str | None, strawberry.argument(description="Con trỏ: lấy các phần tử sau nó.")]


def _uuid(value: str | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidArgument("Mã đối tượng phải là UUID.", field="filter.aggregateId") from None


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="Nhật ký kiểm tra (audit trail): mọi sự kiện của tỉnh theo thứ tự ghi nhận.",
        extensions=guard("auditTrail"),
    )
    async def audit_trail(
        self,
        info: Info[GraphQLContext, Any],
        filter: Annotated[AuditFilter | None, strawberry.argument(description="Bộ lọc (tùy chọn).")] = None,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[AuditEntry]:
        caller = authorize(info, "auditTrail")
        runtime = info.context.runtime
        await at_least(runtime, caller.province, at_least_position)
        limit = page_size(first)
        start = int_cursor(after)
        f = filter or AuditFilter()
        page = await list_audit_trail(
            runtime.read_pool,
            caller.province,
            after=start or 0,
            limit=limit,
            aggregate_id=_uuid(f.aggregate_id),
            correlation_id=f.correlation_id,
            subject=f.subject,
            event_type=f.event_type,
            recorded_before=f.recorded_before,
        )
        return connection(
            page.entries,
            limit,
            key=lambda e: e.position,
            node=AuditEntry.of,
            has_next=page.next_after is not None,
            counter=lambda: count_audit_trail(
                runtime.read_pool,
                caller.province,
                aggregate_id=_uuid(f.aggregate_id),
                correlation_id=f.correlation_id,
                subject=f.subject,
                event_type=f.event_type,
                recorded_before=f.recorded_before,
            ),
        )


@strawberry.type
class AuditSubscriptions:
    @strawberry.subscription(
        description="Các sự kiện mới của tỉnh khi chúng được ghi (màn hình theo dõi của kiểm toán viên).",
        extensions=guard("auditTrail"),
    )
    async def audit_trail(
        self,
        info: Info[GraphQLContext, Any],
        after: Annotated[
            int | None,
            strawberry.argument(description="Bắt đầu sau vị trí này; mặc định: chỉ sự kiện mới."),
        ] = None,
    ) -> AsyncGenerator[AuditEntry, None]:
        pool = info.context.runtime.read_pool
        position = after
        async for tick in live(info, "auditTrail"):
            caller = tick.caller
            if position is None:
                position = (await ledger_head(pool, caller.province)).position
                log.info("audit_feed_opened", province=caller.province, after=position)
            while True:  # every entry projected since the last look, a page at a time
                page = await list_audit_trail(pool, caller.province, after=position, limit=200)
                for entry in page.entries:
                    position = entry.position
                    yield AuditEntry.of(entry)
                if page.next_after is None:
                    break
