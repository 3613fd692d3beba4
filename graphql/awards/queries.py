# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Queries `awardProposals` and `awardDecisions`: the awards register (sổ khen thưởng).

`awardDecisions(includePredecessors: true)` reads on into the provinces merged into the caller's
(nearest first), each decision naming its province; a cursor past the caller's own decisions
carries the province read (`[index, number]`), the caller's own keep their form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.awards.types import AwardDecision, AwardProposal, AwardYearTotal
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.lineage import lineage_cursor, lineage_cursor_text, lineage_of
from thidua.graphql.core.pagination import (
    Connection,
    Edge,
    PageInfo,
    connection,
    key_cursor,
    page_size,
)
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.graphql.core.vocabulary import ProposalStatus
from thidua.projections.awards.later_revocations import later_revocations, with_later_revocations
from thidua.projections.awards.model import Decision
from thidua.projections.awards.queries import (
    count_decisions,
    count_proposals,
    get_year_total,
    list_decisions,
    list_proposals,
)

YearArg = Annotated[int | None, strawberry.argument(description="Chỉ năm thành tích này.")]


@strawberry.type
class AwardQueries:
    @strawberry.field(
        description="Các đề nghị khen thưởng, theo số tờ trình; với asOf/effectiveOn: trạng thái "
        "tại thời điểm đó.",
        extensions=guard("awardProposals"),
    )
    async def award_proposals(
        self,
        info: Info[GraphQLContext, Any],
        *,
        year: YearArg = None,
        status: Annotated[
            ProposalStatus | None, strawberry.argument(description="Chỉ trạng thái này.")
        ] = None,
        recipient: Annotated[str | None, strawberry.argument(description="Chỉ đối tượng này (mã).")] = None,
        as_of: Annotated[
            datetime | None, strawberry.argument(description="Như hệ thống biết tại thời điểm này.")
        ] = None,
        effective_on: Annotated[
            date | None, strawberry.argument(description="Chỉ các việc có hiệu lực tới ngày này.")
        ] = None,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[AwardProposal]:
        caller = await reader(info, "awardProposals", position=at_least_position)
        limit = page_size(first)
        rows = await list_proposals(
            info.context.runtime.read_pool,
            caller.province,
            year=year,
            status=status.value if status is not None else None,
            recipient=recipient,
            after=key_cursor(after),
            limit=limit + 1,
            as_of=as_of,
            effective_on=effective_on,
        )
        return connection(
            rows,
            limit,
            key=lambda p: p.key,
            node=lambda p: AwardProposal.of(caller.province, p),
            counter=lambda: count_proposals(
                info.context.runtime.read_pool,
                caller.province,
                year=year,
                status=status.value if status is not None else None,
                recipient=recipient,
                as_of=as_of,
                effective_on=effective_on,
            ),
        )

    @strawberry.field(
        description="Các quyết định khen thưởng, theo số quyết định (kể cả quyết định đã bị hủy bỏ).",
        extensions=guard("awardDecisions"),
    )
    async def award_decisions(
        self,
        info: Info[GraphQLContext, Any],
        *,
        year: YearArg = None,
        include_predecessors: Annotated[
            bool,
            strawberry.argument(
                description="Đọc cả quyết định của các tỉnh trước sáp nhập (sau quyết định của chính "
                "tỉnh); mỗi quyết định ghi tỉnh của nó."
            ),
        ] = False,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[AwardDecision]:
        caller = await reader(info, "awardDecisions", position=at_least_position)
        limit = page_size(first)
        if not include_predecessors:
            rows = await list_decisions(
                info.context.runtime.read_pool,
                caller.province,
                year=year,
                after=key_cursor(after),
                limit=limit + 1,
            )
            return connection(
                rows,
                limit,
                key=lambda d: d.number,
                node=lambda d: AwardDecision.of(caller.province, d),
                counter=lambda: count_decisions(info.context.runtime.read_pool, caller.province, year=year),
            )
        runtime = info.context.runtime
        provinces = (await lineage_of(info, caller.province, include_predecessors=True)).codes
        index, start = lineage_cursor(after, len(provinces), key_cursor)
        found: list[tuple[int, Decision]] = []
        has_next = False
        # A predecessor's award a successor revoked after the merger shows revoked (as in awardHistory).
        later = await later_revocations(runtime.read_pool, provinces) if len(provinces) > 1 else {}
        for at in range(index, len(provinces)):
            wanted = limit - len(found)
            rows = await list_decisions(
                runtime.read_pool,
                provinces[at],
                year=year,
                after=start if at == index else None,
                limit=wanted + 1,
            )
            found += [(at, d) for d in rows[:wanted]]
            if len(found) >= limit:
                has_next = len(rows) > wanted or at < len(provinces) - 1
                break
        edges = [
            Edge(
                cursor=lineage_cursor_text(at, d.number),
                node=AwardDecision.of(provinces[at], with_later_revocations(provinces[at], d, later)),
            )
            for at, d in found
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next,
                end_cursor=edges[-1].cursor if edges else None,
                start_cursor=edges[0].cursor if edges else None,
            ),
            counter=lambda: _count_across(runtime.read_pool, provinces, year),
        )

    @strawberry.field(
        description="Tổng tiền thưởng (đồng) của các quyết định thuộc một năm thành tích, trừ phần thu hồi.",
        extensions=guard("awardTotals"),
    )
    async def award_totals(
        self,
        info: Info[GraphQLContext, Any],
        year: Annotated[int, strawberry.argument(description="Năm thành tích.")],
        at_least_position: AtLeast = None,
    ) -> AwardYearTotal:
        caller = await reader(info, "awardTotals", position=at_least_position)
        total = await get_year_total(info.context.runtime.read_pool, caller.province, year)
        return AwardYearTotal.of(total)


async def _count_across(pool: Any, provinces: list[str], year: int | None) -> int:
    return sum([await count_decisions(pool, province, year=year) for province in provinces])
