"""Root fields read from the served app's introspection, and requests built for any of them.

Nothing here names a field of our schema: a field added later is covered by every test that
walks `root_fields()`. Values are the smallest ones the input types accept (required fields
only), selections take every leaf a few levels down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

SELECTION_DEPTH = 3

# Sample values per scalar: harmless, accepted by the type.
SCALAR_SAMPLES: dict[str, Any] = {
    "String": "hostile-sample",
    "ID": "hostile-sample",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2025-06-02",
    "DateTime": "2025-06-02T08:00:00+07:00",
    "JSON": {},
}


@dataclass(frozen=True)
class RootField:
    """One root field: `kind` is query, mutation or subscription."""

    kind: str
    name: str
    field: GraphQLField

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.name}"

    def has_arg(self, name: str) -> bool:
        return name in self.field.args


def introspect(url: str) -> GraphQLSchema:
    response = httpx.post(
        f"{url}/graphql", json={"query": get_introspection_query(input_value_deprecation=True)}, timeout=30
    )
    response.raise_for_status()
    return build_client_schema(response.json()["data"])


def root_fields(schema: GraphQLSchema) -> list[RootField]:
    out: list[RootField] = []
    for kind, root in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        if root is not None:
            out += [RootField(kind, name, field) for name, field in root.fields.items()]
    return out


def sample(type_: GraphQLInputType, string: str = SCALAR_SAMPLES["String"]) -> Any:
    """The smallest value of `type_` (required input fields only); strings are `string`."""
    if isinstance(type_, GraphQLNonNull):
        return sample(type_.of_type, string)
    if isinstance(type_, GraphQLList):
        return [sample(type_.of_type, string)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {name: sample(field.type, string) for name, field in type_.fields.items() if required(field)}
    assert isinstance(type_, GraphQLScalarType)
    if type_.name in ("String", "ID"):
        return string
    return SCALAR_SAMPLES.get(type_.name, string)


def _key_of_a_deprecated_pair(field: GraphQLField, name: str) -> bool:
    """`key` where a deprecated argument names the same thing (standings: key, or blockId): the
    field needs one of the two, so a request passes `key` as if it were required."""
    return name == "key" and any(arg.deprecation_reason for arg in field.args.values())


def required(arg: GraphQLArgument | GraphQLInputField) -> bool:
    """Must be given: non-null without a default (graphql-core marks "no default" as Undefined)."""
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


def selection(type_: GraphQLOutputType, depth: int = 0) -> str:
    """Every leaf field (without required arguments) up to SELECTION_DEPTH levels down."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if not isinstance(named, GraphQLObjectType) or depth >= SELECTION_DEPTH:
        return "{ __typename }"
    parts: list[str] = []
    for name, field in named.fields.items():
        if any(required(a) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth + 1 < SELECTION_DEPTH or isinstance(inner, GraphQLObjectType):
            parts.append(f"{name} {selection(field.type, depth + 1)}")
    return "{ " + " ".join(parts or ["__typename"]) + " }"


def operation(
    root: RootField, values: dict[str, Any] | None = None, *, extra: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    """A request for `root`: required arguments as variables (sample values unless `values`
    gives them), plus `extra` optional arguments (e.g. `province`)."""
    values = dict(values or {})
    extra = extra or {}
    declared: list[str] = []
    passed: list[str] = []
    variables: dict[str, Any] = {}
    for name, arg in root.field.args.items():
        if required(arg) or name in extra or name in values or _key_of_a_deprecated_pair(root.field, name):
            declared.append(f"${name}: {arg.type}")
            passed.append(f"{name}: ${name}")
            if name in extra:
                variables[name] = extra[name]
            elif name in values:
                variables[name] = values[name]
            else:
                variables[name] = sample(arg.type)
    head = f"{root.kind} Op" + (f"({', '.join(declared)})" if declared else "")
    call = root.name + (f"({', '.join(passed)})" if passed else "")
    return f"{head} {{ {call} {selection(root.field.type)} }}", variables


def post(
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    authorization: str | bytes | None = None,
    request_id: str | None = None,
    timeout: float = 30,
) -> httpx.Response:
    # Bytes, so that a test may send any header value (latin-1 garbage included).
    headers: dict[bytes, bytes] = {}
    if authorization is not None:
        headers[b"Authorization"] = (
            authorization.encode() if isinstance(authorization, str) else authorization
        )
    if request_id is not None:
        headers[b"X-Request-Id"] = request_id.encode()
    return _client().post(
        f"{url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=timeout,
    )


_clients: list[httpx.Client] = []


def _client() -> httpx.Client:
    """One keep-alive client for the session: thousands of small requests, no handshakes."""
    if not _clients:
        _clients.append(httpx.Client())
    return _clients[0]
