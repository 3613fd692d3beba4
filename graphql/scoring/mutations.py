# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on a block's scoring (chấm điểm): the table, self-assessment (tự chấm), cross-check
(thẩm định chéo) and classification (xếp loại)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate
from thidua.graphql.core.inputs import InputArg, PointsEntry, points
from thidua.services.handlers.scoring import (
    AdoptScoringTable,
    ClassifyUnit,
    CrossCheckAssessment,
    SubmitSelfAssessment,
)


@strawberry.input(description="Một tiêu chí của bảng chấm điểm.")
class CriterionInput:
    code: str = strawberry.field(description="Mã tiêu chí.")
    group: str = strawberry.field(description="Nhóm tiêu chí.")
    name: str = strawberry.field(description="Tên tiêu chí.")
    max_points: int = strawberry.field(description="Điểm tối đa.")


@strawberry.input(description="Một mục điểm thưởng hoặc điểm trừ (ví dụ +10 khi được Cờ thi đua tỉnh).")
class ScoreItemInput:
    code: str = strawberry.field(description="Mã mục.")
    name: str = strawberry.field(description="Tên mục.")
    points: int = strawberry.field(description="Số điểm (dương).")


@strawberry.input(description="Khối thông qua bảng chấm điểm của năm.")
class AdoptScoringTableInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    criteria: list[CriterionInput] = strawberry.field(description="Các tiêu chí.")
    bonus_items: list[ScoreItemInput] = strawberry.field(
        default_factory=list, description="Các mục điểm thưởng."
    )
    deduction_items: list[ScoreItemInput] = strawberry.field(
        default_factory=list, description="Các mục điểm trừ."
    )

    def to_command(self) -> AdoptScoringTable:
        return AdoptScoringTable(
            block=self.block,
            year=self.year,
            criteria=tuple(
                {"code": c.code, "group": c.group, "name": c.name, "max_points": c.max_points}
                for c in self.criteria
            ),
            bonus_items=tuple({"code": b.code, "name": b.name, "points": b.points} for b in self.bonus_items),
            deduction_items=tuple(
                {"code": d.code, "name": d.name, "points": d.points} for d in self.deduction_items
            ),
        )


@strawberry.input(description="Đơn vị tự chấm điểm theo bảng chấm điểm của khối.")
class SubmitSelfAssessmentInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Đơn vị tự chấm.")
    scores: list[PointsEntry] = strawberry.field(description="Điểm từng tiêu chí (mã tiêu chí → điểm).")
    bonuses: list[str] = strawberry.field(default_factory=list, description="Các mục điểm thưởng đạt được.")
    deductions: list[str] = strawberry.field(default_factory=list, description="Các mục điểm trừ bị áp.")

    def to_command(self) -> SubmitSelfAssessment:
        return SubmitSelfAssessment(
            block=self.block,
            year=self.year,
            unit=self.unit,
            scores=points(self.scores, "scores"),
            bonuses=tuple(self.bonuses),
            deductions=tuple(self.deductions),
        )


@strawberry.input(description="Thẩm định chéo: khối điều chỉnh một mục điểm của đơn vị, luôn kèm lý do.")
class CrossCheckAssessmentInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Đơn vị được thẩm định.")
    item_kind: str = strawberry.field(
        default="criterion",
        description="criterion (tiêu chí), bonus (điểm thưởng) hoặc deduction (điểm trừ).",
    )
    item: str = strawberry.field(description="Mã mục được điều chỉnh.")
    new_points: float = strawberry.field(description="Điểm sau thẩm định.")
    reason: str = strawberry.field(description="Lý do điều chỉnh.")

    def to_command(self) -> CrossCheckAssessment:
        return CrossCheckAssessment(
            block=self.block,
            year=self.year,
            unit=self.unit,
            item_kind=self.item_kind,
            item=self.item,
            new_points=self.new_points,
            reason=self.reason,
        )


@strawberry.input(description="Xếp loại đơn vị theo các mức của bộ quy tắc đang hiệu lực.")
class ClassifyUnitInput(CommandInput):
    block: str = strawberry.field(description="Mã khối.")
    year: int = strawberry.field(description="Năm thi đua.")
    unit: str = strawberry.field(description="Đơn vị được xếp loại.")

    def to_command(self) -> ClassifyUnit:
        return ClassifyUnit(
            block=self.block,
            year=self.year,
            unit=self.unit,
        )


@strawberry.type
class ScoringMutations:
    @strawberry.mutation(
        description="Thông qua bảng chấm điểm (tiêu chí, điểm thưởng, điểm trừ) của khối trong năm."
    )
    async def adopt_scoring_table(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AdoptScoringTableInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Đơn vị tự chấm điểm (một lần mỗi năm; khối thẩm định sau).")
    async def submit_self_assessment(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[SubmitSelfAssessmentInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(description="Thẩm định chéo: điều chỉnh một mục điểm của đơn vị, kèm lý do.")
    async def cross_check_assessment(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CrossCheckAssessmentInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)

    @strawberry.mutation(
        description="Xếp loại đơn vị (xuất sắc, tốt, hoàn thành…) theo tổng điểm sau thẩm định."
    )
    async def classify_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ClassifyUnitInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await mutate(info, input, idempotency_key)
