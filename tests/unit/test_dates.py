"""The Date and DateTime scalars of the schema (graphql/core/dates.py): strict ISO 8601, years
1900-2199, and an instant without an offset read in Vietnam time. Before, strawberry's DateTime
kept it naive and asyncpg read it in the server's own zone, which no client can know."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from graphql import GraphQLError, GraphQLScalarType

from thidua.graphql.schema import build_schema


def _scalar(name: str) -> GraphQLScalarType:
    found = build_schema()._schema.get_type(name)
    assert isinstance(found, GraphQLScalarType)
    return found


def test_an_instant_without_offset_is_vietnam_time() -> None:
    parse = _scalar("DateTime").parse_value
    assert parse("2025-06-30T08:00:00") == datetime(2025, 6, 30, 1, 0, tzinfo=UTC)
    assert parse("2025-06-30T08:00:00Z") == datetime(2025, 6, 30, 8, 0, tzinfo=UTC)
    assert parse("2025-06-30T08:00:00+07:00").utcoffset() is not None


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("Date", "2025-02-30", "INVALID_DATE"),
        ("Date", "20250630", "INVALID_DATE"),
        ("Date", "2025-W26-1", "INVALID_DATE"),
        ("Date", "1899-12-31", "INVALID_DATE"),
        ("Date", 20250630, "INVALID_DATE"),
        ("DateTime", "9999-12-31T23:59:59-14:00", "INVALID_DATETIME"),
        ("DateTime", "0001-01-01T00:00:00Z", "INVALID_DATETIME"),
        ("DateTime", "yesterday", "INVALID_DATETIME"),
    ],
)
def test_a_value_outside_the_form_or_the_years_is_refused_with_a_code(
    name: str, value: object, code: str
) -> None:
    with pytest.raises(GraphQLError) as refused:
        _scalar(name).parse_value(value)
    assert (refused.value.extensions or {})["code"] == code
    assert "ISO 8601" in refused.value.message or "1900" in refused.value.message


def test_a_good_date_is_a_date() -> None:
    assert _scalar("Date").parse_value("2025-06-30") == date(2025, 6, 30)
