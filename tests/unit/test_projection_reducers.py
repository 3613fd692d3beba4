"""The pure reducers behind standings, the awards register and ratings (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid5

from thidua.projections.awards.model import history_of, proposal_of
from thidua.projections.awards.reducer import DECISION, PROPOSAL, RECIPIENT, AwardsReducer
from thidua.projections.documents import fold
from thidua.projections.envelope import Envelope
from thidua.projections.ratings.model import monthly_of, staff_of
from thidua.projections.ratings.reducer import SHEET, STAFF, STAFF_YEAR, RatingsReducer
from thidua.projections.standings.model import build_standings, explain_positions
from thidua.projections.standings.reducer import BLOCK_YEAR, StandingsReducer

NS = UUID("00000000-0000-0000-0000-000000000001")


class Events:
    """Builds envelopes in position order, as the runner would hand them over."""

    def __init__(self) -> None:
        self.items: list[Envelope] = []

    def add(self, aggregate: str, event_type: str, **payload: Any) -> None:
        self.items.append(
            Envelope(
                position=len(self.items) + 1,
                aggregate_id=uuid5(NS, aggregate),
                aggregate_version=1,
                topic=f"thidua.domain.x:{event_type}",
                recorded_at=datetime(2025, 12, 1, tzinfo=UTC),
                effective_on=date(2025, 12, 1),
                actor_user="u",
                actor_role="block_officer",
                actor_unit=None,
                correlation_id="c",
                payload=payload,
            )
        )


def scored_block() -> Events:
    ev = Events()
    ev.add(
        "by",
        "BlockYear.Opened",
        block="k",
        kind="block",
        year=2025,
        members=["a", "b", "c"],
        members_claimed=4,
        count_mismatch=True,
    )
    ev.add(
        "sc",
        "BlockScoring.TableAdopted",
        block="k",
        year=2025,
        criteria=[{"code": "c1", "max_points": 60}, {"code": "c2", "max_points": 40}],
        bonus_items=[{"code": "flag", "points": 10}],
        deduction_items=[{"code": "late", "points": 5}],
    )
    ev.add(
        "sc",
        "BlockScoring.SelfAssessed",
        unit="a",
        scores={"c1": 55.0, "c2": 38.0},
        bonuses=["flag"],
        deductions=[],
    )
    ev.add(
        "sc",
        "BlockScoring.SelfAssessed",
        unit="b",
        scores={"c1": 58.0, "c2": 39.0},
        bonuses=[],
        deductions=[],
    )
    ev.add(
        "sc",
        "BlockScoring.SelfAssessed",
        unit="c",
        scores={"c1": 50.0, "c2": 30.0},
        bonuses=[],
        deductions=["late"],
    )
    ev.add(
        "sc",
        "BlockScoring.ScoreAdjusted",
        unit="a",
        item_kind="bonus",
        item="flag",
        old_points=10.0,
        new_points=0.0,
        reason="Cờ thi đua năm trước, không phải năm nay",
    )
    ev.add(
        "sc",
        "BlockScoring.ScoreAdjusted",
        unit="a",
        item_kind="criterion",
        item="c1",
        old_points=55.0,
        new_points=59.0,
        reason="Bổ sung minh chứng",
    )
    ev.add(
        "sc",
        "BlockScoring.UnitClassified",
        unit="b",
        total=97.0,
        band="excellent",
        below_floor=[],
        rule_version="vn-2024",
    )
    ev.add(
        "bl",
        "Ballot.Opened",
        key="k-2025-officers",
        purpose="officers",
        subject="k/2025",
        secret=True,
        voters=["a", "b", "c"],
        options=["a", "b"],
        question="elect",
    )
    ev.add("bl", "Ballot.SealedPaperCast", voter="a")
    ev.add(
        "bl",
        "Ballot.Tallied",
        counts={"a": 1, "b": 2},
        present=3,
        eligible=3,
        quorum_met=True,
        denominator_size=3,
        outcome="decided",
        winner="b",
        tied=[],
        tie_settled_by=None,
    )
    ev.add(
        "by",
        "BlockYear.OfficersChosen",
        leader="b",
        deputy="a",
        method="vote",
        ballot="k-2025-officers",
        chosen_in_year=2024,
    )
    return ev


def test_cross_checked_totals_rank_units_and_equal_totals_are_shown_tied() -> None:
    folded = fold(StandingsReducer(), scored_block().items)
    doc = folded.docs[(BLOCK_YEAR, "k/2025")]
    ballots = [d for (kind, _), d in folded.docs.items() if kind == "ballot"]
    standings = build_standings("p", doc, ballots, {"a": "Đơn vị A"})
    by_unit = {u.unit: u for u in standings.units}
    assert by_unit["a"].self_total == 103.0
    assert by_unit["a"].total == 97.0  # flag removed, c1 raised
    assert by_unit["a"].adjustments == 2
    assert (by_unit["a"].rank, by_unit["b"].rank, by_unit["c"].rank) == (1, 1, 3)
    assert by_unit["a"].tied
    assert by_unit["b"].tied
    assert not by_unit["c"].tied
    assert by_unit["c"].total == 75.0
    assert by_unit["b"].classification == "excellent"
    assert standings.count_mismatch
    assert standings.members_claimed == 4
    assert standings.officers is not None
    assert standings.officers.leader == "b"
    assert standings.ballots[0].counts == {"a": 1, "b": 2}
    assert standings.ballots[0].cast == 1


def test_explain_lists_the_self_assessment_each_adjustment_and_the_tally() -> None:
    folded = fold(StandingsReducer(), scored_block().items)
    doc = folded.docs[(BLOCK_YEAR, "k/2025")]
    ballots = [d for (kind, _), d in folded.docs.items() if kind == "ballot"]
    assert explain_positions(doc, "a", ballots) == [2, 3, 6, 7, 11, 12]


def test_a_later_adjustment_makes_an_earlier_classification_stale() -> None:
    ev = scored_block()
    ev.add(
        "sc",
        "BlockScoring.ScoreAdjusted",
        unit="b",
        item_kind="criterion",
        item="c2",
        old_points=39.0,
        new_points=20.0,
        reason="Sai số liệu",
    )
    doc = fold(StandingsReducer(), ev.items).docs[(BLOCK_YEAR, "k/2025")]
    line = {u.unit: u for u in build_standings("p", doc, [], {}).units}["b"]
    assert line.classification is None
    assert line.total == 78.0


def test_a_revoked_decision_shows_its_proposal_as_revoked_and_strikes_the_title() -> None:
    ev = Events()
    ev.add(
        "pr",
        "AwardProposal.Submitted",
        key="p1",
        proposer="k",
        year=2024,
        award="bk",
        authority="chair",
        recipient_kind="unit",
        recipient="a",
        recipient_name="A",
        dossier={"to_trinh": "x"},
        prerequisites_met=[],
        prerequisites_missing=[],
    )
    ev.add(
        "pr", "AwardProposal.CommentRecorded", author="x", text="phản đối", objection=True, within_window=True
    )
    ev.add("pr", "AwardProposal.Forwarded", to_authority="chair", prerequisites_met=[])
    ev.add(
        "de",
        "AwardDecision.Recorded",
        number="QĐ-1",
        signer="s",
        authority="chair",
        award="bk",
        year=2024,
        recipients=[{"kind": "unit", "key": "a"}],
        proposals=["p1"],
    )
    ev.add("pr", "AwardProposal.Decided", decision="QĐ-1")
    ev.add("rec", "AwardRecord.Opened", recipient_kind="unit", recipient="a")
    for year in (2021, 2022, 2024):
        ev.add("rec", "AwardRecord.TitleEntered", year=year, award="cstdcs", decision=f"d{year}")
    ev.add(
        "de",
        "AwardDecision.Revoked",
        revoking_decision="QĐ-9",
        ground="fraud",
        recipients=["a"],
        recover_object=True,
        recover_prize_multiple=1.0,
        reason="gian dối",
    )
    ev.add("rec", "AwardRecord.TitleStruck", year=2024, award="cstdcs", decision="d2024", revoked_by="QĐ-9")
    folded = fold(AwardsReducer(), ev.items)
    proposal = proposal_of(folded.docs[(PROPOSAL, "p1")], folded.docs[(DECISION, "QĐ-1")])
    assert [s.status for s in proposal.timeline] == [
        "submitted",
        "objected",
        "forwarded",
        "decided",
        "revoked",
    ]
    assert proposal.status == "revoked"
    assert proposal.objections == 1
    history = history_of(folded.docs[(RECIPIENT, "unit:a")])
    assert history.consecutive_years == {"cstdcs": 2}  # 2024 struck: 2021-2022


def test_ratings_show_band_distribution_cap_headroom_and_corrections() -> None:
    ev = Events()
    ev.add(
        "st1", "StaffMember.Registered", key="s1", name="Nguyễn Văn A", unit="u", rating_group="specialists"
    )
    entries = [
        {"staff": f"s{i}", "group": "specialists", "score": 80, "band": "HTTNV"} for i in range(1, 11)
    ] + [{"staff": "s11", "group": "specialists", "score": 95, "band": "HTXSNV"}]
    ev.add(
        "sh",
        "RatingSheet.Submitted",
        unit="u",
        year=2026,
        month=1,
        entries=entries,
        rule_version="vn-2026",
        cap_in_force=True,
    )
    ev.add(
        "sh",
        "RatingSheet.RatingCorrected",
        staff="s1",
        old_score=80,
        new_score=92,
        band="HTXSNV",
        reason="Tính sai",
        rule_version="vn-2026",
    )
    folded = fold(RatingsReducer(), ev.items)
    month = monthly_of(folded.docs[(SHEET, "u/2026/01")])
    unit_scope = month.scopes[0]
    assert unit_scope.scope == "unit"
    assert unit_scope.bands == {"HTTNV": 9, "HTXSNV": 2}
    assert unit_scope.headroom == unit_scope.allowed_excellent - 2  # type: ignore[operator]
    assert month.corrections[0]["reason"] == "Tính sai"
    staff = staff_of(folded.docs[(STAFF, "s1")], [folded.docs[(STAFF_YEAR, "s1/2026")]])
    assert staff.name == "Nguyễn Văn A"
    assert staff.months["2026-01"]["score"] == 92
    # The sheet shows the corrected score; the Submitted event's own entry is left as recorded.
    assert next(x for x in month.entries if x["staff"] == "s1")["score"] == 92
    assert entries[0] == {"staff": "s1", "group": "specialists", "score": 80, "band": "HTTNV"}


def test_the_sealed_paper_of_a_secret_ballot_never_reaches_a_payload() -> None:
    class Cast:
        def __init__(self) -> None:
            self.originator_id = NS
            self.originator_version = 2
            self.timestamp = datetime(2025, 1, 1, tzinfo=UTC)
            self.voter = "a"
            self.sealed = "ciphertext"

    envelope = Envelope.of(7, "thidua.domain.ballots:Ballot.SealedPaperCast", Cast())
    assert envelope.payload == {"voter": "a"}
