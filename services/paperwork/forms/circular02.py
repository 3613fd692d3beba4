"""The statistical forms of Circular 02/2023/TT-BNV (Mẫu 0601–0605), for a province and a year.

Titles, form codes, column heads, row labels, row codes and units of measure follow the forms
as printed by the provincial emulation software in use today (its report templates, read for the
layout); the official annex itself was not found in the sources searched. Where the two could
differ, or the annex detail was not found, the docstring of the form says so:

- 0601 SỐ PHONG TRÀO THI ĐUA (unit: phong trào). Movements launched by the province in the year
  count under "cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh" (column 3), scope "bộ, ban, ngành,
  đoàn thể, địa phương" (row 03); each block-year of the year counts as one emulation organised
  for a block (row 04), yearly and regular (rows 07 and 12). A movement without an end date has
  no duration: it is counted in the total and left out of rows 06–10 (a note gives the number).
- 0602 SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC. Awards decided by the Prime Minister (and, when the
  catalogue has them, the State President's orders and medals) on decisions dated in the year.
  Medals are one pair of columns until the catalogue lists them; rows 02–03 count the units that
  submitted (unit of measure "Bộ, ngành" / "Tỉnh, TP"): this province, 1 where it has awards.
  Row codes 04 and 05 do not appear in the printed form and are left out.
- 0603 SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH: Bằng khen, Chiến sĩ
  thi đua cấp tỉnh, Cờ thi đua, Huy hiệu. Provincial titles without a column in the form
  (Tập thể lao động xuất sắc) are counted in a note, not in the total.
- 0604 SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG and 0605 SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG
  TÁC THI ĐUA, KHEN THƯỞNG count the board's own organisation and civil servants (by age, sex,
  training, seniority). The ledger records none of it: the layout is produced with empty cells
  for the board to fill in, and a note says so. (0604 and 0605 are not award counts by
  collective and individual: those are rows of 0602 and 0603.)

In 0602 and 0603 the rows by position of the individual (lãnh đạo cấp bộ, cấp vụ, doanh nhân,
...), enterprises among collectives, and the rows by award type (thường xuyên, chuyên đề, đột
xuất, ...) stay empty: the ledger does not record a person's position class, whether a unit is
an enterprise, or (until issue 14) a proposal's award type. Households cannot be recipients
here, so their row is 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from thidua.domain.catalogue import CATALOGUE
from thidua.services.paperwork.forms.figures import MovementFact, YearFigures
from thidua.services.paperwork.forms.layout import Form, Head, Line, Value
from thidua.services.paperwork.sources import AwardLine

DUE = "Ngày 15 tháng 12 năm báo cáo"
CALENDAR = "Số liệu năm dương lịch (01/01–31/12), theo ngày của quyết định."

STATE_AUTHORITIES = frozenset({"prime_minister", "president", "state_president"})
PROVINCE_AUTHORITIES = frozenset({"provincial_chair"})


def _authority(award: str) -> str | None:
    found = CATALOGUE.get(award)
    return found.authority if found is not None else None


def _is_medal(award: str) -> bool:
    return award.startswith(("huan_chuong", "huy_chuong"))


# --- 0601 -------------------------------------------------------------------------------------


def _duration_row(m: MovementFact) -> str | None:
    if m.ends_on is None or m.starts_on is None:
        return None
    months = (m.ends_on.year - m.starts_on.year) * 12 + (m.ends_on.month - m.starts_on.month)
    years = months / 12
    if years < 1 - 1 / 12:
        return "06"
    if years <= 1:
        return "07"
    if years < 3:
        return "08"
    if years < 5:
        return "09"
    return "10"


def form_0601(f: YearFigures, reporter: str) -> Form:
    movements, blocks = f.movements, len(f.block_years)
    total = len(movements) + blocks

    def by_province(n: int) -> tuple[Value, ...]:
        return (n, 0, n, 0)

    duration = {
        code: sum(1 for m in movements if _duration_row(m) == code) for code in ("06", "07", "08", "09", "10")
    }
    duration["07"] += blocks
    undated = sum(1 for m in movements if _duration_row(m) is None)
    thematic = sum(1 for m in movements if m.kind == "thematic")
    regular = sum(1 for m in movements if m.kind != "thematic") + blocks
    notes = [
        CALENDAR,
        "Mỗi khối, cụm thi đua trong năm được tính là một phong trào do khối tổ chức (dòng 04).",
    ]
    if undated:
        notes.append(
            f"{undated} phong trào chưa có ngày kết thúc, không xếp được theo thời hạn (dòng 06–10)."
        )
    return Form(
        code="0601",
        title="SỐ PHONG TRÀO THI ĐUA",
        year=f.year,
        reporter=reporter,
        unit_of_measure="Phong trào",
        due=DUE,
        heads=(
            Head("", 1, 1, rows=2),
            Head("Mã số", 1, 2, rows=2),
            Head("Tổng số", 1, 3, rows=2),
            Head("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua", 1, 4, cols=3),
            Head("Cấp Trung ương (Hội đồng Thi đua – Khen thưởng Trung ương)", 2, 4),
            Head("Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương", 2, 5),
            Head("Cơ quan, tổ chức, đơn vị", 2, 6),
        ),
        numbering=("A", "B", "1=(2+3+4)", "2", "3", "4"),
        lines=(
            Line("Tổng số", "01", values=by_province(total), bold=True),
            Line("1. Chia theo phạm vi tổ chức thi đua"),
            Line("- Toàn quốc", "02", values=(0, 0, 0, 0)),
            Line("- Bộ, ban, ngành, đoàn thể, địa phương", "03", values=by_province(len(movements))),
            Line(
                "- Cụm, khối thi đua do Hội đồng Thi đua – Khen thưởng các cấp tổ chức",
                "04",
                values=by_province(blocks),
            ),
            Line("- Cơ quan, tổ chức, đơn vị", "05", values=(0, 0, 0, 0)),
            Line("2. Chia theo thời hạn thi đua"),
            Line("- Dưới 1 năm", "06", values=by_province(duration["06"])),
            Line("- 1 năm", "07", values=by_province(duration["07"])),
            Line("- Từ 1 năm đến dưới 3 năm", "08", values=by_province(duration["08"])),
            Line("- Từ 3 năm đến dưới 5 năm", "09", values=by_province(duration["09"])),
            Line("- Từ 5 năm trở lên", "10", values=by_province(duration["10"])),
            Line("3. Chia theo phương thức tổ chức phong trào thi đua"),
            Line("- Thi đua theo chuyên đề", "11", values=by_province(thematic)),
            Line("- Thi đua thường xuyên hàng năm", "12", values=by_province(regular)),
        ),
        notes=tuple(notes),
    )


# --- 0602 and 0603: counts of award lines by column and row ----------------------------------

Pick = Callable[[AwardLine], bool]


def _count(lines: Sequence[AwardLine], columns: Sequence[Pick], row: Pick) -> tuple[Value, ...]:
    chosen = [line for line in lines if row(line)]
    cells = [sum(1 for line in chosen if column(line)) for column in columns]
    return (sum(cells), *cells)


def _blank(width: int) -> tuple[Value, ...]:
    return (None,) * width


def _award(code: str, kind: str | None = None) -> Pick:
    return lambda line: line.award == code and (kind is None or line.recipient_kind == kind)


def _people_rows(width: int, lines: Sequence[AwardLine], columns: Sequence[Pick], first: int) -> list[Line]:
    """Rows 'by recipient' shared by 0602 and 0603, numbered from `first`."""

    def code(n: int) -> str:  # row codes run on from the form's own
        return f"{first + n:02d}"

    return [
        Line("- Tập thể", code(0), "Tập thể", _count(lines, columns, lambda x: x.recipient_kind == "unit")),
        Line("Trong đó: Doanh nghiệp", code(1), "Doanh nghiệp", _blank(width)),
        Line("- Hộ gia đình", code(2), "Hộ", (0,) * width),
        Line("- Cá nhân", code(3), "Người", _count(lines, columns, lambda x: x.recipient_kind == "staff")),
        Line("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", code(4), "Người", _blank(width)),
        Line("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", code(5), "Người", _blank(width)),
        Line("+ Doanh nhân", code(6), "Người", _blank(width)),
        Line("+ Các cấp lãnh đạo khác từ phó phòng trở lên", code(7), "Người", _blank(width)),
        Line(
            "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
            "(công nhân, nông dân, ...)",
            code(8),
            "Người",
            _blank(width),
        ),
    ]


_TYPES = ("Thường xuyên", "Chuyên đề", "Đột xuất", "Đối ngoại", "Cống hiến", "Niên hạn", "Kháng chiến")


def _type_rows(width: int, first: int, unit: str) -> list[Line]:
    return [Line(f"- {name}", f"{first + i:02d}", unit, _blank(width)) for i, name in enumerate(_TYPES)]


def _revoked_note(f: YearFigures, authorities: frozenset[str]) -> tuple[str, ...]:
    n = sum(1 for x in f.revoked if _authority(x.award) in authorities)
    return (f"Không tính {n} khen thưởng đã bị hủy bỏ.",) if n else ()


_PEOPLE_NOTE = (
    "Các dòng theo chức vụ cá nhân, doanh nghiệp và theo phương thức khen thưởng để trống: "
    "sổ cái chưa ghi các thông tin này."
)


def form_0602(f: YearFigures, reporter: str) -> Form:
    lines = [x for x in f.lines if _authority(x.award) in STATE_AUTHORITIES]
    known = {"co_thi_dua_chinh_phu", "bang_khen_thu_tuong", "chien_si_thi_dua_toan_quoc"}

    def other(x: AwardLine) -> bool:
        return (
            x.award not in known
            and not _is_medal(x.award)
            and not x.award.startswith(("giai_thuong", "danh_hieu_vinh_du"))
        )

    columns: list[Pick] = [
        lambda x: _is_medal(x.award) and x.recipient_kind == "unit",
        lambda x: _is_medal(x.award) and x.recipient_kind == "staff",
        lambda x: x.award == "giai_thuong_ho_chi_minh",
        lambda x: x.award == "giai_thuong_nha_nuoc",
        lambda x: x.award.startswith("danh_hieu_vinh_du") and x.recipient_kind == "unit",
        lambda x: x.award.startswith("danh_hieu_vinh_du") and x.recipient_kind == "staff",
        _award("co_thi_dua_chinh_phu"),
        _award("bang_khen_thu_tuong", "unit"),
        _award("bang_khen_thu_tuong", "staff"),
        _award("chien_si_thi_dua_toan_quoc"),
        lambda x: other(x) and x.recipient_kind == "unit",
        lambda x: other(x) and x.recipient_kind == "staff",
    ]
    width = 1 + len(columns)
    submitted = tuple(1 if v else 0 for v in _count(lines, columns, lambda x: True))
    return Form(
        code="0602",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        year=f.year,
        reporter=reporter,
        due=DUE,
        has_unit_column=True,
        heads=(
            Head("", 1, 1, rows=4),
            Head("Mã số", 1, 2, rows=4),
            Head("Đơn vị tính", 1, 3, rows=4),
            Head("Tổng số", 1, 4, rows=4),
            Head("Chia ra", 1, 5, cols=12),
            Head("Các loại huân chương, huy chương", 2, 5, cols=2, rows=2),
            Head("Giải thưởng Hồ Chí Minh", 2, 7, rows=2),
            Head("Giải thưởng Nhà nước", 2, 8, rows=2),
            Head("Danh hiệu vinh dự nhà nước", 2, 9, cols=2, rows=2),
            Head("Cờ thi đua của Chính phủ", 2, 11, rows=2),
            Head("Bằng khen của Thủ tướng Chính phủ", 2, 12, cols=2, rows=2),
            Head("Chiến sĩ thi đua toàn quốc", 2, 14, rows=2),
            Head("Các hình thức khen thưởng khác", 2, 15, cols=2, rows=2),
            *(
                Head(text, 4, col)
                for col, text in zip(
                    range(5, 17),
                    (
                        "Tập thể",
                        "Cá nhân",
                        "Cá nhân",
                        "Cá nhân",
                        "Tập thể",
                        "Cá nhân",
                        "Tập thể",
                        "Tập thể",
                        "Cá nhân",
                        "Cá nhân",
                        "Tập thể",
                        "Cá nhân",
                    ),
                    strict=True,
                )
            ),
        ),
        numbering=("A", "B", "C", "1", "2", "2", "3", "4", "5", "5", "6", "7", "7", "8", "9", "9"),
        lines=(
            Line("Tổng số", "01", values=_count(lines, columns, lambda x: True), bold=True),
            Line("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"),
            Line("- Bộ, ban, ngành, đoàn thể Trung ương", "02", "Bộ, ngành", (0,) * width),
            Line("- Tỉnh, thành phố trực thuộc Trung ương", "03", "Tỉnh, TP", submitted),
            Line("2. Chia theo đối tượng khen thưởng"),
            *_people_rows(width, lines, columns, 6),
            Line("3. Chia theo phương thức khen thưởng"),
            *_type_rows(width, 15, ""),
        ),
        notes=(
            CALENDAR,
            "Dòng 02–03 đếm đơn vị trình (tỉnh này: 1 ở cột có khen thưởng).",
            _PEOPLE_NOTE,
            *_revoked_note(f, STATE_AUTHORITIES),
        ),
    )


def form_0603(f: YearFigures, reporter: str) -> Form:
    lines = [x for x in f.lines if _authority(x.award) in PROVINCE_AUTHORITIES]
    columns: list[Pick] = [
        _award("bang_khen_chu_tich_ubnd_tinh"),
        _award("chien_si_thi_dua_cap_tinh"),
        _award("co_thi_dua_ubnd_tinh"),
        lambda x: x.award.startswith(("huy_hieu", "ky_niem_chuong")),
    ]
    counted = [x for x in lines if any(c(x) for c in columns)]
    outside: dict[str, int] = {}
    for x in lines:
        if not any(c(x) for c in columns):
            outside[x.award_name] = outside.get(x.award_name, 0) + 1
    width = 1 + len(columns)
    notes = [CALENDAR, _PEOPLE_NOTE, *_revoked_note(f, PROVINCE_AUTHORITIES)]
    if outside:
        listed = "; ".join(f"{name}: {n}" for name, n in sorted(outside.items()))
        notes.append(f"Danh hiệu cấp tỉnh không có cột trong biểu, không tính vào tổng số: {listed}.")
    return Form(
        code="0603",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, "
        "THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        year=f.year,
        reporter=reporter,
        has_unit_column=True,
        heads=(
            Head("", 1, 1, rows=2),
            Head("Mã số", 1, 2, rows=2),
            Head("Đơn vị tính", 1, 3, rows=2),
            Head("Tổng số", 1, 4, rows=2),
            Head("Chia ra", 1, 5, cols=4),
            Head("Bằng khen", 2, 5),
            Head("Chiến sĩ thi đua cấp bộ, cấp tỉnh", 2, 6),
            Head(
                "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
                2,
                7,
            ),
            Head(
                "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố "
                "trực thuộc Trung ương",
                2,
                8,
            ),
        ),
        numbering=("A", "B", "C", "1", "2", "3", "4", "5"),
        lines=(
            Line("Tổng số", "01", values=_count(counted, columns, lambda x: True), bold=True),
            Line("1. Chia theo đối tượng khen thưởng"),
            *_people_rows(width, counted, columns, 2),
            Line("2. Chia theo phương thức khen thưởng"),
            *_type_rows(width, 11, ""),
        ),
        notes=tuple(notes),
    )


_NOT_RECORDED = (
    "Sổ cái không ghi nhận số liệu của biểu này; các ô để trống để Ban Thi đua – Khen thưởng điền."
)


def form_0604(f: YearFigures, reporter: str) -> Form:
    blank = (None,)
    return Form(
        code="0604",
        title="SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, "
        "TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        year=f.year,
        reporter=reporter,
        has_unit_column=True,
        heads=(Head("", 1, 1), Head("Mã số", 1, 2), Head("Đơn vị tính", 1, 3), Head("Số lượng", 1, 4)),
        numbering=("A", "B", "C", "1"),
        lines=(
            Line("Tổng số", "01", "Tổ chức", blank, bold=True),
            Line("Chia theo cơ cấu tổ chức bộ máy"),
            Line("- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "02", "Vụ", blank),
            Line("- Cấp phòng, ban hoặc bộ phận thuộc Vụ", "03", "Phòng", blank),
            Line("- Cấp ban thuộc Sở Nội vụ", "04", "Ban", blank),
            Line("- Cấp phòng thuộc Sở Nội vụ", "05", "Phòng", blank),
        ),
        notes=(_NOT_RECORDED,),
    )


def form_0605(f: YearFigures, reporter: str) -> Form:
    blank = (None, None)
    rows = [
        ("1. Chia theo độ tuổi", None),
        ("- Từ 30 trở xuống", "02"),
        ("- Từ 31 đến 40", "03"),
        ("- Từ 41 đến 50", "04"),
        ("- Từ 51 đến 55", "05"),
        ("- Từ 56 đến 60", "06"),
        ("- Trên 60 tuổi", "07"),
        ("2. Chia theo trình độ đào tạo", None),
        ("- Sơ cấp", "08"),
        ("- Trung cấp", "09"),
        ("- Cao đẳng", "10"),
        ("- Đại học", "11"),
        ("- Trên đại học", "12"),
        ("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng", None),
        ("- Dưới 5 năm", "13"),
        ("- Từ 5 đến 10 năm", "14"),
        ("- Từ 10 năm trở lên", "15"),
    ]
    return Form(
        code="0605",
        title="SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, "
        "TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        year=f.year,
        reporter=reporter,
        heads=(
            Head("", 1, 1, rows=2),
            Head("Mã số", 1, 2, rows=2),
            Head("Số lượng (Người)", 1, 3, cols=2),
            Head("Tổng số", 2, 3),
            Head("Trong đó: Nữ", 2, 4),
        ),
        numbering=("A", "B", "1", "2"),
        lines=(
            Line("Tổng số", "01", values=blank, bold=True),
            *(Line(label, code, values=blank if code else ()) for label, code in rows),
        ),
        notes=(
            _NOT_RECORDED,
            "Mã số dòng «Từ 10 năm trở lên» là 15 (bản in tham khảo ghi trùng 14).",
        ),
    )


FORMS: dict[str, Callable[[YearFigures, str], Form]] = {
    "0601": form_0601,
    "0602": form_0602,
    "0603": form_0603,
    "0604": form_0604,
    "0605": form_0605,
}
