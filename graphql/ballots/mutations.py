# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations `openBallot`, `castVote`, `closeBallot` (bỏ phiếu)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.domain.provenance import Provenance
from thidua.graphql.ballots import commands
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, run_mutation
from thidua.graphql.core.permissions import authenticated, forbid
from thidua.services.auth import Role
from thidua.services.province_app import ProvinceApplication


@strawberry.input(description="Mở một cuộc bỏ phiếu (bỏ phiếu công khai hoặc bỏ phiếu kín).")
class OpenBallotInput(CommandInput):
    key: str = strawberry.field(description="Mã cuộc bỏ phiếu, duy nhất trong tỉnh.")
    purpose: str = strawberry.field(
        description="Mục đích: classification (xếp loại), acclamation (suy tôn), officers, award…"
    )
    question: str = strawberry.field(description="Loại câu hỏi, ví dụ approve hoặc choose.")
    electorate: str = strawberry.field(description="Cử tri: block_members hoặc council.")
    voters: list[str] = strawberry.field(description="Danh sách cử tri (mã đơn vị hoặc thành viên).")
    options: list[str] = strawberry.field(description="Các phương án trên phiếu.")
    secret: bool = strawberry.field(default=False, description="Bỏ phiếu kín.")
    subject: str | None = strawberry.field(default=None, description="Đối tượng được bỏ phiếu.")
    award: str | None = strawberry.field(
        default=None, description="Danh hiệu/hình thức khen thưởng (quyết định ngưỡng tán thành)."
    )


@strawberry.input(description="Bỏ một phiếu (một cử tri, một lựa chọn).")
class CastVoteInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    voter: str = strawberry.field(description="Cử tri: mã đơn vị (khối) hoặc thành viên hội đồng.")
    choice: str = strawberry.field(description="Phương án chọn.")


@strawberry.input(description="Kết thúc bỏ phiếu và kiểm phiếu.")
class CloseBallotInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    present: list[str] | None = strawberry.field(
        default=None, description="Danh sách có mặt (mặc định: những người đã bỏ phiếu)."
    )


ARG = "Đầu vào của lệnh (một đối tượng)."
OpenBallotArg = Annotated[OpenBallotInput, strawberry.argument(description=ARG)]
CastVoteArg = Annotated[CastVoteInput, strawberry.argument(description=ARG)]
CloseBallotArg = Annotated[CloseBallotInput, strawberry.argument(description=ARG)]


@strawberry.type(description="Kết quả mở cuộc bỏ phiếu.")
class OpenBallotPayload(MutationPayload):
    pass


@strawberry.type(description="Kết quả bỏ phiếu.")
class CastVotePayload(MutationPayload):
    pass


@strawberry.type(description="Kết quả kết thúc và kiểm phiếu.")
class CloseBallotPayload(MutationPayload):
    pass


@strawberry.type
class BallotMutations:
    @strawberry.mutation(
        description="Mở một cuộc bỏ phiếu; ngưỡng, túc số và cách xử lý hòa theo bộ quy tắc."
    )
    async def open_ballot(
        self, info: Info[GraphQLContext, Any], input: OpenBallotArg, idempotency_key: IdempotencyKey = None
    ) -> OpenBallotPayload:
        def command(app: ProvinceApplication, by: Provenance) -> int:
            return commands.open_ballot(
                app,
                by,
                key=input.key,
                purpose=input.purpose,
                subject=input.subject,
                award=input.award,
                secret=input.secret,
                question=input.question,
                electorate=input.electorate,
                voters=list(input.voters),
                options=list(input.options),
            )

        outcome = await run_mutation(
            info, "openBallot", input, command, idempotency_key=idempotency_key, key=input.key
        )
        return OpenBallotPayload.of(outcome)

    @strawberry.mutation(
        description="Bỏ phiếu: cán bộ đơn vị bỏ phiếu cho đơn vị mình; thành viên hội đồng cho chính mình."
    )
    async def cast_vote(
        self, info: Info[GraphQLContext, Any], input: CastVoteArg, idempotency_key: IdempotencyKey = None
    ) -> CastVotePayload:
        principal = authenticated(info)
        if principal.roles == {Role.COUNCIL_MEMBER} and input.voter != principal.subject:
            forbid("castVote", "Thành viên hội đồng chỉ bỏ phiếu cho chính mình.")

        def command(app: ProvinceApplication, by: Provenance) -> int:
            return commands.cast_vote(app, by, ballot=input.ballot, voter=input.voter, choice=input.choice)

        unit = input.voter if Role.COUNCIL_MEMBER not in principal.roles else None
        outcome = await run_mutation(
            info, "castVote", input, command, idempotency_key=idempotency_key, unit=unit, key=input.ballot
        )
        return CastVotePayload.of(outcome)

    @strawberry.mutation(description="Kết thúc bỏ phiếu và kiểm phiếu (kết quả, túc số, xử lý hòa).")
    async def close_ballot(
        self, info: Info[GraphQLContext, Any], input: CloseBallotArg, idempotency_key: IdempotencyKey = None
    ) -> CloseBallotPayload:
        def command(app: ProvinceApplication, by: Provenance) -> int:
            present = list(input.present) if input.present is not None else None
            return commands.close_ballot(app, by, ballot=input.ballot, present=present, tie_break_scores=None)

        outcome = await run_mutation(
            info, "closeBallot", input, command, idempotency_key=idempotency_key, key=input.ballot
        )
        return CloseBallotPayload.of(outcome)
