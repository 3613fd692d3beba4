"""Read-your-writes (đọc được điều vừa ghi): wait, bounded, until a read model reaches a position.

A mutation answers with the position of its last event; a query given `atLeastPosition`
waits for the projections to get there and answers `NOT_YET` if they do not in time, never
with stale data presented as current.
"""

from __future__ import annotations

from typing import Any

import structlog

from thidua.graphql.core.errors import NotYetVisible
from thidua.projections.errors import NotYetProjected
from thidua.services.runtime import Runtime

log = structlog.get_logger()

WAIT_S = 5.0


async def at_least(runtime: Runtime, province: str, position: int | None, *, wait_s: float = WAIT_S) -> None:
    """Return once `province`'s read models include `position`; else raise NOT_YET."""
    if position is None or position <= 0:
        return
    projections: Any = runtime.services.get("projections")
    if projections is None:
        raise NotYetVisible(
            "Dữ liệu tổng hợp chưa được cập nhật trên máy chủ này (bộ chiếu không chạy).",
            position=position,
        )
    try:
        await projections.wait_for(province, position, wait_s)
    except (NotYetProjected, TimeoutError) as exc:
        log.info("read_your_writes_timeout", province=province, position=position, wait_s=wait_s)
        raise NotYetVisible(
            f"Dữ liệu chưa cập nhật tới vị trí {position}; vui lòng thử lại sau giây lát.",
            position=position,
            reached=getattr(exc, "details", {}).get("reached"),
        ) from None
