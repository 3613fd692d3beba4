"""Reading cells as clerks type them: dates above all (dd/mm/yyyy is the habit)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from thidua.services.paperwork.documents.profile import legal_bases, vn_day
from thidua.services.paperwork.excel_in import cells


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/2024", date(2024, 3, 15)),
        ("5/3/2024", date(2024, 3, 5)),
        ("15-03-2024", date(2024, 3, 15)),
        ("15.03.2024", date(2024, 3, 15)),
        ("03/04/2024", date(2024, 4, 3)),  # day first, as clerks write it
        ("2024-03-15", date(2024, 3, 15)),
        (datetime(2024, 3, 15, 8, 30, tzinfo=UTC), date(2024, 3, 15)),
        (date(2024, 3, 15), date(2024, 3, 15)),
    ],
)
def test_dates_are_read_day_first(typed: object, expected: date) -> None:
    assert cells.day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("03/15/2024", "EXCEL_AMBIGUOUS_DATE"),  # month/day
        ("15/03/24", "EXCEL_AMBIGUOUS_DATE"),  # which century?
        ("31/02/2024", "EXCEL_INVALID_DATE"),
        ("tháng 3 năm 2024", "EXCEL_INVALID_DATE"),
        (45366, "EXCEL_INVALID_DATE"),  # a serial number whose cell lost its date format
        ("15/03/1800", "EXCEL_INVALID_DATE"),
    ],
)
def test_dates_that_could_be_read_two_ways_or_not_at_all_are_refused(typed: object, code: str) -> None:
    with pytest.raises(cells.CellError) as refused:
        cells.day(typed)
    assert refused.value.code == code
    assert refused.value.message_vi


def test_text_is_normalised_and_keys_have_no_spaces() -> None:
    decomposed = "Nguye\u0302\u0303n  Thi\u0323   Hu\u031bo\u031bng"
    assert cells.text(decomposed) == "Nguyễn Thị Hương"
    assert cells.key(123.0) == "123"
    with pytest.raises(cells.CellError):
        cells.key("so noi vu")
    with pytest.raises(cells.CellError):
        cells.text("a\x00b")


def test_choices_match_labels_or_codes_whatever_the_case() -> None:
    kinds = {"cong_chuc": "Công chức", "vien_chuc": "Viên chức"}
    assert cells.choice("  VIÊN CHỨC ", kinds, "Loại") == "vien_chuc"
    assert cells.choice("cong_chuc", kinds, "Loại") == "cong_chuc"
    with pytest.raises(cells.CellError, match="Công chức; Viên chức"):
        cells.choice("Hợp đồng", kinds, "Loại")


def test_dates_in_documents_follow_decree_30() -> None:
    assert vn_day(date(2024, 1, 5)) == "ngày 05 tháng 01 năm 2024"
    assert vn_day(date(2024, 3, 15)) == "ngày 15 tháng 3 năm 2024"
    assert vn_day(date(2024, 12, 1)) == "ngày 01 tháng 12 năm 2024"


def test_legal_bases_follow_the_date_of_the_document() -> None:
    assert any("91/2017/NĐ-CP" in b for b in legal_bases(date(2023, 12, 31)))
    assert any("06/2022/QH15" in b for b in legal_bases(date(2024, 1, 1)))
    assert not any("152/2025" in b for b in legal_bases(date(2025, 6, 30)))
    assert any("152/2025/NĐ-CP" in b for b in legal_bases(date(2025, 7, 1)))
