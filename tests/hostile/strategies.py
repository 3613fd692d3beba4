"""Hypothesis strategies for any GraphQL input type, read from introspection.

Values are mostly of the right shape (so commands run and refuse on their own rules) with
hostile content: SQL-looking, very long, control and invisible characters, Vietnamese in both
normal forms, negative and huge numbers, dates far out of range, empty and long lists, and now
and then a value of the wrong type or a null where one is required.

Left out on purpose, because separate tests pin them as known bugs (test_bad_input): NUL and
lone surrogates.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from hypothesis import strategies as st

HOSTILE_STRINGS = [
    "",
    " ",
    "'; DROP TABLE readmodel.tracking; --",
    "x' OR '1'='1",
    "nghe-an",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "${jndi:ldap://127.0.0.1/a}",
    "\u202eSở Nội vụ",
    "Sở\u200bNội\ufeffvụ",
    unicodedata.normalize("NFD", "Khối thi đua Nội chính – Lực lượng vũ trang"),
    "Hoàn thành xuất sắc nhiệm vụ",
    "\t\r\n\x0b\x0c",
    "\x7f\x80\x9f",
    "🏆" * 50,
    "Ư" * 20_000,
    "a" * 300,
]
SAFE_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
STRINGS = st.one_of(st.sampled_from(HOSTILE_STRINGS), SAFE_TEXT)
INTS = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.sampled_from([0, -1, 2025, 1900, 9999, 99999, 10**9, 2**31 - 1, -(2**31)]),
)
# Beyond GraphQL's Int (32 bits) and PostgreSQL's bigint: refused before they reach a driver.
HUGE_INTS = st.sampled_from([2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 10**30, 10**4000])
FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, -0.0, 1e308, -1e308, 100.5])
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01",
            "0000-01-01",
            "9999-12-31",
            "99999-01-01",
            "1899-12-31",
            "2200-01-01",
            "2025-02-29",
            "2025-13-01",
            "20250101",
            "2025-W26-1",
            "30/06/2025",
            "yesterday",
            "",
        ]
    ),
)
OFFSETS = st.sampled_from(["", "Z", "+07:00", "+14:00", "-12:00", "+00:00", "+0700", "-23:59"])
DATETIMES = st.one_of(
    st.builds(lambda d, tz: d.isoformat() + tz, st.datetimes(), OFFSETS),
    st.sampled_from(
        [
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00",
            "2025-06-30",
            "2025",
            "now",
            "2025-06-30T25:00",
        ]
    ),
)
JSONISH = st.recursive(
    st.none() | st.booleans() | INTS | HUGE_INTS.filter(lambda n: abs(n) < 10**300) | SAFE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SAFE_TEXT, inner, max_size=3),
    max_leaves=8,
)
WRONG = st.one_of(st.just(12), st.just("wrong"), st.just([1, 2]), st.just({"a": 1}), st.just(True))


def scalar(type_: GraphQLScalarType, strings: st.SearchStrategy[str] = STRINGS) -> st.SearchStrategy[Any]:
    by_name: dict[str, st.SearchStrategy[Any]] = {
        "String": strings,
        "ID": strings,
        "Int": st.one_of(INTS, INTS, INTS, INTS, HUGE_INTS),
        "Float": FLOATS,
        "Boolean": st.booleans(),
        "Date": DATES,
        "DateTime": DATETIMES,
        "JSON": JSONISH,
    }
    return by_name.get(type_.name, STRINGS)


def value_of(
    type_: GraphQLInputType, depth: int = 0, strings: st.SearchStrategy[str] = STRINGS
) -> st.SearchStrategy[Any]:
    """Values for `type_`: mostly well-shaped, sometimes null or of the wrong type. `strings`
    draws the strings (e.g. mixing in keys of real records, so commands get past their lookups)."""
    if isinstance(type_, GraphQLNonNull):
        inner = value_of(type_.of_type, depth, strings)
        return st.one_of(inner, inner, inner, inner, inner, inner, inner, inner, inner, st.none() | WRONG)
    if isinstance(type_, GraphQLList):
        item = value_of(type_.of_type, depth + 1, strings)
        return st.one_of(st.lists(item, max_size=4), st.lists(item, min_size=300, max_size=300))
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from([*type_.values, "NOT_A_VALUE"])
    if isinstance(type_, GraphQLInputObjectType):
        if depth > 4:
            return st.just({})
        required = {
            n: value_of(f.type, depth + 1, strings)
            for n, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull)
        }
        optional = {
            n: st.none() | value_of(f.type, depth + 1, strings)
            for n, f in type_.fields.items()
            if not isinstance(f.type, GraphQLNonNull)
        }
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(type_, GraphQLScalarType)
    return scalar(type_, strings)
