"""Issue 16 in the domain: block memberships by period within a year, and a predecessor's decision
revoked after the merger by the successor's competent authority (the title stops counting)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.conftest import At
from thidua.domain.block_year import BlockYear
from thidua.domain.decisions import REVOCATION_GROUNDS
from thidua.domain.errors import MalformedCommand, NotAMember
from thidua.domain.membership_periods import (
    EarlierMembership,
    EarlierMembershipNotFound,
    MembershipForAPeriod,
    MembershipNotForAPeriod,
    MembershipPeriod,
    MembershipPeriodEndOutside,
    MembershipPeriodOverlap,
    check_earlier,
)
from thidua.domain.prerequisites import record_view
from thidua.domain.records import AwardRecord, RecordEntryNotFound
from thidua.domain.successor_revocations import (
    PredecessorDecision,
    RevocationBeforeMerger,
    RevokingAuthorityNotCompetent,
    check_successor_revocation,
)
from thidua.domain.units import Unit

MERGED_ON = date(2025, 7, 1)


def period(block: str, first: str, last: str) -> MembershipPeriod:
    return MembershipPeriod(block, date.fromisoformat(first), date.fromisoformat(last))


def test_periods_of_one_kind_never_overlap_and_a_whole_year_overlaps_every_period(at: At) -> None:
    unit = Unit.register("ninh-binh", "so-noi-vu", "Sở Nội vụ", at("2020-01-01"))
    unit.join_block_for_period(period("khoi-a", "2025-07-01", "2025-12-31"), "block", 2025, at("2025-07-01"))
    unit.join_block_for_period(period("khoi-b", "2025-01-01", "2025-06-30"), "block", 2025, at("2025-07-01"))
    unit.join_block_for_period(period("cum-c", "2025-03-01", "2025-09-30"), "cluster", 2025, at("2025-07-01"))
    with pytest.raises(MembershipPeriodOverlap) as refused:
        unit.join_block_for_period(
            period("khoi-c", "2025-06-30", "2025-07-01"), "block", 2025, at("2025-07-01")
        )
    assert "«khoi-a» từ 01/07/2025 đến 31/12/2025" in refused.value.message_vi
    with pytest.raises(MembershipPeriodOverlap):
        unit.join_block("khoi-c", "block", 2025, at("2025-07-01"))
    unit.join_block("khoi-c", "block", 2026, at("2025-12-01"))  # another year
    assert [p.block for p in unit.periods_of("block", 2025)] == ["khoi-a", "khoi-b"]


def test_a_period_lies_inside_its_year(at: At) -> None:
    unit = Unit.register("ninh-binh", "so-noi-vu", "Sở Nội vụ", at("2020-01-01"))
    for first, last in (("2025-12-01", "2026-01-31"), ("2025-08-01", "2025-07-31")):
        with pytest.raises(MalformedCommand):
            unit.join_block_for_period(period("khoi-a", first, last), "block", 2025, at("2025-07-01"))


def test_a_period_membership_ends_early_and_frees_the_rest_of_the_year(at: At) -> None:
    unit = Unit.register("ninh-binh", "so-noi-vu", "Sở Nội vụ", at("2020-01-01"))
    year = BlockYear.open(
        province="ninh-binh",
        block="khoi-a",
        kind="block",
        year=2025,
        members=["so-tai-chinh"],
        members_claimed=None,
        by=at("2025-07-01"),
    )
    july = period("khoi-a", "2025-07-01", "2025-12-31")
    unit.join_block_for_period(july, "block", 2025, at("2025-07-01"))
    year.add_member_for_period("so-noi-vu", july, at("2025-07-01"))
    for outside in ("2025-06-30", "2025-12-31", "2026-01-01"):
        with pytest.raises(MembershipPeriodEndOutside):
            year.end_member_period("so-noi-vu", date.fromisoformat(outside), "r", at("2025-10-31"))
    with pytest.raises(MembershipNotForAPeriod):
        year.end_member_period("so-tai-chinh", date(2025, 9, 30), "r", at("2025-09-30"))
    with pytest.raises(NotAMember):
        year.end_member_period("so-y-te", date(2025, 9, 30), "r", at("2025-09-30"))
    with pytest.raises(MembershipForAPeriod):  # removed for the year: only a whole-year member
        year.remove_member("so-noi-vu", "r", at("2025-09-30"))
    assert year.periods["so-noi-vu"] == [july.as_state()]  # nothing changed by a refusal

    was = year.end_member_period("so-noi-vu", date(2025, 10, 31), "Chuyển khối", at("2025-10-31"))
    unit.end_block_period(was, "block", 2025, date(2025, 10, 31), at("2025-10-31"))
    assert was == july
    assert year.periods["so-noi-vu"] == [period("khoi-a", "2025-07-01", "2025-10-31").as_state()]
    assert unit.periods_of("block", 2025) == [period("khoi-a", "2025-07-01", "2025-10-31")]
    assert "so-noi-vu" in year.members  # a member for part of the year still
    # November and December are free for another block of the kind; October is not.
    unit.join_block_for_period(period("khoi-b", "2025-11-01", "2025-12-31"), "block", 2025, at("2025-11-01"))
    with pytest.raises(MembershipPeriodOverlap):
        unit.join_block_for_period(
            period("khoi-c", "2025-10-31", "2025-10-31"), "block", 2025, at("2025-11-01")
        )
    with pytest.raises(NotAMember):  # the unit's period as it was is no longer there
        unit.end_block_period(july, "block", 2025, date(2025, 9, 30), at("2025-11-01"))


def test_earlier_is_checked_against_the_predecessor_s_block_year_up_to_the_merger() -> None:
    earlier = EarlierMembership(
        province="ha-nam",
        block="khoi-a",
        year=2025,
        merged_on=MERGED_ON,
        members=("so-noi-vu", "so-y-te"),
        periods={"so-y-te": (period("khoi-a", "2025-01-01", "2025-03-31"),)},
    )
    # A whole-year member there runs to the day before the merger; a period member to its end.
    assert earlier.held_by("so-noi-vu") == [period("ha-nam/khoi-a", "2025-01-01", "2025-06-30")]
    check_earlier("so-noi-vu", period("khoi-b", "2025-07-01", "2025-12-31"), earlier, "ha-nam/khoi-a")
    with pytest.raises(MembershipPeriodOverlap) as refused:
        check_earlier("so-noi-vu", period("khoi-b", "2025-06-30", "2025-12-31"), earlier, "ha-nam/khoi-a")
    assert "«ha-nam/khoi-a» từ 01/01/2025 đến 30/06/2025" in refused.value.message_vi
    check_earlier("so-y-te", period("khoi-b", "2025-04-01", "2025-12-31"), earlier, "ha-nam/khoi-a")
    with pytest.raises(EarlierMembershipNotFound):
        check_earlier("so-tai-chinh", period("khoi-b", "2025-07-01", "2025-12-31"), earlier, "ha-nam/khoi-a")
    with pytest.raises(EarlierMembershipNotFound):  # no such block-year there
        check_earlier("so-noi-vu", period("khoi-b", "2025-07-01", "2025-12-31"), None, "ha-nam/khoi-c")


def decision(authority: str = "provincial_chair") -> PredecessorDecision:
    return PredecessorDecision("ha-nam", "15/QĐ-UBND", authority, "Chủ tịch UBND tỉnh Hà Nam", MERGED_ON)


def test_only_the_successor_s_authority_of_the_same_level_revokes_and_only_after_the_merger() -> None:
    def check(d: PredecessorDecision, authority: str, on: date) -> None:
        check_successor_revocation(
            d,
            revoking_authority=authority,
            ground="fraudulent_achievements",
            grounds=REVOCATION_GROUNDS,
            on=on,
        )

    check(decision(), "provincial_chair", MERGED_ON)
    with pytest.raises(RevocationBeforeMerger):
        check(decision(), "provincial_chair", date(2025, 6, 30))
    with pytest.raises(RevokingAuthorityNotCompetent):
        check(decision(), "head_of_agency", MERGED_ON)
    with pytest.raises(RevokingAuthorityNotCompetent):
        check(decision("prime_minister"), "prime_minister", MERGED_ON)  # not a province's to revoke


def test_a_revoked_inherited_title_stops_counting(at: At) -> None:
    source = AwardRecord.open("ha-nam", "unit", "so-noi-vu", at("2020-01-01"))
    source.enter_title(
        year=2024, award="tap_the_lao_dong_xuat_sac", decision="15/QĐ-UBND", by=at("2024-12-20")
    )
    record = AwardRecord.open("ninh-binh", "unit", "so-noi-vu", at("2025-07-01"))
    record.succeed_from(
        predecessor="ha-nam/so-noi-vu",
        source=source,
        succession="rename",
        predecessor_count=1,
        document="QĐ 01",
        by=at("2025-07-01"),
    )
    assert record_view(record, "one_to_one").holds("tap_the_lao_dong_xuat_sac", 2024)

    def revoke(on: str) -> None:
        record.revoke_inherited_title(
            decision=decision(),
            revoking_decision="120/QĐ-UBND",
            revoking_authority="provincial_chair",
            revoking_signer="Chủ tịch UBND tỉnh Ninh Bình",
            ground="fraudulent_achievements",
            reason="khai man",
            by=at(on),
        )

    revoke("2025-09-15")
    assert not record_view(record, "one_to_one").holds("tap_the_lao_dong_xuat_sac", 2024)
    event = record.collect_events()[-1]
    assert isinstance(event, AwardRecord.InheritedTitleRevoked)
    assert (event.decision_authority, event.decision_signer) == (
        "provincial_chair",
        "Chủ tịch UBND tỉnh Hà Nam",
    )
    assert (event.revoking_authority, event.revoking_signer) == (
        "provincial_chair",
        "Chủ tịch UBND tỉnh Ninh Bình",
    )
    with pytest.raises(RecordEntryNotFound):
        revoke("2025-09-16")
