"""What a GraphQL request executed, left in the HTTP request's state for the access log and
/metrics (`services/access_log.py`): the operation kind, its root fields and the outcome.

Root fields are named only once the document validated, so they are always the schema's own
names (a client cannot mint label values); a document that did not validate counts as `-`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from thidua.services.access_log import OPERATION_KEY, Operation

UNKNOWN: tuple[str, ...] = ("-",)


class ObserveOperation(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        ec = self.execution_context
        request = getattr(ec.context, "request", None)
        if request is None:  # a subscription over WebSocket: not an HTTP request
            return
        # strawberry sets `result` only for a document that got as far as execution (it also
        # copies execution errors into `pre_execution_errors`, so those do not tell).
        executed = ec.result is not None
        errors: list[GraphQLError] = list((ec.result.errors if ec.result else ec.pre_execution_errors) or [])
        kind, fields = "-", UNKNOWN
        if executed:
            kind, fields = _root_fields(ec.graphql_document, ec.operation_name)
        request.scope.setdefault("state", {})[OPERATION_KEY] = Operation(kind, fields, _outcome(errors))


def _root_fields(document: Any, name: str | None) -> tuple[str, tuple[str, ...]]:
    if document is None:
        return "-", UNKNOWN
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            fields = tuple(
                dict.fromkeys(
                    s.name.value for s in definition.selection_set.selections if isinstance(s, FieldNode)
                )
            )
            return definition.operation.value, fields or UNKNOWN
    return "-", UNKNOWN


def _outcome(errors: list[GraphQLError]) -> str:
    if not errors:
        return "ok"
    code = (errors[0].extensions or {}).get("code")
    return str(code) if isinstance(code, str) and code.isupper() else "ERROR"
