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

from thidua.domain.provenance import Provenance
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, perform, run_mutation
from thidua.graphql.core.inputs import InputArg, PointsEntry, points
from thidua.services.access import Target
from thidua.services.province_app import ProvinceApplication


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
    tie_break_scores: list[PointsEntry] | None = strawberry.field(
        default=None, description="Tổng điểm của các phương án, để phân định khi hòa (nếu quy tắc dùng điểm)."
    )
    shares: list[str] | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: mảnh khóa của ít nhất «tellersNeeded» người kiểm phiếu, đúng như được "
        "trao khi mở (ví dụ 2-9f86d081-884c7d65-9a2feaa0-c55ad015). Dùng để mở phiếu rồi bỏ đi, không lưu.",
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


@strawberry.type(description="Kết quả bỏ phiếu; với bỏ phiếu kín, kèm biên nhận cho riêng cử tri.")
class CastVotePayload(MutationPayload):
    receipt: str | None = strawberry.field(
        default=None,
        description="Biên nhận phiếu kín: mã tờ phiếu để cử tri tự đối chiếu trong kết quả công bố. Chỉ trả "
        "một lần, không lưu ở đâu (gửi lại cùng khóa chống ghi trùng thì không có).",
    )

    @classmethod
    def with_receipt(cls, base: MutationPayload, receipt: str | None) -> Self:
        return cls(
            ok=base.ok,
            position=base.position,
            errors=base.errors,
            key=base.key,
            correlation_id=base.correlation_id,
            replayed=base.replayed,
            receipt=receipt,
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
class OpenBallotPayload(MutationPayload):
    teller_shares: list[TellerShare] | None = strawberry.field(
        default=None,
        description="Bỏ phiếu kín: mỗi người kiểm phiếu một mảnh khóa. Chỉ trả lần này, không lưu ở đâu "
        "(gửi lại cùng khóa chống ghi trùng thì không có): nếu mất câu trả lời này, ghi nhận cuộc bỏ phiếu "
        "không mở được (declareBallotUnopenable) và mở cuộc khác.",
    )

    @classmethod
    def with_shares(cls, base: MutationPayload, shares: list[TellerShare] | None) -> Self:
        return cls(
            ok=base.ok,
            position=base.position,
            errors=base.errors,
            key=base.key,
            correlation_id=base.correlation_id,
            replayed=base.replayed,
            teller_shares=shares,
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
        shares: list[TellerShare] = []  # filled by the worker thread, read after it returns

        def command(app: ProvinceApplication, by: Provenance) -> int:
            opened = app.open_ballot(
                key=input.key,
                purpose=input.purpose,
                subject=input.subject,
                award=input.award,
                secret=input.secret,
                question=input.question,
                electorate=input.electorate,
                block=input.block,
                year=input.year,
                options=list(input.options),
                tellers=list(input.tellers) if input.tellers is not None else None,
                tellers_needed=input.tellers_needed,
                by=by,
            )
            shares.extend(TellerShare(teller=s.teller, number=s.number, share=s.share) for s in opened.shares)
            return opened.position

        outcome = await run_mutation(
            info,
            "openBallot",
            input,
            command,
            idempotency_key=idempotency_key,
            target=Target(electorate=input.electorate, block=input.block, year=input.year),
            key=input.key,
        )
        return OpenBallotPayload.with_shares(MutationPayload.of(outcome), shares or None)

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
        receipt: list[str] = []  # filled by the worker thread, read after it returns

        def command(app: ProvinceApplication, by: Provenance) -> int:
            if not app.get_ballot(input.ballot)["secret"]:
                return app.cast_open_vote(key=input.ballot, voter=input.voter, choice=input.choice, by=by)
            position, paper = app.cast_secret_vote(
                key=input.ballot, voter=input.voter, choice=input.choice, by=by
            )
            receipt.append(paper)
            return position

        outcome = await run_mutation(
            info,
            "castVote",
            input,
            command,
            idempotency_key=idempotency_key,
            # Only the voter casts: the ballot's electorate says which role that is.
            target=Target(ballot=input.ballot, voter=input.voter),
            key=input.ballot,
            undigested=frozenset({"choice"}),  # a stored digest of a secret choice would reveal it
        )
        return CastVotePayload.with_receipt(MutationPayload.of(outcome), receipt[0] if receipt else None)

    @strawberry.mutation(
        description="Kết thúc bỏ phiếu và kiểm phiếu (kết quả, túc số, xử lý hòa); "
        "phiếu kín được mở và xáo trộn."
    )
    async def close_ballot(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[CloseBallotInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        present = list(input.present) if input.present is not None else None
        scores = (
            points(input.tie_break_scores, "tieBreakScores") if input.tie_break_scores is not None else None
        )
        shares = list(input.shares or [])
        outcome = await run_mutation(
            info,
            "closeBallot",
            input,
            lambda app, by: app.close_and_tally(
                key=input.ballot, present=present, shares=shares, tie_break_scores=scores, by=by
            ),
            idempotency_key=idempotency_key,
            target=Target(ballot=input.ballot),
            key=input.ballot,
            undigested=frozenset({"shares"}),  # nothing derived from key material is stored
        )
        return MutationPayload.of(outcome)

    @strawberry.mutation(
        description="Ghi nhận cuộc bỏ phiếu kín không mở được (không còn đủ mảnh khóa), kèm lý do; "
        "phiếu đã bỏ giữ niêm phong mãi mãi."
    )
    async def declare_ballot_unopenable(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DeclareBallotUnopenableInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "declareBallotUnopenable",
            input,
            lambda app, by: app.declare_ballot_unopenable(key=input.ballot, reason=input.reason, by=by),
            idempotency_key,
            target=Target(ballot=input.ballot),
            key=input.ballot,
        )

    @strawberry.mutation(description="Ghi nhận cuộc bỏ phiếu không có số liệu, đúng như văn bản nguồn.")
    async def record_ballot_without_figures(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordBallotWithoutFiguresInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
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

    @strawberry.mutation(
        description="Xóa khóa niêm phong của cuộc bỏ phiếu kín đã kiểm và ghi nhận việc xóa."
    )
    async def destroy_ballot_key(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DestroyBallotKeyInput],
        idempotency_key: IdempotencyKey = None,
    ) -> MutationPayload:
        return await perform(
            info,
            "destroyBallotKey",
            input,
            lambda app, by: app.destroy_ballot_key(key=input.ballot, by=by),
            idempotency_key,
            key=input.ballot,
        )
