# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on staff ratings: a unit's month (xếp loại hàng tháng), corrections, the year's rating."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.errors import InvalidArgument
from thidua.graphql.core.inputs import InputArg, direct_input
from thidua.services.handlers.ratings import CorrectRating, DeriveYearRating, RecordMonthlyRatings


@direct_input
@strawberry.input(description="Điểm tháng của một cán bộ.")
class StaffScoreInput:
    staff: str = strawberry.field(description="Mã cán bộ.")
    score: int = strawberry.field(description="Điểm (0–100): ≥ 90 HTXSNV, 70–89 HTTNV, 50–69 HTNV.")


@direct_input
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

    def to_command(self) -> RecordMonthlyRatings:
        return RecordMonthlyRatings(
            unit=self.unit,
            year=self.year,
            month=self.month,
            scores=_scores(self.scores),
            quarter=self.quarter,
            cap_exception=self.cap_exception,
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

    def to_command(self) -> CorrectRating:
        return CorrectRating(
            unit=self.unit,
            year=self.year,
            month=self.month,
            staff=self.staff,
            new_score=self.new_score,
            reason=self.reason,
            quarter=self.quarter,
        )


@strawberry.input(description="Xếp loại cả năm của cán bộ, suy ra từ các tháng.")
class DeriveYearRatingInput(CommandInput):
    staff: str = strawberry.field(description="Mã cán bộ.")
    year: int = strawberry.field(description="Năm.")
    reason: str | None = strawberry.field(default=None, description="Ghi chú (ví dụ khi thiếu tháng).")

    def to_command(self) -> DeriveYearRating:
        return DeriveYearRating(
            staff=self.staff,
            year=self.year,
            reason=self.reason,
        )


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
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Đính chính điểm tháng của một cán bộ (phiếu đã nộp không sửa, chỉ đính chính)."
    )
    async def correct_rating(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CorrectRatingInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

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
        return await mutate(info, input, idempotency_key)
