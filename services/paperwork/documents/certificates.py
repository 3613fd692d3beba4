"""Certificates (Bằng khen, Giấy khen) as PDF: one page per recipient of a decision.

Text is set in DejaVu Serif, which covers every Vietnamese letter and tone mark; the fonts come
from Debian's `fonts-dejavu-core` (installed by `make`), found in `THIDUA_FONT_DIR`. Positions,
sizes and the page are millimetres in `certificate.json`; a province printing on pre-printed
certificate paper sets `"preprinted": true` (the border and the printed texts listed in
`static` are then left out) and moves any field in its own `certificate.json`, which is merged
over the default field by field. Revoked recipients get no certificate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF

from thidua.projections.awards.queries import get_decision
from thidua.projections.directory.queries import units_by_key
from thidua.projections.ratings.queries import staff_by_keys
from thidua.services.errors import ApplicationError
from thidua.services.paperwork.documents.profile import load_profile, vn_day
from thidua.services.paperwork.documents.store import default_template, profile_path, province_dir
from thidua.services.paperwork.errors import NothingToPrint, TemplateInvalid
from thidua.services.paperwork.excel_out.book import Out
from thidua.services.paperwork.sources import AwardLine, decision_lines

FAMILY = "DejaVuSerif"
FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}
TITLES = {"bang_khen": "BẰNG KHEN", "giay_khen": "GIẤY KHEN"}


class FontMissing(ApplicationError):
    code = "FONT_MISSING"


@dataclass(frozen=True)
class CertificateRequest:
    province: str
    province_name: str
    decision: str
    font_dir: Path
    templates_dir: Path | None = None


def title_of(award: str) -> str | None:
    for prefix, title in TITLES.items():
        if award.startswith(prefix):
            return title
    return None


def layout_for(templates_dir: Path | None, province: str) -> dict[str, Any]:
    """The default layout with the province's `certificate.json` merged over it."""
    layout: dict[str, Any] = json.loads(default_template("certificate.json").read_text(encoding="utf-8"))
    if templates_dir is None:
        return layout
    own = province_dir(templates_dir, province) / "certificate.json"
    if not own.exists():
        return layout
    try:
        theirs = json.loads(own.read_text(encoding="utf-8"))
        for key in ("page", "preprinted", "static"):
            if key in theirs:
                layout[key] = {**layout[key], **theirs[key]} if key == "page" else theirs[key]
        for name, position in theirs.get("fields", {}).items():
            layout["fields"][name] = {**layout["fields"].get(name, {}), **position}
    except (ValueError, TypeError, AttributeError) as exc:
        raise TemplateInvalid(f"«certificate.json» của tỉnh không hợp lệ: {exc}.") from None
    return layout


def _pdf(layout: dict[str, Any], font_dir: Path) -> FPDF:
    page = layout["page"]
    pdf = FPDF(unit="mm", format=(float(page["width"]), float(page["height"])))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for style, name in FONT_FILES.items():
        path = font_dir / name
        if not path.exists():
            raise FontMissing(
                f"Thiếu phông chữ {name} trong {font_dir} (gói fonts-dejavu-core; THIDUA_FONT_DIR).",
                font=name,
            )
        pdf.add_font(FAMILY, style, str(path))
    return pdf


def _border(pdf: FPDF, width: float, height: float) -> None:
    pdf.set_draw_color(150, 20, 20)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, width - 16, height - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, width - 22, height - 22)


def _page_texts(
    line: AwardLine, detail: str, profile_issuer: str, place: str, signer_title: str
) -> dict[str, str]:
    kind_word = "Tập thể" if line.recipient_kind == "unit" else ""
    return {
        "national": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "issuer": profile_issuer,
        "gives": "TẶNG",
        "title": title_of(line.award) or "",
        "recipient": f"{kind_word} {line.recipient_name}".strip(),
        "detail": detail,
        "achievement": f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {line.year}",
        "decision": f"Quyết định số {line.decision}"
        + (f", {vn_day(line.decided_on)}" if line.decided_on else ""),
        "place_date": f"{place}, {vn_day(line.decided_on)}" if line.decided_on else place,
        "signer_title": signer_title,
        "signer": line.signer or "",
    }


async def write_certificates(pool: Any, request: CertificateRequest, out: Out) -> int:
    """One page per recipient in force of the decision; the number of pages."""
    decision = await get_decision(pool, request.province, request.decision)
    if decision is None:
        raise NothingToPrint(f"Không tìm thấy quyết định «{request.decision}».", decision=request.decision)
    # Each recipient's own award decides its certificate: a decision granting a Bằng khen and a
    # title prints the Bằng khen pages only.
    printable = [x for x in decision_lines(decision) if title_of(x.award) is not None]
    if not printable:
        raise NothingToPrint("Chỉ in Bằng khen và Giấy khen.", award=decision.award)
    lines = [x for x in printable if x.revoked_by is None]
    if not lines:
        raise NothingToPrint(f"Quyết định «{request.decision}» đã bị hủy bỏ toàn bộ.")
    profile = load_profile(request.province_name, profile_path(request.templates_dir, request.province))
    staff = await staff_by_keys(
        pool, request.province, [x.recipient for x in lines if x.recipient_kind == "staff"]
    )
    units = await units_by_key(pool, request.province, [u for _, u in staff.values() if u])
    layout = layout_for(request.templates_dir, request.province)
    pdf = _pdf(layout, request.font_dir)
    width, height = float(layout["page"]["width"]), float(layout["page"]["height"])
    skipped = set(layout.get("static", [])) if layout.get("preprinted") else set()
    for line in lines:
        pdf.add_page()
        if not layout.get("preprinted"):
            _border(pdf, width, height)
        unit = staff.get(line.recipient, (None, None))[1] if line.recipient_kind == "staff" else None
        detail = (units[unit].name or unit) if unit in units else (unit or "")
        texts = _page_texts(
            line, detail or "", profile.issuer(line.authority), profile.place, profile.signer_title
        )
        for name, spec in layout["fields"].items():
            text = texts.get(name, "")
            if name in skipped or not text:
                continue
            pdf.set_text_color(150, 20, 20) if name == "title" else pdf.set_text_color(0, 0, 0)
            pdf.set_font(FAMILY, str(spec.get("style", "")), float(spec.get("size", 14)))
            pdf.set_xy(float(spec["x"]), float(spec["y"]))
            pdf.multi_cell(
                float(spec.get("w", width)),
                float(spec.get("size", 14)) * 0.5,
                text,
                align=str(spec.get("align", "C")),
            )
    data = pdf.output()
    if isinstance(out, Path):
        out.write_bytes(bytes(data))
    else:
        out.write(bytes(data))
    return len(lines)
