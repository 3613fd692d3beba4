"""Audit sentences of the board's handling of a dossier (xử lý hồ sơ đề nghị): reception,
assignment, appraisal, returns, resubmitted versions and recalls, with the names of the
proposal's recipient and proposer."""

from __future__ import annotations

from typing import Any

from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import (
    DOSSIER_ITEMS_VI,
    award,
    code,
    day,
    items,
    listed,
    number,
    quoted,
    reason,
    recipient,
    table,
)

P = dict[str, Any]

STAGES_VI = {
    "submitted": "chờ tiếp nhận",
    "received": "đã tiếp nhận",
    "assigned": "đang thẩm định",
    "appraised": "đã thẩm định",
    "council_approved": "Hội đồng đã tán thành",
    "council_rejected": "Hội đồng không tán thành",
    "forwarded": "đã trình",
}


def _dossier(ctx: AuditContext) -> str:
    """«ttr-01» (đề nghị tặng Bằng khen ... cho Trường Chính trị tỉnh)."""
    here = ctx.aggregate()
    who = here.get("recipient_name") or recipient(ctx, here.get("recipient_kind"), here.get("recipient"))
    what = f" (đề nghị tặng {award(here.get('award'))} cho {who})" if here.get("award") else ""
    return f"{quoted(here.get('key'))}{what}"


def _proposer(ctx: AuditContext) -> str:
    proposer = ctx.aggregate().get("proposer")
    return ctx.name("block", proposer) or ctx.name("unit", proposer) or quoted(proposer)


def received(p: P, ctx: AuditContext) -> str:
    return (
        f"Ban Thi đua – Khen thưởng tiếp nhận hồ sơ {_dossier(ctx)}, phiên bản "
        f"{number(p.get('dossier_version'))}; "
        f"hạn giao chuyên viên: {day(p.get('due_on'))}."
    )


def assigned(p: P, ctx: AuditContext) -> str:
    officer = quoted(p.get("officer_name") or p.get("officer"))
    return (
        f"Giao chuyên viên {officer} thẩm định hồ sơ {_dossier(ctx)}, hạn {day(p.get('due_on'))}"
        f"{reason(p.get('reason'))}."
    )


def appraised(p: P, ctx: AuditContext) -> str:
    by = f" (chuyên viên {quoted(p['officer'])})" if p.get("officer") else ""
    return f"Thẩm định xong hồ sơ {_dossier(ctx)}{by}: {quoted(p.get('finding'))}."


def returned(p: P, ctx: AuditContext) -> str:
    reasons = [quoted(r) for r in items(p, "reasons")]
    stage = code(STAGES_VI, p.get("stage"))
    return (
        f"Trả lại hồ sơ {_dossier(ctx)} (phiên bản {number(p.get('dossier_version'))}, {stage}) cho "
        f"{_proposer(ctx)} để bổ sung, sửa đổi; lý do: {listed(reasons, limit=10)}; hạn nộp lại "
        f"{day(p.get('due_on'))}."
    )


def resubmitted(p: P, ctx: AuditContext) -> str:
    dossier = table(p, "dossier")
    papers = [f"{code(DOSSIER_ITEMS_VI, k)} {quoted(v)}" for k, v in sorted(dossier.items())]
    added = f" với {listed(papers)}" if papers else ""
    note = f"; giải trình: {quoted(p['note'])}" if p.get("note") else ""
    return (
        f"{_proposer(ctx)} nộp lại hồ sơ {_dossier(ctx)}, phiên bản "
        f"{number(p.get('dossier_version'))}{added}; "
        f"phiên bản trước được giữ nguyên{note}."
    )


def recalled(p: P, ctx: AuditContext) -> str:
    return f"{_proposer(ctx)} thu hồi hồ sơ {_dossier(ctx)}{reason(p.get('reason'))}."


SENTENCES = {
    "AwardProposal.Received": received,
    "AwardProposal.Assigned": assigned,
    "AwardProposal.Appraised": appraised,
    "AwardProposal.ReturnedForCorrection": returned,
    "AwardProposal.Resubmitted": resubmitted,
    "AwardProposal.Recalled": recalled,
}
