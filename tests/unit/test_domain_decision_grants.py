"""One decision (quyết định) granting several titles or forms to many recipients, each with its
award and prize; claimed counts kept beside the names; a recipient named twice is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.unit.test_domain_awards import At, Rules, recipient
from thidua.domain.decisions import DuplicateRecipient, Grant, record_decision
from thidua.domain.recipients import staff_facts
from thidua.domain.records import AwardRecord
from thidua.domain.staff import StaffMember


def person(at: At, key: str) -> Any:
    staff = StaffMember.register(
        province="nghe-an",
        key=key,
        name=f"Cán bộ {key}",
        unit="u0",
        rating_group="specialists",
        by=at("2020-01-01"),
    )
    return staff_facts(staff, None, AwardRecord.open("nghe-an", "staff", key, at("2020-01-01")))


def base(at: At, rules_on: Rules, **overrides: Any) -> dict[str, Any]:
    return {
        "province": "nghe-an",
        "number": "12/QĐ-SNV",
        "signer": "Giám đốc",
        "authority": "head_of_agency",
        "award_code": None,
        "year": 2024,
        "recipients": [],
        "claimed_count": None,
        "proposals": [],
        "historical": True,
        "rules": rules_on("2024-12-20"),
        "by": at("2024-12-20"),
    } | overrides


def test_one_decision_grants_two_awards_with_each_recipients_prize_and_the_total(
    at: At, rules_on: Rules
) -> None:
    units = [recipient(at, key=f"u{i}") for i in range(5)]
    people = [person(at, f"s{i}") for i in range(3)]
    d = record_decision(
        **base(at, rules_on),
        grants=[Grant("giay_khen", units, claimed_count=6), Grant("lao_dong_tien_tien", people)],
    )
    assert [r["award"] for r in d.recipients] == ["giay_khen"] * 5 + ["lao_dong_tien_tien"] * 3
    recorded = d.pending_events[0]
    grants = recorded.grants  # type: ignore[attr-defined]
    assert grants == [
        {"award": "giay_khen", "claimed_count": 6, "named": 5, "count_mismatch": True},
        {"award": "lao_dong_tien_tien", "claimed_count": None, "named": 3, "count_mismatch": False},
    ]
    assert recorded.count_mismatch is True  # type: ignore[attr-defined]
    # Base salary 2,340,000 (Decree 73/2024): Giấy khen 0.6 for a collective, LĐTT 0.3 for a person.
    amounts = {(line["award"], line["kind"]): line["amount"] for line in d.prizes}
    assert amounts == {("giay_khen", "unit"): 1_410_000, ("lao_dong_tien_tien", "staff"): 710_000}
    assert recorded.prize_total == 5 * 1_410_000 + 3 * 710_000  # type: ignore[attr-defined]
    assert d.prize_multiple_each == {}  # several awards: each line carries its multiple
    for u in units:
        assert u.record is not None
        assert u.record.holds("giay_khen", 2024)
    assert people[0].record.holds("lao_dong_tien_tien", 2024)
    records = {r.key: r.record for r in people}
    d.revoke(
        revoking_decision="13/QĐ-SNV",
        ground="false_documents",
        recipients=["s0"],
        recover_object=True,
        reason="Hồ sơ giả",
        records=records,
        by=at("2025-01-10"),
    )
    revoked = d.pending_events[-1]
    assert revoked.recover_prize_multiple == Decimal("0.3")  # type: ignore[attr-defined]
    assert revoked.recover_amount == 710_000  # type: ignore[attr-defined]


def test_a_recipient_named_twice_is_refused_even_under_two_awards(at: At, rules_on: Rules) -> None:
    u = recipient(at, key="u1")
    with pytest.raises(DuplicateRecipient) as refused:
        record_decision(**base(at, rules_on), grants=[Grant("giay_khen", [u, recipient(at, key="u1")])])
    assert refused.value.code == "DUPLICATE_RECIPIENT"
    with pytest.raises(DuplicateRecipient):
        record_decision(
            **base(at, rules_on, award_code="giay_khen", recipients=[u]),
            grants=[Grant("tap_the_lao_dong_tien_tien", [u])],
        )
    assert u.record is not None
    assert not u.record.pending_events[1:]  # nothing entered


def test_a_decision_of_five_hundred_recipients(at: At, rules_on: Rules) -> None:
    named = [recipient(at, key=f"u{i:03}") for i in range(500)]
    d = record_decision(
        **base(at, rules_on, historical=False, award_code="giay_khen", recipients=named, claimed_count=506)
    )
    recorded = d.pending_events[0]
    assert len(d.recipients) == 500
    assert recorded.prize_total == 500 * 1_410_000  # type: ignore[attr-defined]
    assert recorded.count_mismatch is True  # type: ignore[attr-defined]


def test_the_audit_sentence_names_each_award_its_recipients_and_the_claimed_count(
    at: At, rules_on: Rules
) -> None:
    from thidua.projections.audit.summary import summarize

    units = [recipient(at, key=f"u{i}") for i in range(5)]
    people = [person(at, f"s{i}") for i in range(2)]
    d = record_decision(
        **base(at, rules_on),
        grants=[Grant("giay_khen", units, claimed_count=6), Grant("lao_dong_tien_tien", people)],
    )
    payload = {k: v for k, v in vars(d.pending_events[0]).items() if not k.startswith("_")}
    text = summarize("AwardDecision.Recorded", payload)
    assert "Giấy khen cho 5 đối tượng (văn bản nêu 6)" in text
    assert "Lao động tiên tiến cho 2 đối tượng" in text
    assert "Cán bộ s0" in text


def test_a_grouped_proposal_keeps_the_count_its_list_claims(at: At, rules_on: Rules) -> None:
    from tests.unit.test_domain_awards import propose
    from thidua.domain.errors import MalformedCommand

    rules = rules_on("2025-11-12")
    p = propose(
        at,
        rules,
        recipient(at),
        award_code="giay_khen",
        authority="head_of_agency",
        group="TTr-12/2025",
        group_claimed_count=6,
    )
    assert (p.group, p.group_claimed_count) == ("TTr-12/2025", 6)
    with pytest.raises(MalformedCommand):  # a claim needs the list it belongs to
        propose(
            at,
            rules,
            recipient(at, key="x"),
            award_code="giay_khen",
            authority="head_of_agency",
            group_claimed_count=6,
        )
