"""Audit sentences of a block's year (năm thi đua của khối): members, officers, pledges, reviews,
scoring and classification, and the units' monthly staff ratings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from thidua.domain.block_minutes import ADOPTED_ITEMS, MEETING_KINDS, OFFICER_METHODS
from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import (
    CHOICE_METHODS_VI,
    ITEM_KINDS_VI,
    REVIEW_KINDS_VI,
    block,
    block_year,
    by_decision,
    code,
    day,
    decision,
    items,
    listed,
    named,
    number,
    quoted,
    reason,
    staff,
    staff_band,
    table,
    unit,
    unit_band,
)

P = dict[str, Any]


def _how(p: P) -> str:
    """How leading units were chosen, as recorded: never "by vote" when unknown."""
    method = p.get("method")
    if method == "vote":
        ballot = f" (cuộc bỏ phiếu {quoted(p.get('ballot'))})" if p.get("ballot") else ""
        return f" {CHOICE_METHODS_VI['vote']}{ballot}"
    if method == "acclamation":
        return f" {CHOICE_METHODS_VI['acclamation']}"
    if method in (None, "", "unrecorded"):
        return " (nguồn không ghi cách chọn)"
    return f" (cách chọn ghi là {quoted(method)})"


def _officers_how(p: P) -> str:
    """How officers were chosen, in the minutes' words (block_minutes.OFFICER_METHODS); a
    method the source leaves out reads as unrecorded, never as a vote."""
    method = p.get("method") or "unrecorded"
    words = OFFICER_METHODS.get(method)
    if words is None:
        return f" (cách chọn ghi là {quoted(method)})"
    if method == "unrecorded":
        return f" ({words})"
    if method == "assignment" and p.get("decision"):
        return f" do tỉnh giao theo {decision(p.get('decision'))}"
    ballot = f" (cuộc bỏ phiếu {quoted(p.get('ballot'))})" if p.get("ballot") else ""
    joined = "" if method in ("rotation", "assignment") else "bằng "
    return f" {joined}{words}{ballot}"


def year_opened(p: P, ctx: AuditContext) -> str:
    members = items(p, "members")
    claimed = p.get("members_claimed")
    mismatch = (
        f"; biên bản nêu {number(claimed)} đơn vị, khác số đơn vị được ghi tên"
        if p.get("count_mismatch") and claimed is not None
        else ""
    )
    carried = p.get("carried_from")
    if carried is not None:
        left = items(p, "left_behind")
        left_out = f"; không mang sang {listed(unit(ctx, m) for m in left)} (đã giải thể)" if left else ""
        return (
            f"Mở năm thi đua {number(p.get('year'))} của {block(ctx, p.get('block'))} khi chọn Khối trưởng, "
            f"Khối phó: mang sang {len(members)} đơn vị thành viên năm {number(carried)}: "
            f"{listed((unit(ctx, m) for m in members), limit=8)}{left_out}."
        )
    return (
        f"Mở năm thi đua {number(p.get('year'))} của {block(ctx, p.get('block'))} với {len(members)} "
        f"đơn vị thành viên: {listed((unit(ctx, m) for m in members), limit=8)}{mismatch}"
        f"{by_decision(p.get('decision'))}."
    )


def member_added(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    return f"Bổ sung {unit(ctx, p.get('unit'))} vào {name} năm {year}{by_decision(p.get('decision'))}."


def member_joined_for_period(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    earlier = p.get("earlier")
    before = f"; trước đó thuộc khối {quoted(earlier)}" if earlier else ""
    return (
        f"Bổ sung {unit(ctx, p.get('unit'))} vào {name} năm {year} cho thời gian từ "
        f"{day(p.get('starts_on'))} đến {day(p.get('ends_on'))}{before}{by_decision(p.get('decision'))}."
    )


def member_period_ended(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    return (
        f"Kết thúc sớm thời gian {unit(ctx, p.get('unit'))} là thành viên {name} năm {year}: từ "
        f"{day(p.get('starts_on'))} đến {day(p.get('ends_on'))} (trước đó đến {day(p.get('was_ends_on'))})"
        f"{by_decision(p.get('decision'))}{reason(p.get('reason'))}."
    )


def member_removed(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    return (
        f"Đưa {unit(ctx, p.get('unit'))} ra khỏi {name} năm {year}{by_decision(p.get('decision'))}"
        f"{reason(p.get('reason'))}."
    )


def officers_chosen(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    deputy = unit(ctx, p.get("deputy")) if p.get("deputy") else "không có"
    when = p.get("chosen_in_year")
    chosen = f", chọn trong năm {number(when)}" if when is not None else ""
    return (
        f"{name} năm {year}: Khối trưởng {unit(ctx, p.get('leader'))}, Khối phó {deputy}; "
        f"được chọn{_officers_how(p)}{chosen}."
    )


def pledge_signed(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    targets = table(p, "targets")
    movement = f", hưởng ứng phong trào {named(ctx, 'movement', p['movement'])}" if p.get("movement") else ""
    count = f" với {len(targets)} chỉ tiêu" if targets else ""
    if p.get("targets_unrecorded"):
        count = " (biên bản không ghi chỉ tiêu)"
    return f"{unit(ctx, p.get('unit'))} ký giao ước thi đua năm {year} của {name}{count}{movement}."


def review_held(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    chair = f", {unit(ctx, p.get('chaired_by'))} chủ trì" if p.get("chaired_by") else ""
    note = f"; ghi chú: {quoted(p['note'])}" if p.get("note") else ""
    on = f" ngày {day(p['held_on'])}" if p.get("held_on") else ""
    figures = (
        [f"tỷ lệ hoàn thành {number(p['completion_rate']).replace('.', ',')}%"]
        if p.get("completion_rate")
        else []
    )
    figures += [f"{quoted(label)}: {number(count)}" for label, count in table(p, "counts").items()]
    shown = f"; số liệu: {listed(figures, limit=8)}" if figures else ""
    return (
        f"{name} tổ chức hội nghị {code(REVIEW_KINDS_VI, p.get('kind'))} năm {year}{on}{chair}{shown}{note}."
    )


def meeting_held(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    host = f", {unit(ctx, p.get('host'))} chủ trì" if p.get("host") else ""
    adopted = items(p, "adopted")
    what = f"; thông qua, ký kết: {listed(code(ADOPTED_ITEMS, a) for a in adopted)}" if adopted else ""
    note = f"; ghi chú: {quoted(p['note'])}" if p.get("note") else ""
    return (
        f"{name} tổ chức {code(MEETING_KINDS, p.get('kind'))} năm {year} ngày {day(p.get('held_on'))}"
        f"{host}{what}{note}."
    )


def leading_units_chosen(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    units = items(p, "units")
    return (
        f"{name} chọn đơn vị dẫn đầu năm {year}: {listed(unit(ctx, u) for u in units)}; được chọn{_how(p)}."
    )


def table_adopted(p: P, ctx: AuditContext) -> str:
    def count(field: str) -> int:
        value = p.get(field)
        return len(value) if isinstance(value, list) else 0

    return (
        f"Ban hành bảng chấm điểm năm {number(p.get('year'))} của {block(ctx, p.get('block'))}: "
        f"{count('criteria')} tiêu chí, {count('bonus_items')} mục điểm thưởng, "
        f"{count('deduction_items')} mục điểm trừ."
    )


def _points(value: Any) -> float:
    if isinstance(value, dict):
        return sum(float(v) for v in value.values() if isinstance(v, int | float))
    return 0.0


def self_assessed(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    bonuses = items(p, "bonuses")
    deductions = items(p, "deductions")
    return (
        f"{unit(ctx, p.get('unit'))} tự chấm điểm năm {year} theo bảng của {name}: "
        f"{number(_points(p.get('scores')))} điểm theo tiêu chí, {len(bonuses)} mục điểm thưởng, "
        f"{len(deductions)} mục điểm trừ."
    )


def score_adjusted(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    return (
        f"Thẩm định chéo ({name}, năm {year}): {unit(ctx, p.get('unit'))}, "
        f"{code(ITEM_KINDS_VI, p.get('item_kind'))} {quoted(p.get('item'))} từ "
        f"{number(p.get('old_points'))} thành {number(p.get('new_points'))} điểm{reason(p.get('reason'))}."
    )


def unit_classified(p: P, ctx: AuditContext) -> str:
    name, year = block_year(ctx)
    below = items(p, "below_floor")
    floor = f"; {len(below)} tiêu chí dưới mức sàn của loại cao hơn" if below else ""
    return (
        f"Xếp loại {unit(ctx, p.get('unit'))} năm {year} ({name}): {unit_band(p.get('band'))}, "
        f"tổng {number(p.get('total'))} điểm{floor}."
    )


def _period(p: P) -> str:
    if p.get("quarter") is not None and p.get("month") is None:
        return f"quý {number(p.get('quarter'))}/{number(p.get('year'))}"
    return f"tháng {number(p.get('month'))}/{number(p.get('year'))}"


def sheet_submitted(p: P, ctx: AuditContext) -> str:
    entries = [e for e in p.get("entries") or () if isinstance(e, dict)]
    bands = Counter(str(e.get("band")) for e in entries)
    figures = listed((f"{n} {b}" for b, n in sorted(bands.items())), limit=6)
    return (
        f"{unit(ctx, p.get('unit'))} nộp bảng xếp loại {_period(p)}: {len(entries)} cán bộ"
        + (f" ({figures})" if entries else "")
        + "."
    )


def rating_corrected(p: P, ctx: AuditContext) -> str:
    here = ctx.aggregate()
    return (
        f"Sửa xếp loại {_period(here)} của cán bộ {staff(ctx, p.get('staff'))} "
        f"({unit(ctx, here.get('unit'))}): "
        f"từ {number(p.get('old_score'))} thành {number(p.get('new_score'))} điểm, "
        f"loại {staff_band(p.get('band'))}{reason(p.get('reason'))}."
    )


SENTENCES = {
    "BlockYear.Opened": year_opened,
    "BlockYear.MemberAdded": member_added,
    "BlockYear.MemberRemoved": member_removed,
    "BlockYear.MemberJoinedForPeriod": member_joined_for_period,
    "BlockYear.MemberPeriodEnded": member_period_ended,
    "BlockYear.OfficersChosen": officers_chosen,
    "BlockYear.PledgeSigned": pledge_signed,
    "BlockYear.ReviewHeld": review_held,
    "BlockYear.MeetingHeld": meeting_held,
    "BlockYear.LeadingUnitsChosen": leading_units_chosen,
    "BlockScoring.TableAdopted": table_adopted,
    "BlockScoring.SelfAssessed": self_assessed,
    "BlockScoring.ScoreAdjusted": score_adjusted,
    "BlockScoring.UnitClassified": unit_classified,
    "RatingSheet.Submitted": sheet_submitted,
    "RatingSheet.RatingCorrected": rating_corrected,
}
