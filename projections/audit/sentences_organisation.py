"""Audit sentences of the province's organisation: units, staff, blocks, movements, registrations,
discipline, the rule book and the council."""

from __future__ import annotations

from typing import Any

from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import (
    BLOCK_KINDS_VI,
    CASE_KINDS_VI,
    CASE_OUTCOMES_VI,
    COUNCIL_ROLES_VI,
    EXEMPLARY_COUNTS_VI,
    MOVEMENT_KINDS_VI,
    RATING_GROUPS_VI,
    RULE_NAMES_VI,
    STAFF_KINDS_VI,
    award,
    block,
    by_decision,
    code,
    day,
    decision,
    items,
    listed,
    money,
    named,
    number,
    quoted,
    reason,
    recipient,
    staff_band,
    table,
    unit,
)

P = dict[str, Any]


def _own(ctx: AuditContext, kind: str) -> str:
    """The event's own unit, staff member or block (its key is in its creation event)."""
    return named(ctx, kind, ctx.aggregate().get("key"))


def unit_registered(p: P, ctx: AuditContext) -> str:
    return f"Đăng ký đơn vị {quoted(p.get('name'))}."


def unit_renamed(p: P, ctx: AuditContext) -> str:
    return f"Đổi tên đơn vị {_own(ctx, 'unit')} thành {quoted(p.get('name'))}."


def unit_dissolved(p: P, ctx: AuditContext) -> str:
    text = (
        f"Giải thể đơn vị {_own(ctx, 'unit')} từ ngày {day(p.get('dissolved_on'))} "
        f"theo {quoted(p.get('decision_ref'))}"
    )
    if p.get("successor"):
        text += f"; sáp nhập vào {unit(ctx, p.get('successor'))}"
    return text + "."


def unit_joined_block(p: P, ctx: AuditContext) -> str:
    kind = code(BLOCK_KINDS_VI, p.get("kind"))
    return f"{_own(ctx, 'unit')} tham gia {kind} {block(ctx, p.get('block'))} năm {number(p.get('year'))}."


def unit_joined_block_for_period(p: P, ctx: AuditContext) -> str:
    kind = code(BLOCK_KINDS_VI, p.get("kind"))
    return (
        f"{_own(ctx, 'unit')} tham gia {kind} {block(ctx, p.get('block'))} năm {number(p.get('year'))} "
        f"từ {day(p.get('starts_on'))} đến {day(p.get('ends_on'))}."
    )


def unit_block_period_ended(p: P, ctx: AuditContext) -> str:
    kind = code(BLOCK_KINDS_VI, p.get("kind"))
    return (
        f"{_own(ctx, 'unit')} thôi tham gia {kind} {block(ctx, p.get('block'))} năm {number(p.get('year'))} "
        f"sau ngày {day(p.get('ends_on'))} (thời gian bắt đầu từ {day(p.get('starts_on'))})."
    )


def unit_left_block(p: P, ctx: AuditContext) -> str:
    kind = code(BLOCK_KINDS_VI, p.get("kind"))
    return f"{_own(ctx, 'unit')} rời {kind} {block(ctx, p.get('block'))} năm {number(p.get('year'))}."


def staff_registered(p: P, ctx: AuditContext) -> str:
    kind = f", {code(STAFF_KINDS_VI, p['staff_kind'])}" if p.get("staff_kind") else ""
    return (
        f"Đăng ký cán bộ {quoted(p.get('name'))} thuộc {unit(ctx, p.get('unit'))}{kind}, "
        f"nhóm xếp loại «{code(RATING_GROUPS_VI, p.get('rating_group'))}»."
    )


def staff_kind_changed(p: P, ctx: AuditContext) -> str:
    kind = code(STAFF_KINDS_VI, p.get("staff_kind"))
    return f"Ghi cán bộ {_own(ctx, 'staff')} là {kind}{reason(p.get('reason'))}."


def staff_group_changed(p: P, ctx: AuditContext) -> str:
    group = code(RATING_GROUPS_VI, p.get("rating_group"))
    return f"Chuyển cán bộ {_own(ctx, 'staff')} sang nhóm xếp loại «{group}»."


def staff_transferred(p: P, ctx: AuditContext) -> str:
    group = code(RATING_GROUPS_VI, p.get("rating_group"))
    return (
        f"Điều chuyển cán bộ {_own(ctx, 'staff')} sang {unit(ctx, p.get('unit'))}, nhóm xếp loại «{group}»."
    )


