"""Excel out and the statistical forms, read back with openpyxl and checked against the
projections (the awards register, standings, ratings and the audit trail)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import create_database, drop_database
from tests.paper_world import BK_TINH, BLOCK, GROUP, PROVINCE, PROVINCE_NAME, TWO_GRANTS, UNITS, record_world
from tests.paperwork_files import sheet_values
from thidua.projections.awards.queries import list_decisions
from thidua.services.database import ConnectionParams
from thidua.services.paperwork.errors import NothingToPrint
from thidua.services.paperwork.excel_out.sheets import EXPORTS, REGISTER_HEADERS, ExportRequest
from thidua.services.paperwork.forms.report import build_form, write_report
from thidua.services.projection_host import ProjectionHost
from thidua.services.registry import ProvinceRegistry


@pytest.fixture(scope="module")
def world_db(pg_server: ConnectionParams) -> Iterator[ConnectionParams]:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, PROVINCE_NAME, created_by="op")
    record_world(registry.app(PROVINCE))
    registry.close()
    try:
        yield params
    finally:
        drop_database(pg_server, params)


@pytest.fixture(scope="module")
async def pool(world_db: ConnectionParams) -> AsyncIterator[Any]:
    registry = ProvinceRegistry(world_db)
    host = ProjectionHost(world_db, registry, poll_s=0.2, claim_s=0.5)
    await host.start()
    try:
        head = max(s.head for s in await host.status([PROVINCE]))
        await host.wait_for(PROVINCE, head, timeout_s=20)
        yield host.pool
    finally:
        await host.stop()
        registry.close()


def request(**fields: Any) -> ExportRequest:
    return ExportRequest(PROVINCE, PROVINCE_NAME, **fields)


def table(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(title lines, rows after the header) of an export."""
    values = sheet_values(path)
    header = next(i for i, row in enumerate(values) if row and row[0] in ("STT", "Hạng", "Tháng"))
    return values[:header], values[header + 1 :]


