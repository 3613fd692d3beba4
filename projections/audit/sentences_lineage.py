"""Audit sentences of a province's lineage (sáp nhập tỉnh): its ledger closed into a successor, and
the predecessors' heads the successor records."""

from __future__ import annotations

from typing import Any

from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.phrases import day, number, quoted, staff

P = dict[str, Any]


def started(p: P, ctx: AuditContext) -> str:
    return "Mở hồ sơ dòng kế thừa của tỉnh (sáp nhập tỉnh)."


def closed(p: P, ctx: AuditContext) -> str:
    return (
        f"Tỉnh sáp nhập vào {quoted(p.get('successor_name'))} từ ngày {day(p.get('effective_on'))} "
        f"theo {quoted(p.get('basis'))}: sổ cái của tỉnh khóa tại sự kiện này, chỉ còn để đọc và kiểm tra."
    )


def predecessor_joined(p: P, ctx: AuditContext) -> str:
    head = p.get("head_hash")
    shown = f"{str(head)[:12]}…" if isinstance(head, str) and head else "(không ghi)"
    return (
        f"Tiếp nhận {quoted(p.get('predecessor_name'))} là tỉnh trước sáp nhập từ ngày "
        f"{day(p.get('effective_on'))} theo {quoted(p.get('basis'))}; sổ cái tỉnh đó khóa tại vị trí "
        f"{number(p.get('head_position'))}, mã băm {shown}."
    )


def person_linked(p: P, ctx: AuditContext) -> str:
    return (
        f"Gắn số định danh cá nhân (chỉ lưu mã băm có khóa) cho {staff(ctx, p.get('staff'))}, để nhận ra "
        "cùng một người ở tỉnh khác."
    )


SENTENCES = {
    "PersonIdentity.Linked": person_linked,
    "ProvinceLineage.Started": started,
    "ProvinceLineage.Closed": closed,
    "ProvinceLineage.PredecessorJoined": predecessor_joined,
}
