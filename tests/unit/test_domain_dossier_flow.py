"""The board's handling of a dossier (xử lý hồ sơ đề nghị): receive, assign, appraise, return with
reasons, resubmit as a new version (the old kept), recall before appraisal; stage deadlines in
working days with declared holidays; refusals with typed codes that record nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from tests.unit.test_domain_awards import At, Rules, propose, recipient
from thidua.domain.dossier_flow import DossierClosed, ProposalStatus, RecallTooLate
from thidua.domain.errors import MalformedCommand, ReasonRequired
from thidua.domain.proposal_checks import ProposalWrongState
from thidua.domain.proposals import AwardProposal
from thidua.domain.rule_values import describe


def grassroots(at: At, rules: Any, **overrides: Any) -> AwardProposal:
    return propose(
        at,
        rules,
        recipient(at),
        award_code="giay_khen",
        authority="head_of_agency",
        **({"dossier": {"minutes": "BB-1"}} | overrides),
    )


def test_round_trip_with_a_return_and_a_resubmission_keeps_the_old_version(
    at: At, rules_on: Rules, rebuild: Callable[[Aggregate], Any]
) -> None:
    rules = rules_on("2025-11-12")
    p = grassroots(at, rules)
    p.receive(rules=rules, by=at("2025-11-14"))  # a Friday
    assert p.status == ProposalStatus.RECEIVED
    assert p.due_on == date(2025, 11, 19)  # 3 working days: Mon 17, Tue 18, Wed 19
    p.assign(officer="cv-lan", officer_name="Nguyễn Thị Lan", reason=None, rules=rules, by=at("2025-11-17"))
    assert (p.status, p.officer, p.due_on) == ("assigned", "cv-lan", date(2025, 12, 1))
    p.return_for_correction(reasons=["Thiếu báo cáo thành tích"], rules=rules, by=at("2025-11-20"))
    assert p.status == "returned"
    p.resubmit(dossier={"achievement_report": "BC-2"}, note="Bổ sung báo cáo", by=at("2025-11-24"))
    assert (p.status, p.dossier_version) == ("submitted", 2)
    assert p.versions == [{"version": 1, "dossier": {"minutes": "BB-1"}}]
    assert p.dossier == {"minutes": "BB-1", "achievement_report": "BC-2"}
    p.receive(rules=rules, by=at("2025-11-25"))
    p.assign(officer="cv-lan", officer_name="Nguyễn Thị Lan", reason=None, rules=rules, by=at("2025-11-25"))
    p.appraise(finding="Đủ điều kiện", by=at("2025-11-26"))
    p.forward(recipient=recipient(at), rules=rules, by=at("2025-11-27"))
    again = rebuild(p)
    assert (again.status, again.dossier_version, again.versions) == ("forwarded", 2, p.versions)


def test_declared_holidays_do_not_count_towards_a_stage_deadline(at: At, rules_on: Rules) -> None:
    rules = rules_on("2025-11-12")
    p = grassroots(at, rules)
    p.receive(rules=rules, by=at("2025-11-14"), holidays={date(2025, 11, 18)})
    assert p.due_on == date(2025, 11, 20)


def test_the_deadlines_are_province_settings_shown_unverified(rules_on: Rules) -> None:
    values = {v.name: v for v in describe(rules_on("2025-11-12"), date(2025, 11, 12))}
    for name in (
        "dossier_assign_working_days",
        "dossier_appraise_working_days",
        "dossier_correction_working_days",
    ):
        assert values[name].scope == "province_setting"
        assert values[name].basis.verified is False


def test_a_return_needs_a_reason_and_records_nothing_without_one(at: At, rules_on: Rules) -> None:
    rules = rules_on("2025-11-12")
    p = grassroots(at, rules)
    before = len(p.pending_events)
    for reasons in ([], ["  "], ["Thiếu biên bản", ""]):
        with pytest.raises(ReasonRequired) as refused:
            p.return_for_correction(reasons=reasons, rules=rules, by=at("2025-11-14"))
        assert refused.value.code == "REASON_REQUIRED"
    assert len(p.pending_events) == before


def test_a_decided_or_recalled_dossier_is_closed(at: At, rules_on: Rules) -> None:
    rules = rules_on("2025-11-12")
    r = recipient(at)
    p = propose(at, rules, r, award_code="giay_khen", authority="head_of_agency", achievement="tt-1", key="a")
    p.recall(reason="Đơn vị rà soát lại", recipient=r, by=at("2025-11-13"))
    assert p.status == "recalled"
    assert r.record is not None
    assert "tt-1" not in r.record.achievements  # freed again
    acts: list[Callable[[], None]] = [
        lambda: p.receive(rules=rules, by=at("2025-11-14")),
        lambda: p.return_for_correction(reasons=["x"], rules=rules, by=at("2025-11-14")),
        lambda: p.recall(reason="lại", recipient=r, by=at("2025-11-14")),
        lambda: p.withdraw(reason="rút", recipient=r, by=at("2025-11-14")),
    ]
    for act in acts:
        with pytest.raises(DossierClosed) as refused:
            act()
        assert refused.value.code == "DOSSIER_CLOSED"
    q = grassroots(at, rules, key="b", dossier={"minutes": "BB", "achievement_report": "BC"})
    q.forward(recipient=recipient(at), rules=rules, by=at("2025-11-14"))
    q.mark_decided(decision="QĐ-1", by=at("2025-11-15"))
    with pytest.raises(DossierClosed):
        q.return_for_correction(reasons=["muộn"], rules=rules, by=at("2025-11-16"))


def test_the_unit_recalls_only_before_appraisal(at: At, rules_on: Rules) -> None:
    rules = rules_on("2025-11-12")
    p = grassroots(at, rules)
    p.receive(rules=rules, by=at("2025-11-14"))
    p.assign(officer="cv-lan", officer_name="Lan", reason=None, rules=rules, by=at("2025-11-14"))
    p.appraise(finding="Đạt", by=at("2025-11-17"))
    with pytest.raises(RecallTooLate) as refused:
        p.recall(reason="Xin rút", recipient=recipient(at), by=at("2025-11-18"))
    assert refused.value.code == "RECALL_AFTER_APPRAISAL"
    with pytest.raises(ReasonRequired):
        grassroots(at, rules, key="c").recall(reason=" ", recipient=recipient(at), by=at("2025-11-18"))


def test_steps_out_of_order_are_refused(at: At, rules_on: Rules) -> None:
    rules = rules_on("2025-11-12")
    p = grassroots(at, rules)
    with pytest.raises(ProposalWrongState):
        p.assign(officer="cv-lan", officer_name="Lan", reason=None, rules=rules, by=at("2025-11-14"))
    with pytest.raises(ProposalWrongState):
        p.appraise(finding="Đạt", by=at("2025-11-14"))
    with pytest.raises(ProposalWrongState):
        p.resubmit(dossier={}, note=None, by=at("2025-11-14"))
    p.receive(rules=rules, by=at("2025-11-14"))
    p.assign(officer="cv-lan", officer_name="Lan", reason=None, rules=rules, by=at("2025-11-14"))
    with pytest.raises(ReasonRequired):  # reassigning says why
        p.assign(officer="cv-minh", officer_name="Minh", reason=None, rules=rules, by=at("2025-11-15"))
    p.assign(officer="cv-minh", officer_name="Minh", reason="Lan nghỉ phép", rules=rules, by=at("2025-11-15"))
    assert p.officer == "cv-minh"
    p.return_for_correction(reasons=["Sai tên"], rules=rules, by=at("2025-11-16"))
    with pytest.raises(MalformedCommand):
        p.resubmit(dossier={"khong-co": "x"}, note=None, by=at("2025-11-17"))


def test_stricter_province_deadline_is_used(at: At, rules_on: Rules) -> None:
    rules = replace(rules_on("2025-11-12"), dossier_correction_working_days=2)
    p = grassroots(at, rules)
    p.return_for_correction(reasons=["Thiếu"], rules=rules, by=at("2025-11-14"))
    assert p.due_on == date(2025, 11, 18)
