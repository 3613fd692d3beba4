"""Properties of prize money (tiền thưởng): rounding up to 10,000 đồng, exactly; a collective gets
twice an individual's multiple for every form given to both, on every date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.domain.catalogue import CATALOGUE
from thidua.domain.prizes import ROUNDING_STEP, prize_amount
from thidua.domain.rules import national_rules_in_force

# Multiples as decrees write them: up to two decimals (0.15, 3.5, 46.0, ...).
multiples = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
salaries = st.integers(min_value=0, max_value=100_000_000)
days = st.dates(min_value=date(2019, 7, 1), max_value=date(2030, 12, 31))
BOTH = [code for code, entry in CATALOGUE.items() if set(entry.recipients) == {"individual", "collective"}]


@given(multiples, salaries)
def test_the_amount_is_the_product_rounded_up_to_the_next_ten_thousand(
    multiple: Decimal, salary: int
) -> None:
    exact = Fraction(multiple) * salary
    amount = prize_amount(multiple, salary)
    assert amount % ROUNDING_STEP == 0
    assert exact <= amount < exact + ROUNDING_STEP
    if exact.denominator == 1 and exact % ROUNDING_STEP == 0:
        assert amount == exact  # already round: unchanged


@given(multiples, salaries, st.integers(min_value=1, max_value=1000))
def test_amounts_never_shrink_when_the_multiple_or_the_salary_grows(
    multiple: Decimal, salary: int, more: int
) -> None:
    assert prize_amount(multiple, salary) <= prize_amount(multiple, salary + more)
    assert prize_amount(multiple, salary) <= prize_amount(multiple + Decimal(more) / 100, salary)


@settings(max_examples=60)
@given(st.sampled_from(BOTH), days, st.sampled_from([None, "commune_chair"]))
def test_a_collective_gets_twice_the_individuals_multiple(
    code: str, day: date, authority: str | None
) -> None:
    rules = national_rules_in_force(day)
    individual = rules.prize_multiple(code, False, authority)
    collective = rules.prize_multiple(code, True, authority)
    assert individual is not None
    assert collective == 2 * individual
    assert rules.prize(code, True, authority) == prize_amount(2 * individual, rules.base_salary.amount)  # type: ignore[union-attr]


@settings(max_examples=60)
@given(st.sampled_from(list(CATALOGUE)), days)
def test_only_the_kinds_an_award_admits_are_priced(code: str, day: date) -> None:
    rules = national_rules_in_force(day)
    for kind, collective in (("individual", False), ("collective", True)):
        admitted = kind in CATALOGUE[code].recipients
        assert (rules.prize_multiple(code, collective) is not None) == admitted
        assert (rules.prize(code, collective) is not None) == admitted


@given(days)
def test_the_base_salary_is_the_one_in_force_on_the_decision_date(day: date) -> None:
    salary = national_rules_in_force(day).base_salary
    assert salary is not None
    expected = 1_490_000 if day < date(2023, 7, 1) else 1_800_000 if day < date(2024, 7, 1) else 2_340_000
    assert salary.amount == expected
    assert salary.effective_from <= day
    assert national_rules_in_force(date(2019, 7, 1) - timedelta(days=1)).base_salary is None  # none invented
