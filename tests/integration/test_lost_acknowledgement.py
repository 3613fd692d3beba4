"""A save whose COMMIT reached PostgreSQL but whose acknowledgement was lost.

The recorder retries an insert on a broken connection; when the first attempt had in fact
committed, the retry collides with its own rows. The command must answer with its position, not
CONCURRENT_CHANGE (an idempotency key would otherwise store the wrong answer for good), while a
real concurrent writer is still refused. The first attempt is played by saving a copy of the
aggregate with the same pending events, exactly the rows the lost attempt wrote.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from thidua.domain.provenance import Actor, Provenance
from thidua.domain.units import Unit
from thidua.services.commands import base
from thidua.services.commands.errors import CommitOutcomeUnknown, ConcurrentChange
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"


def by() -> Provenance:
    return Provenance(Actor("clerk", "province_admin", None), datetime.now(UTC), date(2026, 1, 5), "t")


@pytest.fixture
def registry_with_province(registry: ProvinceRegistry) -> ProvinceRegistry:
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    return registry


def test_a_commit_whose_acknowledgement_was_lost_answers_with_its_position(
    registry_with_province: ProvinceRegistry,
) -> None:
    app = registry_with_province.app(PROVINCE)
    unit = Unit.register(PROVINCE, "so-gd", "Sở Giáo dục", by())
    lost_attempt = copy.deepcopy(unit)
    recorded = app.save(lost_attempt)
    position = app._commit(unit)
    assert position == recorded[-1].notification.id
    assert app.repository.get(unit.id).name == "Sở Giáo dục"
    # Also for a change to an existing aggregate (the retry of a rename).
    renamed: Unit = app.repository.get(unit.id)
    renamed.rename("Sở Giáo dục và Đào tạo", by())
    recorded = app.save(copy.deepcopy(renamed))
    assert app._commit(renamed) == recorded[-1].notification.id > position


def test_a_real_concurrent_writer_is_still_refused(registry_with_province: ProvinceRegistry) -> None:
    app = registry_with_province.app(PROVINCE)
    app.register_unit(key="so-yt", name="Sở Y tế", by=by())
    first: Unit = app.repository.get(app._id("unit", "so-yt"))
    second: Unit = app.repository.get(app._id("unit", "so-yt"))
    first.rename("Sở Y tế tỉnh", by())
    second.rename("Sở Y tế Nghệ An", by())
    app._commit(first)
    with pytest.raises(ConcurrentChange):
        app._commit(second)
    assert app.repository.get(first.id).name == "Sở Y tế tỉnh"


def test_a_broken_connection_after_commit_is_looked_up_not_guessed(
    registry_with_province: ProvinceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recorder gave up on a broken connection: the command looks whether its rows landed."""
    app = registry_with_province.app(PROVINCE)
    real_save = app.save

    def commit_then_break(*aggregates: Any) -> Any:
        real_save(*[copy.deepcopy(a) for a in aggregates])
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(app, "save", commit_then_break)
    position = app.register_unit(key="so-tc", name="Sở Tài chính", by=by())
    assert position > 0
    assert app.repository.get(app._id("unit", "so-tc")).name == "Sở Tài chính"

    def break_before_commit(*aggregates: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(app, "save", break_before_commit)
    with pytest.raises(OperationalError) as refused:
        app.register_unit(key="so-xd", name="Sở Xây dựng", by=by())
    assert not isinstance(refused.value, CommitOutcomeUnknown)  # nothing landed: retry is safe

    def cannot_look(*args: Any) -> Any:
        raise OperationalError("still down")

    monkeypatch.setattr(base, "_select_recorded", cannot_look)
    with pytest.raises(CommitOutcomeUnknown):
        app.register_unit(key="so-xd", name="Sở Xây dựng", by=by())
    assert app._id("unit", "so-xd") not in app.repository
