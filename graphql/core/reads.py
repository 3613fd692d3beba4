"""What every query resolver does first: authorize, then (optionally) wait for a position."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.consistency import at_least
from thidua.graphql.core.permissions import authorize_read
from thidua.services.access import Caller

AtLeast = Annotated[
    int | None,
    strawberry.argument(
        description="Đợi (có giới hạn) tới khi dữ liệu đọc gồm vị trí này (đọc được điều vừa ghi)."
    ),
]
First = Annotated[int | None, strawberry.argument(description="Số phần tử mỗi trang (tối đa 200).")]
After = Annotated[str | None, strawberry.argument(description="Con trỏ: lấy các phần tử sau nó.")]


async def reader(
    info: Info[GraphQLContext, Any],
    operation: str,
    *,
    province: str | None = None,
    unit: str | None = None,
    position: int | None = None,
) -> Caller:
    """The authorized caller of a read; returns once the read models include `position`."""
    caller = await authorize_read(info, operation, province=province, unit=unit)
    await at_least(info.context.runtime, caller.province, position)
    return caller