def staff_year_rating(p: P, ctx: AuditContext) -> str:
    months = p.get("monthly_scores")
    counted = f" từ {len(months)} tháng" if isinstance(months, dict | list) else ""
    return (
        f"Xếp loại năm {number(p.get('year'))} của cán bộ {_own(ctx, 'staff')}: "
        f"{staff_band(p.get('band'))} (điểm bình quân {number(p.get('average'))}{counted})"
        f"{reason(p.get('reason'))}."
    )


def block_created(p: P, ctx: AuditContext) -> str:
    return (
        f"Thành lập {code(BLOCK_KINDS_VI, p.get('kind'))} {quoted(p.get('name'))}"
        f"{by_decision(p.get('decision'))}."
    )


def block_reformed(p: P, ctx: AuditContext) -> str:
    return (
        f"Kiện toàn, thành lập lại {_own(ctx, 'block')} theo {decision(p.get('decision'))}; "
        f"tên khối: {quoted(p.get('name'))}."
    )


def block_renamed(p: P, ctx: AuditContext) -> str:
    return f"Đổi tên {_own(ctx, 'block')} thành {quoted(p.get('name'))}."


def block_disbanded(p: P, ctx: AuditContext) -> str:
    return (
        f"Giải thể {_own(ctx, 'block')} từ ngày {day(p.get('disbanded_on'))} "
        f"theo {quoted(p.get('decision_ref'))}."
    )


def movement_launched(p: P, ctx: AuditContext) -> str:
    return (
        f"Phát động phong trào thi đua {code(MOVEMENT_KINDS_VI, p.get('kind'))} {quoted(p.get('name'))} "
        f"từ {day(p.get('starts_on'))} đến {day(p.get('ends_on'))}."
    )


def movement_ended(p: P, ctx: AuditContext) -> str:
    summary = f"; tổng kết: {quoted(p['summary'])}" if p.get("summary") else ""
    return f"Kết thúc phong trào thi đua {_own(ctx, 'movement')} ngày {day(p.get('ended_on'))}{summary}."


def _registrant(ctx: AuditContext) -> tuple[str, str]:
    here = ctx.aggregate()
    return recipient(ctx, here.get("registrant_kind"), here.get("registrant")), number(here.get("year", "?"))


def registration_opened(p: P, ctx: AuditContext) -> str:
    who = recipient(ctx, p.get("registrant_kind"), p.get("registrant"))
    return f"Mở sổ đăng ký thi đua năm {number(p.get('year'))} của {who}."


def title_registered(p: P, ctx: AuditContext) -> str:
    who, year = _registrant(ctx)
    movement = f", hưởng ứng phong trào {named(ctx, 'movement', p['movement'])}" if p.get("movement") else ""
    return f"{who} đăng ký danh hiệu {award(p.get('award'))} năm {year}{movement}."


def exemplary_registered(p: P, ctx: AuditContext) -> str:
    who, year = _registrant(ctx)
    counts = table(p, "counts")
    figures = listed(f"{number(n)} {code(EXEMPLARY_COUNTS_VI, k)}" for k, n in sorted(counts.items()))
    return f"{who} đăng ký nêu gương năm {year} theo chủ đề {quoted(p.get('theme'))}: {figures}."


def _subject(ctx: AuditContext) -> str:
    here = ctx.aggregate()
    return recipient(ctx, here.get("subject_kind"), here.get("subject_key"))


def discipline_opened(p: P, ctx: AuditContext) -> str:
    return f"Mở hồ sơ kỷ luật của {recipient(ctx, p.get('subject_kind'), p.get('subject_key'))}."


def case_opened(p: P, ctx: AuditContext) -> str:
    return (
        f"{_subject(ctx)} {code(CASE_KINDS_VI, p.get('kind'))} từ ngày {day(p.get('opened_on'))} "
        f"(vụ việc {quoted(p.get('case'))}, văn bản {quoted(p.get('reference'))})."
    )


def case_closed(p: P, ctx: AuditContext) -> str:
    return (
        f"Kết thúc vụ việc {quoted(p.get('case'))} của {_subject(ctx)} ngày {day(p.get('closed_on'))}: "
        f"{code(CASE_OUTCOMES_VI, p.get('outcome'))} (văn bản {quoted(p.get('reference'))})."
    )