async def test_the_awards_register_lists_every_recipient_of_every_decision(pool: Any, tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"
    rows = await EXPORTS["awards-register"].writer(pool, request(), out, None)
    titles, everything = table(out)
    body = [r for r in everything if r and isinstance(r[0], int)]
    assert titles[0][0] == "SỔ KHEN THƯỞNG"
    assert PROVINCE_NAME in titles[1][0]
    assert sheet_values(out)[len(titles)] == tuple(REGISTER_HEADERS)
    decisions = await list_decisions(pool, PROVINCE)
    assert rows == len(body) == sum(len(d.recipients) for d in decisions) == 11
    by_key = {(r[1], r[8]): r for r in body}
    huong = by_key[("01/QĐ-UBND", "nv-1")]
    assert huong[5] == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    assert (huong[7], huong[9], huong[10], huong[12]) == ("Cá nhân", "Nguyễn Thị Hương", 1.0, "Còn hiệu lực")
    assert by_key[("01/QĐ-UBND", "so-noi-vu")][10] == 2.0  # a collective: twice an individual's multiple
    assert by_key[("02/QĐ-UBND", "cong-an")][12] == "Đã hủy bỏ (05/QĐ-UBND)"
    # Amounts in đồng as the decision fixed them: 1.0 × 1,800,000 (base salary of 20/01/2024).
    assert huong[11] == 1_800_000
    assert by_key[("01/QĐ-UBND", "so-noi-vu")][11] == 3_600_000
    only_2022 = tmp_path / "2022.xlsx"
    assert await EXPORTS["awards-register"].writer(pool, request(year=2022), only_2022, None) == 1


async def test_standings_rating_sheets_and_a_dossier_as_xlsx(pool: Any, tmp_path: Path) -> None:
    out = tmp_path / "xep-hang.xlsx"
    await EXPORTS["standings"].writer(pool, request(block="khoi-noi-chinh", year=2024), out, None)
    titles, body = table(out)
    assert "Khối thi đua Nội chính" in titles[1][0]
    assert [(r[0], r[1], r[2]) for r in body[:2]] == [
        (1, "so-noi-vu", "Sở Nội vụ"),
        (2, "cong-an", "Công an tỉnh"),
    ]
    assert "Biên bản nêu 4 thành viên; danh sách có 3." in [r[0] for r in body if r]

    sheets = tmp_path / "xep-loai.xlsx"
    assert (
        await EXPORTS["rating-sheets"].writer(pool, request(unit="so-noi-vu", year=2024), sheets, None) == 2
    )
    _, body = table(sheets)
    assert body[0][:3] == ("01/2024", "nv-1", "Nguyễn Thị Hương")
    assert body[0][4] == 82

    with pytest.raises(NothingToPrint):
        await EXPORTS["dossier"].writer(pool, request(proposal="khong-co"), tmp_path / "x.xlsx", None)


BK_NAME, CSTD_NAME = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Chiến sĩ thi đua cấp tỉnh"


def dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


async def prizes_of(pool: Any, number: str) -> dict[str, int]:
    """Recipient -> amount in đồng, as the awards register's decision fixed it."""
    decision = next(d for d in await list_decisions(pool, PROVINCE) if d.number == number)
    return {str(p["recipient"]): int(p["amount"]) for p in decision.prizes}


async def test_the_register_lists_each_recipient_under_its_own_award_and_states_the_claimed_count(
    pool: Any, tmp_path: Path
) -> None:
    out = tmp_path / "so-2025.xlsx"
    assert await EXPORTS["awards-register"].writer(pool, request(year=2025), out, None) == 3
    _, everything = table(out)
    body = {r[8]: r for r in everything if r and isinstance(r[0], int)}
    prizes = await prizes_of(pool, TWO_GRANTS)
    assert {key: (r[1], r[5], r[11]) for key, r in body.items()} == {
        "so-noi-vu": (TWO_GRANTS, BK_NAME, prizes["so-noi-vu"]),
        "cong-an": (TWO_GRANTS, BK_NAME, prizes["cong-an"]),
        "nv-2": (TWO_GRANTS, CSTD_NAME, prizes["nv-2"]),
    }
    notes = [r[0] for r in everything if r and isinstance(r[0], str)]
    assert notes == [f"Quyết định {TWO_GRANTS}, {BK_NAME}: Tờ trình nêu 03 tập thể; danh sách có 02."]


async def test_a_dossier_shows_statuses_by_their_vietnamese_labels(pool: Any, tmp_path: Path) -> None:
    out = tmp_path / "de-nghi.xlsx"
    key = f"khoi-noi-chinh/2024/{BK_TINH}/nv-2"
    assert await EXPORTS["dossier"].writer(pool, request(proposal=key), out, None) == 1
    _, body = table(out)
    assert body[0][2] == BK_NAME
    assert body[0][7] == "Đã nộp, chờ tiếp nhận"  # not the code "submitted"

    grouped = tmp_path / "to-trinh.xlsx"
    assert await EXPORTS["dossier"].writer(pool, request(proposer=BLOCK, year=2025), grouped, None) == 2
    _, everything = table(grouped)
    assert [r[6] for r in everything if r and isinstance(r[0], int)] == ["Sở Tài chính", "UBND xã Đông Sơn"]
    assert [r[0] for r in everything if r and isinstance(r[0], str)] == [
        f"Tờ trình {GROUP} nêu 03; danh sách có 02."
    ]


async def test_look_up_results_as_xlsx_each_with_its_own_award(pool: Any, tmp_path: Path) -> None:
    out = tmp_path / "tra-cuu.xlsx"
    assert await EXPORTS["award-history"].writer(pool, request(search="tran van binh"), out, None) == 1
    titles, body = table(out)
    assert titles[0][0] == "KẾT QUẢ TRA CỨU KHEN THƯỞNG"
    assert "tìm «tran van binh»" in titles[1][0]
    prizes = await prizes_of(pool, TWO_GRANTS)
    assert (body[0][1], body[0][5], body[0][7], body[0][10]) == (
        "Trần Văn Bình",
        CSTD_NAME,
        TWO_GRANTS,
        prizes["nv-2"],
    )
    by_award = tmp_path / "bang-khen-2025.xlsx"
    assert await EXPORTS["award-history"].writer(pool, request(award=BK_TINH, year=2025), by_award, None) == 2


async def test_form_0603_counts_each_recipient_under_its_own_award(pool: Any) -> None:
    form = await build_form(pool, PROVINCE, PROVINCE_NAME, "0603", 2026)
    bang_khen, chien_si = 2, 3  # value positions (1 = Tổng số)
    assert form.value("01", 1) == 3
    assert form.value("01", bang_khen) == 2
    assert form.value("01", chien_si) == 1


async def test_form_0602_counts_state_awards_in_force_of_the_year(pool: Any, tmp_path: Path) -> None:
    out = tmp_path / "0602.xlsx"
    form = await write_report(pool, PROVINCE, PROVINCE_NAME, "0602", year=2024, out=out)
    values = sheet_values(out)
    assert values[0][0] == "Biểu số: 0602.N/BNV-TĐKT"
    assert "Thông tư số 02/2023/TT-BNV" in values[1][0]
    assert any(row[0] == "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC" for row in values)
    # cross-check with the register: Prime Minister's awards on decisions dated in 2024
    decisions = await list_decisions(pool, PROVINCE)
    state = [
        (r["kind"], d.award)
        for d in decisions
        if d.authority == "prime_minister" and (d.decided_on or "").startswith("2024")
        for r in d.recipients
    ]
    assert form.value("01", 1) == len(state) == 2
    bk_ttg_unit, bk_ttg_person = 9, 10  # value positions (1 = Tổng số) of Bằng khen Thủ tướng
    assert len(form.lines[0].values) == 13
    assert form.value("01", bk_ttg_unit) == 1
    assert form.value("01", bk_ttg_person) == 1
    assert form.value("06", 1) == 1
    assert form.value("09", 1) == 1
    assert form.value("03", 1) == 1
    assert form.value("02", 1) == 0
    assert form.value("10", 1) is None  # positions of individuals are not recorded
    row_01 = next(row for row in values if row[1] == "01")
    assert row_01[3] == 2  # the same figure written in the sheet


async def test_form_0603_counts_provincial_awards_and_leaves_out_revoked_ones(pool: Any) -> None:
    form = await build_form(pool, PROVINCE, PROVINCE_NAME, "0603", 2024)
    decisions = await list_decisions(pool, PROVINCE)
    in_force_2024 = [
        r
        for d in decisions
        if d.award == BK_TINH and d.status == "in_force" and (d.decided_on or "").startswith("2024")
        for r in d.recipients
    ]
    assert form.value("01", 1) == form.value("01", 2) == len(in_force_2024) == 3
    assert form.value("02", 1) == 1
    assert form.value("05", 1) == 2
    assert form.value("04", 1) == 0  # households cannot be recipients here
    assert "Không tính 1 khen thưởng đã bị hủy bỏ." in form.notes
    assert form.value("03", 1) is None
    assert form.value("11", 1) is None


async def test_form_0601_counts_movements_and_block_years(pool: Any) -> None:
    form = await build_form(pool, PROVINCE, PROVINCE_NAME, "0601", 2024)
    assert form.unit_of_measure == "Phong trào"
    assert form.value("01", 1) == 3  # two movements launched in 2024 and one block-year
    assert form.value("01", 3) == 3
    assert form.value("01", 2) == 0
    assert form.value("03", 1) == 2
    assert form.value("04", 1) == 1
    assert form.value("06", 1) == 1  # the thematic one, March to November
    assert form.value("07", 1) == 1  # the block's year
    assert form.value("11", 1) == 1
    assert form.value("12", 1) == 2
    assert any("chưa có ngày kết thúc" in n for n in form.notes)
    assert (await build_form(pool, PROVINCE, PROVINCE_NAME, "0601", 2023)).value("01", 1) == 0


async def test_forms_0604_and_0605_are_laid_out_with_empty_cells(pool: Any, tmp_path: Path) -> None:
    for code, rows in (("0604", 5), ("0605", 15)):
        out = tmp_path / f"{code}.xlsx"
        form = await write_report(pool, PROVINCE, PROVINCE_NAME, code, year=2024, out=out)
        coded = [line for line in form.lines if line.code]
        assert len(coded) == rows
        assert all(v is None for line in coded for v in line.values)
        assert any("không ghi nhận" in n for n in form.notes)
        assert sheet_values(out)[0][0] == f"Biểu số: {code}.N/BNV-TĐKT"


def test_units_in_the_world_are_the_units_named_in_the_register() -> None:
    assert "so-noi-vu" in UNITS


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool (pdftotext, pdftoppm); its standard output."""
    path = shutil.which(tool)
    assert path is not None, f"{tool} missing: make installs poppler-utils"
    return subprocess.run([path, *args], capture_output=True, check=True, text=True).stdout


def docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                paragraphs += [p.text for p in cell.paragraphs]
    return paragraphs, tables


async def test_a_decision_draft_in_the_administrative_format_with_its_annex(
    pool: Any, tmp_path: Path
) -> None:
    from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

    out = tmp_path / "qd.docx"
    await write_draft(pool, DraftRequest(PROVINCE, PROVINCE_NAME, decision="01/QĐ-UBND"), "quyet-dinh", out)
    paragraphs, tables = docx_text(out)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "Số: 01/QĐ-UBND",
        "Nghệ An, ngày 20 tháng 01 năm 2024",
        "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
        "QUYẾT ĐỊNH:",
        "Nơi nhận:",
        "- Như Điều 3;",
        "CHỦ TỊCH",
        "Nguyễn Văn Đức",
        "DANH SÁCH",
    ):
        assert expected in paragraphs, expected
    article_1 = next(p for p in paragraphs if p.startswith("Điều 1."))
    assert "01 tập thể và 02 cá nhân" in article_1
    # The decision fixed its amounts (issue 14): 2 × 1,800,000 for Sở Nội vụ, 1,800,000 for each person.
    assert "tổng cộng 7.200.000 đồng" in next(p for p in paragraphs if p.startswith("Điều 2."))
    assert tables[-1][0] == ["STT", "Tên", "Đơn vị, ghi chú", "Tiền thưởng (đồng)"]
    assert tables[-1][1:] == [
        ["1", "Sở Nội vụ", "", "3.600.000"],
        ["2", "Nguyễn Thị Hương", "Sở Nội vụ", "1.800.000"],
        ["3", "Lê Thị Ánh", "Công an tỉnh", "1.800.000"],
    ]
    assert f"I. {BK_NAME.upper()} (01 tập thể và 02 cá nhân; tiền thưởng 7.200.000 đồng)" in paragraphs
    assert "Tổng cộng tiền thưởng: 7.200.000 đồng." in paragraphs
    assert not any("Tờ trình nêu" in p for p in paragraphs)  # no claimed count, nothing stated


async def test_a_decision_with_two_grants_is_drafted_award_by_award(pool: Any, tmp_path: Path) -> None:
    from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

    out = tmp_path / "qd-2.docx"
    await write_draft(pool, DraftRequest(PROVINCE, PROVINCE_NAME, decision=TWO_GRANTS), "quyet-dinh", out)
    paragraphs, tables = docx_text(out)
    prizes = await prizes_of(pool, TWO_GRANTS)
    units_total, total = prizes["so-noi-vu"] + prizes["cong-an"], sum(prizes.values())
    assert f"Về việc tặng {BK_NAME} và danh hiệu «{CSTD_NAME}»" in paragraphs
    article_1 = next(p for p in paragraphs if p.startswith("Điều 1."))
    assert f"Tặng {BK_NAME} cho 02 tập thể; danh hiệu «{CSTD_NAME}» cho 01 cá nhân (có danh sách" in article_1
    article_2 = next(p for p in paragraphs if p.startswith("Điều 2."))
    assert f"tổng cộng {dong(total)} đồng" in article_2
    assert f"{BK_NAME}: {dong(units_total)} đồng; {CSTD_NAME}: {dong(prizes['nv-2'])} đồng" in article_2
    assert "Tờ trình nêu 03 tập thể; danh sách có 02." in paragraphs
    assert f"I. {BK_NAME.upper()} (02 tập thể; tiền thưởng {dong(units_total)} đồng)" in paragraphs
    assert f"II. {CSTD_NAME.upper()} (01 cá nhân; tiền thưởng {dong(prizes['nv-2'])} đồng)" in paragraphs
    assert tables[-2][1:] == [
        ["1", "Sở Nội vụ", "", dong(prizes["so-noi-vu"])],
        ["2", "Công an tỉnh", "", dong(prizes["cong-an"])],
    ]
    assert tables[-1][1:] == [["1", "Trần Văn Bình", "Sở Nội vụ", dong(prizes["nv-2"])]]
    assert f"Tổng cộng tiền thưởng: {dong(total)} đồng." in paragraphs


async def test_a_submission_draft_lists_the_open_proposals(pool: Any, tmp_path: Path) -> None:
    from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

    out = tmp_path / "tt.docx"
    await write_draft(pool, DraftRequest(PROVINCE, PROVINCE_NAME, year=2024, award=BK_TINH), "to-trinh", out)
    paragraphs, tables = docx_text(out)
    assert "TỜ TRÌNH" in paragraphs
    assert "SỞ NỘI VỤ" in paragraphs
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh." in paragraphs
    assert any(p.startswith("Số:") and "/TTr-SNV" in p for p in paragraphs)
    assert any("01 tập thể và 01 cá nhân" in p for p in paragraphs)
    assert [r[1] for r in tables[-1][1:]] == ["Sở Tài chính", "Trần Văn Bình"]
    assert [r[3] for r in tables[-1][1:]] == ["", ""]  # no amount before a decision fixes it


async def test_a_province_replaces_the_template_and_its_words(pool: Any, tmp_path: Path) -> None:
    import docx

    from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

    own = tmp_path / "templates" / PROVINCE
    own.mkdir(parents=True)
    (own / "profile.json").write_text(
        '{"signer_title": "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH", "copies": ["Lưu: VT."]}'
    )
    template = docx.Document()
    template.add_paragraph(
        "Mẫu riêng của tỉnh: {{ number }} – {{ signer_title }} – {{ person_count }} cá nhân"
    )
    template.save(str(own / "quyet_dinh.docx"))
    out = tmp_path / "qd.docx"
    request = DraftRequest(
        PROVINCE, PROVINCE_NAME, decision="01/QĐ-UBND", templates_dir=tmp_path / "templates"
    )
    await write_draft(pool, request, "quyet-dinh", out)
    paragraphs, _ = docx_text(out)
    assert paragraphs[0] == "Mẫu riêng của tỉnh: 01/QĐ-UBND – KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH – 2 cá nhân"


async def test_certificates_print_one_page_per_recipient_in_vietnamese(pool: Any, tmp_path: Path) -> None:
    from PIL import Image

    from thidua.services.paperwork.documents.certificates import CertificateRequest, write_certificates
    from thidua.services.settings import PaperworkSettings

    out = tmp_path / "bang-khen.pdf"
    fonts = PaperworkSettings().font_dir
    pages = await write_certificates(
        pool, CertificateRequest(PROVINCE, PROVINCE_NAME, "01/QĐ-UBND", fonts), out
    )
    assert pages == 3
    text = poppler("pdftotext", "-layout", str(out), "-")
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BẰNG KHEN",
        "Nguyễn Thị Hương",
        "Lê Thị Ánh",
        "Tập thể Sở Nội vụ",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "Nghệ An, ngày 20 tháng 01 năm 2024",
    ):
        assert expected in text, expected
    poppler("pdftoppm", "-png", "-r", "40", "-f", "2", "-l", "2", str(out), str(tmp_path / "page"))
    image = Image.open(tmp_path / "page-2.png").convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height  # ink on the page, not a blank sheet
    assert image.width > image.height  # landscape

    # A decision with two grants: the Bằng khen's two collectives, not the title's person.
    two = tmp_path / "hai.pdf"
    request = CertificateRequest(PROVINCE, PROVINCE_NAME, TWO_GRANTS, fonts)
    assert await write_certificates(pool, request, two) == 2
    assert "Trần Văn Bình" not in poppler("pdftotext", "-layout", str(two), "-")

    revoked = tmp_path / "x.pdf"
    with pytest.raises(NothingToPrint):
        await write_certificates(
            pool, CertificateRequest(PROVINCE, PROVINCE_NAME, "02/QĐ-UBND", fonts), revoked
        )


async def test_preprinted_paper_prints_only_the_variable_fields_where_the_province_says(
    pool: Any, tmp_path: Path
) -> None:
    from thidua.services.paperwork.documents.certificates import CertificateRequest, write_certificates
    from thidua.services.settings import PaperworkSettings

    own = tmp_path / "templates" / PROVINCE
    own.mkdir(parents=True)
    (own / "certificate.json").write_text(
        '{"preprinted": true, "fields": {"recipient": {"x": 0, "y": 150, "w": 100}}}'
    )
    out = tmp_path / "in-san.pdf"
    request = CertificateRequest(
        PROVINCE, PROVINCE_NAME, "01/QĐ-UBND", PaperworkSettings().font_dir, tmp_path / "templates"
    )
    await write_certificates(pool, request, out)
    text = poppler("pdftotext", "-layout", str(out), "-")
    assert "Nguyễn Thị Hương" in text
    assert "CỘNG HÒA" not in text
    assert "BẰNG KHEN" not in text
    boxes = poppler("pdftotext", "-bbox", "-f", "2", "-l", "2", str(out), "-")
    first_word = next(line for line in boxes.splitlines() if ">Nguyễn<" in line)
    y_min = float(first_word.split('yMin="')[1].split('"')[0])
    assert 150 * 72 / 25.4 - 5 < y_min < 150 * 72 / 25.4 + 20  # placed at 150 mm from the top
