# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Query `awardHistory`: the look-up of awards (tra cứu khen thưởng).

Who received what, by which decision: searchable by name with or without diacritics, by
recipient, award, years and decision number. Awards are public acts (a decision is published),
so every role of the province reads the look-up, unit clerks included (see README).

With `includePredecessors`, a merged province's look-up continues into the provinces merged
into it (sáp nhập tỉnh), nearest first, each entry naming its origin province: the successor's
own records, then each predecessor's, one page running on from one province to the next.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.domain.catalogue import CATALOGUE
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.lineage import OriginProvince, lineage_of
from thidua.graphql.core.money import Dong, dong
from thidua.graphql.core.pagination import (
    MAX_BIGINT,
    Connection,
    Edge,
    PageInfo,
    decode_cursor,
    encode_cursor,
    invalid_cursor,
    page_size,
)
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.projections.awards.later_revocations import LaterRevocations, later_revocations
from thidua.projections.lookup.queries import (
    HistoryCriteria,
    HistoryCursor,
    HistoryEntry,
    check_criteria,
    count_award_history,
    search_award_history,
)

CURSOR_TAG = "awardHistory"  # a cursor of another list is refused, not misread
MAX_INT = 2**31 - 1
MAX_NAME = 2000


@strawberry.type(description="Một lượt khen thưởng: một người hoặc tập thể được khen trong một quyết định.")
class AwardHistoryEntry:
    province: str = strawberry.field(
        description="Tỉnh ghi quyết định (tỉnh của người gọi, hoặc tỉnh trước sáp nhập của nó)."
    )
    recipient_kind: str = strawberry.field(description="unit (tập thể) hoặc staff (cá nhân).")
    recipient: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    name: str = strawberry.field(description="Tên như quyết định ghi.")
    current_name: str | None = strawberry.field(
        description="Tên hiện nay, nếu đơn vị đã đổi tên sau quyết định (null: không đổi)."
    )
    award: str = strawberry.field(description="Mã danh hiệu/hình thức khen thưởng.")
    award_name: str | None = strawberry.field(description="Tên danh hiệu/hình thức khen thưởng.")
    year: int = strawberry.field(description="Năm thành tích.")
    decision: str = strawberry.field(description="Số quyết định khen thưởng.")
    decided_on: date | None = strawberry.field(description="Ngày quyết định.")
    signer: str | None = strawberry.field(description="Người ký quyết định.")
    authority: str | None = strawberry.field(description="Cấp quyết định.")
    historical: bool = strawberry.field(description="Quyết định có trước hệ thống, được nhập lại.")
    prize_multiple: Decimal | None = strawberry.field(
        description="Hệ số tiền thưởng so với mức lương cơ sở (null: không xác định)."
    )
    prize_amount: Dong | None = strawberry.field(
        description="Tiền thưởng (đồng) như quyết định ghi; null với quyết định ghi trước khi có số tiền."
    )
    revoked_by: str | None = strawberry.field(description="Số quyết định hủy bỏ, nếu đã bị hủy bỏ.")
    revoked_on: date | None = strawberry.field(description="Ngày hủy bỏ.")
    revocation_ground: str | None = strawberry.field(description="Căn cứ hủy bỏ.")
    revoked_in: str | None = strawberry.field(
        default=None,
        description="Tỉnh ghi việc hủy bỏ khi khác tỉnh của quyết định: tỉnh kế thừa hủy bỏ sau sáp nhập "
        "(revokePredecessorAward); null: cùng tỉnh.",
    )
    consecutive_years: int = strawberry.field(
        description="Số năm liên tục được tặng danh hiệu này tính đến năm của lượt khen "
        "(theo sổ khen thưởng, kể cả năm của đơn vị trước sáp nhập); 0 khi đã bị hủy bỏ."
    )

    @strawberry.field(
        description="Tỉnh gốc của lượt khen (mã, tên): tỉnh của người gọi, hoặc tỉnh trước sáp nhập."
    )
    def origin_province(self) -> OriginProvince:
        return OriginProvince(code=self.province)

    @classmethod
    def of(cls, e: HistoryEntry, province: str) -> AwardHistoryEntry:
        known = CATALOGUE.get(e.award)
        return cls(
            province=province,
            recipient_kind=e.recipient_kind,
            recipient=e.recipient,
            name=e.name,
            current_name=e.current_name,
            award=e.award,
            award_name=known.name_vi if known is not None else None,
            year=e.year,
            decision=e.decision,
            decided_on=e.decided_on,
            signer=e.signer,
            authority=e.authority,
            historical=e.historical,
            prize_multiple=e.prize_multiple,
            prize_amount=dong(e.amount),
            revoked_by=e.revoked_by,
            revoked_on=e.revoked_on,
            revocation_ground=e.revocation_ground,
            consecutive_years=e.consecutive_years,
        )


def _revoked_later(entry: AwardHistoryEntry, later: LaterRevocations) -> AwardHistoryEntry:
    found = later.get((entry.province, entry.decision, entry.recipient))
    if found is None or entry.revoked_by is not None:
        return entry
    return replace(
        entry,
        revoked_by=found.decision,
        revoked_on=found.on,
        revocation_ground=found.ground,
        revoked_in=found.province,
        consecutive_years=0,
    )


