"""Movements, title registrations and exemplary registrations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thidua.domain.errors import AlreadyRecorded, MalformedCommand, UnknownAward
from thidua.domain.movements import Movement
from thidua.domain.provenance import Provenance
from thidua.domain.registrations import RegistrationBook, WrongRecipientKind

At = Callable[..., Provenance]


def launch(at: At, kind: str = "thematic", ends_on: date | None = date(2021, 12, 31)) -> Movement:
    return Movement.launch(
        province="nghe-an",
        key="chuyen-doi-so",
        name="Thi đua chuyển đổi số",
        kind=kind,
        starts_on=date(2021, 3, 1),
        ends_on=ends_on,
        by=at("2021-02-20"),
    )


def test_a_thematic_movement_runs_between_its_dates_and_ends_once(at: At) -> None:
    m = launch(at)
    assert m.is_running_on(date(2021, 6, 1))
    assert not m.is_running_on(date(2022, 1, 1))
    m.end("Tổng kết phong trào", at("2021-12-20"))
    assert not m.is_running_on(date(2021, 12, 25))
    with pytest.raises(AlreadyRecorded):
        m.end("lần hai", at("2021-12-21"))


def test_movement_dates_and_kinds_are_checked(at: At) -> None:
    with pytest.raises(MalformedCommand):
        launch(at, kind="thematic", ends_on=None)
    with pytest.raises(MalformedCommand):
        launch(at, kind="weekly")
    with pytest.raises(MalformedCommand):
        launch(at, ends_on=date(2020, 1, 1))
    regular = launch(at, kind="regular", ends_on=None)
    with pytest.raises(MalformedCommand):
        regular.end("quá sớm", at("2021-01-01"))


def book(at: At, kind: str = "unit") -> RegistrationBook:
    return RegistrationBook.open("nghe-an", kind, "dang-uy-khoi-cq", 2021, at("2021-03-17"))


def test_exemplary_registration_records_its_counts(at: At) -> None:
    b = book(at)
    b.register_exemplary(
        "Phát huy vai trò nêu gương", {"individuals": 346, "party_cells": 67, "models": 41}, at("2021-03-17")
    )
    assert b.exemplary[0]["counts"] == {"individuals": 346, "party_cells": 67, "models": 41}
    with pytest.raises(AlreadyRecorded):
        b.register_exemplary("Phát huy vai trò nêu gương", {"models": 1}, at("2021-03-18"))


@pytest.mark.parametrize("counts", [{}, {"cats": 1}, {"models": -1}])
def test_exemplary_counts_must_be_known_non_negative_numbers(at: At, counts: dict[str, int]) -> None:
    with pytest.raises(MalformedCommand):
        book(at).register_exemplary("Chủ đề", counts, at("2021-03-17"))


def test_units_register_collective_titles_and_individuals_individual_ones(at: At) -> None:
    unit_book = book(at)
    unit_book.register_title("tap_the_lao_dong_xuat_sac", None, at("2021-01-10"))
    with pytest.raises(WrongRecipientKind):
        unit_book.register_title("chien_si_thi_dua_co_so", None, at("2021-01-10"))
    with pytest.raises(AlreadyRecorded):
        unit_book.register_title("tap_the_lao_dong_xuat_sac", None, at("2021-01-11"))
    with pytest.raises(UnknownAward):
        unit_book.register_title("huy_chuong_vang", None, at("2021-01-11"))
    person = book(at, kind="staff")
    person.register_title("chien_si_thi_dua_co_so", "chuyen-doi-so", at("2021-01-10"))
    assert person.titles == ["chien_si_thi_dua_co_so"]


def test_registration_book_rebuilt_from_stored_events_equals_the_original(
    at: At, rebuild: Callable[[Any], Any]
) -> None:
    b = book(at)
    b.register_title("tap_the_lao_dong_tien_tien", None, at("2021-01-10"))
    b.register_exemplary("Chủ đề", {"individuals": 3}, at("2021-03-17"))
    assert rebuild(b) == b
    m = launch(at)
    m.end("xong", at("2021-12-20"))
    assert rebuild(m) == m