def discipline_imposed(p: P, ctx: AuditContext) -> str:
    return (
        f"Thi hành kỷ luật {_subject(ctx)}: hình thức {quoted(p.get('form'))} "
        f"theo {quoted(p.get('reference'))}, "
        f"từ {day(p.get('from_date'))} đến {day(p.get('until'))}."
    )


def rulebook_opened(p: P, ctx: AuditContext) -> str:
    return "Mở bộ quy tắc thi đua, khen thưởng của tỉnh."


def rules_adopted(p: P, ctx: AuditContext) -> str:
    overrides = table(p, "overrides")
    values = listed((code(RULE_NAMES_VI, k) for k in sorted(overrides)), limit=8)
    return (
        f"Tỉnh áp dụng bộ quy tắc {quoted(p.get('version'))} từ {day(p.get('effective_from'))} theo "
        f"{quoted(p.get('legal_basis'))}; quy định riêng: {values}."
    )


def holidays_declared(p: P, ctx: AuditContext) -> str:
    days = items(p, "days")
    correction = f"; sửa đổi{reason(p.get('reason'))}" if p.get("reason") else ""
    return (
        f"Ghi nhận {len(days)} ngày nghỉ lễ năm {number(p.get('year'))} theo {quoted(p.get('legal_basis'))}: "
        f"{listed((day(d) for d in days), limit=12)}{correction}."
    )


def base_salary_adopted(p: P, ctx: AuditContext) -> str:
    article = f", {p['article']}" if p.get("article") else ""
    return (
        f"Ghi nhận mức lương cơ sở {money(p.get('amount'))} từ {day(p.get('effective_from'))} theo "
        f"{quoted(p.get('legal_basis'))}{article}."
    )


def council_constituted(p: P, ctx: AuditContext) -> str:
    return f"Thành lập Hội đồng Thi đua – Khen thưởng tỉnh theo {quoted(p.get('decision_ref'))}."


def member_appointed(p: P, ctx: AuditContext) -> str:
    role = code(COUNCIL_ROLES_VI, p.get("role"))
    return f"Cử {quoted(p.get('name'))} làm {role} Hội đồng Thi đua – Khen thưởng."


def member_left(p: P, ctx: AuditContext) -> str:
    who = named(ctx, "member", p.get("member"))
    return f"{who} thôi là thành viên Hội đồng Thi đua – Khen thưởng{reason(p.get('reason'))}."


SENTENCES = {
    "Unit.Registered": unit_registered,
    "Unit.Renamed": unit_renamed,
    "Unit.Dissolved": unit_dissolved,
    "Unit.JoinedBlock": unit_joined_block,
    "Unit.LeftBlock": unit_left_block,
    "Unit.JoinedBlockForPeriod": unit_joined_block_for_period,
    "Unit.BlockPeriodEnded": unit_block_period_ended,
    "StaffMember.Registered": staff_registered,
    "StaffMember.RatingGroupChanged": staff_group_changed,
    "StaffMember.KindChanged": staff_kind_changed,
    "StaffMember.Transferred": staff_transferred,
    "StaffMember.YearRatingDerived": staff_year_rating,
    "EmulationBlock.Created": block_created,
    "EmulationBlock.Reformed": block_reformed,
    "EmulationBlock.Renamed": block_renamed,
    "EmulationBlock.Disbanded": block_disbanded,
    "Movement.Launched": movement_launched,
    "Movement.Ended": movement_ended,
    "RegistrationBook.Opened": registration_opened,
    "RegistrationBook.TitleRegistered": title_registered,
    "RegistrationBook.ExemplaryRegistered": exemplary_registered,
    "DisciplinaryFile.Opened": discipline_opened,
    "DisciplinaryFile.CaseOpened": case_opened,
    "DisciplinaryFile.CaseClosed": case_closed,
    "DisciplinaryFile.DisciplineImposed": discipline_imposed,
    "RuleBook.Opened": rulebook_opened,
    "RuleBook.RuleSetAdopted": rules_adopted,
    "RuleBook.PublicHolidaysDeclared": holidays_declared,
    "RuleBook.BaseSalaryAdopted": base_salary_adopted,
    "Council.Constituted": council_constituted,
    "Council.MemberAppointed": member_appointed,
    "Council.MemberLeft": member_left,
}
