"""Events recorded before issue 14 read as they were judged then (upcast on read, never rewritten).

Each event class whose shape issue 14 changed is at version 2; a version-1 state, as the ledger
stored it before, must still decode: a decision keeps the float multiples it recorded (as exact
decimals) and shows no amount rather than one computed afterwards; a proposal was a regular one;
a staff member's kind is unknown; a sheet was monthly; a council vote counted no written opinions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from tests.unit.conftest import MemoryLedger
from thidua.domain.decisions import AwardDecision, record_decision
from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Provenance
from thidua.domain.ratings import RatingSheet
from thidua.domain.recipients import unit_facts
from thidua.domain.records import AwardRecord
from thidua.domain.rules import RuleSet
from thidua.domain.staff import StaffMember
from thidua.domain.units import Unit
from thidua.projections.awards.model import decision_of, year_total
from thidua.projections.awards.reducer import AwardsReducer
from thidua.projections.documents import fold
from thidua.projections.envelope import Envelope

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]


@pytest.fixture
def ledger() -> MemoryLedger:
    return MemoryLedger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def as_v1(ledger: MemoryLedger, event: Any, drop: tuple[str, ...], **old: Any) -> Any:
    """`event` stored in its version-1 shape (new fields absent, old values), then read back."""
    stored = ledger.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    if state.pop("class_version") == 3:  # v3 of a decision (grants) or a proposal (its group)
        for name in ("grants", "group", "group_claimed_count"):
            state.pop(name, None)
        for r in state.get("recipients") or ():
            del r["award"]
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


def decision(at: At, rules_on: Rules) -> AwardDecision:
    unit = Unit.register("nghe-an", "u", "Đơn vị U", at("2020-01-01"))
    record = AwardRecord.open("nghe-an", "unit", "u", at("2020-01-01"))
    record.note_fact(year=2021, fact="leading_unit", value="k", source="bb", by=at("2021-12-01"))
    return record_decision(
        province="nghe-an",
        number="3456/QĐ-UBND",
        signer="Chủ tịch",
        authority="provincial_chair",
        award_code="co_thi_dua_ubnd_tinh",
        year=2021,
        recipients=[unit_facts(unit, None, record)],
        claimed_count=None,
        proposals=[],
        historical=True,
        rules=rules_on("2021-12-28"),
        by=at("2021-12-28"),
    )


def test_a_decision_recorded_before_amounts_keeps_its_multiples_and_shows_no_amount(
    at: At, rules_on: Rules, ledger: MemoryLedger
) -> None:
    d = decision(at, rules_on)
    recorded = d.pending_events[0]
    assert recorded.prize_total == 11_920_000  # type: ignore[attr-defined] # priced now: 8 × 1,490,000
    old = as_v1(
        ledger,
        recorded,
        (
            "prizes",
            "prize_total",
            "base_salary",
            "base_salary_source",
            "prize_table",
            "award_type",
            "prerequisites_missing",
        ),
        prize_multiple_each={"unit": 8.0},
        prize_multiple_total=8.0,
    )
    assert old.prize_multiple_each == {"unit": Decimal("8.0")}
    assert (old.prizes, old.prize_total, old.award_type) == ([], None, "thuong_xuyen")
    rebuilt = old.mutate(None)
    assert rebuilt.prizes == []
    doc = fold(AwardsReducer(), [Envelope.of(1, ledger.mapper.to_stored_event(old).topic, old)]).docs
    shown = decision_of(next(iter(doc.values())))
    assert (shown.prize_total, shown.prize_multiple_total) == (None, "8.0")
    assert year_total(2021, [shown]).unpriced == 1


def test_a_revocation_recorded_before_amounts_recovers_its_multiple_only(
    at: At, rules_on: Rules, ledger: MemoryLedger
) -> None:
    d = decision(at, rules_on)
    d.collect_events()
    records = {"u": AwardRecord.open("nghe-an", "unit", "u", at("2020-01-01"))}
    records["u"].enter_title(
        year=2021, award="co_thi_dua_ubnd_tinh", decision="3456/QĐ-UBND", by=at("2021-12-28")
    )
    d.revoke(
        revoking_decision="9/QĐ",
        ground="false_documents",
        recipients=None,
        recover_object=True,
        reason="r",
        records=records,
        by=at("2022-03-01"),
    )
    revoked = d.pending_events[-1]
    assert revoked.recover_amount == 11_920_000  # type: ignore[attr-defined]
    old = as_v1(ledger, revoked, ("recover_amount",), recover_prize_multiple=8.0)
    assert (old.recover_prize_multiple, old.recover_amount) == (Decimal("8.0"), None)


def test_older_proposals_staff_sheets_and_votes_read_in_their_old_shape(
    at: At, rules_on: Rules, ledger: MemoryLedger
) -> None:
    unit = Unit.register("nghe-an", "u", "Đơn vị U", at("2020-01-01"))
    facts = unit_facts(unit, None, AwardRecord.open("nghe-an", "unit", "u", at("2020-01-01")))
    p = AwardProposal.submit(
        province="nghe-an",
        key="p",
        proposer="k",
        year=2021,
        award_code="co_thi_dua_ubnd_tinh",
        authority="provincial_chair",
        recipient=facts,
        achievement=None,
        dossier={},
        rules=rules_on("2021-11-12"),
        by=at("2021-11-12"),
    )
    assert as_v1(ledger, p.pending_events[0], ("award_type",)).award_type == "thuong_xuyen"
    person = StaffMember.register(
        province="nghe-an",
        key="a",
        name="A",
        unit="u",
        rating_group="specialists",
        by=at("2021-01-01"),
        staff_kind="cong_chuc",
    )
    registered = as_v1(ledger, person.pending_events[0], ("staff_kind",))
    assert registered.mutate(None).staff_kind is None  # unknown kind: counted by the cap
    person.derive_year_rating(
        2021, {f"{m:02d}": 80 for m in range(1, 13)}, rules_on("2021-12-31"), at("2022-01-05")
    )
    assert as_v1(ledger, person.pending_events[-1], ("discipline",)).discipline == []
    sheet = RatingSheet.submit(
        province="nghe-an",
        unit="u",
        year=2021,
        month=5,
        scores={"a": 80},
        roster={"a": "specialists"},
        rules=rules_on("2021-05-01"),
        by=at("2021-06-01"),
    )
    old_sheet = as_v1(ledger, sheet.pending_events[0], ("quarter", "cap_exception")).mutate(None)
    assert (old_sheet.month, old_sheet.quarter, old_sheet.cap_exception, old_sheet.period) == (
        5,
        None,
        None,
        "05",
    )
    voted = AwardProposal.CouncilVoted(  # type: ignore[call-arg] # built as the domain records it
        originator_id=p.id,
        originator_version=2,
        timestamp=p.created_on,
        actor_user="x",
        actor_role="council_member",
        actor_unit=None,
        effective_on=date(2021, 12, 20),
        correlation_id="c",
        ballot="b",
        outcome="decided",
        approved=True,
        written_opinions=[],
        approvals=9,
        eligible=10,
        threshold=[9, 10],
    )
    old_vote = as_v1(ledger, voted, ("written_opinions", "approvals", "eligible", "threshold"))
    assert (old_vote.written_opinions, old_vote.approvals, old_vote.approved) == ([], None, True)
