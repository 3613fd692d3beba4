"""The read cache of a province application (services/commands/read_cache.py) on PostgreSQL: a
rating sheet judged by one server process sees what another process recorded since its last read
(a transfer, a newly registered member), as a full rebuild would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from thidua.domain.provenance import Actor, Provenance
from thidua.domain.ratings import NotOnRoster
from thidua.services.commands.errors import StaffNotFound
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry


def by(day: str) -> Provenance:
    return Provenance(Actor("clerk", "province_admin", None), datetime.now(UTC), date.fromisoformat(day), "t")


@pytest.fixture
def other(database: ConnectionParams) -> Iterator[ProvinceRegistry]:
    """A second registry on the same database: another server process."""
    reg = ProvinceRegistry(database)
    try:
        yield reg
    finally:
        reg.close()


def test_a_sheet_sees_changes_recorded_by_another_process(
    registry: ProvinceRegistry, other: ProvinceRegistry
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    mine = registry.app("nghe-an")
    for unit in ("a", "b"):
        mine.register_unit(key=unit, name=f"Đơn vị {unit}", by=by("2020-01-01"))
    staff = [f"s{i}" for i in range(8)]
    for key in staff:
        mine.register_staff(key=key, name=key, unit="a", rating_group="specialists", by=by("2025-01-01"))
    scores = dict.fromkeys(staff, 80)
    mine.submit_rating_sheet(unit="a", year=2026, month=1, scores=scores, by=by("2026-02-02"))

    theirs = other.app("nghe-an")
    theirs.transfer_staff(staff="s0", unit="b", rating_group="specialists", by=by("2026-02-10"))
    with pytest.raises(NotOnRoster):
        mine.submit_rating_sheet(unit="a", year=2026, month=2, scores=scores, by=by("2026-03-02"))

    with_newcomer = {"s0": 80, "n1": 80}
    with pytest.raises(StaffNotFound):
        mine.submit_rating_sheet(unit="b", year=2026, month=2, scores=with_newcomer, by=by("2026-03-02"))
    theirs.register_staff(key="n1", name="n1", unit="b", rating_group="specialists", by=by("2026-02-20"))
    mine.submit_rating_sheet(unit="b", year=2026, month=2, scores=with_newcomer, by=by("2026-03-02"))

    del scores["s0"]
    mine.submit_rating_sheet(unit="a", year=2026, month=2, scores=scores, by=by("2026-03-02"))
    # The transfer is in the other process's cache too once it reads.
    with pytest.raises(NotOnRoster):
        theirs.submit_rating_sheet(unit="a", year=2026, month=3, scores={"s0": 80}, by=by("2026-04-02"))
