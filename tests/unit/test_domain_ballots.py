"""Ballots: open and secret casting, one paper per voter, quorum, thresholds, ties."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.secret_ballots import SEALING
from tests.unit.conftest import voter_provenance
from thidua.domain.ballots import (
    Ballot,
    BallotClosed,
    BallotNotClosed,
    DuplicateVote,
    InvalidChoice,
    NotEligibleVoter,
    NotTheVoter,
    TallyMismatch,
    WrongBallotKind,
    ballot_tellers,
)
from thidua.domain.errors import AlreadyRecorded, MalformedCommand
from thidua.domain.provenance import Provenance
from thidua.domain.rules import RuleSet

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
VOTERS = [f"v{i}" for i in range(10)]


def ballot(
    at: At,
    rules: RuleSet,
    *,
    secret: bool = False,
    question: str = "elect",
    options: list[str] | None = None,
    award: str | None = None,
) -> Ballot:
    return Ballot.open(
        province="nghe-an",
        key="b1",
        purpose="officers",
        subject="khoi-1/2022",
        award=award,
        secret=secret,
        question=question,
        electorate="block_members",
        voters=VOTERS,
        options=options or ["a", "b"],
        rules=rules,
        by=at("2021-11-12"),
        **(SEALING if secret else {}),
    )


def vote_open(b: Ballot, at: At, choices: list[str]) -> None:
    for voter, choice in zip(VOTERS, choices, strict=False):
        b.cast_open_vote(voter=voter, choice=choice, by=voter_provenance(voter, "2021-11-12"))


def test_ballot_takes_quorum_threshold_and_tie_rule_from_the_rules(at: At, rules_on: Rules) -> None:
    b = ballot(
        at,
        rules_on("2021-11-12"),
        award="chien_si_thi_dua_cap_tinh",
        question="approve",
        options=["approve", "reject"],
    )
    assert b.quorum == [2, 3]
    assert b.threshold == [9, 10]
    assert b.denominator == "all"
    assert ballot(at, rules_on("2021-11-12")).threshold == [1, 2]


def test_open_ballot_counts_each_voters_choice(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a"] * 6 + ["b"] * 2)
    b.close(present=None, by=at("2021-11-12"))
    assert b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12")) == "decided"
    assert b.result is not None
    assert b.result["counts"] == {"a": 6, "b": 2}
    assert b.result["winner"] == "a"


def test_one_paper_per_voter_and_only_eligible_voters(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    b.cast_open_vote(voter="v0", choice="a", by=voter_provenance("v0", "2021-11-12"))
    with pytest.raises(DuplicateVote) as refused:
        b.cast_open_vote(voter="v0", choice="b", by=voter_provenance("v0", "2021-11-12"))
    assert refused.value.code == "DUPLICATE_VOTE"
    with pytest.raises(NotEligibleVoter):
        b.cast_open_vote(voter="outsider", choice="a", by=voter_provenance("outsider", "2021-11-12"))
    with pytest.raises(InvalidChoice):
        b.cast_open_vote(voter="v1", choice="c", by=voter_provenance("v1", "2021-11-12"))
    with pytest.raises(WrongBallotKind):
        b.cast_sealed_paper(voter="v1", sealed="xx", by=voter_provenance("v1", "2021-11-12"))


def test_only_the_voter_casts_their_paper_whatever_roles_the_actor_holds(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    day = "2021-11-12"
    impostors = [
        at(day),  # the board
        voter_provenance("v1", day),  # another member unit's clerk
        at(day, "v0", "council_member"),  # a council member whose user id is the unit's key
        at(day, "clerk-v0", "block_officer", "v0"),  # the unit, but not through its clerk
    ]
    for by in impostors:
        with pytest.raises(NotTheVoter) as refused:
            b.cast_open_vote(voter="v0", choice="a", by=by)
        assert refused.value.code == "NOT_THE_VOTER"
    b.cast_open_vote(voter="v0", choice="a", by=voter_provenance("v0", day))  # not locked out
    assert b.cast_by == ["v0"]

    council = Ballot.open(
        province="nghe-an",
        key="hd-1",
        purpose="council",
        subject=None,
        award=None,
        secret=False,
        question="elect",
        electorate="council_members",
        voters=["m0", "m1"],
        options=["a", "b"],
        rules=rules_on(day),
        by=at(day),
    )
    for by in (at(day, "m1", "council_member"), at(day, "m0", "unit_clerk", "m0"), at(day, "m0")):
        with pytest.raises(NotTheVoter):
            council.cast_open_vote(voter="m0", choice="a", by=by)
    council.cast_open_vote(voter="m0", choice="a", by=voter_provenance("m0", day, "council_members"))


def test_no_papers_after_closing_and_no_tally_before(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    with pytest.raises(BallotNotClosed):
        b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12"))
    b.close(present=VOTERS, by=at("2021-11-12"))
    with pytest.raises(BallotClosed) as refused:
        b.cast_open_vote(voter="v0", choice="a", by=voter_provenance("v0", "2021-11-12"))
    assert refused.value.code == "BALLOT_CLOSED"
    with pytest.raises(BallotClosed):
        b.close(present=None, by=at("2021-11-12"))
    b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12"))
    with pytest.raises(AlreadyRecorded):
        b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12"))


def test_attendance_must_include_everyone_who_voted(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a", "a"])
    with pytest.raises(MalformedCommand):
        b.close(present=["v0"], by=at("2021-11-12"))
    with pytest.raises(MalformedCommand):
        b.close(present=["v0", "v1", "stranger"], by=at("2021-11-12"))


def test_without_quorum_the_tally_says_so(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a"] * 6)  # 6 of 10 < 2/3
    b.close(present=None, by=at("2021-11-12"))
    assert b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12")) == "no_quorum"


def test_threshold_counts_against_all_eligible_by_default(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a"] * 4 + ["b"] * 3)  # present 7 ≥ 2/3, but 4 < 50% of 10
    b.close(present=None, by=at("2021-11-12"))
    assert b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12")) == "not_reached"


def test_threshold_may_count_against_those_present(at: At, rules_on: Rules) -> None:
    b = ballot(at, replace(rules_on("2021-11-12"), ballot_threshold_denominator="present"))
    vote_open(b, at, ["a"] * 4 + ["b"] * 3)
    b.close(present=None, by=at("2021-11-12"))
    assert b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12")) == "decided"


def test_a_tie_is_settled_by_total_score_and_the_tally_says_how(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a"] * 5 + ["b"] * 5)
    b.close(present=None, by=at("2021-11-12"))
    b.tally(opened_papers=None, tie_break_scores={"a": 96.5, "b": 97.0}, by=at("2021-11-12"))
    assert b.result is not None
    assert (b.result["winner"], b.result["outcome"]) == ("b", "decided")


def test_a_tie_without_scores_calls_for_a_new_round(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"))
    vote_open(b, at, ["a"] * 5 + ["b"] * 5)
    b.close(present=None, by=at("2021-11-12"))
    assert b.tally(opened_papers=None, tie_break_scores=None, by=at("2021-11-12")) == "tie_new_round"


def secret_ballot(at: At, rules: RuleSet, voters: int = 8) -> Ballot:
    b = ballot(at, rules, secret=True, question="approve", options=["approve", "reject"])
    for i in range(voters):
        b.cast_sealed_paper(voter=f"v{i}", sealed=f"sealed-{i}", by=voter_provenance(f"v{i}", "2021-11-12"))
    b.close(present=None, by=at("2021-11-12"))
    return b


def test_secret_ballot_stores_no_choice_until_the_tally_publishes_sorted_papers(
    at: At, rules_on: Rules
) -> None:
    b = secret_ballot(at, rules_on("2021-11-12"))
    with pytest.raises(WrongBallotKind):
        ballot(at, rules_on("2021-11-12"), secret=True).cast_open_vote(
            voter="v0", choice="a", by=voter_provenance("v0", "2021-11-12")
        )
    papers = [{"paper_id": f"p{9 - i}", "choice": "approve" if i < 6 else "reject"} for i in range(8)]
    b.tally(opened_papers=papers, tie_break_scores=None, by=at("2021-11-12"))
    assert b.result is not None
    assert b.result["counts"] == {"approve": 6, "reject": 2}
    assert [p["paper_id"] for p in b.result["papers"]] == sorted(p["paper_id"] for p in papers)
    assert b.result["outcome"] == "decided"  # 6 of 10 ≥ 50%
    # Sealed to its tellers: no key was ever stored, so none is destroyed or said to be.
    with pytest.raises(BallotNotClosed):
        b.record_key_destroyed(by=at("2021-11-12"))
    with pytest.raises(AlreadyRecorded):
        b.tally(opened_papers=papers, tie_break_scores=None, by=at("2021-11-12"))


@pytest.mark.parametrize(
    "papers",
    [
        [{"paper_id": "p1", "choice": "approve"}],  # fewer papers than were cast
        [{"paper_id": "p1", "choice": "approve"}, {"paper_id": "p1", "choice": "reject"}],  # same id
    ],
)
def test_opened_papers_must_match_the_papers_cast(
    at: At, rules_on: Rules, papers: list[dict[str, str]]
) -> None:
    b = secret_ballot(at, rules_on("2021-11-12"), voters=2)
    with pytest.raises(TallyMismatch):
        b.tally(opened_papers=papers, tie_break_scores=None, by=at("2021-11-12"))


def test_an_opened_paper_with_an_unknown_choice_is_refused(at: At, rules_on: Rules) -> None:
    b = secret_ballot(at, rules_on("2021-11-12"), voters=1)
    with pytest.raises(InvalidChoice):
        b.tally(
            opened_papers=[{"paper_id": "p", "choice": "maybe"}], tie_break_scores=None, by=at("2021-11-12")
        )


def test_key_destruction_is_only_recorded_for_a_tallied_secret_ballot(at: At, rules_on: Rules) -> None:
    with pytest.raises(BallotNotClosed):
        ballot(at, rules_on("2021-11-12")).record_key_destroyed(by=at("2021-11-12"))


def test_a_ballot_without_figures_is_recorded_as_such_and_cannot_be_voted_on(at: At) -> None:
    b = Ballot.record_without_figures(
        province="nghe-an",
        key="xep-loai-2021",
        purpose="classification",
        subject="khoi-co-quan-dang/2021",
        note="Bài báo không nêu số phiếu.",
        by=at("2021-11-12"),
    )
    assert b.status == "recorded_without_figures"
    assert b.result is None
    with pytest.raises(BallotClosed):
        b.cast_open_vote(voter="v0", choice="a", by=voter_provenance("v0", "2021-11-12"))


@pytest.mark.parametrize(
    "changes",
    [
        {"voters": []},
        {"voters": ["a", "a"]},
        {"options": []},
        {"question": "rank"},
        {"electorate": "everyone"},
        {"question": "approve", "options": ["yes", "no"]},
    ],
)
def test_malformed_ballots_are_refused(at: At, rules_on: Rules, changes: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "province": "p",
        "key": "k",
        "purpose": "x",
        "subject": None,
        "award": None,
        "secret": False,
        "question": "elect",
        "electorate": "block_members",
        "voters": ["a"],
        "options": ["a"],
        "rules": rules_on("2021-01-01"),
        "by": at("2021-01-01"),
    } | changes
    with pytest.raises(MalformedCommand):
        Ballot.open(**args)


def test_ballots_rebuilt_from_stored_events_equal_the_originals(
    at: At, rules_on: Rules, rebuild: Callable[[Ballot], Any]
) -> None:
    b = secret_ballot(at, rules_on("2021-11-12"), voters=3)
    papers = [{"paper_id": f"p{i}", "choice": "approve"} for i in range(3)]
    b.tally(opened_papers=papers, tie_break_scores=None, by=at("2021-11-12"))
    assert rebuild(b) == b
    lost = ballot(at, rules_on("2021-11-12"), secret=True, question="approve", options=["approve", "reject"])
    lost.declare_unopenable(reason="Mất mảnh khóa của hai người kiểm phiếu.", by=at("2021-11-12"))
    assert rebuild(lost) == lost
    o = ballot(at, rules_on("2021-11-12"))
    vote_open(o, at, ["a"] * 5 + ["b"] * 5)
    o.close(present=None, by=at("2021-11-12"))
    o.tally(opened_papers=None, tie_break_scores={"a": 1.0, "b": 2.0}, by=at("2021-11-12"))
    assert rebuild(o) == o


LONG = ("Đơn vị có thành tích xuất sắc " * 4).strip()  # 119 characters


@pytest.mark.parametrize(
    ("options", "code", "number"),
    [
        (["approve", LONG], "BALLOT_OPTION_TOO_LONG", 2),
        (["approve", "Sở Nội vụ", "So\u031b\u0309 Nội vụ"], "BALLOT_OPTION_DUPLICATE", 3),  # NFD of «Sở»
        (["approve", "  "], "BALLOT_OPTION_EMPTY", 2),
        (["approve", "reject", " reject "], "BALLOT_OPTION_DUPLICATE", 3),
        (["approve", "re\x00ject"], "BALLOT_OPTION_EMPTY", 2),
        (["approve"], "BALLOT_OPTIONS_COUNT", None),  # a secret ballot of one option publishes every choice
        (["approve"] + [f"o{i}" for i in range(50)], "BALLOT_OPTIONS_COUNT", None),
    ],
)
def test_options_that_could_not_be_cast_or_counted_are_refused_at_opening(
    at: At, rules_on: Rules, options: list[str], code: str, number: int | None
) -> None:
    with pytest.raises(MalformedCommand) as refused:
        ballot(at, rules_on("2021-11-12"), secret=True, question="approve", options=options)
    assert refused.value.code == code
    assert refused.value.details["field"] == "options"
    assert refused.value.details.get("number") == number
    assert refused.value.message_vi.isascii() is False  # a Vietnamese message for the clerk


def test_the_longest_option_is_accepted_and_options_are_kept_in_nfc(at: At, rules_on: Rules) -> None:
    longest = "Ở" * 100
    b = ballot(at, rules_on("2021-11-12"), secret=True, options=["So\u031b\u0309 Nội vụ", longest])
    assert b.options == ["Sở Nội vụ", longest]
    assert b.check_choice("So\u031b\u0309 Nội vụ") == "Sở Nội vụ"


def test_a_refused_secret_choice_is_not_repeated_in_the_refusal(at: At, rules_on: Rules) -> None:
    b = ballot(at, rules_on("2021-11-12"), secret=True)
    with pytest.raises(InvalidChoice) as refused:
        b.check_choice("ung-vien-bi-mat")
    assert "ung-vien-bi-mat" not in refused.value.message_vi
    assert "ung-vien-bi-mat" not in repr(refused.value.details)


@pytest.mark.parametrize(
    ("tellers", "needed", "field"),
    [
        (None, None, "tellers"),
        (["mot-minh"], None, "tellers"),
        (["a", "a", "b"], None, "tellers"),
        (["a", "b", "c"], 1, "tellersNeeded"),  # one teller alone could open every paper
        (["a", "b", "c"], 4, "tellersNeeded"),
    ],
)
def test_a_secret_ballot_needs_tellers_at_least_two_of_whom_open_it(
    at: At, rules_on: Rules, tellers: list[str] | None, needed: int | None, field: str
) -> None:
    with pytest.raises(MalformedCommand) as refused:
        Ballot.open(
            province="nghe-an", key="b1", purpose="officers", subject=None, award=None, secret=True,
            question="elect", electorate="block_members", voters=VOTERS, options=["a", "b"],
            rules=rules_on("2021-11-12"), by=at("2021-11-12"), tellers=tellers, tellers_needed=needed,
            public_key="khoa", share_digests=["m"] * len(tellers or []),
        )  # fmt: skip
    assert (refused.value.code, refused.value.details["field"]) == ("BALLOT_TELLERS_INVALID", field)
    assert ballot_tellers(["a", "b", "c", "d"], None) == (["a", "b", "c", "d"], 3)  # a majority


def test_a_ballot_whose_shares_are_lost_is_declared_unopenable_with_a_reason(at: At, rules_on: Rules) -> None:
    with pytest.raises(WrongBallotKind):
        ballot(at, rules_on("2021-11-12")).declare_unopenable(reason="x", by=at("2021-11-12"))
    b = secret_ballot(at, rules_on("2021-11-12"), voters=3)
    with pytest.raises(MalformedCommand):
        b.declare_unopenable(reason="  ", by=at("2021-11-12"))
    b.declare_unopenable(reason="Mất mảnh khóa của hai người kiểm phiếu.", by=at("2021-11-12"))
    assert (b.status, b.unopenable_reason) == ("unopenable", "Mất mảnh khóa của hai người kiểm phiếu.")
    with pytest.raises(BallotNotClosed):
        b.tally(opened_papers=[], tie_break_scores=None, by=at("2021-11-12"))
    with pytest.raises(BallotClosed):
        b.declare_unopenable(reason="lần nữa", by=at("2021-11-12"))
    with pytest.raises(BallotClosed):
        b.cast_sealed_paper(voter="v9", sealed="s", by=at("2021-11-12"))
