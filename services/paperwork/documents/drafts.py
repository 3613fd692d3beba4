"""Drafts of the submission (tờ trình) and the decision (quyết định) with its annexed list.

A draft is made either for the open proposals of a year and an award (what the board is about
to submit and the chair to sign: number, date and signer left blank), or again for a decision
already recorded (its number, date and signer filled in). Recipients come from
`sources.proposal_lines` / `sources.decision_lines`. A decision granting several awards has its
articles and its annex per award (each recipient under its own award, with its prize in đồng),
the decision's total, and a sentence for each claimed count its list does not match. The templates are the
province's own when it has replaced them (store.py), rendered with docxtpl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from thidua.services.paperwork.sources import count_mismatch, decision_lines, iter_proposals, proposal_lines

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
    award: str = ""  # the award this recipient receives (a decision may grant several)
    amount: int | None = None  # đồng, as the decision fixed it


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
    claimed: dict[str, int | None] = field(default_factory=dict)  # award -> count the text claims
    claimed_total: int | None = None  # the count the decision's text claims for all its grants

    @property
    def awards(self) -> list[str]:
        """The awards granted, in the decision's order."""
        return list(dict.fromkeys(self.award_of(r) for r in self.recipients))

    def award_of(self, recipient: Recipient) -> str:
        return recipient.award or self.award

    def granted(self, code: str) -> list[Recipient]:
        """The recipients of one award, in the selection's order."""
        return [r for r in self.recipients if self.award_of(r) == code]


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
                Recipient(line.recipient_kind, line.recipient, line.recipient_name, line.award),
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
        recipients=tuple(
            Recipient(x.recipient_kind, x.recipient, x.recipient_name, x.award, x.amount) for x in lines
        ),
        number=decision.number,
        decided_on=lines[0].decided_on,
        signer=decision.signer,
        multiples=dict(decision.prize_multiple_each),
        amounts=tuple(x.amount for x in lines),
        claimed={str(g.get("award")): g.get("claimed_count") for g in decision.grants},
        claimed_total=decision.claimed_count,
    )


def _count(n: int, what: str) -> str:
    return f"{n:02d} {what}"


def _dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _counts(recipients: list[Recipient]) -> str:
    units = sum(1 for r in recipients if r.kind == "unit")
    people = len(recipients) - units
    parts = (_count(units, "tập thể") if units else "", _count(people, "cá nhân") if people else "")
    return " và ".join(p for p in parts if p)


def _award_name(code: str) -> str:
    award = CATALOGUE.get(code)
    return award.name_vi if award is not None else code


def _what(code: str) -> str:
    award = CATALOGUE.get(code)
    name = _award_name(code)
    return f"danh hiệu «{name}»" if award is not None and award.is_title else name


def _mismatch(claimed: int | None, named: list[Recipient]) -> str | None:
    return count_mismatch(claimed, [r.kind for r in named])


async def _annex_rows(pool: Any, province: str, recipients: tuple[Recipient, ...]) -> list[dict[str, Any]]:
    """One row per recipient, in the selection's order: its name as the directory has it now, its
    unit (people), its award and its amount in đồng ("" when not fixed)."""
    staff = await staff_by_keys(pool, province, [r.key for r in recipients if r.kind == "staff"])
    unit_keys = [r.key for r in recipients if r.kind == "unit"] + [u for _, u in staff.values() if u]
    units = await units_by_key(pool, province, unit_keys)
    rows = []
    for r in recipients:
        if r.kind == "unit":
            name, detail = (units[r.key].name if r.key in units and units[r.key].name else r.name), ""
        else:
            unit = staff.get(r.key, (None, None))[1]
            name, detail = r.name, (units[unit].name if unit in units else unit) or ""
        amount = _dong(r.amount) if r.amount is not None else ""
        rows.append({"recipient": r, "name": name, "detail": detail, "amount": amount})
    return rows


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"n": i, "name": x["name"], "detail": x["detail"], "amount": x["amount"]}
        for i, x in enumerate(rows, start=1)
    ]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _grants(selection: Selection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The annex per award granted: its heading (name, counts, prize), the sentence stating a
    claimed count its list does not match, and its recipients (collectives first)."""
    grants = []
    for index, code in enumerate(selection.awards):
        mine = [x for x in rows if selection.award_of(x["recipient"]) == code]
        named = [x["recipient"] for x in mine]
        amounts = [r.amount for r in named]
        prize = (
            f"; tiền thưởng {_dong(sum(a for a in amounts if a is not None))} đồng"
            if amounts and None not in amounts
            else ""
        )
        number = ROMAN[index] if index < len(ROMAN) else str(index + 1)
        ordered = [x for x in mine if x["recipient"].kind == "unit"] + [
            x for x in mine if x["recipient"].kind == "staff"
        ]
        grants.append(
            {
                "award": code,
                "award_name": _award_name(code),
                "heading": f"{number}. {_award_name(code).upper()} ({_counts(named)}{prize})",
                "note": _mismatch(selection.claimed.get(code), named) or "",
                "rows": _numbered(ordered),
                "named": len(named),
                "claimed": selection.claimed.get(code),
            }
        )
    return grants


def _prize(selection: Selection) -> str:
    if selection.amounts and all(a is not None for a in selection.amounts):
        total = sum(a for a in selection.amounts if a is not None)
        each = ""
        if len(selection.awards) > 1:
            shares = (
                f"{_award_name(code)}: {_dong(sum(r.amount or 0 for r in selection.granted(code)))} đồng"
                for code in selection.awards
            )
            each = " (" + "; ".join(shares) + ")"
        return (
            f"Tiền thưởng kèm theo: tổng cộng {_dong(total)} đồng{each}"
            ", chi từ Quỹ thi đua, khen thưởng theo quy định."
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
    rows = await _annex_rows(pool, request.province, selection.recipients)
    grants = _grants(selection, rows)
    units = _numbered([x for x in rows if x["recipient"].kind == "unit"])
    people = _numbered([x for x in rows if x["recipient"].kind == "staff"])
    everyone = list(selection.recipients)
    # Award by award: "Bằng khen ... cho 02 tập thể; danh hiệu «...» cho 01 cá nhân".
    granted = "; ".join(f"{_what(code)} cho {_counts(selection.granted(code))}" for code in selection.awards)
    subject_what = " và ".join(_what(g["award"]) for g in grants)
    award_name = ", ".join(g["award_name"] for g in grants)
    count_notes = [g["note"] for g in grants if g["note"]]
    overall = _mismatch(selection.claimed_total, everyone)
    if overall is not None:
        count_notes.insert(0, overall)
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
        "subject": f"Về việc tặng {subject_what}",
        "authority_line": profile.chair,
        "bases": [*legal_bases(on), *profile.extra_bases],
        "proposed_by": f"Xét đề nghị của {profile.proposed_by}.",
        "articles": [
            f"Điều 1. Tặng {granted} (có danh sách kèm theo), {achievement}.",
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
        "grants": grants,
        "count_notes": count_notes,
        "total": _dong(sum(a for a in selection.amounts if a is not None))
        if selection.amounts and None not in selection.amounts
        else "",
        "units": units,
        "people": people,
        "unit_count": len(units),
        "person_count": len(people),
        "addressee": profile.submission_to,
        "paragraphs": [
            "Trên cơ sở đề nghị của các cơ quan, đơn vị và kết quả thẩm định hồ sơ, "
            f"{profile.agency.capitalize()} kính trình {profile.submission_to} xem xét, quyết định tặng "
            f"{granted} (có danh sách kèm theo), {achievement}.",
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
