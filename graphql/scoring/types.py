"""Types of a block's standings (bảng xếp hạng): scores, classification, rank, officers, votes."""

from __future__ import annotations

from datetime import date
from typing import cast

import strawberry
from strawberry.scalars import JSON

from thidua.domain.block_minutes import OFFICER_METHODS
from thidua.graphql.ballots.types import BallotTally
from thidua.graphql.core.lineage import OriginProvince
from thidua.graphql.core.vocabulary import ChoiceMethod, ClassificationBand, OfficerMethod, known
from thidua.projections.standings.model import BlockStandings, Officers, UnitStanding


@strawberry.type(description="Một thời gian là thành viên khối trong năm.")
class MemberPeriod:
    starts_on: date = strawberry.field(description="Ngày bắt đầu là thành viên.")
    ends_on: date = strawberry.field(description="Ngày cuối cùng là thành viên.")


def counted_days(periods: tuple[tuple[str, str], ...], year: int) -> int:
    """Days of `year` a member is counted for: its periods, or the whole year."""
    if not periods:
        return (date(year, 12, 31) - date(year, 1, 1)).days + 1
    return sum((date.fromisoformat(b) - date.fromisoformat(a)).days + 1 for a, b in periods)


@strawberry.type(
    description="Một dòng của bảng xếp hạng: điểm tự chấm, điểm sau thẩm định chéo, xếp loại, thứ hạng."
)
class StandingLine:
    unit: str = strawberry.field(description="Mã đơn vị.")
    name: str | None = strawberry.field(description="Tên đơn vị.")
    self_scores: JSON = strawberry.field(description="Điểm tự chấm theo tiêu chí (mã → điểm).")
    checked_scores: JSON = strawberry.field(description="Điểm sau thẩm định chéo theo tiêu chí.")
    self_total: float | None = strawberry.field(description="Tổng điểm tự chấm.")
    bonus: float = strawberry.field(description="Điểm thưởng sau thẩm định.")
    deductions: float = strawberry.field(description="Điểm trừ sau thẩm định.")
    total: float | None = strawberry.field(description="Tổng điểm sau thẩm định (null khi chưa tự chấm).")
    classification: ClassificationBand | None = strawberry.field(
        description="Xếp loại khối đã ghi: excellent (xuất sắc), good (tốt), completed (hoàn thành), failed."
    )
    classification_rule_version: str | None = strawberry.field(
        description="Phiên bản quy tắc dùng để xếp loại."
    )
    below_floor: list[str] = strawberry.field(description="Các tiêu chí dưới mức sàn của xếp loại.")
    rank: int | None = strawberry.field(description="Thứ hạng theo tổng điểm (đồng điểm đồng hạng).")
    tied: bool = strawberry.field(description="Đồng hạng với đơn vị khác.")
    tie_note: str | None = strawberry.field(description="Đồng hạng được xử lý thế nào.")
    adjustments: int = strawberry.field(description="Số lần điều chỉnh khi thẩm định chéo.")
    leading: bool = strawberry.field(description="Được suy tôn / bầu là đơn vị dẫn đầu.")
    member: bool = strawberry.field(description="Còn là thành viên (false: đã rời khối trong năm).")
    periods: list[MemberPeriod] = strawberry.field(
        description="Thời gian là thành viên được tính trong năm (rỗng: cả năm), ví dụ từ 01/7 sau sáp "
        "nhập tỉnh."
    )
    days_counted: int = strawberry.field(
        description="Số ngày trong năm đơn vị được tính là thành viên (cả năm: số ngày của năm)."
    )

    @classmethod
    def of(cls, u: UnitStanding, year: int) -> StandingLine:
        return cls(
            unit=u.unit,
            name=u.name,
            self_scores=cast(JSON, dict(u.self_scores)),
            checked_scores=cast(JSON, dict(u.checked_scores)),
            self_total=u.self_total,
            bonus=u.bonus,
            deductions=u.deductions,
            total=u.total,
            classification=known(ClassificationBand, u.classification),
            classification_rule_version=u.classification_rule_version,
            below_floor=list(u.below_floor),
            rank=u.rank,
            tied=u.tied,
            tie_note=u.tie_note,
            adjustments=u.adjustments,
            leading=u.leading,
            member=u.member,
            periods=[MemberPeriod(starts_on=date.fromisoformat(a), ends_on=date.fromisoformat(b))
                     for a, b in u.periods],
            days_counted=counted_days(u.periods, year),
        )


@strawberry.type(description="Khối trưởng, Khối phó của năm và cách chọn (như biên bản ghi).")
class BlockOfficers:
    leader: str | None = strawberry.field(description="Đơn vị Khối trưởng.")
    deputy: str | None = strawberry.field(description="Đơn vị Khối phó.")
    method: OfficerMethod | None = strawberry.field(
        description="Mã cách chọn: " + ", ".join(OFFICER_METHODS) + " (xem BlockYear.officersChoice)."
    )
    ballot: str | None = strawberry.field(description="Mã cuộc bỏ phiếu, nếu có.")

    @classmethod
    def of(cls, o: Officers) -> BlockOfficers:
        return cls(leader=o.leader, deputy=o.deputy, method=known(OfficerMethod, o.method), ballot=o.ballot)


@strawberry.type(description="Bảng xếp hạng (standings) của một khối trong một năm.")
class Standings:
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    members: list[str] = strawberry.field(description="Các đơn vị thành viên.")
    members_claimed: int | None = strawberry.field(description="Số thành viên văn bản nêu.")
    count_mismatch: bool = strawberry.field(
        description="Số văn bản nêu khác danh sách (để lộ rõ, không sửa)."
    )
    lines: list[StandingLine] = strawberry.field(description="Các dòng, theo thứ hạng.")
    officers: BlockOfficers | None = strawberry.field(description="Khối trưởng, Khối phó của năm.")
    leading_units: list[str] = strawberry.field(description="Các đơn vị dẫn đầu (suy tôn).")
    leading_method: ChoiceMethod | None = strawberry.field(description="Cách chọn đơn vị dẫn đầu.")
    ballots: list[BallotTally] = strawberry.field(description="Các cuộc bỏ phiếu của khối trong năm.")
    position: int = strawberry.field(description="Vị trí sự kiện cuối cùng được phản ánh (trong tỉnh gốc).")
    origin: strawberry.Private[OriginProvince]

    @strawberry.field(  # type: ignore[untyped-decorator]  # keyword options: typed as Any
        description="Tỉnh của khối: tỉnh của người gọi, hoặc tỉnh trước sáp nhập (includePredecessors)."
    )
    def origin_province(self) -> OriginProvince:
        return self.origin

    @classmethod
    def of(cls, s: BlockStandings, origin: OriginProvince) -> Standings:
        return cls(
            origin=origin,
            block=s.block,
            year=s.year,
            members=list(s.members),
            members_claimed=s.members_claimed,
            count_mismatch=s.count_mismatch,
            lines=[StandingLine.of(u, s.year) for u in s.units],
            officers=BlockOfficers.of(s.officers) if s.officers else None,
            leading_units=list(s.leading_units),
            leading_method=known(ChoiceMethod, s.leading_method),
            ballots=[BallotTally.of(b) for b in s.ballots],
            position=s.position,
        )
