"""Types of monthly staff ratings (xếp loại hàng tháng): the distribution and the 20% cap headroom."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from thidua.projections.ratings.model import GroupDistribution, MonthlyRatings


@strawberry.type(description="Phân bố xếp loại trong một phạm vi (cả đơn vị, hoặc một nhóm xếp loại).")
class RatingScope:
    scope: str = strawberry.field(description="unit (cả đơn vị) hoặc tên nhóm xếp loại.")
    bands: JSON = strawberry.field(description="Số người theo mức (HTXSNV, HTTNV, HTNV, KHTNV).")
    allowed_excellent: int | None = strawberry.field(
        description="Số HTXSNV tối đa (20% số HTTNV, tính trên những người thuộc diện áp dụng); null khi "
        "không áp dụng hạn mức."
    )
    headroom: int | None = strawberry.field(description="Còn được thêm bao nhiêu HTXSNV.")

    @classmethod
    def of(cls, g: GroupDistribution) -> RatingScope:
        return cls(
            scope=g.scope,
            bands=cast(JSON, dict(g.bands)),
            allowed_excellent=g.allowed_excellent,
            headroom=g.headroom,
        )


@strawberry.type(description="Phiếu xếp loại tháng (hoặc quý) của một đơn vị (rating sheet).")
class RatingSheet:
    unit: str = strawberry.field(description="Mã đơn vị.")
    year: int = strawberry.field(description="Năm.")
    month: int | None = strawberry.field(description="Tháng (null với phiếu theo quý).")
    quarter: int | None = strawberry.field(description="Quý, khi tỉnh đánh giá theo quý.")
    cap_exception: str | None = strawberry.field(
        description="Quyết định công nhận đơn vị có thành tích xuất sắc, nổi trội "
        "(không áp dụng hạn mức 20%)."
    )
    rule_version: str | None = strawberry.field(description="Phiên bản quy tắc của tháng được xếp loại.")
    cap_in_force: bool = strawberry.field(description="Hạn mức HTXSNV có hiệu lực trong tháng.")
    scopes: list[RatingScope] = strawberry.field(description="Phân bố theo đơn vị và theo nhóm xếp loại.")
    entries: JSON = strawberry.field(description="Từng cán bộ: điểm, mức, nhóm.")
    corrections: JSON = strawberry.field(description="Các lần đính chính, kèm lý do.")

    @classmethod
    def of(cls, m: MonthlyRatings) -> RatingSheet:
        return cls(
            unit=m.unit,
            year=m.year,
            month=m.month,
            quarter=m.quarter,
            cap_exception=m.cap_exception,
            rule_version=m.rule_version,
            cap_in_force=m.cap_in_force,
            scopes=[RatingScope.of(s) for s in m.scopes],
            entries=cast(JSON, [dict(e) for e in m.entries]),
            corrections=cast(JSON, [dict(c) for c in m.corrections]),
        )
