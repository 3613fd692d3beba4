# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Queries `ballots` and `ballot` (bỏ phiếu): what was asked, turnout and tally; never a sealed paper."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.ballots.types import Ballot
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.pagination import Connection, connection, key_cursor, page_size
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.projections.directory.queries import count_ballots, get_ballot, list_ballots


@strawberry.type
class BallotQueries:
    @strawberry.field(description="Các cuộc bỏ phiếu của tỉnh, theo mã.", extensions=guard("ballots"))
    async def ballots(
        self,
        info: Info[GraphQLContext, Any],
        *,
        status: Annotated[
            str | None, strawberry.argument(description="Chỉ trạng thái này: open, closed, tallied…")
        ] = None,
        subject: Annotated[
            str | None,
            strawberry.argument(
                description="Chỉ đối tượng này, hoặc bắt đầu bằng nó (ví dụ khoi-dang/2025)."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[Ballot]:
        caller = await reader(info, "ballots", position=at_least_position)
        limit = page_size(first)
        rows = await list_ballots(
            info.context.runtime.read_pool,
            caller.province,
            status=status,
            subject=subject,
            after=key_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows,
            limit,
            key=lambda r: r.key,
            node=lambda r: Ballot.of(caller.province, r),
            counter=lambda: count_ballots(
                info.context.runtime.read_pool, caller.province, status=status, subject=subject
            ),
        )

    @strawberry.field(
        description="Một cuộc bỏ phiếu theo mã (null khi không có).", extensions=guard("ballot")
    )
    async def ballot(
        self,
        info: Info[GraphQLContext, Any],
        *,
        key: Annotated[str, strawberry.argument(description="Mã cuộc bỏ phiếu.")],
        at_least_position: AtLeast = None,
    ) -> Ballot | None:
        caller = await reader(info, "ballot", position=at_least_position)
        row = await get_ballot(info.context.runtime.read_pool, caller.province, key)
        return Ballot.of(caller.province, row) if row else None
