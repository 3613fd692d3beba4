"""Types of ballots (bỏ phiếu): what was asked and the tally (kiểm phiếu), never a sealed paper."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from thidua.graphql.core.nodes import Node
from thidua.graphql.core.vocabulary import BallotStatus, known
from thidua.projections.directory.queries import BallotRow
from thidua.projections.standings.model import BallotSummary


@strawberry.type(description="Kết quả một cuộc bỏ phiếu (kiểm phiếu): số phiếu, túc số, kết quả, xử lý hòa.")
class BallotTally:
    key: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    purpose: str | None = strawberry.field(
        description="Mục đích (classification, acclamation, officers, council…)."
    )
    subject: str | None = strawberry.field(description="Đối tượng được bỏ phiếu.")
    secret: bool = strawberry.field(description="Bỏ phiếu kín.")
    status: BallotStatus | None = strawberry.field(
        description="open (đang bỏ phiếu), closed (đã kết thúc), tallied (đã kiểm), "
        "recorded_without_figures, unopenable (bỏ phiếu kín không mở được vì mất mảnh khóa)."
    )
    eligible: int = strawberry.field(description="Số cử tri.")
    cast: int = strawberry.field(description="Số phiếu đã bỏ.")
    counts: JSON = strawberry.field(description="Số phiếu theo phương án (sau kiểm phiếu).")
    outcome: str | None = strawberry.field(
        description="Kết quả, ví dụ approved, rejected, elected, no_quorum, tie."
    )
    winner: str | None = strawberry.field(description="Phương án trúng (bầu chọn).")
    tied: list[str] = strawberry.field(description="Các phương án hòa.")
    tie_settled_by: str | None = strawberry.field(description="Cách phân định khi hòa (theo bộ quy tắc).")
    position: int | None = strawberry.field(description="Vị trí sự kiện kiểm phiếu trong sổ cái.")

    @classmethod
    def of(cls, s: BallotSummary) -> BallotTally:
        return cls(
            key=s.key,
            purpose=s.purpose,
            subject=s.subject,
            secret=s.secret,
            status=known(BallotStatus, s.status),
            eligible=s.eligible,
            cast=s.cast,
            counts=cast(JSON, dict(s.counts)),
            outcome=s.outcome,
            winner=s.winner,
            tied=list(s.tied),
            tie_settled_by=s.tie_settled_by,
            position=s.position,
        )


@strawberry.type(description="Một cuộc bỏ phiếu (bỏ phiếu công khai hoặc bỏ phiếu kín) và kết quả của nó.")
class Ballot(Node):
    province: strawberry.Private[str]
    key: str = strawberry.field(description="Mã cuộc bỏ phiếu.")
    award: str | None = strawberry.field(description="Danh hiệu/hình thức được xét (nếu có).")
    question: str | None = strawberry.field(description="approve (tán thành) hoặc elect (bầu chọn).")
    options: list[str] = strawberry.field(description="Các phương án trên phiếu.")
    opened_on: str | None = strawberry.field(description="Ngày bỏ phiếu (ISO).")
    form: str = strawberry.field(
        description="Hình thức: open (công khai), secret (kín), unrecorded (văn bản không ghi; chỉ với "
        "cuộc bỏ phiếu không có số liệu)."
    )
    note: str | None = strawberry.field(
        description="Ghi chú: điều văn bản ghi lại (cuộc bỏ phiếu không có số liệu) hoặc lý do cuộc bỏ "
        "phiếu kín không mở được."
    )
    tellers: list[str] = strawberry.field(
        description="Bỏ phiếu kín: Ban kiểm phiếu, mỗi người giữ một mảnh khóa."
    )
    tellers_needed: int | None = strawberry.field(
        description="Bỏ phiếu kín: số người kiểm phiếu phải cùng nộp mảnh khóa để mở phiếu."
    )
    quorum_met: bool | None = strawberry.field(description="Đủ túc số (sau kiểm phiếu).")
    present: int | None = strawberry.field(description="Số cử tri có mặt (sau khi kết thúc).")
    tally: BallotTally = strawberry.field(description="Số phiếu và kết quả.")

    def node_ref(self) -> tuple[str, str, str]:
        return "Ballot", self.province, self.key

    @classmethod
    def of(cls, province: str, row: BallotRow) -> Ballot:
        return cls(
            province=province,
            key=row.key,
            award=row.award,
            question=row.question,
            options=list(row.options),
            opened_on=row.opened_on,
            form=row.form,
            note=row.note,
            tellers=list(row.tellers),
            tellers_needed=row.tellers_needed,
            quorum_met=row.quorum_met,
            present=row.present,
            tally=BallotTally.of(row.summary),
        )
