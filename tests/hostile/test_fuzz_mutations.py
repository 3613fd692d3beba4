"""Property-based fuzzing of every mutation's input (hypothesis over introspected input types).

For every mutation of the served schema: no response is a 5xx or shows internals, every refusal
carries a stable code, a refused command records nothing (the province's head is unchanged), and
nothing is logged at error level.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import figures
from tests.hostile.credentials import ALL_ROLES
from tests.hostile.judge import STABLE_CODE, UNMASKED, errors_logged
from tests.hostile.paged import Paged, seed_paged
from tests.hostile.schema_walk import operation, post
from tests.hostile.strategies import STRINGS, value_of
from tests.hostile.world import FUZZ, World
from thidua.graphql.schema import schema as local_schema

EXAMPLES = 12  # per mutation: ~50 mutations x 12 stays within the suite's time budget
DEEP_EXAMPLES = 10
MUTATIONS = sorted(local_schema._schema.mutation_type.fields) if local_schema._schema.mutation_type else []


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_fuzzed_mutation_never_fails_uncleanly_nor_records_when_refused(world: World, name: str) -> None:
    token = world.bearer(FUZZ, *[r for r in ALL_ROLES if r != "platform_operator"], unit="fz-unit")
    sweep(world, name, FUZZ, token, strings=STRINGS, examples=EXAMPLES)


@pytest.fixture(scope="module")
def records(world: World) -> Paged:
    """A province of its own with real records, so that commands get past their lookups."""
    return seed_paged(world)


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_fuzzed_mutation_on_real_records_never_fails_uncleanly(
    world: World, records: Paged, name: str
) -> None:
    """Strings are often the keys of real records and years the seeded one, so that hostile
    numbers and dates reach the commands' own arithmetic (a month of 13 built a date and failed
    with INTERNAL_ERROR before the domain could refuse it)."""
    roles = [r for r in ALL_ROLES if r != "platform_operator"]
    token = world.bearer(records.province, *roles, unit=records.values["unit"])
    strings = st.one_of(st.sampled_from(records.keys), st.sampled_from(records.keys), STRINGS)
    sweep(world, name, records.province, token, strings=strings, examples=DEEP_EXAMPLES)


def sweep(world: World, name: str, province: str, token: str, *, strings: Any, examples: int) -> None:
    roots = {f.name: f for f in world.fields if f.kind == "mutation"}
    assert name in roots, f"{name} is in the code's schema but not served"
    root = roots[name]
    query, _ = operation(root)
    arguments = {
        n: value_of(a.type, strings=strings) for n, a in root.field.args.items() if n != "idempotencyKey"
    }

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(variables=st.fixed_dictionaries(arguments))
    def check(variables: dict[str, Any]) -> None:
        head, since = world.head(province), world.served.log_offset()
        response = post(world.served.url, query, variables, authorization=token)
        figures.add("fuzz_requests")
        figures.add("hostile_cases")
        if response.status_code >= 500:
            figures.add("fuzz_500s")
        if any(sign in response.text for sign in UNMASKED):
            figures.add("fuzz_unmasked")
        assert response.status_code < 500, response.text[:300]
        assert not any(sign in response.text for sign in UNMASKED), response.text[:500]
        body = response.json()
        errors = body.get("errors") or []
        payload = (body.get("data") or {}).get(name) or {}
        codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
        codes += [str(e.get("code")) for e in payload.get("errors") or []]
        if "INTERNAL_ERROR" in codes:
            figures.add("fuzz_internal_errors")
        assert "INTERNAL_ERROR" not in codes, (variables, body)
        assert all(STABLE_CODE.match(c) for c in codes), codes
        if errors or not payload.get("ok"):
            assert codes, body
            if world.head(province) != head:
                figures.add("fuzz_refused_but_recorded")
            assert world.head(province) == head, ("a refused command recorded", variables, body)
        logged = errors_logged(world.served, since)
        if logged:
            figures.add("fuzz_errors_logged")
        assert not logged, (variables, logged)

    check()
