"""Property-based sweep of every query argument (hypothesis over the introspected schema).

For every query root field: hostile values of every argument (wrong and huge numbers, dates far
out of range, cursors of any type and size, keys of real rows and junk), sent by a caller holding
every role of a province that has rows in every connection. No response is a 5xx, shows
internals or is a masked INTERNAL_ERROR; every refusal carries a stable code; and the server logs
nothing at error level, since a bad argument is the client's doing, not a failure of ours.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from graphql import GraphQLArgument, GraphQLNonNull, GraphQLScalarType, get_named_type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import figures
from tests.hostile.credentials import ALL_ROLES
from tests.hostile.judge import STABLE_CODE, UNMASKED, codes_of, errors_logged
from tests.hostile.paged import Paged
from tests.hostile.schema_walk import operation, post
from tests.hostile.strategies import HUGE_INTS, INTS, JSONISH, STRINGS, value_of
from tests.hostile.world import World
from thidua.graphql.schema import schema as local_schema

EXAMPLES = 40  # per query field: ~14 fields x 40 small reads stays within the suite's time budget
QUERIES = sorted(local_schema._schema.query_type.fields) if local_schema._schema.query_type else []


def _cursor_text(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursors(paged: Paged) -> st.SearchStrategy[Any]:
    """Cursors: real ones, any JSON inside, junk, and sizes no cursor of ours has."""
    inside = st.one_of(HUGE_INTS, INTS, st.sampled_from(paged.keys), JSONISH)
    return st.one_of(
        inside.map(lambda v: _cursor_text(json.dumps(v))),
        inside.map(lambda v: _cursor_text(json.dumps(v))),
        st.text(max_size=40).map(_cursor_text),
        STRINGS,
        st.sampled_from(["", "=", "A" * 3000, _cursor_text("9" * 4400), _cursor_text("[" * 900)]),
    )


def hostile(name: str, argument: GraphQLArgument, paged: Paged) -> st.SearchStrategy[Any]:
    """Values meant to break the argument's decoder, driver or arithmetic."""
    named = get_named_type(argument.type)
    if name == "after" and isinstance(named, GraphQLScalarType) and named.name == "String":
        return cursors(paged)
    if name == "atLeastPosition":
        # Far-ahead positions wait the bounded 5 s and answer NOT_YET (tested elsewhere); the
        # sweep keeps to positions already reached, or it would spend its time waiting.
        return st.integers(-(2**31), 1)
    return value_of(argument.type)


def benign(name: str, argument: GraphQLArgument, paged: Paged) -> st.SearchStrategy[Any]:
    """A value that lets the request reach the other arguments: none, or a real row's key."""
    if not isinstance(argument.type, GraphQLNonNull):
        return st.none()
    named = get_named_type(argument.type)
    if isinstance(named, GraphQLScalarType) and named.name == "Int":
        return st.just(paged.values["year"])
    return st.sampled_from(paged.keys)


def arguments(root: Any, paged: Paged) -> st.SearchStrategy[dict[str, Any]]:
    """One argument hostile and the others benign (so each decoder is reached), or all hostile."""
    args = root.field.args
    if not args:
        return st.just({})

    def aimed_at(target: str) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {n: (hostile if n == target else benign)(n, a, paged) for n, a in args.items()}
        )

    everything = st.fixed_dictionaries({n: hostile(n, a, paged) for n, a in args.items()})
    return st.one_of(st.sampled_from(sorted(args)).flatmap(aimed_at), everything)


@pytest.mark.parametrize("name", QUERIES)
def test_a_fuzzed_query_never_fails_uncleanly_nor_logs_an_error(
    world: World, paged: Paged, name: str
) -> None:
    roots = {f.name: f for f in world.fields if f.kind == "query"}
    assert name in roots, f"{name} is in the code's schema but not served"
    root = roots[name]
    query, _ = operation(root, extra=dict.fromkeys(root.field.args))
    roles = [r for r in ALL_ROLES if r != "platform_operator"]
    token = world.bearer(paged.province, *roles, unit=paged.values["unit"])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(variables=arguments(root, paged))
    def check(variables: dict[str, Any]) -> None:
        since = world.served.log_offset()
        response = post(world.served.url, query, variables, authorization=token)
        figures.add("fuzz_query_requests")
        figures.add("hostile_cases")
        if response.status_code >= 500:
            figures.add("fuzz_500s")
        assert response.status_code < 500, response.text[:300]
        assert not any(sign in response.text for sign in UNMASKED), response.text[:500]
        codes = codes_of(response.json())
        if "INTERNAL_ERROR" in codes:
            figures.add("fuzz_internal_errors")
        assert "INTERNAL_ERROR" not in codes, (variables, response.text[:500])
        assert all(STABLE_CODE.match(c) for c in codes), codes
        logged = errors_logged(world.served, since)
        if logged:
            figures.add("fuzz_errors_logged")
        assert not logged, (variables, logged)

    check()
