"""Counting a ballot (kiểm phiếu): pure, so the same papers always give the same result.

Quorum is measured on those present against all eligible voters; the threshold's denominator
(all eligible, or those present) is a rule-set setting. Law has no tie-break: the rule set says
how a tie is settled (total score, then a new round) and the result says how it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .rules import Ratio, at_least

QUESTIONS = ("approve", "elect")  # approve: yes/no on one proposal; elect: pick one option
APPROVE = "approve"


@dataclass(frozen=True)
class TallySettings:
    question: str
    options: tuple[str, ...]
    eligible: int
    quorum: Ratio
    threshold: Ratio
    denominator: str  # "all" | "present"
    tie_rule: str


@dataclass(frozen=True)
class TallyResult:
    counts: dict[str, int]
    papers: int
    present: int
    quorum_met: bool
    denominator_size: int
    outcome: str  # decided | not_reached | no_quorum | tie_new_round
    winner: str | None
    tied: list[str] = field(default_factory=list)
    tie_settled_by: str | None = None


def tally(
    choices: Iterable[str],
    present: int,
    settings: TallySettings,
    tie_break_scores: Mapping[str, float] | None = None,
) -> TallyResult:
    """Count `choices` (one per paper) and judge quorum, threshold and ties."""
    counted = Counter(choices)
    counts = {option: counted.get(option, 0) for option in settings.options}
    papers = sum(counts.values())
    quorum_met = at_least(present, settings.eligible, settings.quorum)
    size = settings.eligible if settings.denominator == "all" else present

    def result(
        outcome: str, winner: str | None, tied: list[str] | None = None, by: str | None = None
    ) -> TallyResult:
        return TallyResult(counts, papers, present, quorum_met, size, outcome, winner, tied or [], by)

    if not quorum_met:
        return result("no_quorum", None)
    if settings.question == APPROVE:
        reached = at_least(counts.get(APPROVE, 0), size, settings.threshold)
        return result("decided" if reached else "not_reached", APPROVE if reached else None)
    top = max(counts.values(), default=0)
    leaders = sorted(option for option, n in counts.items() if n == top)
    if top == 0:
        return result("not_reached", None)
    settled_by = None
    if len(leaders) > 1:
        scores = tie_break_scores or {}
        by_score = sorted(leaders, key=lambda o: scores.get(o, float("-inf")), reverse=True)
        unique_best = (
            settings.tie_rule == "total_score_then_new_round"
            and all(o in scores for o in leaders)
            and scores[by_score[0]] > scores[by_score[1]]
        )
        if not unique_best:
            return result("tie_new_round", None, tied=leaders)
        settled_by = "total_score"
        leaders = by_score
    winner = leaders[0]
    if not at_least(counts[winner], size, settings.threshold):
        return result("not_reached", None, tied=leaders if settled_by else [])
    tied = sorted(leaders) if settled_by else []
    return result("decided", winner, tied, settled_by)
