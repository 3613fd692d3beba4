"""Disciplinary files: cases and penalties block proposals for their duration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thidua.domain.discipline import CaseNotFound, DisciplinaryFile, check_not_under_discipline
from thidua.domain.errors import AlreadyRecorded, MalformedCommand, RecipientUnderDiscipline
from thidua.domain.provenance import Provenance

At = Callable[..., Provenance]


def file(at: At) -> DisciplinaryFile:
    return DisciplinaryFile.open("nghe-an", "staff", "nguyen-van-a", at("2024-01-01"))


def test_an_open_inspection_blocks_a_proposal_with_a_readable_reason(at: At) -> None:
    f = file(at)
    f.open_case("tt-01", "inspection", "QĐ thanh tra 12", at("2025-03-01"))
    with pytest.raises(RecipientUnderDiscipline) as refused:
        check_not_under_discipline(f, "Nguyễn Văn A", date(2025, 4, 1))
    assert refused.value.code == "RECIPIENT_UNDER_DISCIPLINE"
    assert "thanh tra" in refused.value.message_vi


def test_a_case_blocks_only_between_its_opening_and_closing(at: At) -> None:
    f = file(at)
    f.open_case("xm-01", "complaint_verification", "Đơn 3", at("2025-03-01"))
    f.close_case("xm-01", "cleared", "KL 9", at("2025-05-01"))
    assert not f.status_on(date(2025, 2, 28)).blocked
    assert f.status_on(date(2025, 4, 1)).blocked
    assert not f.status_on(date(2025, 5, 1)).blocked


def test_a_penalty_blocks_until_its_end_and_achievements_count_from_then(at: At) -> None:
    f = file(at)
    f.impose("khiển trách", "QĐ KL 4", date(2025, 12, 1), at("2025-06-01"))
    assert f.status_on(date(2025, 7, 1)).blocked
    after = f.status_on(date(2026, 1, 1))
    assert not after.blocked
    assert after.counts_from == date(2025, 12, 1)


def test_case_commands_refuse_bad_input(at: At) -> None:
    f = file(at)
    with pytest.raises(MalformedCommand):
        f.open_case("x", "gossip", "ref", at("2025-01-01"))
    f.open_case("x", "review", "ref", at("2025-01-01"))
    with pytest.raises(AlreadyRecorded):
        f.open_case("x", "review", "ref", at("2025-01-02"))
    with pytest.raises(CaseNotFound):
        f.close_case("y", "cleared", "ref", at("2025-02-01"))
    with pytest.raises(MalformedCommand):
        f.close_case("x", "forgiven", "ref", at("2025-02-01"))
    with pytest.raises(MalformedCommand):
        f.close_case("x", "cleared", "ref", at("2024-12-01"))
    f.close_case("x", "disciplined", "ref", at("2025-02-01"))
    with pytest.raises(AlreadyRecorded):
        f.close_case("x", "cleared", "ref", at("2025-02-02"))
    with pytest.raises(MalformedCommand):
        f.impose("cảnh cáo", "ref", date(2025, 1, 1), at("2025-02-01"))


def test_no_file_means_no_discipline() -> None:
    assert not check_not_under_discipline(None, "X", date(2025, 1, 1)).blocked


def test_file_rebuilt_from_stored_events_equals_the_original(
    at: At, rebuild: Callable[[DisciplinaryFile], Any]
) -> None:
    f = file(at)
    f.open_case("x", "investigation", "ref", at("2025-01-01"))
    f.close_case("x", "disciplined", "ref", at("2025-02-01"))
    f.impose("khiển trách", "ref", date(2025, 12, 1), at("2025-02-01"))
    assert rebuild(f) == f
