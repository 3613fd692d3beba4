"""Numbers a command builds a date from are checked first (a month of 13, a year of 99999):
refused with MALFORMED_COMMAND naming the field, never a ValueError from `date()` answered as
INTERNAL_ERROR. Found by the hostile sweep on real records (tests/hostile/test_fuzz_mutations.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from thidua.domain.errors import MalformedCommand
from thidua.domain.provenance import Actor, Provenance
from thidua.services.province_app import ProvinceApplication


def by() -> Provenance:
    return Provenance(Actor("t", "province_admin", None), datetime.now(UTC), date(2025, 2, 1), "t")


@pytest.fixture
def app() -> ProvinceApplication:
    app = ProvinceApplication("nghe-an", env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.register_unit(key="a", name="Đơn vị A", by=by())
    app.register_staff(key="s", name="Cán bộ", unit="a", rating_group="specialists", by=by())
    return app


@pytest.mark.parametrize(
    ("year", "month", "field"),
    [
        (2025, 13, "month"),
        (2025, 0, "month"),
        (2025, -1, "month"),
        (99999, 1, "year"),
        (1, 1, "year"),
        (2**31 - 1, 12, "year"),
    ],
)
def test_a_rating_sheet_for_a_month_off_the_calendar_is_malformed(
    app: ProvinceApplication, year: int, month: int, field: str
) -> None:
    with pytest.raises(MalformedCommand) as refused:
        app.submit_rating_sheet(unit="a", year=year, month=month, scores={"s": 80}, by=by())
    assert refused.value.details["field"] == field


@pytest.mark.parametrize("year", [99999, 0, -5])
def test_a_year_rating_for_a_year_off_the_calendar_is_malformed(app: ProvinceApplication, year: int) -> None:
    with pytest.raises(MalformedCommand) as refused:
        app.derive_year_rating(staff="s", year=year, reason=None, by=by())
    assert refused.value.details["field"] == "year"
