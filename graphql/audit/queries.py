# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""The `auditTrail` query and subscription: every event of the province, for auditors.

`auditTrail(includePredecessors: true)` reads on into the provinces merged into the caller's
(nearest first, `graphql/core/lineage.py`): the caller's own entries, then each predecessor's,
each naming its `originProvince`. A cursor past the caller's own entries carries the province
read (`[index, position]`); the caller's own keep their form (a position)."""

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
from thidua.graphql.core.lineage import (
    Lineage,
    OriginProvince,
    lineage_cursor,
    lineage_cursor_text,
    lineage_of,
    own_origin,
)
from thidua.graphql.core.live import live
from thidua.graphql.core.pagination import (
    Connection,
    Edge,
    PageInfo,
    connection,
    int_cursor,
    page_size,
)
from thidua.graphql.core.permissions import authorize, guard
from thidua.projections.audit.queries import AuditEntry as AuditRow
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
IncludePredecessors = Annotated[
    bool,
    strawberry.argument(
        description="Đọc cả nhật ký của các tỉnh trước sáp nhập (gần nhất trước), sau nhật ký của chính "
        "tỉnh; mỗi mục ghi tỉnh gốc của nó (originProvince)."
    ),
]


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
        *,
        filter: Annotated[AuditFilter | None, strawberry.argument(description="Bộ lọc (tùy chọn).")] = None,
        first: First = None,
        after: After = None,
        include_predecessors: IncludePredecessors = False,
        at_least_position: AtLeast = None,
    ) -> Connection[AuditEntry]:
        caller = authorize(info, "auditTrail")
        runtime = info.context.runtime
        await at_least(runtime, caller.province, at_least_position)
        limit = page_size(first)
        f = filter or AuditFilter()
        provinces = await lineage_of(info, caller.province, include_predecessors=include_predecessors)
        if include_predecessors:
            return await _across(runtime.read_pool, provinces, f, after=after, limit=limit)
        origin = provinces.origin(caller.province)
        start = int_cursor(after)
        page = await list_audit_trail(
            runtime.read_pool, caller.province, after=start or 0, limit=limit, **_criteria(f)
        )
        return connection(
            page.entries,
            limit,
            key=lambda e: e.position,
            node=lambda e: AuditEntry.of(e, origin),
            has_next=page.next_after is not None,
            counter=lambda: count_audit_trail(runtime.read_pool, caller.province, **_criteria(f)),
        )


def _criteria(f: AuditFilter) -> dict[str, Any]:
    return {
        "aggregate_id": _uuid(f.aggregate_id),
        "correlation_id": f.correlation_id,
        "subject": f.subject,
        "event_type": f.event_type,
        "recorded_before": f.recorded_before,
    }


async def _across(
    pool: Any, provinces: Lineage, f: AuditFilter, *, after: str | None, limit: int
) -> Connection[AuditEntry]:
    """One page running on from the caller's own entries into each predecessor's."""
    codes = provinces.codes
    index, start = lineage_cursor(after, len(codes), int_cursor)
    found: list[tuple[int, AuditRow]] = []
    has_next = False
    for at in range(index, len(codes)):
        wanted = limit - len(found)
        if wanted <= 0:  # a later province may hold nothing that matches: its page comes back empty
            has_next = True
            break
        page = await list_audit_trail(
            pool, codes[at], after=(start or 0) if at == index else 0, limit=wanted, **_criteria(f)
        )
        found += [(at, e) for e in page.entries]
        if page.next_after is not None:
            has_next = True
            break
    edges = [
        Edge(
            cursor=lineage_cursor_text(at, e.position),
            node=AuditEntry.of(e, provinces.origin(codes[at])),
        )
        for at, e in found
    ]

    async def count() -> int:
        return sum([await count_audit_trail(pool, code, **_criteria(f)) for code in codes])

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            end_cursor=edges[-1].cursor if edges else None,
            start_cursor=edges[0].cursor if edges else None,
        ),
        counter=count,
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
        origin: OriginProvince | None = None
        async for tick in live(info, "auditTrail"):
            caller = tick.caller
            if origin is None:
                origin = own_origin(caller.province)
            if position is None:
                position = (await ledger_head(pool, caller.province)).position
                log.info("audit_feed_opened", province=caller.province, after=position)
            while True:  # every entry projected since the last look, a page at a time
                page = await list_audit_trail(pool, caller.province, after=position, limit=200)
                for entry in page.entries:
                    position = entry.position
                    yield AuditEntry.of(entry, origin)
                if page.next_after is None:
                    break