def history_cursor(after: str | None, provinces: int = 1) -> tuple[int, HistoryCursor | None]:
    """The province (index in the lineage read) and the position inside an `awardHistory`
    cursor; a cursor of another list, or one whose parts a query cannot use (a year, a name,
    positions out of range, a province beyond those read), is INVALID_CURSOR."""
    value = decode_cursor(after)
    if value is None:
        return 0, None
    index = 0
    if isinstance(value, list) and len(value) == 6 and value[0] == CURSOR_TAG:
        index = value.pop(1)
    if (
        isinstance(value, list)
        and len(value) == 5
        and value[0] == CURSOR_TAG
        and _whole(index, 0, provinces - 1)
    ):
        _, year, name, position, seq = value
        if (
            _whole(year, 0, MAX_INT)
            and isinstance(name, str)
            and len(name) <= MAX_NAME
            and _storable(name)
            and _whole(position, 0, MAX_BIGINT)
            and _whole(seq, 0, MAX_INT)
        ):
            return index, HistoryCursor(year, name, position, seq)
    raise invalid_cursor("after")


def _whole(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _storable(text: str) -> bool:
    """Text a text column can be compared with: UTF-8 without NUL or other control characters."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(char < " " or char == "\x7f" for char in text)


def _cursor(c: HistoryCursor, index: int) -> str:
    """A position in the province read `index`-th (0: the caller's, whose cursors keep their form)."""
    inside = [c.year, c.sort_name, c.position, c.seq]
    return encode_cursor([CURSOR_TAG, *inside] if index == 0 else [CURSOR_TAG, index, *inside])


@strawberry.type
class AwardHistoryQueries:
    @strawberry.field(
        description="Tra cứu khen thưởng: ai được khen gì, theo quyết định nào; tìm theo tên có hoặc "
        "không dấu (mỗi từ tìm là đầu một từ của tên), theo đối tượng, danh hiệu, năm, số quyết "
        "định. Năm mới nhất trước, rồi theo tên.",
        extensions=guard("awardHistory"),
    )
    async def award_history(
        self,
        info: Info[GraphQLContext, Any],
        *,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Tên người hoặc tập thể, có hoặc không dấu (tối đa 200 ký tự), ví dụ "
                "«truong chinh tri»."
            ),
        ] = None,
        recipient: Annotated[
            str | None, strawberry.argument(description="Mã đơn vị hoặc cán bộ được khen.")
        ] = None,
        recipient_kind: Annotated[
            str | None, strawberry.argument(description="unit (tập thể) hoặc staff (cá nhân).")
        ] = None,
        award: Annotated[str | None, strawberry.argument(description="Mã danh hiệu/hình thức.")] = None,
        from_year: Annotated[int | None, strawberry.argument(description="Từ năm (thành tích).")] = None,
        to_year: Annotated[int | None, strawberry.argument(description="Đến năm (thành tích).")] = None,
        decision: Annotated[str | None, strawberry.argument(description="Số quyết định.")] = None,
        include_predecessors: Annotated[
            bool,
            strawberry.argument(
                description="Tra cả các tỉnh trước sáp nhập của tỉnh (gần nhất trước), sau các quyết "
                "định của chính tỉnh; mỗi lượt ghi tỉnh của nó."
            ),
        ] = False,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[AwardHistoryEntry]:
        caller = await reader(info, "awardHistory", position=at_least_position)
        limit = page_size(first)
        provinces = (await lineage_of(info, caller.province, include_predecessors=include_predecessors)).codes
        index, start = history_cursor(after, len(provinces))
        criteria = HistoryCriteria(
            search=search,
            recipient_kind=recipient_kind,
            recipient=recipient,
            award=award,
            from_year=from_year,
            to_year=to_year,
            decision=decision,
        )
        check_criteria(criteria)
        pool = info.context.runtime.read_pool

        async def counter() -> int:
            return sum([await count_award_history(pool, p, criteria) for p in provinces])

        if limit == 0:
            return Connection(
                edges=[],
                page_info=PageInfo(has_next_page=False, end_cursor=None, start_cursor=None),
                counter=counter,
            )
        edges: list[Edge[AwardHistoryEntry]] = []
        has_next = False
        # A predecessor's award the successor revoked after the merger is shown revoked.
        later = await later_revocations(pool, provinces) if len(provinces) > 1 else {}
        for at in range(index, len(provinces)):
            page = await search_award_history(
                pool,
                provinces[at],
                criteria,
                after=start if at == index else None,
                limit=limit - len(edges),
            )
            edges += [
                Edge(
                    cursor=_cursor(e.cursor, at),
                    node=_revoked_later(AwardHistoryEntry.of(e, provinces[at]), later),
                )
                for e in page.entries
            ]
            if len(edges) >= limit:
                # A later province may hold nothing that matches: its page then comes back empty.
                has_next = page.has_next or at < len(provinces) - 1
                break
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next,
                end_cursor=edges[-1].cursor if edges else None,
                start_cursor=edges[0].cursor if edges else None,
            ),
            counter=counter,
        )
