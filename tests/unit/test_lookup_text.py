"""The look-up's text rules (tra cứu): Vietnamese folded without diacritics (đ → d), searches
turned into index queries safely, and a decision's prize read from either shape of event."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from thidua.projections.lookup.folding import fold
from thidua.projections.lookup.projection import prize_of, search_words
from thidua.projections.lookup.queries import SearchEmpty, SearchTooLong, search_query


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Trường Chính trị tỉnh", "truong chinh tri tinh"),
        ("ĐẢNG ỦY KHỐI", "dang uy khoi"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        (unicodedata.normalize("NFD", "Nghệ An – Hà Tĩnh"), "nghe an ha tinh"),
        ("Sở Nội vụ (cũ), số 1/2025", "so noi vu cu so 1 2025"),
        ("Ư ơ ă â ê ô ỹ", "u o a a e o y"),
        ("ＴＨＰＴ　số １", "thpt so 1"),  # full-width letters and space
        ("  \t tab\x07bell ", "tab bell"),
    ],
)
def test_vietnamese_is_folded_to_plain_lower_case_words(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_a_search_becomes_whole_words_and_a_last_prefix_whatever_it_contains() -> None:
    assert search_query("Trường chính TRỊ") == "'truong' & 'chinh' & 'tri':*"
    assert search_query("duc") == "'duc':*"
    assert search_query("a a b") == "'a' & 'b':*"  # a word given twice counts once
    # Quotes, operators and backslashes cannot reach the index query: they separate words.
    assert search_query("x' | !y & \\z:*") == "'x' & 'y' & 'z':*"


@pytest.mark.parametrize(
    ("search", "error"),
    [("a" * 201, SearchTooLong), (" ".join("abcdefghijklm"), SearchTooLong), ("!!! -- ...", SearchEmpty)],
)
def test_a_search_too_long_or_without_words_is_refused(search: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        search_query(search)


def test_the_search_column_holds_the_words_of_both_names() -> None:
    assert search_words("Trường Chính trị tỉnh", "Trường Chính trị Nguyễn Thị Minh Khai") == [
        "chinh",
        "khai",
        "minh",
        "nguyen",
        "thi",
        "tinh",
        "tri",
        "truong",
    ]


def test_a_prize_is_read_from_the_decisions_prize_lines_or_its_multiple_per_kind() -> None:
    with_amounts = {
        "prize_multiple_each": {"staff": "1.5"},
        "prizes": [
            {"recipient": "a", "kind": "staff", "multiple": "1.5", "amount": 3_510_000},
            {"recipient": "b", "kind": "staff", "multiple": None, "amount": None},
        ],
    }
    assert prize_of(with_amounts, "staff", "a") == (Decimal("1.5"), 3_510_000)
    assert prize_of(with_amounts, "staff", "b") == (None, None)
    # A decision recorded before amounts were kept: the multiple of the kind, no amount.
    assert prize_of({"prize_multiple_each": {"unit": 0.6, "staff": 0.3}}, "unit", "x") == (
        Decimal("0.6"),
        None,
    )
    assert prize_of({}, "unit", "x") == (None, None)
