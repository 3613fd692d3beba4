"""Error codes are a published contract: stable, unique, SCREAMING_SNAKE, with Vietnamese text."""

from __future__ import annotations

import importlib
import pkgutil
import re

import thidua.domain
from thidua.domain.errors import DomainError, NotFound, all_error_classes

for module in pkgutil.iter_modules(thidua.domain.__path__):
    importlib.import_module(f"thidua.domain.{module.name}")


def test_every_error_code_is_unique_and_screaming_snake() -> None:
    codes = [cls.code for cls in all_error_classes()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(re.fullmatch(r"[A-Z][A-Z_]+", c) for c in codes)


def test_the_published_codes_the_issue_names_exist() -> None:
    codes = {cls.code for cls in all_error_classes()}
    assert {
        "UNIT_DISSOLVED",
        "DUPLICATE_VOTE",
        "RATING_CAP_EXCEEDED",
        "WRONG_AUTHORITY",
        "PREREQUISITE_MISSING",
        "RECIPIENT_UNDER_DISCIPLINE",
        "ACHIEVEMENT_ALREADY_AWARDED",
        "NOT_ELIGIBLE_VOTER",
        "BALLOT_CLOSED",
        "QUORUM_NOT_MET",
        "REASON_REQUIRED",
    } <= codes


def test_errors_carry_a_message_and_details() -> None:
    error = NotFound("Không tìm thấy đơn vị «x».", unit="x")
    assert isinstance(error, DomainError)
    assert error.message_vi == str(error)
    assert error.details == {"unit": "x"}
    assert "NOT_FOUND" in repr(error)
