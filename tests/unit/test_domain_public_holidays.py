"""Public holidays (ngày nghỉ lễ) recorded from the government's notice, skipped by working days.

Tết 2026: the notice gives Monday 16 to Friday 20 February as days off. A state-level proposal
published on Friday 13 February has ten working days of disclosure: without the holidays they end
on 27 February, with them on 6 March.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.unit.conftest import At
from tests.unit.test_domain_awards import propose, recipient
from thidua.domain.errors import AlreadyRecorded, MalformedCommand, ReasonRequired
from thidua.domain.rulebook import HolidayOutsideYear, RuleBook
from thidua.domain.rules import RuleSet
from thidua.domain.workdays import add_working_days

TET_2026 = [date(2026, 2, d) for d in range(16, 21)]


def book(at: At) -> RuleBook:
    return RuleBook.open("nghe-an", at("2026-01-02"))


def test_declared_days_are_kept_sorted_and_survive_a_rebuild(
    at: At, rebuild: Callable[[RuleBook], Any]
) -> None:
    b = book(at)
    b.declare_public_holidays(
        2026, [*reversed(TET_2026), TET_2026[0]], "TB 05/TB-VPCP", None, at("2026-01-05")
    )
    again = rebuild(b)
    assert again.public_holidays == {2026: TET_2026}
    assert again.holidays() == frozenset(TET_2026)


def test_a_second_declaration_for_a_year_is_a_correction_with_a_reason(at: At) -> None:
    b = book(at)
    b.declare_public_holidays(2026, TET_2026, "TB 05", None, at("2026-01-05"))
    with pytest.raises(AlreadyRecorded):
        b.declare_public_holidays(2026, TET_2026, "TB 05", "nhập lại", at("2026-01-06"))
    with pytest.raises(ReasonRequired) as refused:
        b.declare_public_holidays(2026, [*TET_2026, date(2026, 4, 27)], "TB 06", " ", at("2026-01-06"))
    assert refused.value.code == "REASON_REQUIRED"
    b.declare_public_holidays(
        2026, [*TET_2026, date(2026, 4, 27)], "TB 06", "Giỗ Tổ nghỉ bù", at("2026-01-06")
    )
    assert b.public_holidays[2026][-1] == date(2026, 4, 27)
    assert b.pending_events[-1].reason == "Giỗ Tổ nghỉ bù"  # type: ignore[attr-defined]


def test_days_outside_the_year_or_none_at_all_are_refused(at: At) -> None:
    b = book(at)
    with pytest.raises(HolidayOutsideYear) as refused:
        b.declare_public_holidays(2026, [date(2025, 12, 31)], "TB", None, at("2026-01-05"))
    assert refused.value.code == "HOLIDAY_OUTSIDE_YEAR"
    with pytest.raises(MalformedCommand):
        b.declare_public_holidays(2026, [], "TB", None, at("2026-01-05"))
    assert not b.public_holidays


def test_working_days_skip_weekends_and_the_declared_holidays() -> None:
    published = date(2026, 2, 13)  # a Friday
    assert add_working_days(published, 10) == date(2026, 2, 27)
    assert add_working_days(published, 10, frozenset(TET_2026)) == date(2026, 3, 6)


def test_disclosure_over_tet_lasts_ten_working_days(at: At, rules_on: Callable[[str], RuleSet]) -> None:
    rules = rules_on("2026-02-13")
    p = propose(
        at,
        rules,
        recipient(at),
        award_code="co_thi_dua_chinh_phu",
        authority="prime_minister",
        by=at("2026-02-12"),
    )
    p.open_disclosure(channel="Cổng thông tin tỉnh", rules=rules, by=at("2026-02-13"), holidays=TET_2026)
    assert p.disclosure is not None
    assert p.disclosure["comment_until"] == date(2026, 3, 6)
