"""Monthly rating sheets, the HTXSNV cap, corrections, year-end ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from thidua.domain.errors import AlreadyRecorded, MalformedCommand, ReasonRequired
from thidua.domain.provenance import Provenance
from thidua.domain.rating_rules import band_for, year_rating
from thidua.domain.ratings import NotOnRoster, NotOnSheet, RatingCapExceeded, RatingSheet
from thidua.domain.rules import RuleSet
from thidua.domain.staff import StaffMember, TooFewMonths

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]


def roster(n: int, group: str = "specialists") -> dict[str, str]:
    return {f"s{i:02d}": group for i in range(n)}


def submit(
    at: At, rules: RuleSet, scores: dict[str, int], staff: dict[str, str], year: int = 2026
) -> RatingSheet:
    return RatingSheet.submit(
        province="nghe-an",
        unit="so-tu-phap",
        year=year,
        month=1,
        scores=scores,
        roster=staff,
        rules=rules,
        by=at(f"{year}-02-03"),
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "HTXSNV"),
        (90, "HTXSNV"),
        (89, "HTTNV"),
        (70, "HTTNV"),
        (69, "HTNV"),
        (50, "HTNV"),
        (49, "KHTNV"),
        (0, "KHTNV"),
    ],
)
def test_scores_fall_into_the_decree_335_bands(score: int, band: str, rules_on: Rules) -> None:
    assert band_for(score, rules_on("2026-01-01")) == band


def test_sheet_records_each_staff_members_band_and_group(at: At, rules_on: Rules) -> None:
    staff = roster(6)
    scores = {"s00": 95, "s01": 80, "s02": 80, "s03": 80, "s04": 80, "s05": 80}
    sheet = submit(at, rules_on("2026-01-01"), scores, staff)
    assert sheet.entry("s00") == {
        "staff": "s00",
        "group": "specialists",
        "score": 95,
        "band": "HTXSNV",
        "kind": None,
    }


def test_excellent_above_twenty_percent_of_good_is_refused_from_2026(at: At, rules_on: Rules) -> None:
    scores = {"s00": 95, "s01": 95, "s02": 80, "s03": 80, "s04": 80, "s05": 80, "s06": 80}
    with pytest.raises(RatingCapExceeded) as refused:
        submit(at, rules_on("2026-01-01"), scores, roster(7))
    assert refused.value.details["allowed"] == 1


def test_a_cap_applied_before_2026_under_decree_48_but_not_before_it(at: At, rules_on: Rules) -> None:
    """Decree 90/2020 as amended by Decree 48/2023 capped HTXSNV before Decree 335/2025; the
    old test said no cap before 2026 (law.md: wrong)."""
    scores = {"s00": 95, "s01": 95, "s02": 80}
    with pytest.raises(RatingCapExceeded):
        submit(at, rules_on("2025-12-01"), scores, roster(3), year=2025)
    sheet = submit(at, rules_on("2023-01-01"), scores, roster(3), year=2023)
    assert [e["band"] for e in sheet.entries].count("HTXSNV") == 2


def test_the_cap_holds_within_each_rating_group_too(at: At, rules_on: Rules) -> None:
    staff = {**roster(10), "lead1": "unit_leadership", "lead2": "unit_leadership"}
    scores = {f"s{i:02d}": 80 for i in range(10)} | {"lead1": 95, "lead2": 80}
    # Unit-wide: 1 HTXSNV for 11 HTTNV is fine; the leadership group has 1 HTTNV, so 0 allowed.
    with pytest.raises(RatingCapExceeded) as refused:
        submit(at, rules_on("2026-01-01"), scores, staff)
    assert refused.value.details["scope"] == "group:unit_leadership"


def test_staff_not_on_the_roster_cannot_be_rated(at: At, rules_on: Rules) -> None:
    with pytest.raises(NotOnRoster):
        submit(at, rules_on("2026-01-01"), {"stranger": 80}, roster(2))


def test_scores_outside_0_to_100_are_refused(at: At, rules_on: Rules) -> None:
    with pytest.raises(MalformedCommand):
        submit(at, rules_on("2026-01-01"), {"s00": 101}, roster(1))


def test_corrections_carry_a_reason_and_respect_the_cap(at: At, rules_on: Rules) -> None:
    rules = rules_on("2026-01-01")
    sheet = submit(at, rules, {f"s{i:02d}": 80 for i in range(6)}, roster(6))
    with pytest.raises(ReasonRequired):
        sheet.correct("s00", 95, " ", rules, at("2026-02-10"))
    sheet.correct("s00", 95, "bổ sung minh chứng", rules, at("2026-02-10"))
    assert sheet.entry("s00")["band"] == "HTXSNV"
    # Now 1 HTXSNV and 5 HTTNV: another excellent one would break the cap.
    with pytest.raises(RatingCapExceeded):
        sheet.correct("s01", 92, "x", rules, at("2026-02-11"))
    with pytest.raises(AlreadyRecorded):
        sheet.correct("s00", 95, "x", rules, at("2026-02-11"))
    with pytest.raises(NotOnSheet):
        sheet.correct("zz", 70, "x", rules, at("2026-02-11"))


def test_sheet_rebuilt_from_stored_events_equals_the_original(
    at: At, rules_on: Rules, rebuild: Callable[[RatingSheet], Any]
) -> None:
    rules = rules_on("2026-01-01")
    sheet = submit(at, rules, {f"s{i:02d}": 80 for i in range(6)}, roster(6))
    sheet.correct("s00", 95, "bổ sung", rules, at("2026-02-10"))
    assert rebuild(sheet) == sheet


def staff_member(at: At) -> StaffMember:
    return StaffMember.register(
        province="nghe-an",
        key="nguyen-van-a",
        name="Nguyễn Văn A",
        unit="so-tu-phap",
        rating_group="specialists",
        by=at("2025-01-01"),
    )


def test_staff_member_changes_group_and_transfers(at: At) -> None:
    person = staff_member(at)
    person.change_rating_group("heads_of_department", at("2025-03-01"))
    with pytest.raises(AlreadyRecorded):
        person.change_rating_group("heads_of_department", at("2025-03-02"))
    with pytest.raises(MalformedCommand):
        person.change_rating_group("bosses", at("2025-03-02"))
    person.transfer("thanh-tra", "specialists", at("2025-06-01"))
    assert (person.unit, person.rating_group) == ("thanh-tra", "specialists")
    with pytest.raises(AlreadyRecorded):
        person.transfer("thanh-tra", "specialists", at("2025-06-02"))


def test_year_end_rating_is_derived_from_the_months(at: At, rules_on: Rules) -> None:
    person = staff_member(at)
    months = {f"{m:02d}": 92 for m in range(1, 13)}
    person.derive_year_rating(2026, months, rules_on("2026-12-31"), at("2027-01-10"))
    assert person.year_ratings["2026"] == {"average": 92.0, "band": "HTXSNV"}


def test_rederiving_a_year_rating_needs_a_reason(at: At, rules_on: Rules) -> None:
    person = staff_member(at)
    months = {f"{m:02d}": 75 for m in range(1, 13)}
    person.derive_year_rating(2026, months, rules_on("2026-12-31"), at("2027-01-10"))
    with pytest.raises(ReasonRequired):
        person.derive_year_rating(2026, months, rules_on("2026-12-31"), at("2027-01-11"))
    person.derive_year_rating(2026, months, rules_on("2026-12-31"), at("2027-01-11"), reason="sửa tháng 3")


def test_too_few_rated_months_give_no_year_rating(at: At, rules_on: Rules) -> None:
    with pytest.raises(TooFewMonths):
        staff_member(at).derive_year_rating(2026, {"01": 90}, rules_on("2026-12-31"), at("2027-01-10"))


def test_a_failed_month_keeps_the_year_below_excellent(rules_on: Rules) -> None:
    assert year_rating([100] * 11 + [45], rules_on("2026-01-01")) == (95.42, "HTTNV")
