"""Blocks and block-years: membership claims, officers, pledges, reviews, leading units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from thidua.domain.block_year import (
    AcclamationNotAllowed,
    BlockYear,
    OfficerCannotLeave,
    OfficersAlreadyChosen,
)
from thidua.domain.blocks import BlockDisbanded, EmulationBlock
from thidua.domain.errors import AlreadyRecorded, MalformedCommand, NotAMember
from thidua.domain.provenance import Provenance
from thidua.domain.rules import RuleSet

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
MEMBERS = ["a", "b", "c", "d"]


def block_year(at: At, members: list[str] | None = None, claimed: int | None = None) -> BlockYear:
    return BlockYear.open(
        province="nghe-an",
        block="khoi-1",
        kind="block",
        year=2021,
        members=list(MEMBERS if members is None else members),
        members_claimed=claimed,
        by=at("2021-01-05"),
    )


def test_creating_renaming_and_disbanding_a_block(at: At) -> None:
    block = EmulationBlock.create("nghe-an", "khoi-1", "Khối 1", "block", at("2020-01-01"))
    block.rename("Khối thi đua 1", at("2021-01-01"))
    block.disband("QĐ 5/2025", at("2025-07-01"))
    assert block.name == "Khối thi đua 1"
    with pytest.raises(BlockDisbanded):
        block.rename("Khác", at("2025-08-01"))


def test_block_kind_must_be_block_or_cluster(at: At) -> None:
    with pytest.raises(MalformedCommand):
        EmulationBlock.create("nghe-an", "x", "X", "team", at("2020-01-01"))


def test_claimed_member_count_that_differs_from_the_list_is_recorded_and_flagged(at: At) -> None:
    year = block_year(at, claimed=10)
    assert year.members_claimed == 10
    assert year.members == MEMBERS
    assert year.count_mismatch is True


def test_matching_claimed_count_is_not_flagged(at: At) -> None:
    assert block_year(at, claimed=4).count_mismatch is False


def test_duplicate_members_are_refused(at: At) -> None:
    with pytest.raises(MalformedCommand):
        block_year(at, members=["a", "a"])


def test_adding_and_removing_members_updates_the_mismatch_flag(at: At) -> None:
    year = block_year(at, claimed=5)
    year.add_member("e", at("2021-02-01"))
    assert year.count_mismatch is False
    year.remove_member("e", "chuyển khối", at("2021-03-01"))
    assert year.count_mismatch is True
    with pytest.raises(AlreadyRecorded):
        year.add_member("a", at("2021-03-02"))
    with pytest.raises(NotAMember):
        year.remove_member("z", "không có", at("2021-03-02"))


def test_officers_chosen_by_vote_are_recorded_with_their_ballot(at: At, rules_on: Rules) -> None:
    year = block_year(at)
    year.choose_officers(
        leader="a",
        deputy="b",
        method="vote",
        ballot="bau-khoi-truong-2021",
        electorate=MEMBERS,
        chosen_in_year=2020,
        rules=rules_on("2020-12-20"),
        by=at("2020-12-20"),
    )
    assert (year.leader, year.deputy, year.officers_method) == ("a", "b", "vote")


def choose(year: BlockYear, at: At, rules: RuleSet, **overrides: Any) -> None:
    args: dict[str, Any] = {
        "leader": "a",
        "deputy": "b",
        "method": "acclamation",
        "ballot": None,
        "electorate": MEMBERS,
        "chosen_in_year": 2020,
        "rules": rules,
        "by": at("2020-12-20"),
    }
    args.update(overrides)
    year.choose_officers(**args)


def test_officers_by_acclamation_are_allowed_by_default(at: At, rules_on: Rules) -> None:
    year = block_year(at)
    choose(year, at, rules_on("2020-12-20"))
    assert year.officers_method == "acclamation"


def test_acclamation_is_refused_where_the_rules_require_a_ballot(at: At, rules_on: Rules) -> None:
    strict = replace(rules_on("2020-12-20"), acclamation_allowed_for=())
    with pytest.raises(AcclamationNotAllowed):
        choose(block_year(at), at, strict)


def test_leader_and_deputy_must_differ(at: At, rules_on: Rules) -> None:
    with pytest.raises(MalformedCommand):
        choose(block_year(at), at, rules_on("2020-12-20"), deputy="a")


def test_officer_outside_the_electorate_is_refused(at: At, rules_on: Rules) -> None:
    with pytest.raises(NotAMember):
        choose(block_year(at), at, rules_on("2020-12-20"), leader="z")


def test_officers_of_a_year_without_members_yet_come_from_the_electing_year(at: At, rules_on: Rules) -> None:
    next_year = block_year(at, members=[])
    choose(next_year, at, rules_on("2020-12-20"), leader="c", deputy=None)
    assert next_year.leader == "c"


def test_officers_cannot_be_chosen_twice(at: At, rules_on: Rules) -> None:
    year = block_year(at)
    choose(year, at, rules_on("2020-12-20"))
    with pytest.raises(OfficersAlreadyChosen):
        choose(year, at, rules_on("2020-12-21"), leader="c", deputy="d")


def test_an_officer_cannot_leave_the_block(at: At, rules_on: Rules) -> None:
    year = block_year(at)
    choose(year, at, rules_on("2020-12-20"))
    with pytest.raises(OfficerCannotLeave):
        year.remove_member("a", "chuyển", at("2021-05-01"))


def test_each_member_signs_the_pledge_once(at: At) -> None:
    year = block_year(at)
    year.sign_pledge("a", {"thu_ngan_sach": "100%"}, "phong-trao-1", at("2021-01-10"))
    assert year.pledges["a"]["targets"] == {"thu_ngan_sach": "100%"}
    with pytest.raises(AlreadyRecorded):
        year.sign_pledge("a", {"x": "y"}, None, at("2021-01-11"))
    with pytest.raises(NotAMember):
        year.sign_pledge("z", {"x": "y"}, None, at("2021-01-11"))
    with pytest.raises(MalformedCommand):
        year.sign_pledge("b", {}, None, at("2021-01-11"))


def test_reviews_are_recorded_once_per_kind(at: At) -> None:
    year = block_year(at)
    year.hold_review("mid_year", "a", None, at("2021-07-20"))
    year.hold_review("year_end", None, "tổng kết", at("2021-11-12"))
    assert set(year.reviews) == {"mid_year", "year_end"}
    with pytest.raises(AlreadyRecorded):
        year.hold_review("mid_year", None, None, at("2021-07-21"))
    with pytest.raises(MalformedCommand):
        year.hold_review("quarterly", None, None, at("2021-07-21"))
    with pytest.raises(NotAMember):
        block_year(at).hold_review("mid_year", "z", None, at("2021-07-21"))


def test_leading_units_are_acclaimed_once_and_must_be_members(at: At, rules_on: Rules) -> None:
    year = block_year(at)
    rules = rules_on("2021-11-12")
    with pytest.raises(NotAMember):
        year.choose_leading_units(["z"], "acclamation", None, rules, at("2021-11-12"))
    year.choose_leading_units(["a", "b"], "acclamation", None, rules, at("2021-11-12"))
    assert year.leading_units == ["a", "b"]
    with pytest.raises(AlreadyRecorded):
        year.choose_leading_units(["c"], "vote", "b1", rules, at("2021-11-13"))


def test_block_year_rebuilt_from_stored_events_equals_the_original(
    at: At, rules_on: Rules, rebuild: Callable[[BlockYear], Any]
) -> None:
    year = block_year(at, claimed=10)
    choose(year, at, rules_on("2020-12-20"))
    year.sign_pledge("a", {"k": "v"}, None, at("2021-01-10"))
    year.hold_review("mid_year", "a", None, at("2021-07-20"))
    year.choose_leading_units(["c"], "vote", "b1", rules_on("2021-11-12"), at("2021-11-12"))
    assert rebuild(year) == year
