"""Drafts of the submission (tờ trình) and the decision (quyết định) with its annexed list.

A draft is made either for the open proposals of a year and an award (what the board is about
to submit and the chair to sign: number, date and signer left blank), or again for a decision
already recorded (its number, date and signer filled in). Recipients come from
`sources.proposal_lines` / `sources.decision_lines`, so grouped proposals and decisions with
several awards (issue 15) reach the documents without changing them. The templates are the
province's own when it has replaced them (store.py), rendered with docxtpl.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from thidua.domain.catalogue import CATALOGUE
from thidua.domain.dossier_flow import OPEN as OPEN_STATES
from thidua.projections.awards.queries import get_decision
from thidua.projections.directory.queries import units_by_key
from thidua.projections.ratings.queries import staff_by_keys
from thidua.services.paperwork.documents.profile import Profile, legal_bases, load_profile, vn_day
from thidua.services.paperwork.documents.store import profile_path, template_for
from thidua.services.paperwork.errors import NothingToPrint, TemplateInvalid
from thidua.services.paperwork.excel_out.book import Out
from thidua.services.paperwork.sources import decision_lines, iter_proposals, proposal_lines

OPEN = frozenset(OPEN_STATES)
DOCUMENTS = {"to-trinh": "to_trinh.docx", "quyet-dinh": "quyet_dinh.docx"}


@dataclass(frozen=True)
class DraftRequest:
    province: str
    province_name: str
    year: int | None = None
    award: str | None = None
    decision: str | None = None  # a recorded decision instead of open proposals
    templates_dir: Path | None = None


@dataclass(frozen=True)
class Recipient:
    kind: str  # unit | staff
    key: str
    name: str


@dataclass(frozen=True)
class Selection:
    """Who the document names and what is known of the decision."""

    award: str
    year: int
    recipients: tuple[Recipient, ...]
    number: str | None = None
    decided_on: date | None = None
    signer: str | None = None
    multiples: dict[str, Decimal | None] | None = None
    amounts: tuple[int | None, ...] = ()


async def select(pool: Any, request: DraftRequest) -> Selection:
    if request.decision is not None:
        return await _recorded(pool, request)
    if request.year is None or request.award is None:
        raise NothingToPrint("Cần nêu năm và danh hiệu (hoặc số quyết định đã ghi).")
    seen: dict[tuple[str, str], Recipient] = {}
    async for proposal in iter_proposals(pool, request.province, year=request.year):
        if proposal.award != request.award or proposal.status not in OPEN:
            continue
        for line in proposal_lines(proposal):
            seen.setdefault(
                (line.recipient_kind, line.recipient),
                Recipient(line.recipient_kind, line.recipient, line.recipient_name),
            )
    if not seen:
        raise NothingToPrint(
            f"Không có đề nghị đang mở cho «{request.award}» năm {request.year}.", year=request.year
        )
    return Selection(request.award, request.year, tuple(seen.values()))


async def _recorded(pool: Any, request: DraftRequest) -> Selection:
    number = str(request.decision)
    decision = await get_decision(pool, request.province, number)
    if decision is None:
        raise NothingToPrint(f"Không tìm thấy quyết định «{number}».", decision=number)
    lines = [x for x in decision_lines(decision) if x.revoked_by is None]
    if not lines:
        raise NothingToPrint(f"Quyết định «{number}» đã bị hủy bỏ toàn bộ.", decision=number)
    return Selection(
        award=decision.award,
        year=decision.year,
        recipients=tuple(Recipient(x.recipient_kind, x.recipient, x.recipient_name) for x in lines),
        number=decision.number,
        decided_on=lines[0].decided_on,
        signer=decision.signer,
        multiples=dict(decision.prize_multiple_each),
        amounts=tuple(x.amount for x in lines),
    )


def _count(n: int, what: str) -> str:
    return f"{n:02d} {what}"


async def _annex_rows(
    pool: Any, province: str, recipients: tuple[Recipient, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    staff = await staff_by_keys(pool, province, [r.key for r in recipients if r.kind == "staff"])
    unit_keys = [r.key for r in recipients if r.kind == "unit"] + [u for _, u in staff.values() if u]
    units = await units_by_key(pool, province, unit_keys)
    unit_rows = [
        {"n": i, "name": units[r.key].name if r.key in units and units[r.key].name else r.name, "detail": ""}
        for i, r in enumerate((r for r in recipients if r.kind == "unit"), start=1)
    ]
    people = []
    for i, r in enumerate((r for r in recipients if r.kind == "staff"), start=1):
        unit = staff.get(r.key, (None, None))[1]
        detail = (units[unit].name if unit in units else unit) or ""
        people.append({"n": i, "name": r.name, "detail": detail})
    return unit_rows, people


def _prize(selection: Selection) -> str:
    if selection.amounts and all(a is not None for a in selection.amounts):
        total = sum(a for a in selection.amounts if a is not None)
        return (
            f"Tiền thưởng kèm theo: tổng cộng {total:,} đồng".replace(",", ".")
            + ", chi từ Quỹ thi đua, khen thưởng theo quy định."
        )
    multiples = selection.multiples or {}
    parts = []
    if multiples.get("staff") is not None:
        parts.append(f"{multiples['staff']:g} lần mức lương cơ sở đối với cá nhân")
    if multiples.get("unit") is not None:
        parts.append(f"{multiples['unit']:g} lần mức lương cơ sở đối với tập thể")
    levels = "; ".join(parts) if parts else "theo quy định hiện hành"
    return f"Mức tiền thưởng: {levels}; chi từ Quỹ thi đua, khen thưởng theo quy định."


async def context(pool: Any, request: DraftRequest, selection: Selection, profile: Profile) -> dict[str, Any]:
    award = CATALOGUE.get(selection.award)
    award_name = award.name_vi if award is not None else selection.award
    what = f"danh hiệu «{award_name}»" if award is not None and award.is_title else award_name
    units, people = await _annex_rows(pool, request.province, selection.recipients)
    counts = " và ".join(
        p
        for p in (
            _count(len(units), "tập thể") if units else "",
            _count(len(people), "cá nhân") if people else "",
        )
        if p
    )
    on = selection.decided_on or datetime.now(UTC).date()
    number = selection.number or f"        /{profile.decision_symbol}"
    place_date = (
        f"{profile.place}, {vn_day(selection.decided_on)}"
        if selection.decided_on
        else f"{profile.place}, ngày      tháng      năm {on.year}"
    )
    achievement = f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {selection.year}"
    decided_ref = f"số {number} {vn_day(selection.decided_on)}" if selection.decided_on else f"số {number}"
    return {
        "issuer": profile.people_committee,
        "issuer_parent": profile.agency_parent,
        "number": number,
        "place_date": place_date,
        "subject": f"Về việc tặng {what}",
        "authority_line": profile.chair,
        "bases": [*legal_bases(on), *profile.extra_bases],
        "proposed_by": f"Xét đề nghị của {profile.proposed_by}.",
        "articles": [
            f"Điều 1. Tặng {what} cho {counts} (có danh sách kèm theo), {achievement}.",
            f"Điều 2. {_prize(selection)}",
            f"Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, {profile.proposed_by}, Thủ trưởng các cơ "
            "quan, đơn vị liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này./.",
        ],
        "copies": list(profile.copies),
        "signer_title": profile.signer_title,
        "signer": selection.signer or "",
        "annex_title": f"TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {award_name.upper()}",
        "annex_ref": f"(Kèm theo Quyết định {decided_ref} của {profile.chair.capitalize()})",
        "units": units,
        "people": people,
        "unit_count": len(units),
        "person_count": len(people),
        "addressee": profile.submission_to,
        "paragraphs": [
            "Trên cơ sở đề nghị của các cơ quan, đơn vị và kết quả thẩm định hồ sơ, "
            f"{profile.agency.capitalize()} kính trình {profile.submission_to} xem xét, quyết định tặng "
            f"{what} cho {counts} (có danh sách kèm theo), {achievement}.",
            f"{profile.agency.capitalize()} kính trình {profile.submission_to} xem xét, quyết định./.",
        ],
        "award_name": award_name,
    }


async def write_draft(pool: Any, request: DraftRequest, document: str, out: Out) -> dict[str, Any]:
    """Render `document` (to-trinh | quyet-dinh) for the selection; the context used."""
    if document not in DOCUMENTS:
        raise NothingToPrint(f"Không có loại văn bản «{document}»; chọn: {', '.join(DOCUMENTS)}.")
    profile = load_profile(request.province_name, profile_path(request.templates_dir, request.province))
    selection = await select(pool, request)
    values = await context(pool, request, selection, profile)
    if document == "to-trinh":
        values["issuer"], values["signer_title"], values["signer"] = (
            profile.agency,
            profile.agency_head_title,
            "",
        )
        values["number"] = f"        /TTr-{profile.agency_symbol}"
    template = template_for(request.templates_dir, request.province, DOCUMENTS[document])
    try:
        doc = DocxTemplate(str(template))
        doc.render(values, autoescape=True)
    except Exception as exc:  # a province's template with broken tags
        raise TemplateInvalid(f"Mẫu «{template.name}» không dùng được: {exc}.") from None
    doc.save(out)
    return values
