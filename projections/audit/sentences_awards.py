"""Audit sentences of awards (khen thưởng): proposals and their dossiers, disclosure, the council,
decisions, revocations, and each recipient's record."""

from __future__ import annotations

from typing import Any

from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import (
    AUTHORITIES_VI,
    AWARD_TYPE_VI,
    DOSSIER_ITEMS_VI,
    GROUNDS_VI,
    MEMBER_STATS_VI,
    SCOPES_VI,
    award,
    block,
    code,
    day,
    items,
    listed,
    money,
    number,
    quoted,
    reason,
    recipient,
    table,
    unit_band,
)

P = dict[str, Any]


def _proposal(ctx: AuditContext) -> str:
    return quoted(ctx.aggregate().get("key"))


def _own_recipient(ctx: AuditContext) -> str:
    here = ctx.aggregate()
    return recipient(ctx, here.get("recipient_kind"), here.get("recipient"))


def size(value: Any) -> str:
    """A file size as people read it (byte counts in Vietnamese words)."""
    if not isinstance(value, int):
        return "(không rõ dung lượng)"
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if value >= scale:
            return f"{number(round(value / scale, 1))} {unit}"
    return f"{value} byte"


def submitted(p: P, ctx: AuditContext) -> str:
    proposer = p.get("proposer")
    by = ctx.name("block", proposer) or ctx.name("unit", proposer) or quoted(proposer)
    who = p.get("recipient_name") or recipient(ctx, p.get("recipient_kind"), p.get("recipient"))
    missing = items(p, "prerequisites_missing")
    pending = f"; còn {len(missing)} điều kiện tiên quyết chưa có trong hồ sơ" if missing else ""
    group = ""
    if p.get("group"):
        claimed = p.get("group_claimed_count")
        claim = f", tờ trình chung nêu {number(claimed)} đối tượng" if claimed is not None else ""
        group = f"; thuộc tờ trình chung {quoted(p['group'])}{claim}"
    return (
        f"{by} đề nghị tặng {award(p.get('award'))} năm {number(p.get('year'))} cho {who} "
        f"(tờ trình {quoted(p.get('key'))}, {code(AUTHORITIES_VI, p.get('authority'))} quyết định"
        f"{_award_type(p)}){pending}{group}."
    )


def _award_type(p: P) -> str:
    """The kind of award (loại hình), when it is not the regular yearly one."""
    kind = p.get("award_type")
    return f", {code(AWARD_TYPE_VI, kind)}" if kind and kind != "thuong_xuyen" else ""


def document_attached(p: P, ctx: AuditContext) -> str:
    item = code(DOSSIER_ITEMS_VI, p.get("item"))
    parts = [f"số hiệu {quoted(p['reference'])}"] if p.get("reference") else []
    stored = table(p, "file")
    if stored:
        digest = stored.get("sha256")
        hashed = f", SHA-256 {str(digest)[:12]}…" if isinstance(digest, str) and digest else ""
        parts.append(f"tệp {quoted(stored.get('name'))} ({size(stored.get('size'))}{hashed})")
    return f"Bổ sung {item} vào hồ sơ đề nghị {_proposal(ctx)}: {listed(parts) if parts else '(không ghi)'}."


def disclosure_opened(p: P, ctx: AuditContext) -> str:
    return (
        f"Công khai đề nghị {_proposal(ctx)} trên {quoted(p.get('channel'))} từ "
        f"{day(p.get('published_on'))}, nhận ý kiến đến hết {day(p.get('comment_until'))}."
    )


def comment_recorded(p: P, ctx: AuditContext) -> str:
    kind = "ý kiến phản đối" if p.get("objection") else "ý kiến"
    late = "" if p.get("within_window", True) else " (nhận sau thời hạn công khai)"
    author = quoted(p.get("author"))
    return f"Ghi nhận {kind} của {author} về đề nghị {_proposal(ctx)}{late}: {quoted(p.get('text'))}."


def council_voted(p: P, ctx: AuditContext) -> str:
    verdict = "tán thành" if p.get("approved") else "không tán thành"
    ballot = quoted(p.get("ballot"))
    return (
        f"Hội đồng Thi đua – Khen thưởng bỏ phiếu về đề nghị {_proposal(ctx)} (cuộc bỏ phiếu {ballot}): "
        f"{verdict}."
    )


def forwarded(p: P, ctx: AuditContext) -> str:
    authority = code(AUTHORITIES_VI, p.get("to_authority"))
    return f"Trình {authority} đề nghị {_proposal(ctx)}; đủ điều kiện tiên quyết."


def withdrawn(p: P, ctx: AuditContext) -> str:
    return f"Rút đề nghị {_proposal(ctx)}{reason(p.get('reason'))}."


def decided(p: P, ctx: AuditContext) -> str:
    return f"Đề nghị {_proposal(ctx)} đã có quyết định khen thưởng số {quoted(p.get('decision'))}."


