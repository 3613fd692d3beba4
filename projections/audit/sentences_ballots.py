"""Audit sentences of ballots (bỏ phiếu): what was asked of whom, who voted (never what a secret
paper says), the count."""

from __future__ import annotations

from typing import Any

from thidua.domain.block_minutes import BALLOT_FORMS
from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import (
    ELECTORATES_VI,
    OUTCOMES_VI,
    PURPOSES_VI,
    QUESTIONS_VI,
    TIE_SETTLED_VI,
    award,
    block,
    code,
    items,
    listed,
    number,
    option,
    quoted,
    reason,
    table,
    voter,
)

P = dict[str, Any]


def _ballot(ctx: AuditContext) -> str:
    return quoted(ctx.aggregate().get("key"))


def opened(p: P, ctx: AuditContext) -> str:
    kind = "kín" if p.get("secret") else "công khai"
    voters = items(p, "voters")
    options = items(p, "options")
    about = f" về {award(p['award'])}" if p.get("award") else ""
    subject = f" (đối tượng {option(ctx, p['subject'])})" if p.get("subject") else ""
    tellers = items(p, "tellers")
    counting = (
        f"; ban kiểm phiếu {len(tellers)} người, cần {number(p.get('tellers_needed'))} người để mở phiếu"
        if tellers
        else ""
    )
    return (
        f"Mở cuộc bỏ phiếu {kind} {quoted(p.get('key'))}{about}{subject}, "
        f"mục đích {code(PURPOSES_VI, p.get('purpose'))}: "
        f"{code(QUESTIONS_VI, p.get('question'))}; phương án: {listed(option(ctx, o) for o in options)}; "
        f"{len(voters)} người bỏ phiếu ({code(ELECTORATES_VI, p.get('electorate'))}){counting}."
    )


def recorded_without_figures(p: P, ctx: AuditContext) -> str:
    subject = f" (đối tượng {option(ctx, p['subject'])})" if p.get("subject") else ""
    where = (
        f" tại hội nghị {block(ctx, p.get('block'))} năm {number(p.get('year'))}" if p.get("block") else ""
    )
    form = BALLOT_FORMS.get(str(p.get("form") or "unrecorded"), BALLOT_FORMS["unrecorded"])
    return (
        f"Ghi nhận cuộc bỏ phiếu {quoted(p.get('key'))}{subject}{where}, "
        f"mục đích {code(PURPOSES_VI, p.get('purpose'))}, theo "
        f"nguồn không có số phiếu, {form}; ghi chú: {quoted(p.get('note'))}."
    )


def open_vote_cast(p: P, ctx: AuditContext) -> str:
    who, choice = voter(ctx, p.get("voter")), option(ctx, p.get("choice"))
    return f"{who} bỏ phiếu công khai trong cuộc bỏ phiếu {_ballot(ctx)}: {choice}."


def sealed_paper_cast(p: P, ctx: AuditContext) -> str:
    who = voter(ctx, p.get("voter"))
    return f"{who} đã bỏ phiếu kín trong cuộc bỏ phiếu {_ballot(ctx)} (nội dung phiếu được niêm phong)."


def closed(p: P, ctx: AuditContext) -> str:
    present = p.get("present")
    count = len(present) if isinstance(present, list) else present
    return f"Kết thúc bỏ phiếu {_ballot(ctx)}: {number(count)} người có mặt."


def tallied(p: P, ctx: AuditContext) -> str:
    counts = table(p, "counts")
    figures = listed((f"{option(ctx, o)} {number(n)} phiếu" for o, n in counts.items()), limit=8)
    papers = p.get("papers")
    cast = len(papers) if isinstance(papers, list) else None
    winner = f"; chọn: {option(ctx, p['winner'])}" if p.get("winner") else ""
    tie = (
        f"; hòa phiếu, giải quyết {code(TIE_SETTLED_VI, p['tie_settled_by'])}"
        if p.get("tie_settled_by")
        else ""
    )
    quorum = "" if p.get("quorum_met", True) else "; không đủ túc số"
    # The tally's row carries every opened paper (paper id and choice): it names the ballot by
    # its kind and purpose, not by its key, which often holds the key of a unit voted on, who
    # may be a voter too; no row may put a voter's key beside the papers (tested as text).
    here = ctx.aggregate()
    kind = "kín" if here.get("secret") else "công khai"
    return (
        f"Kiểm phiếu cuộc bỏ phiếu {kind} ({code(PURPOSES_VI, here.get('purpose'))}): {figures}"
        + (f" trên {cast} phiếu" if cast is not None else "")
        + f", {number(p.get('present'))}/{number(p.get('eligible'))} người có mặt; "
        + f"{code(OUTCOMES_VI, p.get('outcome'))}{winner}{tie}{quorum}."
    )


def key_destroyed(p: P, ctx: AuditContext) -> str:
    return f"Hủy khóa niêm phong phiếu kín của cuộc bỏ phiếu {_ballot(ctx)} (khóa còn lại sau sự cố)."


def declared_unopenable(p: P, ctx: AuditContext) -> str:
    return f"Ghi nhận cuộc bỏ phiếu kín {_ballot(ctx)} không mở được phiếu{reason(p.get('reason'))}."


SENTENCES = {
    "Ballot.Opened": opened,
    "Ballot.RecordedWithoutFigures": recorded_without_figures,
    "Ballot.OpenVoteCast": open_vote_cast,
    "Ballot.SealedPaperCast": sealed_paper_cast,
    "Ballot.Closed": closed,
    "Ballot.Tallied": tallied,
    "Ballot.SealingKeyDestroyed": key_destroyed,
    "Ballot.DeclaredUnopenable": declared_unopenable,
}
