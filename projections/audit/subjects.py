"""Subjects of an event (đối tượng): the keys an auditor or a replay looks events up by.

`block-year:<block>/<year>` gathers everything that shaped one block's year (members, scores,
votes, proposals), so "explain" and the "as of" replays read one indexed slice of the trail.
"""

from __future__ import annotations

from typing import Any

# payload key -> subject prefix
_KEYS = (
    ("unit", "unit"),
    ("staff", "staff"),
    ("block", "block"),
    ("proposal", "proposal"),
    ("decision", "decision"),
    ("ballot", "ballot"),
    ("movement", "movement"),
    ("recipient", "recipient"),
)


def subjects_of(payload: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key, prefix in _KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value:
            found.append(f"{prefix}:{value}")
    block, year = payload.get("block"), payload.get("year")
    if isinstance(block, str) and isinstance(year, int):
        found.append(f"block-year:{block}/{year}")
    return sorted(set(found))
