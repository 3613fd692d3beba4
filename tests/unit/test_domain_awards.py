"""Award proposals and decisions: hard blockers refuse, prerequisites are recorded then enforced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.secret_ballots import SEALING
from tests.unit.conftest import voter_provenance
from thidua.domain.ballots import Ballot
from thidua.domain.decisions import AwardDecision, record_decision
from thidua.domain.discipline import DisciplinaryFile
from thidua.domain.errors import (
    MalformedCommand,
    PrerequisiteMissing,
    RecipientUnderDiscipline,
    UnitDissolved,
    UnknownAward,
    WrongAuthority,
)
from thidua.domain.proposal_checks import (
    BallotMismatch,
    DisclosureIncomplete,
    DisclosureNotOpen,
    DossierIncomplete,
    ProposalWrongState,
    QuorumNotMet,
)
from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Provenance
from thidua.domain.recipients import RecipientFacts, unit_facts
from thidua.domain.records import AchievementAlreadyAwarded, AwardRecord
from thidua.domain.registrations import WrongRecipientKind
from thidua.domain.rules import RuleSet
from thidua.domain.units import Unit

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
DOSSIER = {"minutes": "BB-12/11/2021", "achievement_report": "BC-01"}


def recipient(
    at: At, key: str = "truong-chinh-tri", discipline: DisciplinaryFile | None = None
) -> RecipientFacts:
    unit = Unit.register("nghe-an", key, "Trường Chính trị tỉnh", at("2020-01-01"))
    record = AwardRecord.open("nghe-an", "unit", key, at("2020-01-01"))
    return unit_facts(unit, discipline, record)


def propose(at: At, rules: RuleSet, r: RecipientFacts, **overrides: Any) -> AwardProposal:
    args: dict[str, Any] = {
        "province": "nghe-an",
        "key": f"{r.key}/co-tinh/2021",
        "proposer": "khoi-co-quan-dang",
        "year": 2021,
        "award_code": "co_thi_dua_ubnd_tinh",
        "authority": "provincial_chair",
        "recipient": r,
        "achievement": None,
        "dossier": DOSSIER,
        "rules": rules,
        "by": at("2021-11-12"),
    } | overrides
    return AwardProposal.submit(**args)


def test_proposal_without_recorded_prerequisites_stays_open_with_findings(at: At, rules_on: Rules) -> None:
    p = propose(
        at,
        rules_on("2021-11-12"),
        recipient(at),
        award_code="co_thi_dua_chinh_phu",
        authority="prime_minister",
    )
    assert p.is_open
    # The Government flag goes to the unit that led the emulation, not to the Khối trưởng office.
    assert p.prerequisites_missing == ["leading_unit"]
    # Decree 98 Art. 46: Huân chương, state honorary titles and CSTĐ toàn quốc are published,
    # not the Government flag.
    assert not p.disclosure_required


def test_wrong_authority_is_refused_with_both_authorities_named(at: At, rules_on: Rules) -> None:
    with pytest.raises(WrongAuthority) as refused:
        propose(at, rules_on("2021-11-12"), recipient(at), authority="prime_minister")
    assert refused.value.code == "WRONG_AUTHORITY"
    assert refused.value.details["expected"] == "provincial_chair"


def test_wrong_recipient_kind_and_unknown_awards_are_refused(at: At, rules_on: Rules) -> None:
    with pytest.raises(WrongRecipientKind):
        propose(
            at,
            rules_on("2021-11-12"),
            recipient(at),
            award_code="lao_dong_tien_tien",
            authority="head_of_agency",
        )
    with pytest.raises(UnknownAward):
        propose(at, rules_on("2021-11-12"), recipient(at), award_code="huan_chuong", authority="president")


def test_dissolved_recipient_is_refused(at: At, rules_on: Rules) -> None:
    unit = Unit.register("nghe-an", "ban-x", "Ban X", at("2020-01-01"))
    unit.dissolve("QĐ sáp nhập", "ban-y", at("2025-07-01"))
    r = unit_facts(unit, None, AwardRecord.open("nghe-an", "unit", "ban-x", at("2020-01-01")))
    with pytest.raises(UnitDissolved) as refused:
        propose(at, rules_on("2025-11-12"), r, year=2025, by=at("2025-11-12"))
    assert "01/07/2025" in refused.value.message_vi


def test_recipient_under_inspection_is_refused(at: At, rules_on: Rules) -> None:
    f = DisciplinaryFile.open("nghe-an", "unit", "truong-chinh-tri", at("2021-01-01"))
    f.open_case("tt-1", "inspection", "QĐ TT 1", at("2021-10-01"))
    with pytest.raises(RecipientUnderDiscipline):
        propose(at, rules_on("2021-11-12"), recipient(at, discipline=f))


def test_an_achievement_backs_only_one_award(at: At, rules_on: Rules) -> None:
    r = recipient(at)
    propose(at, rules_on("2021-11-12"), r, achievement="sang-kien-42")
    with pytest.raises(AchievementAlreadyAwarded) as refused:
        propose(
            at,
            rules_on("2021-11-12"),
            r,
            key="other",
            achievement="sang-kien-42",
            award_code="bang_khen_chu_tich_ubnd_tinh",
        )
    assert refused.value.code == "ACHIEVEMENT_ALREADY_AWARDED"


def test_withdrawing_frees_the_achievement(at: At, rules_on: Rules) -> None:
    r = recipient(at)
    p = propose(at, rules_on("2021-11-12"), r, achievement="sang-kien-42")
    p.withdraw(reason="Hội đồng không thống nhất", recipient=r, by=at("2021-12-01"))
    assert not p.is_open
    propose(at, rules_on("2021-12-02"), r, key="again", achievement="sang-kien-42", by=at("2021-12-02"))


def leading(r: RecipientFacts, at: At) -> None:
    assert r.record is not None
    r.record.note_fact(
        year=2021, fact="leading_unit", value="khoi-co-quan-dang", source="bb", by=at("2021-11-12")
    )


def council_ballot(
    at: At, rules: RuleSet, proposal: AwardProposal, approvals: int, members: int = 9
) -> Ballot:
    b = Ballot.open(
        province="nghe-an",
        key=f"hd-{proposal.key}",
        purpose="council",
        subject=proposal.key,
        award=proposal.award,
        secret=True,
        question="approve",
        electorate="council_members",
        voters=[f"m{i}" for i in range(members)],
        options=["approve", "reject"],
        rules=rules,
        by=at("2021-12-20"),
        **SEALING,
    )
    cast = max(approvals, 7)
    for i in range(cast):
        b.cast_sealed_paper(
            voter=f"m{i}", sealed=f"s{i}", by=voter_provenance(f"m{i}", "2021-12-20", "council_members")
        )
    b.close(present=None, by=at("2021-12-20"))
    papers = [{"paper_id": f"p{i}", "choice": "approve" if i < approvals else "reject"} for i in range(cast)]
    b.tally(opened_papers=papers, tie_break_scores=None, by=at("2021-12-20"))
    return b


def test_full_path_proposal_council_forward_decision(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-20")
    r = recipient(at)
    leading(r, at)
    p = propose(at, rules, r)
    assert p.prerequisites_missing == []
    strict = replace(rules, council_ballot_for_every_provincial_award=True)  # a province's setting
    with pytest.raises(ProposalWrongState):
        p.forward(recipient=r, rules=strict, by=at("2021-12-20"))
    assert p.record_council_vote(ballot=council_ballot(at, rules, p, approvals=8), by=at("2021-12-20"))
    p.forward(recipient=r, rules=rules, by=at("2021-12-21"))
    decision = record_decision(
        province="nghe-an",
        number="3456/QĐ-UBND",
        signer="Chủ tịch UBND tỉnh",
        authority="provincial_chair",
        award_code="co_thi_dua_ubnd_tinh",
        year=2021,
        recipients=[r],
        claimed_count=None,
        proposals=[p],
        historical=False,
        rules=rules,
        by=at("2021-12-28"),
    )
    assert p.status == "decided"
    assert decision.prize_multiple_each == {"unit": Decimal("8.0")}
    # Decree 91 era, base salary 1,490,000 on 28/12/2021: 8 × 1,490,000 = 11,920,000 đồng.
    assert decision.prizes == [
        {
            "recipient": r.key,
            "kind": "unit",
            "award": "co_thi_dua_ubnd_tinh",
            "multiple": Decimal("8.0"),
            "amount": 11_920_000,
        }
    ]
    assert r.record is not None
    assert r.record.holds("co_thi_dua_ubnd_tinh", 2021)


def test_council_vote_without_quorum_is_refused(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-20")
    r = recipient(at)
    p = propose(at, rules, r)
    b = Ballot.open(
        province="nghe-an",
        key="hd",
        purpose="council",
        subject=p.key,
        award=p.award,
        secret=True,
        question="approve",
        electorate="council_members",
        voters=[f"m{i}" for i in range(9)],
        options=["approve", "reject"],
        rules=rules,
        by=at("2021-12-20"),
        **SEALING,
    )
    b.cast_sealed_paper(voter="m0", sealed="s", by=voter_provenance("m0", "2021-12-20", "council_members"))
    b.close(present=None, by=at("2021-12-20"))
    b.tally(
        opened_papers=[{"paper_id": "p", "choice": "approve"}], tie_break_scores=None, by=at("2021-12-20")
    )
    with pytest.raises(QuorumNotMet) as refused:
        p.record_council_vote(ballot=b, by=at("2021-12-20"))
    assert refused.value.code == "QUORUM_NOT_MET"


def test_council_vote_must_be_about_this_proposal(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-20")
    p = propose(at, rules, recipient(at))
    other = propose(at, rules, recipient(at, key="bao-nghe-an"))
    with pytest.raises(BallotMismatch):
        p.record_council_vote(ballot=council_ballot(at, rules, other, approvals=8), by=at("2021-12-20"))


def test_a_rejected_proposal_cannot_be_forwarded(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-20")
    r = recipient(at)
    leading(r, at)
    p = propose(at, rules, r)
    assert not p.record_council_vote(ballot=council_ballot(at, rules, p, approvals=3), by=at("2021-12-20"))
    with pytest.raises(ProposalWrongState):
        p.forward(recipient=r, rules=rules, by=at("2021-12-21"))


def test_forwarding_refuses_a_missing_prerequisite_or_document(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-20")
    r = recipient(at)
    p = propose(at, rules, r)
    p.record_council_vote(ballot=council_ballot(at, rules, p, approvals=8), by=at("2021-12-20"))
    with pytest.raises(PrerequisiteMissing) as refused:
        p.forward(recipient=r, rules=rules, by=at("2021-12-21"))
    assert refused.value.details["missing"] == "leading_unit"
    r2 = recipient(at, key="bao-nghe-an")
    leading(r2, at)
    p2 = propose(at, rules, r2, dossier={"minutes": "BB"})
    p2.record_council_vote(ballot=council_ballot(at, rules, p2, approvals=8), by=at("2021-12-20"))
    with pytest.raises(DossierIncomplete):
        p2.forward(recipient=r2, rules=rules, by=at("2021-12-21"))
    p2.attach(item="achievement_report", reference="BC-9", by=at("2021-12-21"))
    p2.forward(recipient=r2, rules=rules, by=at("2021-12-21"))


def test_state_level_proposal_needs_ten_working_days_of_disclosure(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-11-12")
    r = recipient(at)
    p = propose(
        at,
        rules,
        r,
        award_code="huan_chuong_lao_dong_hang_ba",
        authority="president",
        award_type="thuong_xuyen",
    )
    with pytest.raises(DisclosureNotOpen):
        p.record_comment(author="Nguyễn B", text="Ý kiến", objection=False, by=at("2021-11-15"))
    with pytest.raises(DisclosureIncomplete):
        p.record_council_vote(ballot=council_ballot(at, rules, p, approvals=8), by=at("2021-12-20"))
    p.open_disclosure(channel="Cổng thông tin tỉnh", rules=rules, by=at("2021-11-15"))  # a Monday
    assert p.disclosure is not None
    assert p.disclosure["comment_until"] == date(2021, 11, 29)
    p.record_comment(author="Nguyễn B", text="Phản ánh", objection=True, by=at("2021-11-20"))
    p.record_comment(author="Trần C", text="Muộn", objection=True, by=at("2021-12-01"))
    assert [c["within"] for c in p.comments] == [True, False]
    with pytest.raises(DisclosureIncomplete):
        p.record_council_vote(ballot=council_ballot(at, rules, p, approvals=8), by=at("2021-11-26"))


def test_decision_refuses_wrong_authority_and_missing_prerequisites(at: At, rules_on: Rules) -> None:
    rules = rules_on("2021-12-28")
    r = recipient(at)
    args: dict[str, Any] = {
        "province": "nghe-an",
        "number": "1/QĐ",
        "signer": "X",
        "authority": "head_of_agency",
        "award_code": "co_thi_dua_ubnd_tinh",
        "year": 2021,
        "recipients": [r],
        "claimed_count": None,
        "proposals": [],
        "historical": True,
        "rules": rules,
        "by": at("2021-12-28"),
    }
    with pytest.raises(WrongAuthority):
        record_decision(**args)
    # A decision made before the ledger existed is recorded with what the record lacks, visibly.
    archived = record_decision(**(args | {"authority": "provincial_chair", "number": "0/QĐ"}))
    assert archived.pending_events[0].prerequisites_missing == {r.key: ["leading_unit"]}  # type: ignore[attr-defined]
    with pytest.raises(PrerequisiteMissing):  # a decision of today is refused
        record_decision(**(args | {"authority": "provincial_chair", "historical": False, "number": "00/QĐ"}))
    r = recipient(at)  # the archived decision entered the title: start from a fresh record
    args["recipients"] = [r]
    leading(r, at)
    with pytest.raises(PrerequisiteMissing):  # not historical: needs a forwarded proposal
        record_decision(**(args | {"authority": "provincial_chair", "historical": False}))
    record_decision(**(args | {"authority": "provincial_chair"}))
    with pytest.raises(AchievementAlreadyAwarded):
        record_decision(**(args | {"authority": "provincial_chair", "number": "2/QĐ"}))


def test_grouped_decision_records_claimed_count_and_flags_the_difference(at: At, rules_on: Rules) -> None:
    rules = rules_on("2022-07-20")
    named = [recipient(at, key=f"u{i}") for i in range(5)]
    d = record_decision(
        province="nghe-an",
        number="77/QĐ-CTHADS",
        signer="Cục trưởng",
        authority="head_of_agency",
        award_code="giay_khen",
        year=2022,
        recipients=named,
        claimed_count=6,
        proposals=[],
        historical=False,
        rules=rules,
        by=at("2022-07-20"),
    )
    assert (d.claimed_count, len(d.recipients), d.count_mismatch) == (6, 5, True)
    assert d.prize_multiple_each == {"unit": Decimal("0.6")}


def test_decision_refuses_malformed_recipient_lists(at: At, rules_on: Rules) -> None:
    r = recipient(at)
    base: dict[str, Any] = {
        "province": "p",
        "number": "1",
        "signer": "s",
        "authority": "head_of_agency",
        "award_code": "giay_khen",
        "year": 2022,
        "claimed_count": None,
        "proposals": [],
        "historical": False,
        "rules": rules_on("2022-01-01"),
        "by": at("2022-01-01"),
    }
    with pytest.raises(MalformedCommand):
        record_decision(recipients=[], **base)
    with pytest.raises(MalformedCommand):
        record_decision(recipients=[r, r], **base)


def test_revocation_strikes_the_title_and_recovers_the_prize(at: At, rules_on: Rules) -> None:
    rules = rules_on("2022-07-20")
    named = [recipient(at, key=f"u{i}") for i in range(3)]
    d = record_decision(
        province="nghe-an",
        number="77/QĐ",
        signer="Cục trưởng",
        authority="head_of_agency",
        award_code="giay_khen",
        year=2022,
        recipients=named,
        claimed_count=None,
        proposals=[],
        historical=False,
        rules=rules,
        by=at("2022-07-20"),
    )
    records = {r.key: r.record for r in named if r.record is not None}
    with pytest.raises(MalformedCommand):
        d.revoke(
            revoking_decision="90/QĐ",
            ground="bad luck",
            recipients=None,
            recover_object=True,
            reason="r",
            records=records,
            by=at("2023-01-05"),
        )
    d.revoke(
        revoking_decision="90/QĐ",
        ground="false_documents",
        recipients=["u1"],
        recover_object=True,
        reason="Hồ sơ giả mạo",
        records=records,
        by=at("2023-01-05"),
    )
    assert d.revoked_for == ["u1"]
    assert not records["u1"].holds("giay_khen", 2022)
    assert records["u0"].holds("giay_khen", 2022)
    with pytest.raises(Exception, match="Đã hủy bỏ"):
        d.revoke(
            revoking_decision="91/QĐ",
            ground="false_documents",
            recipients=["u1"],
            recover_object=True,
            reason="lần hai",
            records=records,
            by=at("2023-01-06"),
        )
    with pytest.raises(MalformedCommand):
        d.revoke(
            revoking_decision="92/QĐ",
            ground="false_documents",
            recipients=["zz"],
            recover_object=True,
            reason="không có",
            records=records,
            by=at("2023-01-06"),
        )


def test_proposal_and_decision_rebuilt_from_stored_events_equal_the_originals(
    at: At, rules_on: Rules, rebuild: Callable[[Any], Any]
) -> None:
    rules = rules_on("2021-11-12")
    r = recipient(at)
    p = propose(
        at, rules, r, award_code="huan_chuong_lao_dong_hang_ba", authority="president", achievement="a1"
    )
    p.open_disclosure(channel="Cổng", rules=rules, by=at("2021-11-15"))
    p.record_comment(author="B", text="ý kiến", objection=False, by=at("2021-11-16"))
    assert rebuild(p) == p
    assert r.record is not None
    assert rebuild(r.record) == r.record
    named = [recipient(at, key=f"u{i}") for i in range(2)]
    d = record_decision(
        province="nghe-an",
        number="9/QĐ",
        signer="s",
        authority="head_of_agency",
        award_code="giay_khen",
        year=2022,
        recipients=named,
        claimed_count=3,
        proposals=[],
        historical=False,
        rules=rules,
        by=at("2022-01-01"),
    )
    records = {x.key: x.record for x in named if x.record is not None}
    d.revoke(
        revoking_decision="10/QĐ",
        ground="later_violation",
        recipients=None,
        recover_object=False,
        reason="vi phạm",
        records=records,
        by=at("2022-06-01"),
    )
    again = rebuild(d)
    assert isinstance(again, AwardDecision)
    assert again == d
    assert rebuild(records["u0"]) == records["u0"]
