"""Units: register, rename, dissolve; one block of a kind per year."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from thidua.domain.errors import AlreadyRecorded, NotAMember, UnitDissolved
from thidua.domain.ids import aggregate_id
from thidua.domain.provenance import Provenance
from thidua.domain.units import AlreadyInBlock, Unit

At = Callable[..., Provenance]


def make_unit(at: At) -> Unit:
    return Unit.register("nghe-an", "ban-to-chuc", "Ban Tổ chức Tỉnh ủy", at("2020-01-01"))


def test_registering_a_unit_gives_a_deterministic_id_and_records_who_did_it(at: At) -> None:
    unit = make_unit(at)
    assert unit.id == aggregate_id("nghe-an", "unit", "ban-to-chuc")
    (registered,) = unit.collect_events()
    assert isinstance(registered, Unit.Registered)
    assert registered.actor_user == "clerk"
    assert registered.actor_role == "province_admin"
    assert registered.effective_on.isoformat() == "2020-01-01"
    assert registered.correlation_id == "test-2020-01-01"
    assert registered.timestamp.year == 2026  # recorded_at, not the effective date


def test_renaming_records_the_new_name(at: At) -> None:
    unit = make_unit(at)
    unit.rename("Ban Tổ chức", at("2021-01-01"))
    assert unit.name == "Ban Tổ chức"


def test_renaming_to_the_same_name_is_refused(at: At) -> None:
    unit = make_unit(at)
    with pytest.raises(AlreadyRecorded):
        unit.rename("Ban Tổ chức Tỉnh ủy", at("2021-01-01"))


def test_dissolved_unit_cannot_be_renamed_and_message_names_the_date(at: At) -> None:
    unit = make_unit(at)
    unit.dissolve("QĐ 01/2025", None, at("2025-07-01"))
    with pytest.raises(UnitDissolved) as refused:
        unit.rename("Tên mới", at("2025-08-01"))
    assert refused.value.code == "UNIT_DISSOLVED"
    assert "01/07/2025" in refused.value.message_vi
    assert "Ban Tổ chức Tỉnh ủy" in refused.value.message_vi


def test_dissolving_twice_is_refused(at: At) -> None:
    unit = make_unit(at)
    unit.dissolve("QĐ 01/2025", "van-phong-tinh-uy", at("2025-07-01"))
    assert unit.successor == "van-phong-tinh-uy"
    with pytest.raises(UnitDissolved):
        unit.dissolve("QĐ 02/2025", None, at("2025-08-01"))


def test_dissolution_does_not_rewrite_earlier_years(at: At) -> None:
    unit = make_unit(at)
    unit.dissolve("QĐ 01/2025", None, at("2025-07-01"))
    assert not unit.is_dissolved_on(at("2021-11-12").effective_on)
    unit.check_active(at("2021-11-12").effective_on)  # no refusal for 2021 history


def test_a_unit_joins_one_block_per_kind_and_year(at: At) -> None:
    unit = make_unit(at)
    unit.join_block("khoi-co-quan-dang", "block", 2021, at("2021-01-05"))
    unit.join_block("cum-1", "cluster", 2021, at("2021-01-05"))
    unit.join_block("khoi-noi-chinh", "block", 2022, at("2022-01-05"))
    assert unit.block_of("block", 2021) == "khoi-co-quan-dang"
    with pytest.raises(AlreadyInBlock) as refused:
        unit.join_block("khoi-noi-chinh", "block", 2021, at("2021-02-01"))
    assert refused.value.code == "ALREADY_IN_BLOCK"


def test_joining_the_same_block_again_is_refused(at: At) -> None:
    unit = make_unit(at)
    unit.join_block("khoi-co-quan-dang", "block", 2021, at("2021-01-05"))
    with pytest.raises(AlreadyRecorded):
        unit.join_block("khoi-co-quan-dang", "block", 2021, at("2021-01-06"))


def test_a_dissolved_unit_cannot_join_a_block(at: At) -> None:
    unit = make_unit(at)
    unit.dissolve("QĐ 01/2025", None, at("2025-07-01"))
    with pytest.raises(UnitDissolved):
        unit.join_block("khoi-co-quan-dang", "block", 2026, at("2026-01-05"))


def test_leaving_a_block_frees_the_year(at: At) -> None:
    unit = make_unit(at)
    unit.join_block("a", "block", 2021, at("2021-01-05"))
    unit.leave_block("a", "block", 2021, at("2021-03-01"))
    unit.join_block("b", "block", 2021, at("2021-03-02"))
    assert unit.block_of("block", 2021) == "b"


def test_leaving_a_block_one_is_not_in_is_refused(at: At) -> None:
    with pytest.raises(NotAMember):
        make_unit(at).leave_block("a", "block", 2021, at("2021-03-01"))


def test_unit_rebuilt_from_stored_events_equals_the_original(at: At, rebuild: Callable[[Unit], Any]) -> None:
    unit = make_unit(at)
    unit.join_block("a", "block", 2021, at("2021-01-05"))
    unit.dissolve("QĐ 01/2025", None, at("2025-07-01"))
    assert rebuild(unit) == unit
