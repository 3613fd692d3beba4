# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Query `ratingSheets`: a unit's monthly ratings of a year (personnel data: own unit for clerks)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.pagination import Connection, int_cursor, invalid_cursor, slice_connection
from thidua.graphql.core.permissions import authenticated, guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.graphql.ratings.types import RatingSheet
from thidua.projections.ratings.queries import list_monthly_ratings


@strawberry.type
class RatingQueries:
    @strawberry.field(
        description="Phiếu xếp loại tháng của một đơn vị trong năm, theo tháng "
        "(cán bộ thi đua: đơn vị mình).",
        extensions=guard("ratingSheets"),
    )
    async def rating_sheets(
        self,
        info: Info[GraphQLContext, Any],
        *,
        year: Annotated[int, strawberry.argument(description="Năm.")],
        unit: Annotated[
            str | None, strawberry.argument(description="Mã đơn vị (mặc định: đơn vị trong mã xác thực).")
        ] = None,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[RatingSheet]:
        unit = unit or authenticated(info).unit
        if unit is None:
            raise InvalidArgument("Cần nêu mã đơn vị («unit»).", field="unit")
        caller = await reader(info, "ratingSheets", unit=unit, position=at_least_position)
        sheets = await list_monthly_ratings(info.context.runtime.read_pool, caller.province, unit, year)
        return slice_connection(
            sheets, first, after, key=_period_order, node=RatingSheet.of, cursor=_period_cursor
        )


QUARTER_ORDER = 100  # quarters sort after the months as 101-104: one integer order for cursors


def _period_order(m: Any) -> int:
    return int(m.month) if m.month is not None else QUARTER_ORDER + int(m.quarter or 0)


def _period_cursor(cursor: str | None) -> int | None:
    """A month (1-12) or a quarter (101-104); anything else is INVALID_CURSOR."""
    start = int_cursor(cursor, low=1, high=QUARTER_ORDER + 4)
    if start is not None and 12 < start <= QUARTER_ORDER:
        raise invalid_cursor("after")
    return start
