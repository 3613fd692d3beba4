"""Excel lists in: every row through the province's commands, all or nothing, idempotent.

Most cases run on the library's in-memory store (fast); the first one runs on PostgreSQL.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.paperwork_files import filled_template, streamed_rows
from thidua.domain.provenance import Actor, Provenance
from thidua.services.auth import PermissionDenied
from thidua.services.commands.errors import StaffNotFound
from thidua.services.paperwork.errors import ColumnsMissing, NotAnXlsxFile
from thidua.services.paperwork.excel_in.run import import_excel
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry

ADMIN = Actor("board", "province_admin", None)
SPECIALISTS = "Công chức, viên chức chuyên môn"


def by(day: str = "2020-01-01") -> Provenance:
    return Provenance(ADMIN, datetime.now(UTC), date.fromisoformat(day), "setup")


def head(app: ProvinceApplication) -> int:
    return int(app.recorder.max_notification_id() or 0)


@pytest.fixture
def app() -> ProvinceApplication:
    app = ProvinceApplication("nghe-an", env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for key in ("so-noi-vu", "so-tai-chinh", "cong-an"):
        app.register_unit(key=key, name=f"Đơn vị {key}", by=by())
    app.create_block(key="khoi-1", name="Khối nội chính", kind="block", by=by())
    return app


def run(app: ProvinceApplication, path: Path, kind: str, **options: Any) -> Any:
    return import_excel(app, path, kind=kind, actor=ADMIN, today=date(2025, 6, 1), **options)


def test_units_are_recorded_once_and_a_second_import_records_nothing(
    registry: ProvinceRegistry, tmp_path: Path
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    rows = [("so-noi-vu", "Sở Nội vụ", "01/01/2024"), ("ubnd-xa-a", "UBND xã Ân Phú", None)]
    path = filled_template(tmp_path, "units", rows)
    first = run(app, path, "units")
    assert first.ok
    assert (first.recorded, first.skipped, first.rows) == (2, 0, 2)
    before = head(app)
    second = run(app, path, "units")
    assert second.ok
    assert (second.recorded, second.skipped) == (0, 2)
    assert head(app) == before
    assert first.correlation_id == second.correlation_id  # one id per file's bytes


def test_a_file_with_bad_rows_records_nothing_and_names_every_bad_row(
    app: ProvinceApplication, tmp_path: Path
) -> None:
    rows = [
        ("nv-1", "Nguyễn Thị Hương", "so-noi-vu", SPECIALISTS, "Công chức", "15/03/2024"),
        ("nv-2", "Trần Văn Bình", "khong-co", SPECIALISTS, "Viên chức", None),  # unknown unit
        ("nv-3", "Lê Thị Cúc", "so-noi-vu", "Trưởng nhóm", "Công chức", None),  # unknown group
        ("nv-4", "Phạm Văn Dũng", "so-noi-vu", SPECIALISTS, "Hợp đồng", None),  # unknown kind
        ("nv-5", "Hoàng Văn Em", "so-noi-vu", SPECIALISTS, "Viên chức", "03/15/2024"),  # month/day
        ("nv-6", None, "so-noi-vu", SPECIALISTS, "Viên chức", "15/03/24"),  # no name, 2-digit year
    ]
    before = head(app)
    report = run(app, filled_template(tmp_path, "staff", rows), "staff")
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (3, "C", "UNIT_NOT_FOUND"),
        (4, "D", "EXCEL_INVALID_VALUE"),
        (5, "E", "EXCEL_INVALID_VALUE"),
        (6, "F", "EXCEL_AMBIGUOUS_DATE"),
        (7, "B", "EXCEL_REQUIRED"),
        (7, "F", "EXCEL_AMBIGUOUS_DATE"),
    }
    assert all(e.message for e in report.errors)
    assert "tháng/ngày/năm" in next(e.message for e in report.errors if e.row == 6)
    assert head(app) == before
    with pytest.raises(StaffNotFound):
        app.get_staff("nv-1")


def test_the_same_key_twice_in_one_file_is_recorded_once(app: ProvinceApplication, tmp_path: Path) -> None:
    rows = [("nv-1", "Nguyễn Thị Hương", "so-noi-vu", SPECIALISTS, "Công chức", None)] * 2
    report = run(app, filled_template(tmp_path, "staff", rows), "staff")
    assert report.ok
    assert (report.recorded, report.skipped) == (1, 1)


def test_staff_are_recorded_with_their_unit_and_group(app: ProvinceApplication, tmp_path: Path) -> None:
    rows = [("nv-1", "Nguyễn  Thị   Hương", "so-noi-vu", "specialists", "viên chức", "15-03-2024")]
    report = run(app, filled_template(tmp_path, "staff", rows), "staff")
    assert report.ok
    assert report.recorded == 1
    assert app.get_staff("nv-1") == {
        "key": "nv-1",
        "name": "Nguyễn Thị Hương",
        "unit": "so-noi-vu",
        "rating_group": "specialists",
    }


def test_formulas_merged_cells_and_serial_dates_are_refused_per_row(
    app: ProvinceApplication, tmp_path: Path
) -> None:
    import openpyxl

    path = filled_template(
        tmp_path,
        "units",
        [
            ("u-1", "Đơn vị một", "=TODAY()"),
            ("u-2", "Đơn vị hai", 45000),
            ("u-3", None, None),
            ("u-4", None, None),
        ],
    )
    book = openpyxl.load_workbook(path)
    book.worksheets[0].merge_cells("B4:B5")
    book.worksheets[0]["B4"] = "Tên chung"
    book.save(path)
    report = run(app, path, "units")
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (2, "C", "EXCEL_FORMULA"),
        (3, "C", "EXCEL_INVALID_DATE"),
        (4, "B", "EXCEL_MERGED_CELLS"),
        (5, "B", "EXCEL_MERGED_CELLS"),
    }
    assert report.recorded == 0


def test_files_that_are_not_a_usable_xlsx_are_refused_whole(app: ProvinceApplication, tmp_path: Path) -> None:
    csv = tmp_path / "staff.xlsx"
    csv.write_text("Mã đơn vị,Tên đơn vị\nu,U\n")
    with pytest.raises(NotAnXlsxFile) as refused:
        run(app, csv, "units")
    assert refused.value.code == "EXCEL_NOT_XLSX"
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(NotAnXlsxFile, match=r"\.xls"):
        run(app, old, "units")
    missing = streamed_rows(tmp_path / "missing.xlsx", ["Mã đơn vị", "Tên"], [("u", "U")])
    with pytest.raises(ColumnsMissing, match="Tên đơn vị") as refused_columns:
        run(app, missing, "units")
    assert refused_columns.value.code == "EXCEL_COLUMNS_MISSING"


def test_a_dry_run_checks_everything_and_records_nothing(app: ProvinceApplication, tmp_path: Path) -> None:
    before = head(app)
    report = run(
        app, filled_template(tmp_path, "units", [("u-9", "Đơn vị chín", None)]), "units", dry_run=True
    )
    assert report.ok
    assert report.recorded == 0
    assert report.rows == 1
    assert head(app) == before


def test_block_members_open_the_year_then_join_it(app: ProvinceApplication, tmp_path: Path) -> None:
    rows = [("khoi-1", 2025, "so-noi-vu"), ("khoi-1", "2025", "so-tai-chinh"), ("khoi-1", 2025, "khong-co")]
    bad = run(app, filled_template(tmp_path, "block-members", rows), "block-members")
    assert [(e.row, e.column, e.code) for e in bad.errors] == [(4, "C", "UNIT_NOT_FOUND")]
    good = run(app, filled_template(tmp_path, "block-members", rows[:2]), "block-members")
    assert good.ok
    assert good.recorded == 2
    year = app.get_block_year("khoi-1", 2025)
    assert year["members"] == ["so-noi-vu", "so-tai-chinh"]
    again = run(app, filled_template(tmp_path, "block-members", rows[:2]), "block-members")
    assert again.ok
    assert (again.recorded, again.skipped) == (0, 2)


def test_proposal_recipients_become_proposals(app: ProvinceApplication, tmp_path: Path) -> None:
    rows = [
        (
            "khoi-1",
            2025,
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "Tập thể",
            "cong-an",
            "Hoàn thành xuất sắc",
            None,
        ),
        ("khoi-1", 2025, "bang_khen_chu_tich_ubnd_tinh", "Cá nhân", "khong-co", None, None),
    ]
    report = run(app, filled_template(tmp_path, "proposal-recipients", rows), "proposal-recipients")
    assert [(e.row, e.column, e.code) for e in report.errors] == [(3, "E", "STAFF_NOT_FOUND")]
    report = run(app, filled_template(tmp_path, "proposal-recipients", rows[:1]), "proposal-recipients")
    assert report.ok
    assert report.recorded == 1
    proposal = app.get_proposal("khoi-1/2025/bang_khen_chu_tich_ubnd_tinh/cong-an")
    assert proposal["status"] == "submitted"


DECISION = (
    "12/QĐ-UBND",
    "20/01/2024",
    "Nguyễn Văn A",
    "Chủ tịch UBND tỉnh",
    "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    2023,
)


def test_a_past_decision_with_its_recipients_is_one_decision(
    app: ProvinceApplication, tmp_path: Path
) -> None:
    rows = [
        (*DECISION, "Tập thể", "so-noi-vu", 6),
        (*DECISION, "Tập thể", "so-tai-chinh", None),
        (*DECISION, "Tập thể", "cong-an", None),
    ]
    report = run(app, filled_template(tmp_path, "decisions", rows), "decisions")
    assert report.ok
    assert report.recorded == 1
    decision = app._get("decision", "12/QĐ-UBND")
    assert [r["key"] for r in decision.recipients] == ["so-noi-vu", "so-tai-chinh", "cong-an"]
    assert (decision.claimed_count, decision.count_mismatch, decision.historical) == (6, True, True)
    again = run(app, filled_template(tmp_path, "decisions", rows), "decisions")
    assert again.ok
    assert (again.recorded, again.skipped) == (0, 1)


def test_decision_rows_must_be_together_and_agree(app: ProvinceApplication, tmp_path: Path) -> None:
    other = ("13/QĐ-UBND", *DECISION[1:])
    rows = [
        (*DECISION, "Tập thể", "so-noi-vu", None),
        (*other, "Tập thể", "cong-an", None),
        (*other[:4], "Giấy khen", 2023, "Tập thể", "ubnd-xa", None),  # another award in 13
        (*other, "Tập thể", "so-tai-chinh", None),
        (*other, "Tập thể", "so-tai-chinh", None),  # the same recipient twice in 13
        (*DECISION, "Tập thể", "cong-an", None),  # 12/QĐ-UBND again, after 13
    ]
    report = run(app, filled_template(tmp_path, "decisions", rows), "decisions")
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (4, "E", "EXCEL_DECISION_MIXED"),
        (6, "H", "DUPLICATE_RECIPIENT"),
        (7, "A", "EXCEL_DECISION_SPLIT"),
    }
    assert report.recorded == 0


def test_a_refusal_of_the_domain_names_the_recipients_row(app: ProvinceApplication, tmp_path: Path) -> None:
    fighter = (
        "14/QĐ-UBND",
        "20/01/2024",
        "Nguyễn Văn A",
        "Chủ tịch UBND tỉnh",
        "Chiến sĩ thi đua cấp tỉnh",
        2023,
    )
    app.register_staff(
        key="nv-1", name="Nguyễn Thị Hương", unit="so-noi-vu", rating_group="specialists", by=by()
    )
    # Under inspection on the decision's date: refused. (A past decision lacking its prerequisites
    # in the record is recorded with them noted, since issue 14, so it is no longer the example.)
    app.open_disciplinary_case(
        subject_kind="staff",
        subject_key="nv-1",
        case="tt-1",
        kind="inspection",
        reference="QĐ TT",
        by=by("2024-01-02"),
    )
    report = run(
        app, filled_template(tmp_path, "decisions", [(*fighter, "Cá nhân", "nv-1", None)]), "decisions"
    )
    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, "H", "RECIPIENT_UNDER_DISCIPLINE")]


def test_a_clerk_may_import_only_their_own_units_staff(app: ProvinceApplication, tmp_path: Path) -> None:
    def clerk_of_so_noi_vu(operation: str, unit: str | None) -> None:
        if operation != "registerStaff" or unit != "so-noi-vu":
            raise PermissionDenied("Bạn chỉ được thực hiện cho đơn vị của mình.")

    rows = [
        ("nv-1", "Nguyễn Thị Hương", "so-noi-vu", SPECIALISTS, "Công chức", None),
        ("nv-2", "Trần Văn Bình", "cong-an", SPECIALISTS, "Công chức", None),
    ]
    before = head(app)
    report = run(app, filled_template(tmp_path, "staff", rows), "staff", allow=clerk_of_so_noi_vu)
    assert [(e.row, e.code) for e in report.errors] == [(3, "FORBIDDEN")]
    assert head(app) == before


def test_an_upload_read_from_memory_is_checked_the_same(app: ProvinceApplication, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "units", [("u-7", "Đơn vị bảy", None)])
    report = import_excel(
        app, io.BytesIO(path.read_bytes()), kind="units", actor=ADMIN, file_name="tai-len.xlsx"
    )
    assert report.ok
    assert report.recorded == 1
    assert report.file == "tai-len.xlsx"


def test_a_longer_file_imported_again_records_only_its_new_rows(
    app: ProvinceApplication, tmp_path: Path
) -> None:
    first = [("u-1", "Đơn vị một", None), ("u-2", "Đơn vị hai", None)]
    assert run(app, filled_template(tmp_path, "units", first), "units").recorded == 2
    before = head(app)
    longer = run(app, filled_template(tmp_path, "units", [*first, ("u-3", "Đơn vị ba", None)]), "units")
    assert longer.ok
    assert (longer.recorded, longer.skipped) == (1, 2)
    assert head(app) == before + 1
