"""Limits on what one request may ask (giới hạn truy vấn): depth, cost, aliases, tokens.

A query is refused before it runs, with a clear code, when it nests too deeply
(`QUERY_TOO_DEEP`), would touch too many objects (`QUERY_TOO_COSTLY`), repeats fields under
too many aliases (`TOO_MANY_ALIASES`) or is too long (`QUERY_TOO_LARGE`, strawberry's token
limit). Cost estimates the objects a query can return: each field costs one, multiplied by the
page sizes of the lists and connections above it (`first`, or the default page size).
Introspection fields (`__schema`, `__type`) are not counted; they are off in production.

Parsing and standard validation are cached (bộ nhớ đệm phân tích/kiểm tra): they cost a third
of a small mutation's CPU. The cost rule is NOT one of the cached rules, because a page size
passed as a variable is costed by its value: a document validated once with `$n = 50` must
still be refused with `$n = 200`. `CheckLimits` therefore runs the rule on every request,
after the (cached) standard validation has passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    validate,
)
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache

from thidua.graphql.core.pagination import DEFAULT_PAGE, MAX_PAGE

MAX_DEPTH = 10
MAX_COST = 25_000
MAX_ALIASES = 30
MAX_TOKENS = 4_000
DEFAULT_LIST = 20  # plain lists (a unit's blocks) are short; connections use page sizes
CACHE_SIZE = 256  # distinct query texts kept parsed and validated; bounded against floods


@dataclass
class _Measure:
    depth: int = 0
    cost: int = 0
    aliases: int = 0


def _unwrap(type_: GraphQLOutputType) -> tuple[GraphQLNamedType, bool]:
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            is_list = True
        type_ = type_.of_type
    return type_, is_list


# The request's variables, for the cost rule: frontends pass page sizes as variables.
_VARIABLES: ContextVar[dict[str, Any] | None] = ContextVar("thidua_query_variables", default=None)


class RequestVariables(SchemaExtension):
    """Makes the operation's variables visible to the validation rules of the same request."""

    def on_operation(self) -> Iterator[None]:
        token = _VARIABLES.set(dict(self.execution_context.variables or {}))
        try:
            yield
        finally:
            _VARIABLES.reset(token)


def _first(node: FieldNode) -> int | None:
    """The page size asked for. A variable counts with its value when known (bounded by the
    largest page), else as the largest page: a cheap-looking query must not hide a large one."""
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = (_VARIABLES.get() or {}).get(value.name.value)
            if isinstance(given, int) and not isinstance(given, bool) and given >= 0:
                return min(given, MAX_PAGE)
            return MAX_PAGE
    return None


class QueryLimits(ValidationRule):
    """Measures each operation once and reports every limit it breaks."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments: dict[str, FragmentDefinitionNode] = {}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        schema = self.context.schema
        root = schema.get_root_type(node.operation)
        if root is None:
            return
        measure = _Measure()
        self._walk(node.selection_set, root, 1, 1, measure, in_connection=False, seen=())
        name = node.name.value if node.name else "anonymous"
        if measure.depth > MAX_DEPTH:
            self._refuse(
                f"Truy vấn «{name}» lồng {measure.depth} cấp, vượt giới hạn {MAX_DEPTH} cấp.",
                "QUERY_TOO_DEEP",
                node,
                measure.depth,
                MAX_DEPTH,
            )
        if measure.cost > MAX_COST:
            self._refuse(
                f"Truy vấn «{name}» có chi phí ước tính {measure.cost}, vượt giới hạn {MAX_COST}; "
                "hãy giảm «first» hoặc bớt trường lồng nhau.",
                "QUERY_TOO_COSTLY",
                node,
                measure.cost,
                MAX_COST,
            )
        if measure.aliases > MAX_ALIASES:
            self._refuse(
                f"Truy vấn «{name}» dùng {measure.aliases} bí danh, vượt giới hạn {MAX_ALIASES}.",
                "TOO_MANY_ALIASES",
                node,
                measure.aliases,
                MAX_ALIASES,
            )

    def _refuse(self, message: str, code: str, node: Any, value: int, limit: int) -> None:
        self.report_error(
            GraphQLError(message, node, extensions={"code": code, "value": value, "limit": limit})
        )

    def _walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        depth: int,
        multiplier: int,
        measure: _Measure,
        *,
        in_connection: bool,
        seen: tuple[str, ...],
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._field(
                    selection, parent, depth, multiplier, measure, in_connection=in_connection, seen=seen
                )
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.context.schema.get_type(selection.type_condition.name.value) or parent
                self._walk(
                    selection.selection_set,
                    target,
                    depth,
                    multiplier,
                    measure,
                    in_connection=in_connection,
                    seen=seen,
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:  # cycles are another rule's error
                    continue
                target = self.context.schema.get_type(fragment.type_condition.name.value) or parent
                self._walk(
                    fragment.selection_set,
                    target,
                    depth,
                    multiplier,
                    measure,
                    in_connection=in_connection,
                    seen=(*seen, name),
                )

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        depth: int,
        multiplier: int,
        measure: _Measure,
        *,
        in_connection: bool,
        seen: tuple[str, ...],
    ) -> None:
        name = node.name.value
        if name.startswith("__"):
            return
        if node.alias is not None:
            measure.aliases += 1
        measure.depth = max(measure.depth, depth)
        measure.cost += multiplier
        if not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
            return  # unknown fields are reported by the standard rules
        target, is_list = _unwrap(parent.fields[name].type)
        is_connection = target.name.endswith("Connection")
        factor = 1
        if is_connection:
            factor = _first(node) or DEFAULT_PAGE
        elif is_list and not in_connection:
            factor = _first(node) or DEFAULT_LIST
        self._walk(
            node.selection_set,
            target,
            depth + 1,
            multiplier * max(factor, 1),
            measure,
            in_connection=is_connection,
            seen=seen,
        )


class CheckLimits(SchemaExtension):
    """Runs `QueryLimits` on every request, with the request's variables, never from a cache.

    Must come after `ValidationCache` in the extension list: strawberry enters the `on_validate`
    hooks in list order and skips its own validation once `pre_execution_errors` is set, and
    it checks those errors inside the same context, so the work is done before `yield`."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document: DocumentNode | None = context.graphql_document
        if not context.pre_execution_errors and document is not None:
            errors = _limit_errors(context.schema._schema, document, _page_sizes(context.variables))
            if errors:
                context.pre_execution_errors = list(errors)  # never the cached list itself
        yield


def _page_sizes(variables: dict[str, Any] | None) -> tuple[tuple[str, int], ...]:
    """The variables the cost rule can read: `_first` uses a variable's value only when it is
    a non-negative int; any other value, or none, counts as the largest page."""
    return tuple(
        sorted(
            (name, value)
            for name, value in (variables or {}).items()
            if isinstance(value, int) and not isinstance(value, bool)
        )
    )


@lru_cache(maxsize=CACHE_SIZE)
def _limit_errors(
    schema: GraphQLSchema, document: DocumentNode, page_sizes: tuple[tuple[str, int], ...]
) -> tuple[GraphQLError, ...]:
    """The limits broken by a document with these page sizes: the verdict depends on nothing
    else, so it is cached under exactly those values (the rule reads them from `_VARIABLES`,
    which holds the same values during this call)."""
    return tuple(validate(schema, document, [QueryLimits]))


def limit_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema extensions that parse, validate and enforce the limits (fresh
    ones per request; the caches themselves are shared). The order matters, see CheckLimits."""
    return [
        RequestVariables,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        CheckLimits,
    ]
