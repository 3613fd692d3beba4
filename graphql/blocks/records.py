# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Read types of what a block's minutes record: the decision behind a change, its reviews (sơ
kết, tổng kết) with their figures, its other meetings and what they adopted."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import strawberry

from thidua.domain.block_minutes import ADOPTED_ITEMS, MEETING_KINDS, OFFICER_METHODS
from thidua.domain.block_year import REVIEW_KINDS


@strawberry.type(description="Quyết định là căn cứ của một thay đổi: số, ngày ký, cơ quan ban hành.")
class DecisionReference:
    number: str = strawberry.field(description="Số hiệu quyết định.")
    signed_on: str = strawberry.field(description="Ngày ký (ISO).")
    issuer: str = strawberry.field(description="Cơ quan, người ban hành.")

    @classmethod
    def of(cls, found: Any) -> DecisionReference | None:
        if not isinstance(found, Mapping) or not found.get("number"):
            return None
        return cls(
            number=str(found["number"]),
            signed_on=str(found.get("signed_on") or ""),
            issuer=str(found.get("issuer") or ""),
        )


@strawberry.type(description="Một số liệu có tên trong biên bản (ví dụ số đơn vị hoàn thành xuất sắc).")
class NamedCount:
    name: str = strawberry.field(description="Tên số liệu.")
    count: int = strawberry.field(description="Giá trị.")


@strawberry.type(description="Cách chọn Khối trưởng, Khối phó như biên bản ghi.")
class OfficersChoice:
    method: str = strawberry.field(description="Mã cách chọn: " + ", ".join(OFFICER_METHODS) + ".")
    label: str = strawberry.field(description="Cách chọn bằng lời (tiếng Việt).")
    ballot: str | None = strawberry.field(description="Cuộc bỏ phiếu, nếu có.")
    chosen_in_year: int | None = strawberry.field(description="Năm các thành viên chọn.")
    decision: DecisionReference | None = strawberry.field(description="Quyết định giao (được giao).")

    @classmethod
    def of(cls, officers: Mapping[str, Any]) -> OfficersChoice:
        method = str(officers.get("method") or "unrecorded")
        words = OFFICER_METHODS.get(method, method)
        return cls(
            method=method,
            label=words,
            ballot=officers.get("ballot"),
            chosen_in_year=officers.get("chosen_in_year"),
            decision=DecisionReference.of(officers.get("decision")),
        )


def _rate(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


@strawberry.type(description="Hội nghị sơ kết (giữa năm) hoặc tổng kết (cuối năm) của khối, với số liệu.")
class BlockReview:
    kind: str = strawberry.field(description="mid_year (sơ kết) hoặc year_end (tổng kết).")
    label: str = strawberry.field(description="Tên loại hội nghị (tiếng Việt).")
    held_on: str | None = strawberry.field(description="Ngày họp (ISO).")
    chaired_by: str | None = strawberry.field(description="Đơn vị chủ trì.")
    completion_rate: Decimal | None = strawberry.field(
        description="Tỷ lệ hoàn thành chỉ tiêu giao ước (%), như biên bản nêu; null khi không nêu."
    )
    counts: list[NamedCount] = strawberry.field(description="Các số liệu biên bản nêu.")
    note: str | None = strawberry.field(description="Ghi chú, trích biên bản.")

    @classmethod
    def of(cls, kind: str, review: Mapping[str, Any]) -> BlockReview:
        found = review.get("counts") or {}
        return cls(
            kind=kind,
            label=REVIEW_KINDS.get(kind, kind),
            held_on=review.get("on"),
            chaired_by=review.get("chaired_by"),
            completion_rate=_rate(review.get("completion_rate")),
            counts=[NamedCount(name=str(k), count=int(v)) for k, v in found.items()],
            note=review.get("note"),
        )


@strawberry.type(
    description="Hội nghị khác của khối: phát động, ký kết giao ước; thông qua quy chế, tiêu chí, kế hoạch."
)
class BlockMeeting:
    kind: str = strawberry.field(description="Mã loại hội nghị: " + ", ".join(MEETING_KINDS) + ".")
    label: str = strawberry.field(description="Tên loại hội nghị (tiếng Việt).")
    held_on: str | None = strawberry.field(description="Ngày họp (ISO).")
    host: str | None = strawberry.field(description="Đơn vị chủ trì.")
    adopted: list[str] = strawberry.field(
        description="Nội dung thông qua, ký kết: " + ", ".join(ADOPTED_ITEMS) + "."
    )
    note: str | None = strawberry.field(description="Ghi chú, trích biên bản.")

    @classmethod
    def of(cls, meeting: Mapping[str, Any]) -> BlockMeeting:
        kind = str(meeting.get("kind"))
        return cls(
            kind=kind,
            label=MEETING_KINDS.get(kind, kind),
            held_on=meeting.get("on"),
            host=meeting.get("host"),
            adopted=list(meeting.get("adopted") or []),
            note=meeting.get("note"),
        )


@strawberry.type(description="Một thay đổi thành viên trong năm: đơn vị vào hoặc ra khối, lý do, quyết định.")
class BlockMemberChange:
    unit: str = strawberry.field(description="Mã đơn vị.")
    change: str = strawberry.field(
        description="joined (bổ sung vào khối), left (ra khỏi khối) hoặc period_ended (thời gian là "
        "thành viên kết thúc sớm, endBlockMemberPeriod)."
    )
    on: str | None = strawberry.field(description="Ngày hiệu lực (ISO).")
    reason: str | None = strawberry.field(description="Lý do (khi ra khỏi khối).")
    decision: DecisionReference | None = strawberry.field(description="Quyết định điều chỉnh, nếu có.")

    @classmethod
    def of(cls, change: Mapping[str, Any]) -> BlockMemberChange:
        return cls(
            unit=str(change.get("unit")),
            change=str(change.get("change")),
            on=change.get("on"),
            reason=change.get("reason"),
            decision=DecisionReference.of(change.get("decision")),
        )
