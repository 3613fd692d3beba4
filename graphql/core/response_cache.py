"""Answers to live `standings` queries kept as bytes (bộ đệm câu trả lời bảng xếp hạng).

A standings page is the busiest read and a pure function of few inputs; executing it costs
hundreds of GraphQL fields (about 4 ms of CPU for a 20-unit block), while its inputs rarely change.
The HTTP answer to a document is therefore kept, as the bytes sent, when all of these hold:

- the document is one query operation whose root fields are all `standings`, with no directives
  (no @skip/@include/@defer/@stream), no fragments at its root, and without `asOf` or
  `effectiveOn` (a replay from the event log may include events no projection has processed
  yet, so its answer is not a function of a projection position), and without
  `includePredecessors` (it may read another province's projection, whose position is not the
  one this key is checked against);
- the caller holds a verified token for a province (no token error); the key holds the
  province, the roles and the unit of the token, so an answer never crosses provinces or roles;
- the key also holds the exact query text, the operation name and the variables (canonical
  JSON): everything else the answer can depend on;
- the answer was HTTP 200 with `data` and no `errors` (errors carry request ids and may be
  transient), and no header, cookie or background task of its own.

**Why a kept answer is never stale.** Every read-model row the live standings come from is
written by the standings projection, which moves its tracking position in the same transaction
(see `projections/standings/queries._LiveCache`, which relies on the same fact). Each request
reads that position *fresh*, from a query that started after the request arrived; an answer is
stored under the position read *before* it was executed, and served only while the position read
for the new request is that same number. The execution itself read a position P2 no older than
the stored P; a later request reading Q = P, after P2 was read, has Q ≥ P2 ≥ P, so P2 = Q: the
answer reflects exactly what the read model holds now. Any event projected since moves the
position and misses. `atLeastPosition` is honoured first, exactly as the resolver does (a request
that would have to wait past the bound goes the normal way and gets its NOT_YET there).

**Why the permission check may be skipped on a hit.** The `standings` matrix row depends only on
the token's roles and province (checked by this key) and the token's validity (checked by the
HTTP middleware on every request: an expired or bad token never reaches a hit). Cached
answers exist only for keys whose execution passed the check.

Fresh positions are read in batches: concurrent requests of one province share one query,
started after each of them arrived (one round trip for many requests, and none is older than
its request).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    BREAK,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    ValueNode,
    VariableNode,
    Visitor,
    parse,
    visit,
)

from thidua.graphql.core.limits import MAX_TOKENS

ROOT_FIELD = "standings"
LIVE_ONLY = frozenset({"asOf", "effectiveOn"})  # a non-null value makes the answer a replay
WAIT = "atLeastPosition"
OTHER_PROVINCES = "includePredecessors"  # named at all: the answer may come from another province
ENTRIES = 256  # answers kept (LRU), over all provinces
MAX_BODY = 512 * 1024  # larger answers are not kept: at most 128 MiB in all
PLANS = 256  # distinct query texts analysed (like the parser cache)


@dataclass(frozen=True)
class Plan:
    """What a cacheable document asks at request time: the variables that must be null (live
    only) and the `atLeastPosition` values to wait for (ints, or variable names)."""

    must_be_null: tuple[str, ...]
    waits: tuple[int | str, ...]


class _HasDirective(Visitor):
    found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        self.found = True
        return BREAK


def _argument(value: ValueNode, defaults: Mapping[str, ValueNode | None]) -> tuple[str, Any] | None:
    """('null', None), ('int', n) or ('var', name) for an argument value; None otherwise. A
    variable with a default is not followed (the default would apply when it is absent)."""
    if isinstance(value, NullValueNode):
        return ("null", None)
    if isinstance(value, IntValueNode):
        return ("int", int(value.value))
    if isinstance(value, VariableNode):
        name = value.name.value
        if name not in defaults or defaults[name] is not None:
            return None
        return ("var", name)
    return None


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The document's only operation when it is a query (named as asked) without directives."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if len(operations) != 1 or len(operations) + len(fragments) != len(document.definitions):
        return None
    operation = operations[0]
    named = operation.name.value if operation.name else None
    if operation.operation != OperationType.QUERY or operation_name not in (None, named):
        return None
    checker = _HasDirective()
    visit(document, checker)
    return None if checker.found else operation


def _plan(document: DocumentNode, operation_name: str | None) -> Plan | None:
    operation = _operation(document, operation_name)
    if operation is None or not operation.selection_set.selections:
        return None
    defaults = {d.variable.name.value: d.default_value for d in operation.variable_definitions or ()}
    must_be_null: list[str] = []
    waits: list[int | str] = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value != ROOT_FIELD:
            return None
        for argument in selection.arguments or ():
            name = argument.name.value
            if name == OTHER_PROVINCES:
                return None
            if name not in LIVE_ONLY and name != WAIT:
                continue  # blockId, year: in the key, through the text and the variables
            value = _argument(argument.value, defaults)
            if value is None or (name in LIVE_ONLY and value[0] == "int"):
                return None
            kind, given = value
            if kind == "var":
                (must_be_null if name in LIVE_ONLY else waits).append(given)
            elif kind == "int":
                waits.append(given)
    return Plan(tuple(must_be_null), tuple(waits))


@lru_cache(maxsize=PLANS)
def plan_of(query: str, operation_name: str | None) -> Plan | None:
    """The plan of a cacheable document, None for any other (or one that does not parse)."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    return _plan(document, operation_name)


