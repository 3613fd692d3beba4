"""One path for every command (điều phối thao tác ghi): provenance, idempotency, a worker thread.

The API authorizes the caller against the permission matrix and hands the dispatcher a command
(a typed `Command`, or for mutations not yet converted a function `(app, by) -> position`),
the provenance the client gave (effective date, correlation id) and its idempotency key. The
dispatcher stamps the provenance (who, recorded when by the server clock, effective when,
correlation id), and in a worker thread admits one of the caller's roles on what the command
acts on (`services.access.admit`, the role then recorded on the events) and runs it. Expected
refusals come back as `Refusal` values in the `Outcome`. With an idempotency key the command
runs through `services.idempotency.run_once`: the key and the outcome are recorded with the
command's events, and a retry gets the same answer without recording again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, is_dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from thidua.domain.provenance import Actor, Provenance
from thidua.services.access import Caller, Target, admit
from thidua.services.auth import AuthError, PermissionDenied
from thidua.services.commands.errors import ConcurrentChange
from thidua.services.handlers.base import HANDLERS, Command, Handler, command_classes
from thidua.services.idempotency import KeyedRequest, check_key, request_hash, run_once
from thidua.services.outcome import Outcome, Refusal, is_expected
from thidua.services.province_app import ProvinceApplication
from thidua.services.runtime import Runtime

log = structlog.get_logger()

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

Work = Callable[[ProvinceApplication, Provenance], Any]


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class Origin:
    """The provenance a request brings: as the client sent it (None where it said nothing), and
    the request id that stands in for a missing correlation id."""

    request_id: str
    effective_on: date | None = None
    correlation_id: str | None = None

    def given(self) -> dict[str, Any]:
        """The client's own provenance fields, part of what an idempotency key stands for."""
        return {"effective_on": self.effective_on, "correlation_id": self.correlation_id}


async def dispatch(
    runtime: Runtime,
    caller: Caller,
    command: Command,
    origin: Origin,
    idempotency_key: str | None,
    *,
    request: Mapping[str, Any] | None = None,
) -> Outcome:
    """Run one typed command with its registered handler.

    `request` is what an idempotency key stands for, as the client sent it (the API's input,
    so a key keeps its digest whatever shape the command takes); by default the command's
    fields and the origin. The command's `undigested` fields are left out of either."""
    handler = HANDLERS.get(type(command)) or _registered(type(command))
    given = request if request is not None else {**asdict(command), **origin.given()}
    return await run_work(
        runtime,
        caller,
        command.operation(),
        lambda app, by: handler(app, command, by),
        origin=origin,
        idempotency_key=idempotency_key,
        target=command.target,
        key=command.object_key,
        digested={k: v for k, v in given.items() if k not in command.undigested},
    )


def _registered(command: type[Command]) -> Handler:
    command_classes()  # the handler modules register on import
    if command not in HANDLERS:
        raise LookupError(f"{command.__name__} has no handler")
    return HANDLERS[command]


async def run_work(
    runtime: Runtime,
    caller: Caller,
    operation: str,
    work: Work,
    *,
    origin: Origin,
    idempotency_key: str | None,
    target: Target,
    key: str | None,
    digested: Mapping[str, Any],
) -> Outcome:
    """Stamp, admit, run (at most once per idempotency key) and report one command.

    `digested` is the input an idempotency key stands for (its digest is stored with the key)."""
    correlation_id = origin.correlation_id or origin.request_id
    principal = caller.principal
    stamped = Provenance(
        actor=Actor(user=principal.subject, role=caller.acting_role.value, unit=principal.unit),
        recorded_at=datetime.now(UTC),
        effective_on=origin.effective_on or today_in_vietnam(),
        correlation_id=correlation_id,
    )
    result: list[Any] = []  # what the handler returned, read back after the worker thread

    def run(app: ProvinceApplication) -> int | None:
        actor = admit(app, principal, caller.candidates, target)
        returned = work(app, replace(stamped, actor=actor))
        result.append(returned)
        return _position(returned)

    if idempotency_key is None:
        try:
            position = await runtime.run_command(caller.province, run)
        except Exception as exc:
            if not _is_refusal(exc):
                raise
            outcome = Outcome(None, key, correlation_id, errors=[Refusal.of(exc)])
        else:
            outcome = Outcome(position, key, correlation_id)
    else:
        check_key(idempotency_key)
        request = KeyedRequest(
            subject=principal.subject,
            key=idempotency_key,
            operation=operation,
            digest=request_hash(operation, _plain(dict(digested))),
            answer={"key": key, "correlation_id": correlation_id},
        )
        answer = await runtime.run_command(
            caller.province,
            lambda app: run_once(
                app.idempotency_keys, request, lambda: run(app), _refusal, transient=(ConcurrentChange,)
            ),
        )
        outcome = Outcome.from_json(answer.outcome, replayed=answer.replayed)
    if result and not outcome.replayed:
        outcome.result = result[0]
    log.info(
        "mutation_done",
        operation=operation,
        province=caller.province,
        position=outcome.position,
        refused=[e.code for e in outcome.errors] or None,
    )
    return outcome


def _plain(value: Any) -> Any:
    """The input as JSON-able data, for the idempotency digest."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _position(result: Any) -> int | None:
    position = result if isinstance(result, int) else getattr(result, "position", None)
    return position if isinstance(position, int) else None


def _is_refusal(exc: Exception) -> bool:
    """An expected refusal, answered in the outcome. A refusal of the caller (a clerk naming
    another unit's staff) is a FORBIDDEN error like the matrix's own, not an outcome value: the
    request itself was not allowed (and nothing is stored for its idempotency key)."""
    return is_expected(exc) and not isinstance(exc, AuthError | PermissionDenied)


def _refusal(exc: Exception) -> list[dict[str, Any]] | None:
    """A refusal as the outcome errors an idempotency key stores; None for anything else."""
    return [Refusal.of(exc).to_json()] if _is_refusal(exc) else None
