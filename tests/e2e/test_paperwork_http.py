"""The file endpoints over real HTTP: uploads with the mutations' permissions, downloads with
the reads' permissions, reports cross-checked with the GraphQL awards register."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from tests.paper_world import PROVINCE, PROVINCE_NAME, record_world
from tests.paperwork_files import filled_template
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

SPECIALISTS = "Công chức, viên chức chuyên môn"


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, PROVINCE_NAME, created_by="op")
    record_world(registry.app(PROVINCE))
    registry.close()
    app = ServedApp(conftest.test_settings(), params)
    app.start()
    try:
        deadline = time.monotonic() + 30
        while len(decisions_of(app)) < 6 and time.monotonic() < deadline:  # projections catching up
            time.sleep(0.1)
        yield app
    finally:
        app.stop()
        drop_database(pg_server, params)


def http(
    served: ServedApp, *roles: str, unit: str | None = None, province: str | None = PROVINCE
) -> httpx.Client:
    headers = {"Authorization": f"Bearer {served.token(province, *roles, unit=unit)}"} if roles else {}
    return httpx.Client(base_url=served.url, headers=headers, timeout=60)


def staff_file(tmp_path: Path, *rows: tuple[Any, ...]) -> bytes:
    return filled_template(tmp_path, "staff", rows).read_bytes()


def test_the_board_uploads_a_staff_list_once(served: ServedApp, tmp_path: Path) -> None:
    body = staff_file(tmp_path, ("nv-10", "Đặng Thu Trang", "so-tai-chinh", SPECIALISTS, "Viên chức", None))
    admin = http(served, "province_admin")
    checked = admin.post("/imports/staff.xlsx", content=body, params={"dryRun": "true"})
    assert checked.status_code == 200
    assert checked.json()["recorded"] == 0
    first = admin.post("/imports/staff.xlsx", content=body)
    assert first.status_code == 200, first.text
    assert (first.json()["recorded"], first.json()["ok"]) == (1, True)
    again = admin.post("/imports/staff.xlsx", content=body)
    assert (again.json()["recorded"], again.json()["skipped"]) == (0, 1)


def test_a_clerk_uploads_only_their_own_units_staff(served: ServedApp, tmp_path: Path) -> None:
    clerk = http(served, "unit_clerk", unit="so-noi-vu")
    mixed = staff_file(
        tmp_path,
        ("nv-20", "Vũ Minh Khôi", "so-noi-vu", SPECIALISTS, "Công chức", None),
        ("nv-21", "Bùi Thị Lan", "cong-an", SPECIALISTS, "Công chức", None),
    )
    refused = clerk.post("/imports/staff.xlsx", content=mixed)
    assert refused.status_code == 422
    assert [(e["row"], e["code"]) for e in refused.json()["errors"]] == [(3, "FORBIDDEN")]
    assert refused.json()["recorded"] == 0
    own = staff_file(tmp_path, ("nv-20", "Vũ Minh Khôi", "so-noi-vu", SPECIALISTS, "Công chức", None))
    accepted = clerk.post("/imports/staff.xlsx", content=own)
    assert accepted.status_code == 200
    assert accepted.json()["recorded"] == 1
    assert clerk.post("/imports/units.xlsx", content=own).json()["code"] == "FORBIDDEN"


def test_uploads_are_refused_with_codes(served: ServedApp, tmp_path: Path) -> None:
    assert http(served).post("/imports/staff.xlsx", content=b"x").status_code == 401
    assert http(served, "auditor").post("/imports/staff.xlsx", content=b"x").status_code == 403
    admin = http(served, "province_admin")
    not_xlsx = admin.post("/imports/staff.xlsx", content=b"ma,ten\n1,2\n")
    assert (not_xlsx.status_code, not_xlsx.json()["code"]) == (400, "EXCEL_NOT_XLSX")
    assert admin.post("/imports/khen-thuong.xlsx", content=b"x").status_code == 404
    bad = staff_file(tmp_path, ("nv-30", "Hà Văn Sơn", "so-noi-vu", SPECIALISTS, "Công chức", "31/02/2024"))
    rejected = admin.post("/imports/staff.xlsx", content=bad)
    assert rejected.status_code == 422
    assert rejected.json()["errors"][0] | {"message": ""} == {
        "row": 2,
        "column": "F",
        "header": "Ngày hiệu lực",
        "code": "EXCEL_INVALID_DATE",
        "message": "",
    }
    blank = admin.get("/imports/decisions.xlsx")
    assert blank.status_code == 200
    header = next(openpyxl.load_workbook(io.BytesIO(blank.content)).worksheets[0].iter_rows(values_only=True))
    assert header[0] == "Số quyết định"


def decisions_of(served: ServedApp) -> list[dict[str, Any]]:
    client = GraphQLClient(served, served.token(PROVINCE, "auditor"))
    query = (
        "{ awardDecisions(first: 100) { nodes { number authority status decidedOn recipients { kind } } } }"
    )
    return list(client.data(query)["awardDecisions"]["nodes"])


def test_report_0603_agrees_with_the_graphql_awards_register(served: ServedApp) -> None:
    response = http(served, "auditor").get("/reports/0603.xlsx", params={"year": 2024})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    total = next(r for r in rows if r[1] == "01")
    expected = sum(
        len(d["recipients"])
        for d in decisions_of(served)
        if d["authority"] == "provincial_chair"
        and d["status"] == "in_force"
        and d["decidedOn"].startswith("2024")
    )
    assert total[3] == expected == 3
    assert http(served, "auditor").get("/reports/0699.xlsx", params={"year": 2024}).status_code == 404
    assert (
        http(served, "platform_operator", province=None)
        .get("/reports/0601.xlsx", params={"year": 2024})
        .status_code
        == 403
    )


def test_exports_follow_the_read_permissions(served: ServedApp) -> None:
    register = http(served, "council_member").get("/exports/awards-register.xlsx")
    assert register.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(register.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert sum(1 for r in rows if r and isinstance(r[0], int)) == sum(
        len(d["recipients"]) for d in decisions_of(served)
    )
    clerk = http(served, "unit_clerk", unit="so-noi-vu")
    own = clerk.get("/exports/rating-sheets.xlsx", params={"year": 2024})
    assert own.status_code == 200
    assert (
        clerk.get("/exports/rating-sheets.xlsx", params={"year": 2024, "unit": "cong-an"}).status_code == 403
    )
    assert (
        http(served, "council_member").get("/exports/rating-sheets.xlsx", params={"year": 2024}).status_code
        == 403
    )
    found = clerk.get("/exports/award-history.xlsx", params={"search": "tran van binh"})
    assert found.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(found.content)).worksheets[0].iter_rows(values_only=True))
    named = [r for r in rows if r and isinstance(r[0], int)]
    assert [(r[1], r[5], r[7]) for r in named] == [
        ("Trần Văn Bình", "Chiến sĩ thi đua cấp tỉnh", "10/QĐ-UBND")
    ]
    missing = http(served, "auditor").get(
        "/exports/standings.xlsx", params={"block": "khong-co", "year": 2024}
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "NOTHING_TO_PRINT")


def test_documents_are_for_the_board(served: ServedApp) -> None:
    admin = http(served, "province_admin")
    draft = admin.get("/documents/quyet-dinh.docx", params={"decision": "01/QĐ-UBND"})
    assert draft.status_code == 200
    assert draft.content[:2] == b"PK"
    certificates = admin.get("/documents/certificates.pdf", params={"decision": "01/QĐ-UBND"})
    assert certificates.status_code == 200
    assert certificates.content.startswith(b"%PDF")
    submission = admin.get(
        "/documents/to-trinh.docx", params={"year": 2024, "award": "bang_khen_chu_tich_ubnd_tinh"}
    )
    assert submission.status_code == 200
    assert (
        http(served, "council_member")
        .get("/documents/quyet-dinh.docx", params={"decision": "01/QĐ-UBND"})
        .status_code
        == 403
    )


def test_an_upload_may_come_as_a_multipart_form(served: ServedApp, tmp_path: Path) -> None:
    body = staff_file(tmp_path, ("nv-40", "Phan Thị Mai", "so-tai-chinh", SPECIALISTS, "Viên chức", None))
    admin = http(served, "province_admin")
    sent = admin.post("/imports/staff.xlsx", files={"file": ("can-bo.xlsx", body)}, params={"dryRun": "true"})
    assert sent.status_code == 200, sent.text
    assert (sent.json()["rows"], sent.json()["recorded"]) == (1, 0)
    empty = admin.post("/imports/staff.xlsx", files={"other": ("x.txt", b"x")})
    assert (empty.status_code, empty.json()["code"]) == (400, "EXCEL_NOT_XLSX")