def wait_position(plan: Plan, variables: Mapping[str, Any]) -> int | None:
    """The position to wait for (0: none); None when the variables make the request one
    this cache does not answer (a replay, or a value the schema would refuse)."""
    for name in plan.must_be_null:
        if variables.get(name) is not None:
            return None
    highest = 0
    for wait in plan.waits:
        value = variables.get(wait) if isinstance(wait, str) else wait
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        highest = max(highest, value)
    return highest


Key = tuple[str, frozenset[Any], str | None, str, str | None, str]


def canonical(variables: dict[str, Any]) -> str | None:
    """The variables as one canonical string (None if they are not plain JSON)."""
    try:
        return json.dumps(variables, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return None


class ResponseCache:
    """Answers (bytes) under a key, each with the position it was stored under. Bounded (LRU)."""

    def __init__(self, size: int = ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[Key, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key, position: int) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != position:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Key, position: int, body: bytes) -> None:
        if len(body) > MAX_BODY:
            return
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current[0] > position:
                return  # a newer answer is already kept
            self._entries[key] = (position, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


Reader = Callable[[str], Awaitable[int | None]]


class FreshPositions:
    """Reads a province's position with queries each started after every waiter arrived.

    A caller joins the next read of its province; a read already running when it arrives is
    never joined (it may have started before the caller's event was projected)."""

    def __init__(self) -> None:
        self._next: dict[tuple[int, str], asyncio.Future[int | None]] = {}
        self._running: set[tuple[int, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def read(self, scope: int, province: str, reader: Reader) -> int | None:
        slot = (scope, province)
        future = self._next.get(slot)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._next[slot] = future
            if slot not in self._running:
                self._running.add(slot)
                task = asyncio.create_task(self._drain(slot, province, reader))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(future)

    async def _drain(self, slot: tuple[int, str], province: str, reader: Reader) -> None:
        try:
            while (future := self._next.pop(slot, None)) is not None:
                try:
                    value = await reader(province)
                except Exception as exc:  # handed to every waiter of this read
                    if not future.done():
                        future.set_exception(exc)
                    future.exception()  # a waiter gone (cancelled) must not log "never retrieved"
                else:
                    if not future.done():
                        future.set_result(value)
        finally:
            self._running.discard(slot)


@dataclass(frozen=True)
class Ticket:
    """A cacheable request: its key, the fresh position, and the kept answer if there is one."""

    key: Key
    position: int
    body: bytes | None


def body_to_keep(status: int, content: Any, extra: bool) -> bytes | None:
    """The answer's bytes when it may be kept: 200, `data` and no `errors`, nothing extra."""
    if status != 200 or extra or not isinstance(content, bytes):
        return None
    try:
        decoded = json.loads(content)
    except ValueError:
        return None
    if not isinstance(decoded, dict) or "errors" in decoded or decoded.get("data") is None:
        return None
    return content


__all__ = [
    "FreshPositions",
    "Plan",
    "ResponseCache",
    "Ticket",
    "body_to_keep",
    "canonical",
    "plan_of",
    "wait_position",
]
