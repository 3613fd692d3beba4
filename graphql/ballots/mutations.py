# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on ballots (bỏ phiếu): open, cast (open or secret), close and tally, record without figures.

A secret ballot's paper is sealed by the services layer (services/ballot_seal.py) to the
ballot's public key; the voter gets back a receipt (the random paper id they will find in the
published tally). The opening of a secret ballot answers with the tellers' shares of its private
key, and the tally takes them back. Receipts and shares are returned once and never stored: a
retried request with the same idempotency key answers the stored outcome without them, so no
table holds a share or links a voter to a paper.
"""

from __future__ import annotations

from typing import Any, Self

import strawberry
from strawberry.types import Info

from thidua.graphql.ballots.types import Ballot
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import (
    CommandInput,
    IdempotencyKey,
    MutationPayload,
    mutate,
    perform,
    send,
)
from thidua.graphql.core.inputs import InputArg, PointsEntry, points
from thidua.graphql.core.payloads import as_payload, read_back
from thidua.graphql.relay import objects
from thidua.services.access import Target
from thidua.services.commands.ballots import OpenedBallot
from thidua.services.handlers.ballots import (
    CastVote,
    CloseBallot,
    DeclareBallotUnopenable,
    DestroyBallotKey,
    OpenBallot,
    VoteCast,
)
from thidua.services.outcome import Outcome


@strawberry.input(description="Mở một cuộc bỏ phiếu (bỏ phiếu công khai hoặc bỏ phiếu kín).")
class OpenBallotInput(CommandInput):
    key: str = strawberry.field(description="Mã cuộc bỏ phiếu, duy nhất trong tỉnh.")
    purpose: str = strawberry.field(
        description="Mục đích: classification (xếp loại), acclamation (suy tôn), officers (bầu Khối trưởng, "
        "Khối phó), council (Hội đồng xét khen thưởng)…"
    )
    question: str = strawberry.field(
        description="approve (tán thành một đề nghị) hoặc elect (chọn một phương án)."
    )
    electorate: str = strawberry.field(
        description="Cử tri: block_members (đơn vị thành viên của khối trong năm) hoặc "
        "council_members (Hội đồng)."
    )
    options: list[str] = strawberry.field(description="Các phương án trên phiếu.")
    block: str | None = strawberry.field(default=None, description="Mã khối (khi cử tri là thành viên khối).")
    year: int | None = strawberry.field(default=None, description="Năm thi đua của khối.")
    secret: bool = strawberry.field(default=False, description="Bỏ phiếu kín.")
    subject: str | None = strawberry.field(
        default=None, description="Đối tượng được bỏ phiếu, ví dụ khoi-dang/2025 hoặc mã đề nghị."
    )
    award: str | None = strawberry.field(
        default=None, description="Danh hiệu/hình thức khen thưởng (quyết định ngưỡng tán thành)."
    )
    tellers: list[str] | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: Ban kiểm phiếu (2–25 người, theo thứ tự), mỗi người giữ một mảnh khóa mở "
        "phiếu. Bắt buộc với bỏ phiếu kín, không dùng với bỏ phiếu công khai.",
    )
    tellers_needed: int | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: số người kiểm phiếu phải cùng nộp mảnh khóa để mở phiếu (ít nhất 2; "
        "mặc định quá nửa Ban kiểm phiếu). Ít hơn số này thì không ai mở được phiếu.",
    )

    def to_command(self) -> OpenBallot:
        return OpenBallot(
            key=self.key,
            purpose=self.purpose,
            subject=self.subject,
            award=self.award,
            secret=self.secret,
            question=self.question,
            electorate=self.electorate,
            block=self.block,
            year=self.year,
            options=tuple(self.options),
            tellers=tuple(self.tellers) if self.tellers is not None else None,
            tellers_needed=self.tellers_needed,
        )


@strawberry.input(description="Bỏ một phiếu (một cử tri, một lựa chọn).")
class CastVoteInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    voter: str = strawberry.field(description="Cử tri: mã đơn vị (khối) hoặc thành viên hội đồng.")
    choice: str = strawberry.field(description="Phương án chọn.")

    def to_command(self) -> CastVote:
        return CastVote(ballot=self.ballot, voter=self.voter, choice=self.choice)


@strawberry.input(description="Kết thúc bỏ phiếu và kiểm phiếu.")
class CloseBallotInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    present: list[str] | None = strawberry.field(
        default=None, description="Danh sách có mặt (mặc định: những người đã bỏ phiếu)."
    )
    tie_break_scores: list[PointsEntry] | None = strawberry.field(
        default=None, description="Tổng điểm của các phương án, để phân định khi hòa (nếu quy tắc dùng điểm)."
    )
    shares: list[str] | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: mảnh khóa của ít nhất «tellersNeeded» người kiểm phiếu, đúng như được "
        "trao khi mở (ví dụ 2-9f86d081-884c7d65-9a2feaa0-c55ad015). Dùng để mở phiếu rồi bỏ đi, không lưu.",
    )

    def to_command(self) -> CloseBallot:
        scores = self.tie_break_scores
        return CloseBallot(
            ballot=self.ballot,
            present=tuple(self.present) if self.present is not None else None,
            tie_break_scores=points(scores, "tieBreakScores") if scores is not None else None,
            shares=tuple(self.shares or ()),
        )


@strawberry.input(
    description="Ghi nhận cuộc bỏ phiếu kín không mở được vì không còn đủ mảnh khóa "
    "(phiếu niêm phong mãi mãi)."
)
class DeclareBallotUnopenableInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu kín (đang mở hoặc đã kết thúc, chưa kiểm).")
    reason: str = strawberry.field(
        description="Lý do, ví dụ: mất mảnh khóa của hai người kiểm phiếu; trả lời mở phiếu bị mất."
    )

    def to_command(self) -> DeclareBallotUnopenable:
        return DeclareBallotUnopenable(ballot=self.ballot, reason=self.reason)


@strawberry.input(
    description="Ghi nhận một cuộc bỏ phiếu mà biên bản không nêu số liệu (không tự đặt ra con số)."
)
class RecordBallotWithoutFiguresInput(CommandInput):
    key: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    purpose: str = strawberry.field(description="Mục đích.")
    subject: str | None = strawberry.field(default=None, description="Đối tượng được bỏ phiếu.")
    note: str = strawberry.field(description="Điều văn bản ghi lại.")
    form: str = strawberry.field(
        default="unrecorded",
        description="Hình thức văn bản ghi: open (công khai), secret (bỏ phiếu kín), unrecorded (không ghi).",
    )
    block: str | None = strawberry.field(
        default=None,
        description="Khối có hội nghị đã bỏ phiếu (cùng với year); Khối trưởng, Khối phó năm đó "
        "được ghi nhận.",
    )
    year: int | None = strawberry.field(default=None, description="Năm thi đua của khối.")


@strawberry.input(
    description="Xóa khóa niêm phong lưu giữ của cuộc bỏ phiếu kín mở trước khi có mảnh khóa người kiểm "
    "phiếu (phục hồi sau sự cố)."
)
class DestroyBallotKeyInput(CommandInput):
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu.")

    def to_command(self) -> DestroyBallotKey:
        return DestroyBallotKey(ballot=self.ballot)


@strawberry.type(description="Kết quả thao tác ghi trên một cuộc bỏ phiếu, kèm cuộc bỏ phiếu sau khi ghi.")
class BallotPayload(MutationPayload):
    @strawberry.field(
        description="Cuộc bỏ phiếu sau thao tác (đọc lại tại «position»; không bao giờ kèm phiếu kín); "
        "null khi bị từ chối."
    )
    async def ballot(self, info: Info[GraphQLContext, Any]) -> Ballot | None:
        province = await read_back(info, self, "ballot")
        if province is None:
            return None
        return await objects.ballot(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type(description="Kết quả bỏ phiếu; với bỏ phiếu kín, kèm biên nhận cho riêng cử tri.")
class CastVotePayload(BallotPayload):
    receipt: str | None = strawberry.field(
        default=None,
        description="Biên nhận phiếu kín: mã tờ phiếu để cử tri tự đối chiếu trong kết quả công bố. Chỉ trả "
        "một lần, không lưu ở đâu (gửi lại cùng khóa chống ghi trùng thì không có).",
    )

    @classmethod
    def of_vote(cls, outcome: Outcome) -> Self:
        base = MutationPayload.of(outcome)
        cast = outcome.result
        return cls(
            ok=base.ok,
            position=base.position,
            errors=base.errors,
            key=base.key,
            correlation_id=base.correlation_id,
            replayed=base.replayed,
            receipt=cast.receipt if isinstance(cast, VoteCast) else None,
        )


@strawberry.type(description="Mảnh khóa của một người kiểm phiếu: chỉ trả một lần, không lưu ở đâu.")
class TellerShare:
    teller: str = strawberry.field(description="Người kiểm phiếu giữ mảnh khóa này.")
    number: int = strawberry.field(description="Số thứ tự người kiểm phiếu (1, 2, …), cũng ở đầu mảnh khóa.")
    share: str = strawberry.field(
        description="Mảnh khóa, trao tận tay người kiểm phiếu; nộp lại khi kiểm phiếu."
    )


@strawberry.type(
    description="Kết quả mở cuộc bỏ phiếu; bỏ phiếu kín kèm mảnh khóa cho từng người kiểm phiếu."
)
class OpenBallotPayload(BallotPayload):
    teller_shares: list[TellerShare] | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: mỗi người kiểm phiếu một mảnh khóa. Chỉ trả lần này, không lưu ở đâu "
        "(gửi lại cùng khóa chống ghi trùng thì không có): nếu mất câu trả lời này, ghi nhận cuộc bỏ phiếu "
        "không mở được (declareBallotUnopenable) và mở cuộc khác.",
    )

    @classmethod
    def of_opening(cls, outcome: Outcome) -> Self:
        base = MutationPayload.of(outcome)
        opened = outcome.result
        shares = opened.shares if isinstance(opened, OpenedBallot) else []
        return cls(
            ok=base.ok,
            position=base.position,
            errors=base.errors,
            key=base.key,
            correlation_id=base.correlation_id,
            replayed=base.replayed,
            teller_shares=[TellerShare(teller=s.teller, number=s.number, share=s.share) for s in shares]
            or None,
        )


@strawberry.type
class BallotMutations:
    @strawberry.mutation(
        description="Mở một cuộc bỏ phiếu; ngưỡng, túc số và cách xử lý hòa theo bộ quy tắc."
    )
    async def open_ballot(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[OpenBallotInput],
        idempotency_key: IdempotencyKey = None,
    ) -> OpenBallotPayload:
        return OpenBallotPayload.of_opening(await send(info, input, idempotency_key))

    @strawberry.mutation(
        description="Bỏ phiếu: cán bộ đơn vị bỏ phiếu cho đơn vị mình; thành viên hội đồng cho chính mình. "
        "Phiếu kín được niêm phong, cử tri nhận biên nhận."
    )
    async def cast_vote(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CastVoteInput],
        idempotency_key: IdempotencyKey = None,
    ) -> CastVotePayload:
        return CastVotePayload.of_vote(await send(info, input, idempotency_key))

    @strawberry.mutation(
        description="Kết thúc bỏ phiếu và kiểm phiếu (kết quả, túc số, xử lý hòa); "
        "phiếu kín được mở và xáo trộn."
    )
    async def close_ballot(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CloseBallotInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BallotPayload:
        return BallotPayload.of(await send(info, input, idempotency_key))

    @strawberry.mutation(
        description="Ghi nhận cuộc bỏ phiếu kín không mở được (không còn đủ mảnh khóa), kèm lý do; "
        "phiếu đã bỏ giữ niêm phong mãi mãi."
    )
    async def declare_ballot_unopenable(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DeclareBallotUnopenableInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BallotPayload:
        return as_payload(BallotPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Ghi nhận cuộc bỏ phiếu không có số liệu, đúng như văn bản nguồn.")
    async def record_ballot_without_figures(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordBallotWithoutFiguresInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BallotPayload:
        done = await perform(
            info,
            "recordBallotWithoutFigures",
            input,
            lambda app, by: app.record_ballot_without_figures(
                key=input.key,
                purpose=input.purpose,
                subject=input.subject,
                note=input.note,
                by=by,
                form=input.form,
                block=input.block,
                year=input.year,
            ),
            idempotency_key,
            target=Target(block=input.block, year=input.year),
            key=input.key,
        )
        return as_payload(BallotPayload, done)

    @strawberry.mutation(
        description="Xóa khóa niêm phong của cuộc bỏ phiếu kín đã kiểm và ghi nhận việc xóa."
    )
    async def destroy_ballot_key(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DestroyBallotKeyInput],
        idempotency_key: IdempotencyKey = None,
    ) -> BallotPayload:
        return as_payload(BallotPayload, await mutate(info, input, idempotency_key))
