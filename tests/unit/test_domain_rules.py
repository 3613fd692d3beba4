"""Rule sets versioned by date; a province's stricter rule book layered on national defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from thidua.domain.errors import AlreadyRecorded, MalformedCommand, UnknownAward
from thidua.domain.provenance import Provenance
from thidua.domain.rulebook import (
    RuleBook,
    RuleLooserThanNational,
    RuleRetroactive,
    UnknownRule,
    rules_in_force,
)
from thidua.domain.rules import NATIONAL_DEFAULTS, at_least, national_rules_in_force

At = Callable[..., Provenance]


def test_national_versions_are_ordered_by_effective_date() -> None:
    dates = [r.effective_from for r in NATIONAL_DEFAULTS]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("day", "version", "cap"),
    [
        ("2021-11-12", "vn-2003-luat-tdkt", False),
        # Decree 90/2020 as amended by Decree 48/2023 capped HTXSNV before 2026 (law.md).
        ("2023-07-17", "vn-2023-nd-48-2023", True),
        ("2024-01-01", "vn-2024-luat-06-2022", True),
        ("2025-07-01", "vn-2025-nd-152-2025", True),
        ("2025-12-31", "vn-2025-nd-152-2025", True),
        ("2026-01-01", "vn-2026-nd-335-2025", True),
    ],
)
def test_the_rules_in_force_depend_on_the_date(day: str, version: str, cap: bool) -> None:
    rules = national_rules_in_force(date.fromisoformat(day))
    assert rules.version == version
    assert rules.excellent_cap_in_force is cap


def test_national_thresholds_match_the_law() -> None:
    rules = national_rules_in_force(date(2026, 1, 1))
    assert rules.threshold_for("chien_si_thi_dua_cap_tinh") == (9, 10)
    assert rules.threshold_for("co_thi_dua_ubnd_tinh") == (1, 2)
    assert rules.ballot_quorum == (2, 3)
    assert rules.disclosure_working_days == 10
    assert rules.threshold_for("chien_si_thi_dua_toan_quoc") == (9, 10)
    assert rules.prize_multiple("co_thi_dua_chinh_phu", collective=True) == Decimal("12.0")
    assert rules.prize_multiple("co_thi_dua_chinh_phu", collective=False) is None
    with pytest.raises(UnknownAward):
        rules.prize_multiple("khong_co", collective=True)


def test_ratio_comparison_is_exact() -> None:
    assert at_least(9, 10, (9, 10))
    assert not at_least(8, 10, (9, 10))
    assert at_least(6, 9, (2, 3))
    assert not at_least(5, 8, (2, 3))


def book(at: At) -> RuleBook:
    return RuleBook.open("nghe-an", at("2024-01-01"))


def test_a_province_adopts_a_stricter_version_from_its_effective_date(at: At) -> None:
    b = book(at)
    b.adopt("na-2025", date(2025, 1, 1), "QĐ 10/2024/QĐ-UBND", {"ballot_quorum": (3, 4)}, at("2024-12-01"))
    assert b.rules_in_force(date(2024, 12, 31)).ballot_quorum == (2, 3)
    in_force = b.rules_in_force(date(2025, 6, 1))
    assert in_force.ballot_quorum == (3, 4)
    # Nghệ An's built-in province rule set (its draft scoring bands) sits beneath its adoptions.
    assert in_force.version == "vn-2024-luat-06-2022+nghe-an-du-thao-cham-diem+na-2025"
    # National changes later still apply beneath the province's own values.
    assert b.rules_in_force(date(2026, 2, 1)).excellent_cap_in_force
    assert b.rules_in_force(date(2026, 2, 1)).ballot_quorum == (3, 4)


def test_a_later_national_tightening_wins_over_an_older_provincial_value(at: At) -> None:
    b = book(at)
    b.adopt("na", date(2025, 1, 1), "QĐ", {"excellent_cap": (3, 20)}, at("2024-12-01"))
    assert b.rules_in_force(date(2026, 6, 1)).excellent_cap == (3, 20)  # 15% is stricter than 20%


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"disclosure_working_days": 5}, RuleLooserThanNational),
        ({"excellent_cap": (1, 4)}, RuleLooserThanNational),
        ({"prize_multiples": ()}, UnknownRule),
        ({"ballot_quorum": 3}, MalformedCommand),
        ({"ballot_quorum": (1, 0)}, MalformedCommand),
    ],
)
def test_looser_unknown_or_malformed_rules_are_refused(
    at: At, overrides: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        book(at).adopt("x", date(2025, 1, 1), "QĐ", overrides, at("2024-12-01"))


def test_rules_cannot_be_adopted_retroactively_or_twice(at: At) -> None:
    b = book(at)
    with pytest.raises(RuleRetroactive):
        b.adopt("x", date(2024, 1, 1), "QĐ", {}, at("2024-12-01"))
    b.adopt("x", date(2025, 1, 1), "QĐ", {"tie_rule": "new_round"}, at("2024-12-01"))
    with pytest.raises(AlreadyRecorded):
        b.adopt("x", date(2025, 2, 1), "QĐ", {}, at("2024-12-01"))


def test_a_province_without_a_rule_book_follows_national_law() -> None:
    assert rules_in_force(None, date(2026, 1, 2)).version == "vn-2026-nd-335-2025"


def test_rule_book_rebuilt_from_stored_events_gives_the_same_rules(
    at: At, rebuild: Callable[[RuleBook], Any]
) -> None:
    b = book(at)
    b.adopt("na-2025", date(2025, 1, 1), "QĐ", {"ballot_quorum": (3, 4)}, at("2024-12-01"))
    again = rebuild(b)
    assert again == b
    assert again.rules_in_force(date(2025, 6, 1)) == b.rules_in_force(date(2025, 6, 1))
