"""The paperwork commands run as real processes: a template, an import refused then accepted
(exit codes 1 and 0), a statistical form and a certificate file."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import create_database, drop_database
from tests.integration.test_ledger_cli import thidua
from tests.paperwork_files import sheet_values
from thidua.services.database import ConnectionParams


def test_import_export_and_report_from_the_command_line(pg_server: ConnectionParams, tmp_path: Path) -> None:
    params = create_database(pg_server)
    try:
        assert thidua(params, "province", "create", "nghe-an", "--name", "Tỉnh Nghệ An").returncode == 0
        template = tmp_path / "don-vi.xlsx"
        made = thidua(params, "import-excel", "--template", "units", "--output", str(template))
        assert made.returncode == 0, made.stderr
        assert sheet_values(template)[0][:2] == ("Mã đơn vị", "Tên đơn vị")
        book = openpyxl.load_workbook(template)
        book.worksheets[0].append(["so-noi-vu", "Sở Nội vụ", "01/01/2024"])
        book.worksheets[0].append(["so-tai-chinh", None, "2024/01/01"])
        book.save(template)
        refused = thidua(params, "import-excel", str(template), "--province", "nghe-an", "--kind", "units")
        assert refused.returncode == 1
        assert "dòng 3, cột B (Tên đơn vị): [EXCEL_REQUIRED]" in refused.stderr
        assert "dòng 3, cột C (Ngày hiệu lực): [EXCEL_INVALID_DATE]" in refused.stderr
        book.worksheets[0].delete_rows(3)
        book.save(template)
        accepted = thidua(params, "import-excel", str(template), "--province", "nghe-an", "--kind", "units")
        assert accepted.returncode == 0, accepted.stderr
        assert '"recorded": 1' in accepted.stdout
        not_xlsx = tmp_path / "ds.xlsx"
        not_xlsx.write_text("ma,ten\n")
        whole = thidua(params, "import-excel", str(not_xlsx), "--province", "nghe-an", "--kind", "units")
        assert whole.returncode == 2
        assert "EXCEL_NOT_XLSX" in whole.stderr
        report = tmp_path / "0601.xlsx"
        made = thidua(
            params, "report", "0601", "--province", "nghe-an", "--year", "2024", "--output", str(report)
        )
        assert made.returncode == 0, made.stderr
        assert sheet_values(report)[0][0] == "Biểu số: 0601.N/BNV-TĐKT"
    finally:
        drop_database(pg_server, params)
