# mypy: disable-error-code="untyped-decorator"
"""Query limits and error masking, on a small schema built with the same extensions."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from structlog.testing import capture_logs

from thidua.graphql.core.limits import MAX_ALIASES, MAX_DEPTH, limit_extensions
from thidua.graphql.core.shaping import ThiduaSchema
from thidua.services.auth import PermissionDenied


@strawberry.type(description="A node of a tree.")
class Node:
    name: str = strawberry.field(description="Name.")

    @strawberry.field(description="One child.")
    def child(self) -> Node:
        return Node(name=self.name + "/c")

    @strawberry.field(description="Children.")
    def children(self, first: int | None = None) -> list[Node]:
        return [Node(name=f"{self.name}/{i}") for i in range(first or 2)]


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="The root node.")
    def root(self) -> Node:
        return Node(name="r")

    @strawberry.field(description="Always fails unexpectedly.")
    def broken(self) -> str:
        raise RuntimeError("database password is hunter2")

    @strawberry.field(description="The database went away.")
    def unreachable(self) -> str:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as exc:
            raise RuntimeError("pool could not connect") from exc

    @strawberry.field(description="Always refused.")
    def refused(self) -> str:
        raise PermissionDenied("Không được phép.", operation="refused")


class Context:
    request_id = "req-123"


schema = ThiduaSchema(query=Query, extensions=limit_extensions())


async def run(query: str) -> Any:
    return await schema.execute(query, context_value=Context())


async def test_a_query_nested_beyond_the_depth_limit_is_refused_with_a_code() -> None:
    deep = "{ root { " + "child { " * MAX_DEPTH + "name" + " }" * MAX_DEPTH + " } }"
    result = await run(deep)
    assert result.data is None
    assert result.errors[0].extensions["code"] == "QUERY_TOO_DEEP"
    shallow = "{ root { " + "child { " * (MAX_DEPTH - 2) + "name" + " }" * (MAX_DEPTH - 2) + " } }"
    assert (await run(shallow)).errors is None


async def test_nested_lists_whose_product_is_too_large_are_refused_as_too_costly() -> None:
    costly = "{ root { children(first: 200) { children(first: 200) { name } } } }"
    result = await run(costly)
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    assert (await run("{ root { children(first: 10) { name } } }")).errors is None


async def test_page_sizes_given_as_variables_are_costed_by_their_value() -> None:
    query = "query($n: Int) { root { children(first: $n) { children(first: $n) { name } } } }"
    small = await schema.execute(query, variable_values={"n": 50}, context_value=Context())
    assert small.errors is None
    large: Any = await schema.execute(query, variable_values={"n": 200}, context_value=Context())
    assert large.errors is not None
    assert large.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    # Parsing and validation are cached: the same document, alternating small and large
    # values, must be judged by each request's own value, never by a cached verdict.
    for _ in range(2):
        for n, refused in ((50, False), (200, True), (50, False)):
            again: Any = await schema.execute(query, variable_values={"n": n}, context_value=Context())
            assert (again.errors is not None) is refused
            if refused:
                assert again.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    # A variable whose value is not a page size counts as the largest page.
    unknown: Any = await schema.execute(query, variable_values={}, context_value=Context())
    assert unknown.errors is not None
    assert unknown.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"


async def test_fragments_count_towards_depth() -> None:
    query = (
        "fragment F on Node { " + "child { " * MAX_DEPTH + "name" + " }" * MAX_DEPTH + " } { root { ...F } }"
    )
    result = await run(query)
    assert result.errors[0].extensions["code"] == "QUERY_TOO_DEEP"


async def test_many_aliases_are_refused() -> None:
    query = "{ " + " ".join(f"a{i}: root {{ name }}" for i in range(40)) + " }"
    result = await run(query)
    assert result.errors[0].extensions["code"] == "TOO_MANY_ALIASES"


async def test_a_very_long_query_is_refused_as_too_large() -> None:
    query = "{ root { " + " ".join(["name"] * 5000) + " } }"
    result = await run(query)
    assert result.errors[0].extensions["code"] == "QUERY_TOO_LARGE"


async def test_unexpected_errors_are_masked_and_logged_once_with_the_request_id() -> None:
    with capture_logs() as logs:
        result = await run("{ broken }")
    error = result.errors[0]
    assert "hunter2" not in error.message
    assert error.extensions == {"code": "INTERNAL_ERROR", "requestId": "req-123"}
    logged = [entry for entry in logs if entry["event"] == "graphql_unexpected_error"]
    assert len(logged) == 1
    assert logged[0]["request_id"] == "req-123"


async def test_a_lost_database_is_a_retryable_service_unavailable_not_an_internal_error() -> None:
    result = await run("{ unreachable }")
    error = result.errors[0]
    assert error.extensions["code"] == "SERVICE_UNAVAILABLE"
    assert error.extensions["retryable"] is True
    assert "refused" not in error.message


async def test_expected_errors_keep_their_code_and_are_not_logged_as_failures() -> None:
    with capture_logs() as logs:
        result = await run("{ refused }")
    assert result.errors[0].extensions["code"] == "FORBIDDEN"
    assert result.errors[0].message == "Không được phép."
    assert not [entry for entry in logs if entry["event"] == "graphql_unexpected_error"]


@pytest.mark.parametrize("query", ["{ nope }", "{ root { "])
async def test_invalid_queries_carry_a_validation_code(query: str) -> None:
    result = await run(query)
    assert result.errors[0].extensions["code"] in {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"}


async def test_strawberrys_depth_and_alias_refusals_speak_vietnamese_once_per_operation() -> None:
    deep = "query Sau { root { " + "children { " * MAX_DEPTH + "name" + " }" * MAX_DEPTH + " } }"
    result = await run(deep)
    assert [e.extensions["code"] for e in result.errors] == ["QUERY_TOO_DEEP"]
    assert result.errors[0].message == f"Truy vấn «Sau» lồng quá {MAX_DEPTH} cấp."
    aliases = "{ " + " ".join(f"a{i}: root {{ name }}" for i in range(40)) + " }"
    refused = (await run(aliases)).errors[0]
    assert refused.message.startswith("Truy vấn dùng 40 bí danh")
    assert refused.extensions == {"code": "TOO_MANY_ALIASES", "value": 40, "limit": MAX_ALIASES}


def test_the_limiters_rules_are_the_same_classes_on_every_request() -> None:
    """The validation cache is keyed by the rule classes: new classes per request would miss it."""

    def rules() -> list[Any]:
        return [
            rule
            for factory in limit_extensions()
            for rule in getattr(factory(), "validation_rules", ())
        ]

    assert len(rules()) == 2
    assert rules() == rules()
