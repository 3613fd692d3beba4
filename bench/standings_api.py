"""What the standings cases say to the GraphQL API: the `standings` query of a block's year,
the `crossCheckAssessment` mutation that changes it, and how to read a unit's points back.
Kept in one place so that a change of the schema is one edit here."""

from __future__ import annotations

import json
from typing import Any

# What a standings page shows: every line, the officers, the leading units and the votes.
STANDINGS_QUERY = """
query Standings($block: String!, $year: Int!) {
  standings(key: $block, year: $year) {
    block year position members countMismatch leadingUnits leadingMethod
    lines {
      unit name selfScores checkedScores selfTotal bonus deductions total classification
      belowFloor rank tied tieNote adjustments leading member
    }
    officers { leader deputy method ballot }
    ballots { key purpose subject status eligible cast counts outcome winner tied }
  }
}
"""

CROSS_CHECK = """
mutation CrossCheck($input: CrossCheckAssessmentInput!) {
  crossCheckAssessment(input: $input) { ok position errors { code message } }
}
"""


def standings_variables(block: str, year: int) -> dict[str, Any]:
    return {"block": block, "year": year}


def cross_check_variables(block: str, year: int, unit: str, item: str, points: float) -> dict[str, Any]:
    return {
        "input": {
            "block": block, "year": year, "unit": unit, "itemKind": "criterion", "item": item,
            "newPoints": points, "reason": "Đo độ tươi: thẩm định chéo",
        }
    }


def standings_units(body: bytes) -> list[dict[str, Any]]:
    document = json.loads(body)
    standings = (document.get("data") or {}).get("standings") or {}
    units: list[dict[str, Any]] = standings.get("lines") or []
    return units


def checked_points(body: bytes, unit: str, item: str) -> float | None:
    """The cross-checked points of `unit` on criterion `item` as the standings show them."""
    for line in standings_units(body):
        if line.get("unit") == unit:
            scores = line.get("checkedScores") or {}
            if isinstance(scores, str):  # JSON scalars may arrive as text
                scores = json.loads(scores)
            criteria = scores.get("criterion", scores) if isinstance(scores, dict) else {}
            value = criteria.get(item) if isinstance(criteria, dict) else None
            return None if value is None else float(value)
    return None
