"""Cursors (con trỏ phân trang) over real HTTP: every connection of the served schema, found by
walking it, refuses a cursor of the wrong type or size with INVALID_CURSOR naming `after`, and
logs nothing at error level; the cursors it gives out still page through every row.

Before: `blocks` and `ratingSheets` compared the cursor's value with their keys in Python (a
TypeError between str and int), `auditTrail` handed an integer beyond bigint to asyncpg (a
DataError): INTERNAL_ERROR with a traceback in the log."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.hostile import figures
from tests.hostile.judge import errors_logged, judge
from tests.hostile.paged import Paged
from tests.hostile.schema_walk import RootField, operation, post
from tests.hostile.world import World


def _raw(text: str) -> str:
    """A cursor around any JSON text (as the API builds them: URL-safe base64, no padding)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor(value: Any) -> str:
    return _raw(json.dumps(value))


# Cursors no connection may accept, whatever its keys.
NEVER = {
    "not_base64": "!!!***",
    "empty": "",
    "padding_only": "====",
    "not_json": _raw("{not json"),
    "list": _cursor([1, "a"]),
    "object": _cursor({"position": 1}),
    "boolean": _cursor(True),
    "float": _cursor(1.5),
    "nested_lists": _raw("[" * 600 + "]" * 600),
    "integer_of_5000_digits": _raw("9" * 5000),
    "very_long": "A" * 5000,
    "nul_in_text": _cursor("a\u0000b"),
    "lone_surrogate": _raw('"\\ud800"'),
    "control_character": _cursor("a\u0007b"),
    "empty_text": _cursor(""),
}
# ... and those wrong for one kind of key only.
NOT_A_KEY = {"integer": _cursor(3), "negative": _cursor(-1)}
NOT_A_NUMBER = {
    "text": _cursor("dv-a"),
    "numeric_text": _cursor("12"),
    "beyond_bigint": _cursor(2**63),
    "huge": _cursor(10**30),
    "negative_number": _cursor(-1),
}
NOT_A_MONTH = {"month_zero": _cursor(0), "month_thirteen": _cursor(13)}


def _connections(world: World) -> list[RootField]:
    return [
        f
        for f in world.fields
        if f.kind == "query" and f.has_arg("after") and str(f.field.type).rstrip("!").endswith("Connection")
    ]


def _page(world: World, paged: Paged, root: RootField, **extra: Any) -> dict[str, Any]:
    values = {k: v for k, v in paged.values.items() if root.has_arg(k)}
    query, variables = operation(root, values, extra=extra)
    body = judge(post(world.served.url, query, variables, authorization=paged.token))
    figures.add("cursor_cases")
    return dict(body)


def test_the_walk_finds_every_paginated_field(world: World) -> None:
    names = {f.name for f in _connections(world)}
    expected = {"units", "blocks", "ballots", "awardProposals", "awardDecisions", "ratingSheets"}
    expected.add("auditTrail")
    assert expected <= names, names


def test_every_connection_pages_through_all_its_rows_with_its_own_cursors(world: World, paged: Paged) -> None:
    for root in _connections(world):
        seen: list[str] = []
        after: str | None = None
        for _ in range(1000):
            body = _page(world, paged, root, first=1, **({"after": after} if after else {}))
            assert "errors" not in body, (root.name, body)
            assert body["data"][root.name]["edges"], (root.name, body)
            page = body["data"][root.name]
            seen += [edge["cursor"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen, f"{root.name} has no rows to page through"
        assert len(seen) == len(set(seen)), root.name
        if root.name != "auditTrail":  # the trail grows while the suite runs; the rest do not
            body = _page(world, paged, root, first=50)
            assert [e["cursor"] for e in body["data"][root.name]["edges"]] == seen, root.name


def _bad_cursors(root: RootField, first_cursor: str) -> dict[str, str]:
    """The cursors wrong for a connection whose first cursor is `first_cursor`."""
    padded = first_cursor + "=" * (-len(first_cursor) % 4)
    key = json.loads(base64.urlsafe_b64decode(padded))
    if isinstance(key, str):
        return {**NEVER, **NOT_A_KEY}
    assert isinstance(key, int)
    months = "RatingSheet" in str(root.field.type)  # a unit's months: 1 to 12
    return {**NEVER, **NOT_A_NUMBER, **(NOT_A_MONTH if months else {})}


def test_a_cursor_of_the_wrong_type_or_size_is_invalid_cursor_on_every_connection(
    world: World, paged: Paged
) -> None:
    since = world.served.log_offset()
    problems: list[str] = []
    for root in _connections(world):
        first = _page(world, paged, root, first=1)["data"][root.name]["edges"][0]["cursor"]
        for name, cursor in _bad_cursors(root, first).items():
            body = _page(world, paged, root, first=5, after=cursor)
            errors = body.get("errors") or [{}]
            extensions = errors[0].get("extensions") or {}
            if extensions.get("code") != "INVALID_CURSOR" or extensions.get("details") != {"field": "after"}:
                problems.append(f"{root.name} after={name}: {errors}")
            elif "«after»" not in errors[0]["message"]:
                problems.append(f"{root.name} after={name}: message does not name the argument")
    assert not problems, "\n".join(problems)
    assert not errors_logged(world.served, since)