def _names(ctx: AuditContext, items: Any) -> list[str]:
    found = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict):
            found.append(str(item.get("name") or recipient(ctx, item.get("kind"), item.get("key"))))
        elif isinstance(item, str):
            found.append(recipient(ctx, None, item))
    return found


def decision_recorded(p: P, ctx: AuditContext) -> str:
    recipients = items(p, "recipients")
    named = _names(ctx, recipients)
    claimed = p.get("claimed_count")
    mismatch = (
        f"; quyết định nêu {number(claimed)} đối tượng, ghi tên {len(named)}"
        if claimed is not None and claimed != len(named)
        else ""
    )
    historical = " (nhập lại quyết định có trước khi dùng hệ thống)" if p.get("historical") else ""
    total = p.get("prize_total")
    prize = f"; tổng tiền thưởng {money(total)}" if isinstance(total, int) else ""
    grants = [g for g in items(p, "grants") if isinstance(g, dict)]
    if len(grants) > 1:
        parts = []
        for g in grants:
            mine = [r for r in recipients if isinstance(r, dict) and r.get("award") == g.get("award")]
            names = _names(ctx, mine)
            claim = g.get("claimed_count")
            gap = f" (văn bản nêu {number(claim)})" if g.get("count_mismatch") and claim is not None else ""
            parts.append(f"{award(g.get('award'))} cho {len(names)} đối tượng{gap}: {listed(names)}")
        granted = "; ".join(parts)
        return (
            f"Quyết định khen thưởng số {quoted(p.get('number'))}, người ký {quoted(p.get('signer'))}, năm "
            f"{number(p.get('year'))}{_award_type(p)}: tặng {len(grants)} danh hiệu, hình thức cho "
            f"{len(named)} đối tượng — {granted}{prize}{mismatch}{historical}."
        )
    one = grants[0] if grants else {}
    claim = one.get("claimed_count")
    if one.get("count_mismatch") and claim is not None and not mismatch:
        mismatch = f"; quyết định nêu {number(claim)} đối tượng, ghi tên {len(named)}"
    return (
        f"Quyết định khen thưởng số {quoted(p.get('number'))}, người ký {quoted(p.get('signer'))}: tặng "
        f"{award(p.get('award'))} năm {number(p.get('year'))}{_award_type(p)} cho {len(named)} đối tượng: "
        f"{listed(named)}{prize}{mismatch}{historical}."
    )


def decision_revoked(p: P, ctx: AuditContext) -> str:
    here = ctx.aggregate()
    targets = _names(ctx, p.get("recipients"))
    recover = "; thu hồi hiện vật và tiền thưởng" if p.get("recover_object") else ""
    if recover and isinstance(p.get("recover_amount"), int):
        recover += f" ({money(p['recover_amount'])})"
    return (
        f"Hủy bỏ quyết định khen thưởng số {quoted(here.get('number'))} đối với {listed(targets)} bằng quyết "
        f"định số {quoted(p.get('revoking_decision'))}; căn cứ: {code(GROUNDS_VI, p.get('ground'))}"
        f"{reason(p.get('reason'))}{recover}."
    )


def record_opened(p: P, ctx: AuditContext) -> str:
    return f"Mở hồ sơ thi đua, khen thưởng của {recipient(ctx, p.get('recipient_kind'), p.get('recipient'))}."


def title_entered(p: P, ctx: AuditContext) -> str:
    return (
        f"Ghi danh hiệu {award(p.get('award'))} năm {number(p.get('year'))} (quyết định số "
        f"{quoted(p.get('decision'))}) vào hồ sơ của {_own_recipient(ctx)}."
    )


def title_struck(p: P, ctx: AuditContext) -> str:
    return (
        f"Gạch danh hiệu {award(p.get('award'))} năm {number(p.get('year'))} khỏi hồ sơ của "
        f"{_own_recipient(ctx)}: quyết định số {quoted(p.get('decision'))} bị hủy bỏ bằng quyết định số "
        f"{quoted(p.get('revoked_by'))}."
    )


def achievement_reserved(p: P, ctx: AuditContext) -> str:
    return (
        f"Thành tích {quoted(p.get('achievement'))} của {_own_recipient(ctx)} được dùng cho đề nghị "
        f"{quoted(p.get('proposal'))} ({award(p.get('award'))} năm {number(p.get('year'))})."
    )


def achievement_released(p: P, ctx: AuditContext) -> str:
    return (
        f"Thành tích {quoted(p.get('achievement'))} của {_own_recipient(ctx)} không còn gắn với đề nghị nào"
        f"{reason(p.get('reason'))}."
    )


