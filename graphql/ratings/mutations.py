# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on staff ratings: a unit's month (xếp loại hàng tháng), corrections, the year's rating."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.domain.ratings import sheet_key
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, perform
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.inputs import InputArg
from thidua.services.access import Target


@strawberry.input(description="Điểm tháng của một cán bộ.")
class StaffScoreInput:
    staff: str = strawberry.field(description="Mã cán bộ.")
    score: int = strawberry.field(description="Điểm (0–100): ≥ 90 HTXSNV, 70–89 HTTNV, 50–69 HTNV.")


@strawberry.input(
    description="Xếp loại hàng tháng (hoặc hàng quý nếu tỉnh đánh giá theo quý): điểm của mọi cán bộ "
    "của đơn vị trong kỳ (một lần)."
)
class RecordMonthlyRatingsInput(CommandInput):
    unit: str = strawberry.field(description="Đơn vị.")
    year: int = strawberry.field(description="Năm.")
    month: int | None = strawberry.field(default=None, description="Tháng (1–12), khi đánh giá hằng tháng.")
    scores: list[StaffScoreInput] = strawberry.field(description="Điểm của từng cán bộ.")
    quarter: int | None = strawberry.field(
        default=None, description="Quý (1–4), khi tỉnh đánh giá theo quý (quy tắc rating_period)."
    )
    cap_exception: str | None = strawberry.field(
        default=None,
        description="Số quyết định công nhận đơn vị có thành tích xuất sắc, nổi trội: phiếu không bị "
        "giới hạn 20% HTXSNV (ngoại lệ do cấp có thẩm quyền quyết định).",
    )


@strawberry.input(description="Đính chính điểm tháng (hoặc quý) của một cán bộ, kèm lý do.")
class CorrectRatingInput(CommandInput):
    unit: str = strawberry.field(description="Đơn vị.")
    year: int = strawberry.field(description="Năm.")
    month: int | None = strawberry.field(default=None, description="Tháng (khi đánh giá hằng tháng).")
    staff: str = strawberry.field(description="Mã cán bộ.")
    new_score: int = strawberry.field(description="Điểm mới.")
    reason: str = strawberry.field(description="Lý do đính chính.")
    quarter: int | None = strawberry.field(default=None, description="Quý (khi đánh giá theo quý).")


@strawberry.input(description="Xếp loại cả năm của cán bộ, suy ra từ các tháng.")
class DeriveYearRatingInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ.")
    year: int = strawberry.field(description="Năm.")
    reason: str | None = strawberry.field(default=None, description="Ghi chú (ví dụ khi thiếu tháng).")


def _scores(entries: list[StaffScoreInput]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for entry in entries:
        if entry.staff in scores:
            raise InvalidArgument(
                f"Cán bộ «{entry.staff}» được chấm hai lần.", field="scores", staff=entry.staff
            )
        scores[entry.staff] = entry.score
    return scores


@strawberry.type
class RatingMutations:
    @strawberry.mutation(
        description="Ghi phiếu xếp loại tháng của đơn vị (cả đơn vị một lần); HTXSNV không vượt 20% số HTTNV."
    )
    async def record_monthly_ratings(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordMonthlyRatingsInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        scores = _scores(input.scores)
        return await perform(
            info,
            "recordMonthlyRatings",
            input,
            lambda app, by: app.submit_rating_sheet(
                unit=input.unit,
                year=input.year,
                month=input.month,
                scores=scores,
                by=by,
                quarter=input.quarter,
                cap_exception=input.cap_exception,
            ),
            idempotency_key,
            unit=input.unit,
            key=sheet_key(input.unit, input.year, input.month, input.quarter)
            if input.month is not None or input.quarter
            else None,
        )

    @strawberry.mutation(
        description="Đính chính điểm tháng của một cán bộ (phiếu đã nộp không sửa, chỉ đính chính)."
    )
    async def correct_rating(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CorrectRatingInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "correctRating",
            input,
            lambda app, by: app.correct_rating(
                unit=input.unit,
                year=input.year,
                month=input.month,
                staff=input.staff,
                new_score=input.new_score,
                reason=input.reason,
                by=by,
                quarter=input.quarter,
            ),
            idempotency_key,
            unit=input.unit,
            key=input.staff,
        )

    @strawberry.mutation(
        description="Xếp loại cả năm của cán bộ từ các phiếu tháng (quý) của mọi đơn vị cán bộ công tác "
        "trong năm; bị kỷ luật từ khiển trách trở lên trong năm thì «Không hoàn thành nhiệm vụ»."
    )
    async def derive_year_rating(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DeriveYearRatingInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "deriveYearRating",
            input,
            lambda app, by: app.derive_year_rating(
                staff=input.staff, year=input.year, reason=input.reason, by=by
            ),
            idempotency_key,
            target=Target(staff=input.staff),
            key=input.staff,
        )
