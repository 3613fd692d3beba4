"""Limits on what one request may ask (giới hạn truy vấn): depth, cost, aliases, tokens.

A query is refused before it runs, with a clear code, when it nests too deeply
(`QUERY_TOO_DEEP`, strawberry's `QueryDepthLimiter`), repeats fields under too many aliases
(`TOO_MANY_ALIASES`, strawberry's `MaxAliasesLimiter`), is too long (`QUERY_TOO_LARGE`,
strawberry's `MaxTokensLimiter`) or would touch too many objects (`QUERY_TOO_COSTLY`, ours: no
library estimates it). Strawberry's limiters answer in English without a code; `CheckLimits`
gives their refusals our codes and Vietnamese messages. Cost estimates the objects a query can
return: each field costs one, multiplied by the page sizes of the lists and connections above it
(`first`, or the default page size). Introspection fields (`__schema`, `__type`) are not
counted by any limit; they are off in production.

Parsing and validation are cached (bộ nhớ đệm phân tích/kiểm tra), the depth and alias rules
with the standard ones. The cost rule is not cached with them, because a page size passed as a
variable is costed by its value: a document validated once with `$n = 50` must still be
refused with `$n = 200`. `CheckLimits` therefore runs it on every request, after the (cached)
validation has passed, with a cache of its own keyed by the page sizes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
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
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from thidua.graphql.core.pagination import DEFAULT_PAGE, MAX_PAGE

MAX_DEPTH = 10
MAX_COST = 25_000
MAX_ALIASES = 30
MAX_TOKENS = 4_000
DEFAULT_LIST = 20  # plain lists (a unit's blocks) are short; connections use page sizes
CACHE_SIZE = 256  # distinct query texts kept parsed and validated; bounded against floods


@dataclass
class _Measure:
    cost: int = 0


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


class QueryCost(ValidationRule):
    """Estimates each operation's cost and refuses one above the limit."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments: dict[str, FragmentDefinitionNode] = {}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        schema = self.context.schema
        root = schema.get_root_type(node.operation)
        if root is None:
            return
        measure = _Measure()
        self._walk(node.selection_set, root, 1, measure, in_connection=False, seen=())
        name = node.name.value if node.name else "anonymous"
        if measure.cost > MAX_COST:
            self._refuse(
                f"Truy vấn «{name}» có chi phí ước tính {measure.cost}, vượt giới hạn {MAX_COST}; "
                "hãy giảm «first» hoặc bớt trường lồng nhau.",
                "QUERY_TOO_COSTLY",
                node,
                measure.cost,
                MAX_COST,
            )

    def _refuse(self, message: str, code: str, node: Any, value: int, limit: int) -> None:
        self.report_error(
            GraphQLError(message, node, extensions={"code": code, "value": value, "limit": limit})
        )

    def _walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
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
                    selection, parent, multiplier, measure, in_connection=in_connection, seen=seen
                )
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.context.schema.get_type(selection.type_condition.name.value) or parent
                self._walk(
                    selection.selection_set,
                    target,
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
                    multiplier,
                    measure,
                    in_connection=in_connection,
                    seen=(*seen, name),
                )

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        multiplier: int,
        measure: _Measure,
        *,
        in_connection: bool,
        seen: tuple[str, ...],
    ) -> None:
        name = node.name.value
        if name.startswith("__"):
            return
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
            multiplier * max(factor, 1),
            measure,
            in_connection=is_connection,
            seen=seen,
        )


class CheckLimits(SchemaExtension):
    """Gives strawberry's depth and alias refusals our codes and messages, and runs `QueryCost`
    on every request, with the request's variables, never from a cache.

    Must come after `ValidationCache` in the extension list: strawberry enters the `on_validate`
    hooks in list order and skips its own validation once `pre_execution_errors` is set, and
    it checks those errors inside the same context, so the work is done before `yield`."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document: DocumentNode | None = context.graphql_document
        if context.pre_execution_errors:
            context.pre_execution_errors = _coded(context.pre_execution_errors)  # a new list
        elif document is not None:
            errors = _limit_errors(context.schema._schema, document, _page_sizes(context.variables))
            if errors:
                context.pre_execution_errors = list(errors)  # never the cached list itself
        yield


# Strawberry's limiters' messages (strawberry/extensions/query_depth_limiter.py, max_aliases.py).
_TOO_DEEP = re.compile(r"^'(?P<name>.*)' exceeds maximum operation depth of \d+$")
_TOO_MANY_ALIASES = re.compile(r"^(?P<count>\d+) aliases found\. Allowed: \d+$")


def _coded(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The validation errors with strawberry's limiter refusals in our words (once for each
    operation: the depth limiter reports every branch that goes too deep)."""
    coded: list[GraphQLError] = []
    too_deep: set[str] = set()
    for error in errors:
        if (deep := _TOO_DEEP.match(error.message)) is not None:
            name = deep["name"]
            if name not in too_deep:
                too_deep.add(name)
                coded.append(
                    GraphQLError(
                        f"Truy vấn «{name}» lồng quá {MAX_DEPTH} cấp.",
                        error.nodes,
                        extensions={"code": "QUERY_TOO_DEEP", "limit": MAX_DEPTH},
                    )
                )
        elif (aliases := _TOO_MANY_ALIASES.match(error.message)) is not None:
            count = int(aliases["count"])
            coded.append(
                GraphQLError(
                    f"Truy vấn dùng {count} bí danh, vượt giới hạn {MAX_ALIASES}.",
                    error.nodes,
                    extensions={"code": "TOO_MANY_ALIASES", "value": count, "limit": MAX_ALIASES},
                )
            )
        else:
            coded.append(error)
    return coded


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
    return tuple(validate(schema, document, [QueryCost]))


# Built once and copied per request: each limiter makes its own rule class, and the validation
# cache is keyed by the rule classes, so a limiter built per request would never hit it.
# Strawberry counts depth from 0 at the root field, we from 1 (`{ a { b } }` is two levels).
_DEPTH = QueryDepthLimiter(max_depth=MAX_DEPTH - 1)
_ALIASES = MaxAliasesLimiter(max_alias_count=MAX_ALIASES)


def _bounded(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """A limiter's rule that refuses as too deep a document it cannot walk: strawberry's rules
    recurse through each fragment spread, and a chain of a few hundred fragments (valid
    GraphQL) exhausts Python's stack before any rule of ours would see it."""

    class Bounded(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except RecursionError:
                ASTValidationRule.__init__(self, context)
                context.report_error(
                    GraphQLError(
                        f"Truy vấn lồng quá sâu để kiểm tra (giới hạn {MAX_DEPTH} cấp).",
                        extensions={"code": "QUERY_TOO_DEEP", "limit": MAX_DEPTH},
                    )
                )

    return Bounded


for _limiter in (_DEPTH, _ALIASES):
    _limiter.validation_rules = [_bounded(rule) for rule in _limiter.validation_rules]


def limit_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema extensions that parse, validate and enforce the limits (fresh
    ones per request; the caches themselves are shared). The order matters, see CheckLimits."""
    return [
        RequestVariables,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: copy.copy(_DEPTH),
        lambda: copy.copy(_ALIASES),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        CheckLimits,
    ]