def fact_noted(p: P, ctx: AuditContext) -> str:
    who, year, fact, value = _own_recipient(ctx), number(p.get("year")), p.get("fact"), p.get("value")
    if fact == "block_leader":
        said = f"là Khối trưởng {block(ctx, value)}"
    elif fact == "block_deputy":
        said = f"là Khối phó {block(ctx, value)}"
    elif fact == "leading_unit":
        said = f"là đơn vị dẫn đầu {block(ctx, value)}"
    elif fact == "classification":
        said = f"được xếp loại {unit_band(value)}"
    elif fact == "member_stats" and isinstance(value, dict):
        said = "có " + listed((f"{number(n)} {code(MEMBER_STATS_VI, k)}" for k, n in value.items()), limit=6)
    else:
        said = f"có dữ kiện {quoted(fact)}"
    return f"Ghi vào hồ sơ: năm {year}, {who} {said}."


def initiative_recognized(p: P, ctx: AuditContext) -> str:
    return (
        f"Công nhận sáng kiến {quoted(p.get('initiative'))} của {_own_recipient(ctx)}, phạm vi "
        f"{code(SCOPES_VI, p.get('scope'))}, năm {number(p.get('year'))} "
        f"(văn bản {quoted(p.get('reference'))})."
    )


def predecessor_absorbed(p: P, ctx: AuditContext) -> str:
    here = ctx.aggregate()
    before = recipient(ctx, here.get("recipient_kind"), p.get("predecessor"))
    titles = items(p, "titles")
    initiatives = items(p, "initiatives")
    return (
        f"{_own_recipient(ctx)} tiếp nhận hồ sơ thi đua, khen thưởng của {before} (sáp nhập): "
        f"{len(titles)} danh hiệu, {len(initiatives)} sáng kiến; các năm liên tục được giữ."
    )


SUCCESSIONS_VI = {
    "merge": "sáp nhập",
    "consolidation": "hợp nhất",
    "split": "chia tách",
    "rename": "đổi tên",
    "transfer": "điều chuyển",
}


def succeeded_from(p: P, ctx: AuditContext) -> str:
    here = ctx.aggregate()
    province, _, key = str(p.get("predecessor") or "").rpartition("/")
    before = recipient(ctx, here.get("recipient_kind"), key or None)
    where = f" của tỉnh «{province}»" if province else ""
    titles = items(p, "titles")
    return (
        f"{_own_recipient(ctx)} kế thừa {before}{where} ({code(SUCCESSIONS_VI, p.get('succession'))}, "
        f"văn bản {quoted(p.get('document'))}): hồ sơ có {len(titles)} danh hiệu; năm liên tục được "
        "tính theo chính sách kế thừa của bộ quy tắc khi xét."
    )


def inherited_title_revoked(p: P, ctx: AuditContext) -> str:
    province, _, key = str(p.get("predecessor") or "").rpartition("/")
    before = recipient(ctx, ctx.aggregate().get("recipient_kind"), key or None)
    return (
        f"Hủy bỏ danh hiệu {award(p.get('award'))} năm {number(p.get('year'))} mà {_own_recipient(ctx)} kế "
        f"thừa từ {before}: quyết định số {quoted(p.get('decision'))} của tỉnh "
        f"{quoted(p.get('decision_province') or province)} do "
        f"{code(AUTHORITIES_VI, p.get('decision_authority'))} "
        f"({quoted(p.get('decision_signer'))} ký) ban hành trước sáp nhập, bị hủy bỏ bằng quyết định số "
        f"{quoted(p.get('revoking_decision'))} của {code(AUTHORITIES_VI, p.get('revoking_authority'))} tỉnh "
        f"kế thừa ({quoted(p.get('revoking_signer'))} ký); căn cứ: {code(GROUNDS_VI, p.get('ground'))}"
        f"{reason(p.get('reason'))}."
    )


SENTENCES = {
    "AwardProposal.Submitted": submitted,
    "AwardProposal.DocumentAttached": document_attached,
    "AwardProposal.DisclosureOpened": disclosure_opened,
    "AwardProposal.CommentRecorded": comment_recorded,
    "AwardProposal.CouncilVoted": council_voted,
    "AwardProposal.Forwarded": forwarded,
    "AwardProposal.Withdrawn": withdrawn,
    "AwardProposal.Decided": decided,
    "AwardDecision.Recorded": decision_recorded,
    "AwardDecision.Revoked": decision_revoked,
    "AwardRecord.Opened": record_opened,
    "AwardRecord.TitleEntered": title_entered,
    "AwardRecord.TitleStruck": title_struck,
    "AwardRecord.AchievementReserved": achievement_reserved,
    "AwardRecord.AchievementReleased": achievement_released,
    "AwardRecord.FactNoted": fact_noted,
    "AwardRecord.InitiativeRecognized": initiative_recognized,
    "AwardRecord.PredecessorAbsorbed": predecessor_absorbed,
    "AwardRecord.SucceededFrom": succeeded_from,
    "AwardRecord.InheritedTitleRevoked": inherited_title_revoked,
}
