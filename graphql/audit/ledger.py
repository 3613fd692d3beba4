# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""The `ledger` root field: the tamper-evident hash chain of a province (sổ cái chống sửa đổi)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.permissions import ProvinceArg, authorize, guard
from thidua.services.ledger import VerifyReport, ledger_head, verify_ledger


@strawberry.type(description="Một chỗ đứt của chuỗi băm: bản ghi không khớp với nội dung và bản ghi trước.")
class ChainBreak:
    position: int = strawberry.field(description="Vị trí bản ghi bị đứt chuỗi.")
    previous_position: int = strawberry.field(description="Vị trí của bản ghi được so sánh trước nó.")
    reason: str = strawberry.field(description="hash_mismatch (nội dung bị sửa) hoặc hash_missing.")


@strawberry.type(description="Kết quả kiểm tra chuỗi băm của sổ cái (xác minh toàn vẹn).")
class LedgerVerification:
    ok: bool = strawberry.field(description="Chuỗi nguyên vẹn (và khớp điểm kiểm tra nếu có).")
    events_checked: int = strawberry.field(description="Số sự kiện đã tính lại.")
    head_position: int = strawberry.field(description="Vị trí cuối cùng đã kiểm tra.")
    recomputed_head_hash: str = strawberry.field(description="Mã băm đầu chuỗi tính lại (hex).")
    first_bad_position: int | None = strawberry.field(description="Vị trí sai đầu tiên, nếu có.")
    breaks: list[ChainBreak] = strawberry.field(description="Các chỗ đứt (tối đa vài chục đầu tiên).")
    against: str | None = strawberry.field(description="Điểm kiểm tra HASH@POSITION đã đối chiếu.")
    against_ok: bool | None = strawberry.field(description="Điểm kiểm tra có khớp không.")
    summary: str = strawberry.field(description="Tóm tắt một dòng.")
    seconds: float = strawberry.field(description="Thời gian kiểm tra (giây).")

    @classmethod
    def of(cls, report: VerifyReport) -> LedgerVerification:
        return cls(
            ok=report.ok,
            events_checked=report.events_checked,
            head_position=report.head_position,
            recomputed_head_hash=report.recomputed_head_hash,
            first_bad_position=report.first_bad_position,
            breaks=[
                ChainBreak(position=b.position, previous_position=b.previous_position, reason=b.reason)
                for b in report.breaks
            ],
            against=report.against,
            against_ok=report.against_ok,
            summary=report.summary(),
            seconds=report.seconds,
        )


@strawberry.type(description="Sổ cái (ledger) của tỉnh: đầu chuỗi băm để kiểm toán viên lưu giữ.")
class Ledger:
    province: str = strawberry.field(description="Mã tỉnh.")
    head_position: int = strawberry.field(description="Vị trí sự kiện mới nhất (0 khi trống).")
    head_hash: str = strawberry.field(description="Mã băm đầu chuỗi (hex, SHA-256).")
    checkpoint: str = strawberry.field(
        description="Điểm kiểm tra HASH@POSITION để lưu ngoài hệ thống và đối chiếu về sau."
    )

    @strawberry.field(
        description="Tính lại toàn bộ chuỗi băm; nêu `against` (HASH@POSITION) để chứng minh lịch sử "
        "trước điểm kiểm tra chưa bị sửa."
    )
    async def verify(
        self,
        info: Info[GraphQLContext, Any],
        against: Annotated[
            str | None, strawberry.argument(description="Điểm kiểm tra đã lưu, dạng HASH@POSITION.")
        ] = None,
    ) -> LedgerVerification:
        report = await verify_ledger(info.context.runtime.read_pool, self.province, against)
        return LedgerVerification.of(report)


@strawberry.type
class LedgerQueries:
    @strawberry.field(
        description="Sổ cái của tỉnh (chuỗi băm chống sửa đổi) cho kiểm toán viên.",
        extensions=guard("ledger"),
    )
    async def ledger(
        self,
        info: Info[GraphQLContext, Any],
        province: ProvinceArg = None,
    ) -> Ledger:
        caller = authorize(info, "ledger", province=province)
        head = await ledger_head(info.context.runtime.read_pool, caller.province)
        return Ledger(
            province=head.province,
            head_position=head.position,
            head_hash=head.hash,
            checkpoint=head.checkpoint,
        )
