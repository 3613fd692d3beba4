"""What a block's minutes record: how officers were chosen (and events recorded before the
method list grew, read as they were), meetings, review figures, pledges without targets, a
ballot's form, the decision behind a change."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from tests.unit.conftest import MemoryLedger
from thidua.domain.ballots import Ballot
from thidua.domain.block_minutes import OFFICER_METHODS, VOTE_METHODS, decision_reference, review_figures
from thidua.domain.block_year import BlockYear
from thidua.domain.blocks import EmulationBlock
from thidua.domain.errors import AlreadyRecorded, MalformedCommand, NotAMember
from thidua.domain.provenance import Provenance
from thidua.domain.rules import RuleSet
from thidua.projections.audit.context import AuditContext
from thidua.projections.audit.summary import summarize

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
MEMBERS = ["a", "b", "c"]
DECISION = {"number": "12/QĐ-UBND", "signed_on": "2021-12-01", "issuer": "UBND tỉnh"}


@pytest.fixture
def ledger() -> MemoryLedger:
    return MemoryLedger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def as_v1(ledger: MemoryLedger, event: Any, drop: tuple[str, ...], **old: Any) -> Any:
    """`event` stored in its version-1 shape (new fields absent, old values), then read back."""
    stored = ledger.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    for name in drop:
        del state[name]
    state.update(old)
    v1 = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )
    return ledger.mapper.to_domain_event(v1)


def opened(at: At) -> BlockYear:
    return BlockYear.open(
        province="nghe-an",
        block="khoi-dang",
        kind="block",
        year=2022,
        members=list(MEMBERS),
        members_claimed=None,
        by=at("2022-01-05"),
    )


def choose(year: BlockYear, at: At, rules: RuleSet, **overrides: Any) -> None:
    args: dict[str, Any] = {
        "leader": "a",
        "deputy": "b",
        "method": "unrecorded",
        "ballot": None,
        "electorate": MEMBERS,
        "chosen_in_year": 2021,
        "rules": rules,
        "by": at("2021-11-12"),
    }
    args.update(overrides)
    year.choose_officers(**args)


def officers_sentence(payload: dict[str, Any]) -> str:
    context = AuditContext(entries={"unit:a": {"name": "Báo Nghệ An"}, "unit:b": {"name": "Ban Tổ chức"}})
    return summarize("BlockYear.OfficersChosen", {"leader": "a", "deputy": "b", **payload}, context)


@pytest.mark.parametrize("method", sorted(OFFICER_METHODS))
def test_every_method_the_minutes_name_is_recorded_and_said_truthfully(
    method: str, at: At, rules_on: Rules
) -> None:
    year = opened(at)
    extra: dict[str, Any] = {"decision": DECISION} if method == "assignment" else {}
    choose(year, at, rules_on("2021-11-12"), method=method, **extra)
    event = year.pending_events[-1]
    assert (event.method, event.decision) == (method, extra.get("decision"))  # type: ignore[attr-defined]
    said = officers_sentence({"method": method, **extra})
    assert ("bỏ phiếu" in said) == (method in VOTE_METHODS), said
    assert OFFICER_METHODS[method] in said
    if method == "assignment":
        assert "quyết định «12/QĐ-UBND» ngày 01/12/2021 của UBND tỉnh" in said


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"method": "bau-cu"}, "method"),
        ({"method": "acclamation", "ballot": "bp-1"}, "ballot"),
        ({"method": "rotation", "ballot": "bp-1"}, "ballot"),
        ({"method": "assignment"}, "decision"),
    ],
)
def test_a_method_and_what_goes_with_it_must_agree(
    overrides: dict[str, Any], field: str, at: At, rules_on: Rules
) -> None:
    year = opened(at)
    with pytest.raises(MalformedCommand) as refused:
        choose(year, at, rules_on("2021-11-12"), **overrides)
    assert refused.value.details["field"] == field
    assert not year.pending_events[1:]


def test_officers_recorded_before_the_method_list_grew_read_as_recorded(
    at: At, rules_on: Rules, ledger: MemoryLedger
) -> None:
    year = opened(at)
    choose(year, at, rules_on("2021-11-12"), method="vote", ballot="bp-1")
    recorded = year.pending_events[-1]
    blank = as_v1(ledger, recorded, ("decision",), method="")
    assert (blank.method, blank.decision) == ("unrecorded", None)
    said = officers_sentence({"method": blank.method})
    assert "bỏ phiếu" not in said
    assert "nguồn không ghi cách chọn" in said
    vote = as_v1(ledger, recorded, ("decision",))
    assert (vote.method, vote.ballot, vote.decision) == ("vote", "bp-1", None)
    assert "bỏ phiếu (nguồn không ghi kín hay công khai)" in officers_sentence({"method": "vote"})


def test_events_recorded_before_minutes_fields_read_with_their_defaults(at: At, ledger: MemoryLedger) -> None:
    year = opened(at)
    old_open = as_v1(ledger, year.pending_events[0], ("carried_from", "left_behind", "decision"))
    assert (old_open.carried_from, old_open.left_behind, old_open.decision) == (None, [], None)
    year.sign_pledge("a", {"t": "v"}, None, at("2022-02-01"))
    old_pledge = as_v1(ledger, year.pending_events[-1], ("targets_unrecorded",))
    assert old_pledge.targets_unrecorded is False
    year.hold_review("mid_year", "a", "ghi chú", at("2022-07-20"))
    old_review = as_v1(ledger, year.pending_events[-1], ("held_on", "completion_rate", "counts"))
    assert (old_review.held_on, old_review.completion_rate, old_review.counts) == (None, None, {})
    year.add_member("d", at("2022-08-01"))
    assert as_v1(ledger, year.pending_events[-1], ("decision",)).decision is None
    year.remove_member("d", "chuyển khối", at("2022-09-01"))
    assert as_v1(ledger, year.pending_events[-1], ("decision",)).decision is None
    block = EmulationBlock.create("nghe-an", "khoi-dang", "Khối Đảng", "block", at("2020-01-01"))
    assert as_v1(ledger, block.pending_events[0], ("decision",)).decision is None
    ballot = Ballot.record_without_figures(
        province="nghe-an", key="bp", purpose="classification", subject=None, note="n", by=at("2021-11-12")
    )
    old_ballot = as_v1(ledger, ballot.pending_events[0], ("form", "block", "year"))
    assert (old_ballot.form, old_ballot.block, old_ballot.year) == ("unrecorded", None, None)
    assert "không rõ hình thức bỏ phiếu" in summarize(
        "Ballot.RecordedWithoutFigures",
        {"key": "bp", "purpose": "classification", "note": "n"},
        AuditContext(),
    )


def test_a_pledge_without_targets_says_so_or_is_refused(at: At, rebuild: Callable[[Any], Any]) -> None:
    year = opened(at)
    with pytest.raises(MalformedCommand):
        year.sign_pledge("a", {}, None, at("2022-02-01"))
    with pytest.raises(MalformedCommand):
        year.sign_pledge("a", {"t": "v"}, None, at("2022-02-01"), targets_unrecorded=True)
    year.sign_pledge("a", {}, None, at("2022-02-01"), targets_unrecorded=True)
    assert rebuild(year).pledges == {"a": {"targets": {}, "movement": None}}
    said = summarize(
        "BlockYear.PledgeSigned", {"unit": "a", "targets": {}, "targets_unrecorded": True}, AuditContext()
    )
    assert "biên bản không ghi chỉ tiêu" in said


def test_meetings_record_kind_date_host_and_what_they_adopted(at: At, rebuild: Callable[[Any], Any]) -> None:
    year = opened(at)
    meeting: dict[str, Any] = {
        "kind": "launch",
        "held_on": date(2022, 3, 17),
        "host": "a",
        "adopted": ["pledge"],
        "note": None,
    }
    year.hold_meeting(**meeting, by=at("2022-03-17"))
    with pytest.raises(AlreadyRecorded):
        year.hold_meeting(**meeting, by=at("2022-03-18"))
    year.hold_meeting(**(meeting | {"kind": "regulation", "adopted": ["regulation"]}), by=at("2022-03-17"))
    with pytest.raises(NotAMember):
        year.hold_meeting(**(meeting | {"kind": "plan", "host": "z"}), by=at("2022-03-17"))
    with pytest.raises(MalformedCommand):
        year.hold_meeting(**(meeting | {"kind": "plan", "adopted": ["plan", "plan"]}), by=at("2022-03-17"))
    assert rebuild(year).meetings == [("launch", date(2022, 3, 17)), ("regulation", date(2022, 3, 17))]


@pytest.mark.parametrize("rate", ["-1", "100.01", "abc", "NaN", "Infinity"])
def test_a_completion_rate_is_a_percentage(rate: str) -> None:
    with pytest.raises(MalformedCommand):
        review_figures(rate, {})


def test_review_figures_keep_the_rate_as_given_and_refuse_negative_counts() -> None:
    assert review_figures(" 98.5 ", {"xuat-sac": 3}) == {"completion_rate": "98.5", "counts": {"xuat-sac": 3}}
    assert review_figures(None, {}) == {"completion_rate": None, "counts": {}}
    assert review_figures("98,5", {})["completion_rate"] == "98.5"  # the minutes' decimal comma
    with pytest.raises(MalformedCommand):
        review_figures("90", {"x": -1})
    with pytest.raises(MalformedCommand):
        review_figures("90", {" ": 1})


def test_a_decision_needs_a_number_and_an_issuer() -> None:
    assert decision_reference("12/QĐ-UBND", date(2021, 12, 1), "UBND tỉnh") == DECISION
    with pytest.raises(MalformedCommand):
        decision_reference("", date(2021, 12, 1), "UBND tỉnh")
    with pytest.raises(MalformedCommand):
        decision_reference("12/QĐ-UBND", date(2021, 12, 1), "  ")


def test_a_block_is_reformed_by_a_decision_once(at: At, rebuild: Callable[[Any], Any]) -> None:
    block = EmulationBlock.create("nghe-an", "k", "Khối", "block", at("2020-01-01"), decision=DECISION)
    later = DECISION | {"number": "30/QĐ-UBND"}
    block.reform(later, "Khối mới", at("2022-03-01"))
    with pytest.raises(AlreadyRecorded):
        block.reform(later, None, at("2022-03-02"))
    again = rebuild(block)
    assert (again.name, again.decision) == ("Khối mới", later)


def test_a_ballot_without_figures_gives_its_form_and_its_whole_block_year(at: At) -> None:
    base: dict[str, Any] = {"province": "nghe-an", "key": "bp", "purpose": "p", "subject": None, "note": "n"}
    with pytest.raises(MalformedCommand):
        Ballot.record_without_figures(**base, form="gio-tay", by=at("2021-11-12"))
    with pytest.raises(MalformedCommand):
        Ballot.record_without_figures(**base, block="k", by=at("2021-11-12"))
    ballot = Ballot.record_without_figures(**base, form="secret", block="k", year=2021, by=at("2021-11-12"))
    assert (ballot.form, ballot.block, ballot.year, ballot.status) == (
        "secret",
        "k",
        2021,
        "recorded_without_figures",
    )
