"""How the default DOCX templates were built (python-docx), so they can be rebuilt and read.

`python -m thidua.services.paperwork.documents.defaults` writes `templates/to_trinh.docx` and
`templates/quyet_dinh.docx`. They are docxtpl templates: Jinja tags in Word paragraphs
(`{{ subject }}`), paragraph loops (`{%p for b in bases %}`) and table-row loops (`{%tr ... %}`),
which a province can edit in Word to make its own. The layout follows Decree 30/2020/NĐ-CP,
Phụ lục I: A4, margins 20/20/30/15 mm, Times New Roman; quốc hiệu in capitals, bold, 13 pt,
tiêu ngữ bold 14 pt, underlined; the issuing body in capitals at the top left; "Số:" under it;
place and date in italics at the right; the kind (QUYẾT ĐỊNH, TỜ TRÌNH) bold and centred with
its subject under it; legal bases in italics; "Nơi nhận:" bold italic 12 pt with its list in
11 pt at the bottom left; the signer's authority and name bold at the bottom right.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def _document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(3)
    return doc


def _para(
    target: DocumentObject | _Cell,
    text: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: int | None = None,
    indent: bool = False,
) -> Paragraph:
    paragraph = target.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    run = paragraph.add_run(text)
    run.font.name, run.font.size = FONT, Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return paragraph


def _heading(doc: DocumentObject, left: list[tuple[str, bool]], number: str) -> None:
    """The top of the page: issuing body and number at left, quốc hiệu and date at right."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left_cell, right_cell = table.rows[0].cells
    left_cell.width, right_cell.width = Mm(65), Mm(100)
    left_cell.paragraphs[0].text = ""
    for text, bold in left:
        _para(left_cell, text, size=13, bold=bold, align=CENTER)
    _para(left_cell, number, size=13, align=CENTER)
    _para(right_cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=CENTER)
    _para(right_cell, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, underline=True, align=CENTER)
    _para(right_cell, "{{ place_date }}", size=14, italic=True, align=CENTER)


def _signature(doc: DocumentObject) -> None:
    table = doc.add_table(rows=1, cols=2)
    left_cell, right_cell = table.rows[0].cells
    _para(left_cell, "Nơi nhận:", size=12, bold=True, italic=True)
    _para(left_cell, "{%p for c in copies %}", size=11)
    _para(left_cell, "- {{ c }}", size=11)
    _para(left_cell, "{%p endfor %}", size=11)
    _para(right_cell, "{{ signer_title }}", bold=True, align=CENTER)
    for _ in range(3):
        _para(right_cell, "", align=CENTER)
    _para(right_cell, "{{ signer }}", bold=True, align=CENTER)


def _annex(doc: DocumentObject) -> None:
    """The annexed list, one part per award granted (a decision may grant several), each with its
    recipients and their prize; a claimed count the list does not match is stated above."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "DANH SÁCH", bold=True, align=CENTER)
    _para(doc, "{{ annex_title }}", bold=True, align=CENTER)
    _para(doc, "{{ annex_ref }}", italic=True, align=CENTER)
    _para(doc, "{%p for n in count_notes %}", italic=True)
    _para(doc, "{{ n }}", italic=True, align=JUSTIFY)
    _para(doc, "{%p endfor %}", italic=True)
    _para(doc, "{%p for g in grants %}")
    _para(doc, "{{ g.heading }}", bold=True)
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    headers = ("STT", "Tên", "Đơn vị, ghi chú", "Tiền thưởng (đồng)")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for r in g.rows %}"
    for cell, text in zip(
        table.rows[2].cells, ("{{ r.n }}", "{{ r.name }}", "{{ r.detail }}", "{{ r.amount }}"), strict=True
    ):
        cell.paragraphs[0].text = text
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if total %}")
    _para(doc, "Tổng cộng tiền thưởng: {{ total }} đồng.", bold=True)
    _para(doc, "{%p endif %}")


def build_decision(path: Path) -> None:
    doc = _document()
    _heading(doc, [("{{ issuer }}", True)], "Số: {{ number }}")
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=CENTER)
    _para(doc, "{{ subject }}", bold=True, align=CENTER)
    _para(doc, "{{ authority_line }}", bold=True, align=CENTER)
    _para(doc, "{%p for b in bases %}", italic=True)
    _para(doc, "{{ b }}", italic=True, align=JUSTIFY, indent=True)
    _para(doc, "{%p endfor %}", italic=True)
    _para(doc, "{{ proposed_by }}", italic=True, align=JUSTIFY, indent=True)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER)
    _para(doc, "{%p for a in articles %}")
    _para(doc, "{{ a }}", align=JUSTIFY, indent=True)
    _para(doc, "{%p endfor %}")
    _signature(doc)
    _annex(doc)
    doc.save(str(path))


def build_submission(path: Path) -> None:
    doc = _document()
    _heading(doc, [("{{ issuer_parent }}", False), ("{{ issuer }}", True)], "Số: {{ number }}")
    _para(doc, "TỜ TRÌNH", bold=True, align=CENTER)
    _para(doc, "{{ subject }}", bold=True, align=CENTER)
    _para(doc, "Kính gửi: {{ addressee }}.", align=CENTER)
    _para(doc, "{%p for b in bases %}", italic=True)
    _para(doc, "{{ b }}", italic=True, align=JUSTIFY, indent=True)
    _para(doc, "{%p endfor %}", italic=True)
    _para(doc, "{%p for a in paragraphs %}")
    _para(doc, "{{ a }}", align=JUSTIFY, indent=True)
    _para(doc, "{%p endfor %}")
    _signature(doc)
    _annex(doc)
    doc.save(str(path))


if __name__ == "__main__":
    here = Path(__file__).parent / "templates"
    build_decision(here / "quyet_dinh.docx")
    build_submission(here / "to_trinh.docx")
