# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Directory types (danh mục): units (cơ quan, đơn vị), blocks (khối thi đua) and block-years.

They link to each other through this request's DataLoaders (units/loaders.py), so nesting
(units → their blocks → the blocks' names) costs one query per level, not one per row.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.blocks.records import (
    BlockMeeting,
    BlockMemberChange,
    BlockReview,
    DecisionReference,
    OfficersChoice,
)
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.lineage import own_origin
from thidua.graphql.core.nodes import Node
from thidua.graphql.core.vocabulary import BlockKind, of
from thidua.graphql.scoring.types import Standings
from thidua.graphql.units import loaders
from thidua.projections.directory.queries import BlockRow, BlockYearRow, UnitRow
from thidua.projections.standings.queries import get_standings


def _review_order(item: tuple[str, Any]) -> str:
    return str(item[1].get("on") or "")


YearArg = Annotated[int | None, strawberry.argument(description="Chỉ năm này (mặc định: mọi năm).")]


@strawberry.type(description="Cơ quan, đơn vị (unit) của tỉnh.")
class Unit(Node):
    province: strawberry.Private[str]
    key: str = strawberry.field(description="Mã đơn vị, ví dụ so-noi-vu.")
    name: str | None = strawberry.field(description="Tên đơn vị.")
    dissolved_on: str | None = strawberry.field(description="Ngày giải thể hoặc sáp nhập (ISO), nếu có.")
    successor: str | None = strawberry.field(description="Đơn vị tiếp nhận khi sáp nhập.")

    def node_ref(self) -> tuple[str, str, str]:
        return "Unit", self.province, self.key

    @classmethod
    def of(cls, province: str, row: UnitRow) -> Unit:
        return cls(
            province=province,
            key=row.key,
            name=row.name,
            dissolved_on=row.dissolved_on,
            successor=row.successor,
        )

    @strawberry.field(description="Các khối thi đua (theo năm) mà đơn vị là thành viên.")
    async def blocks(self, info: Info[GraphQLContext, Any], year: YearArg = None) -> list[BlockYear]:
        rows = await loaders.unit_block_years(info, self.province).load(self.key)
        return [BlockYear.of(self.province, r) for r in rows if year is None or r.year == year]


@strawberry.type(description="Khối (cụm) thi đua của tỉnh (EmulationBlock).")
class Block(Node):
    province: strawberry.Private[str]
    key: str = strawberry.field(description="Mã khối, ví dụ khoi-noi-chinh.")
    name: str = strawberry.field(description="Tên khối, ví dụ «Khối thi đua Nội chính».")
    kind: BlockKind = strawberry.field(description="block (khối) hoặc cluster (cụm).")
    disbanded_on: str | None = strawberry.field(description="Ngày giải thể (ISO), nếu có.")
    decision: DecisionReference | None = strawberry.field(
        description="Quyết định thành lập hoặc (gần nhất) kiện toàn, thành lập lại khối, nếu có."
    )

    def node_ref(self) -> tuple[str, str, str]:
        return "Block", self.province, self.key

    @classmethod
    def of(cls, province: str, row: BlockRow) -> Block:
        return cls(
            province=province,
            key=row.key,
            name=row.name,
            kind=of(BlockKind, row.kind),
            disbanded_on=row.disbanded_on,
            decision=DecisionReference.of(row.decision),
        )

    @strawberry.field(description="Các năm thi đua của khối, năm mới nhất trước.")
    async def years(self, info: Info[GraphQLContext, Any], year: YearArg = None) -> list[BlockYear]:
        rows = await loaders.block_years(info, self.province).load(self.key)
        return [BlockYear.of(self.province, r) for r in rows if year is None or r.year == year]


@strawberry.type(description="Một năm thi đua của khối: thành viên, Khối trưởng, Khối phó, đơn vị dẫn đầu.")
class BlockYear:
    province: strawberry.Private[str]
    block_key: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    member_keys: list[str] = strawberry.field(description="Mã các đơn vị thành viên.")
    members_claimed: int | None = strawberry.field(description="Số thành viên văn bản nêu.")
    count_mismatch: bool = strawberry.field(description="Số văn bản nêu khác số đơn vị được liệt kê.")
    leader: str | None = strawberry.field(description="Đơn vị Khối trưởng.")
    deputy: str | None = strawberry.field(description="Đơn vị Khối phó.")
    leading_units: list[str] = strawberry.field(description="Các đơn vị được suy tôn dẫn đầu.")
    officers_choice: OfficersChoice | None = strawberry.field(
        description="Khối trưởng, Khối phó được chọn thế nào (như biên bản ghi)."
    )
    carried_from: int | None = strawberry.field(
        description="Năm mở khi chọn Khối trưởng, Khối phó: thành viên mang sang từ năm này."
    )
    decision: DecisionReference | None = strawberry.field(
        description="Quyết định xác định thành viên năm đó, nếu có."
    )
    reviews: list[BlockReview] = strawberry.field(description="Hội nghị sơ kết, tổng kết với số liệu.")
    meetings: list[BlockMeeting] = strawberry.field(
        description="Các hội nghị khác của khối (phát động, quy chế, tiêu chí, kế hoạch), theo thứ tự ghi."
    )
    member_changes: list[BlockMemberChange] = strawberry.field(
        description="Các lần bổ sung, đưa ra thành viên sau khi mở năm, theo thứ tự ghi."
    )

    @classmethod
    def of(cls, province: str, row: BlockYearRow) -> BlockYear:
        return cls(
            province=province,
            block_key=row.block,
            year=row.year,
            member_keys=list(row.members),
            members_claimed=row.members_claimed,
            count_mismatch=row.count_mismatch,
            leader=row.leader,
            deputy=row.deputy,
            leading_units=list(row.leading_units),
            officers_choice=OfficersChoice.of(row.officers) if row.officers else None,
            carried_from=row.carried_from,
            decision=DecisionReference.of(row.decision),
            reviews=[BlockReview.of(k, v) for k, v in sorted((row.reviews or {}).items(), key=_review_order)],
            meetings=[BlockMeeting.of(m) for m in row.meetings],
            member_changes=[BlockMemberChange.of(c) for c in row.member_changes],
        )

    @strawberry.field(description="Khối thi đua.")
    async def block(self, info: Info[GraphQLContext, Any]) -> Block | None:
        row = await loaders.blocks(info, self.province).load(self.block_key)
        return Block.of(self.province, row) if row else None

    @strawberry.field(description="Các đơn vị thành viên.")
    async def members(self, info: Info[GraphQLContext, Any]) -> list[Unit]:
        rows = await loaders.units(info, self.province).load_many(self.member_keys)
        return [Unit.of(self.province, r) for r in rows if r is not None]

    @strawberry.field(description="Bảng xếp hạng của khối trong năm (điểm, xếp loại, thứ hạng, bỏ phiếu).")
    async def standings(self, info: Info[GraphQLContext, Any]) -> Standings | None:
        found = await get_standings(info.context.runtime.read_pool, self.province, self.block_key, self.year)
        return Standings.of(found, own_origin(self.province)) if found else None
