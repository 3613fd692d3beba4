"""Property tests: random command sequences never break an invariant, and replay is exact."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.secret_ballots import SEALING
from thidua.domain.ballots import Ballot
from thidua.domain.block_year import BlockYear
from thidua.domain.errors import DomainError
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.rating_rules import EXCELLENT, GOOD
from thidua.domain.ratings import RatingCapExceeded, RatingSheet
from thidua.domain.rules import national_rules_in_force
from thidua.domain.transcodings import register_domain_transcodings
from thidua.domain.units import Unit

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BY = Provenance(
    Actor("prop", "province_admin", None), datetime(2026, 1, 1, tzinfo=UTC), date(2026, 1, 5), "prop"
)
RULES_2026 = national_rules_in_force(date(2026, 1, 5))
UNITS = ["a", "b", "c", "d", "e", "f"]
GROUPS = ["unit_leadership", "heads_of_department", "specialists"]


class Ledger(Application[UUID]):
    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)


def rebuilt(aggregate: Aggregate) -> Any:
    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.save(aggregate)
    return app.repository.get(aggregate.id)


def attempt(command: Any, *args: Any, **kwargs: Any) -> None:
    """Run a command; a domain refusal is an acceptable outcome, anything else is a bug."""
    with contextlib.suppress(DomainError):
        command(*args, **kwargs)


block_year_commands = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(UNITS)),
        st.tuples(st.just("remove"), st.sampled_from(UNITS)),
        st.tuples(st.just("officers"), st.sampled_from(UNITS), st.sampled_from([*UNITS, None])),
        st.tuples(st.just("pledge"), st.sampled_from(UNITS)),
        st.tuples(st.just("review"), st.sampled_from(["mid_year", "year_end", "x"]), st.sampled_from(UNITS)),
    ),
    max_size=25,
)


@FAST
@given(
    initial=st.lists(st.sampled_from(UNITS), unique=True),
    claimed=st.none() | st.integers(0, 8),
    commands=block_year_commands,
)
def test_block_year_invariants_hold_under_any_command_sequence(
    initial: list[str], claimed: int | None, commands: list[tuple[Any, ...]]
) -> None:
    year = BlockYear.open(
        province="p", block="k", kind="block", year=2026, members=initial, members_claimed=claimed, by=BY
    )
    chosen_with: list[str] | None = None
    for name, *args in commands:
        if name == "add":
            attempt(year.add_member, args[0], BY)
        elif name == "remove":
            attempt(year.remove_member, args[0], "lý do", BY)
        elif name == "officers":
            attempt(
                year.choose_officers,
                leader=args[0],
                deputy=args[1],
                method="vote",
                ballot=None,
                electorate=UNITS,
                chosen_in_year=2025,
                rules=RULES_2026,
                by=BY,
            )
        elif name == "pledge":
            attempt(year.sign_pledge, args[0], {"chi_tieu": "100%"}, None, BY)
        else:
            attempt(year.hold_review, args[0], args[1], None, BY)
        assert len(set(year.members)) == len(year.members)
        assert year.count_mismatch == (claimed is not None and claimed != len(year.members))
        if name == "officers" and year.leader is not None and chosen_with is None:
            chosen_with = list(year.members)
        if year.leader is not None:
            assert year.leader != year.deputy
            if chosen_with:  # chosen among declared members: they can never leave
                assert year.officers_outside_members() == []
            else:  # chosen before the list was known: any gap is flagged, not hidden
                assert set(year.officers_outside_members()) == {
                    u for u in (year.leader, year.deputy) if u and year.members and u not in year.members
                }
    assert rebuilt(year) == year


@FAST
@given(
    joins=st.lists(
        st.tuples(
            st.sampled_from(["k1", "k2", "k3"]),
            st.sampled_from(["block", "cluster"]),
            st.integers(2024, 2026),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_a_unit_is_never_in_two_blocks_of_a_kind_in_one_year(joins: list[tuple[str, str, int, bool]]) -> None:
    unit = Unit.register("p", "u", "U", BY)
    for block, kind, year, leave in joins:
        if leave:
            attempt(unit.leave_block, block, kind, year, BY)
        else:
            attempt(unit.join_block, block, kind, year, BY)
    # Replaying the events one by one, no join ever lands on an occupied kind-year.
    occupied: dict[str, str] = {}
    for e in unit.collect_events():
        if isinstance(e, Unit.JoinedBlock):
            assert f"{e.kind}/{e.year}" not in occupied
            occupied[f"{e.kind}/{e.year}"] = e.block
        elif isinstance(e, Unit.LeftBlock):
            assert occupied.pop(f"{e.kind}/{e.year}") == e.block
    assert occupied == unit.memberships


def clerk_of(unit: str) -> Provenance:
    """A unit's clerk, acting as such (the role that casts a block member's paper)."""
    return replace(BY, actor=Actor(f"clerk-{unit}", "unit_clerk", unit))


def seal_and_cast(b: Ballot, voter: str, choice: str, by: Provenance) -> None:
    """What services do: validate the choice, seal it, cast the opaque paper."""
    b.check_choice(choice)
    b.cast_sealed_paper(voter=voter, sealed=f"opaque-{voter}", by=by)


# (acting unit, voter, choice): the acting unit's clerk tries to cast the voter's paper.
ballot_actions = st.lists(
    st.tuples(
        st.sampled_from([*UNITS, "outsider"]),
        st.sampled_from([*UNITS, "outsider"]),
        st.sampled_from(["x", "y", "z", "bad"]),
    ),
    max_size=12,
)


@FAST
@given(
    secret=st.booleans(),
    actions=ballot_actions,
    seed=st.randoms(use_true_random=False),
    scores=st.none()
    | st.fixed_dictionaries({"x": st.floats(0, 100), "y": st.floats(0, 100), "z": st.floats(0, 100)}),
)
def test_a_tally_always_equals_the_papers(
    secret: bool, actions: list[tuple[str, str, str]], seed: Any, scores: dict[str, float] | None
) -> None:
    b = Ballot.open(
        province="p",
        key="b",
        purpose="elect",
        subject=None,
        award=None,
        secret=secret,
        question="elect",
        electorate="block_members",
        voters=UNITS,
        options=["x", "y", "z"],
        rules=RULES_2026,
        by=BY,
        **(SEALING if secret else {}),
    )
    chosen: dict[str, str] = {}
    for actor, voter, choice in actions:
        if secret:
            if choice in b.options and voter in b.voters and voter not in b.cast_by and actor == voter:
                chosen[voter] = choice
            attempt(seal_and_cast, b, voter, choice, clerk_of(actor))
        else:
            attempt(b.cast_open_vote, voter=voter, choice=choice, by=clerk_of(actor))
    assert len(set(b.cast_by)) == len(b.cast_by)
    assert set(b.cast_by) <= set(b.voters)
    # Only a voter casts their own paper, whoever else tried (the real voter is never locked out).
    cast = [e for e in b.pending_events if isinstance(e, Ballot.OpenVoteCast | Ballot.SealedPaperCast)]
    assert all(e.actor_unit == e.voter and e.actor_role == "unit_clerk" for e in cast)
    expected_voters = {v for a, v, c in actions if a == v and v in b.voters and c in b.options}
    assert set(b.cast_by) == expected_voters

    b.close(present=None, by=BY)
    papers = [{"paper_id": f"{seed.random():.17f}-{i}", "choice": c} for i, c in enumerate(chosen.values())]
    seed.shuffle(papers)
    b.tally(opened_papers=papers if secret else None, tie_break_scores=scores, by=BY)
    assert b.result is not None
    expected = Counter(chosen.values()) if secret else Counter(b.open_votes.values())
    assert b.result["counts"] == {o: expected.get(o, 0) for o in b.options}
    assert sum(b.result["counts"].values()) == len(b.cast_by)
    if secret:
        assert Counter(p["choice"] for p in b.result["papers"]) == expected
    assert rebuilt(b) == b


sheet_scores = st.dictionaries(st.sampled_from([f"s{i}" for i in range(15)]), st.integers(0, 100), min_size=1)


def cap_holds(entries: list[dict[str, Any]]) -> bool:
    scopes = [entries] + [[e for e in entries if e["group"] == g] for g in GROUPS]
    for rows in scopes:
        bands = Counter(e["band"] for e in rows)
        if bands[EXCELLENT] * 5 > bands[GOOD]:
            return False
    return True


@FAST
@given(
    scores=sheet_scores,
    groups=st.lists(st.sampled_from(GROUPS), min_size=15, max_size=15),
    corrections=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 100)), max_size=6),
)
def test_the_rating_cap_holds_for_any_sheet_accepted(
    scores: dict[str, int], groups: list[str], corrections: list[tuple[int, int]]
) -> None:
    roster = {f"s{i}": groups[i] for i in range(15)}
    try:
        sheet = RatingSheet.submit(
            province="p", unit="u", year=2026, month=1, scores=scores, roster=roster, rules=RULES_2026, by=BY
        )
    except RatingCapExceeded:
        rows = [
            {"group": roster[s], "band": "HTXSNV" if v >= 90 else "HTTNV" if v >= 70 else "x"}
            for s, v in scores.items()
        ]
        assert not cap_holds(rows)
        return
    assert cap_holds(sheet.entries)
    for index, score in corrections:
        attempt(sheet.correct, f"s{index}", score, "đính chính", RULES_2026, BY)
        assert cap_holds(sheet.entries)
    assert rebuilt(sheet) == sheet
