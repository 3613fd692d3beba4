"""What the standings cases say to the GraphQL API: the `standings` query of a block's year,
the `crossCheckAssessment` mutation that changes it, and how to read a unit's points back.
Kept in one place so that a change of the schema is one edit here."""

from __future__ import annotations

import json
from typing import Any

STANDINGS_QUERY = """
query Standings($block: String!, $year: Int!) {
  standings(block: $block, year: $year) {
    block year position
    units { unit name total selfTotal classification rank tied leading checkedScores { code points } }
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
    units: list[dict[str, Any]] = standings.get("units") or []
    return units


def checked_points(body: bytes, unit: str, item: str) -> float | None:
    """The cross-checked points of `unit` on criterion `item` as the standings show them."""
    for line in standings_units(body):
        if line.get("unit") == unit:
            for entry in line.get("checkedScores") or []:
                if entry.get("code") == item:
                    return float(entry["points"])
    return None
