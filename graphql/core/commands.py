"""Running a mutation (thao tác ghi): permission, provenance, idempotency, errors, position.

Every mutation resolver builds a command `(app, by) -> position` and hands it to
`run_mutation`, which checks the permission matrix (with the unit acted for), stamps the
provenance (who, recorded when by the server clock, effective when, correlation id), runs the
command in a worker thread, and turns expected refusals into `UserError` values. With an
idempotency key, the command runs through `services.idempotency.run_once`: the key and the
outcome are recorded with the command's events, and a retry gets the same answer without
recording again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

import strawberry
import structlog
from strawberry.types import Info

from thidua.domain.provenance import Actor, Provenance
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.errors import (
    UserError,
    is_expected,
    user_error,
    user_error_dict,
    user_error_from_dict,
)
from thidua.graphql.core.permissions import admitted, authorize
from thidua.services.access import Target
from thidua.services.auth import AuthError, PermissionDenied
from thidua.services.commands.errors import ConcurrentChange
from thidua.services.idempotency import KeyedRequest, check_key, request_hash, run_once
from thidua.services.province_app import ProvinceApplication
from thidua.services.runtime import Runtime

log = structlog.get_logger()

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

Command = Callable[[ProvinceApplication, Provenance], Any]


IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Khóa chống ghi trùng: gửi lại cùng khóa thì không ghi thêm, nhận lại kết quả đầu."
    ),
]


@strawberry.input(description="Các trường chung của mọi thao tác ghi (nguồn gốc sự kiện).")
class CommandInput:
    effective_on: date | None = strawberry.field(
        default=None,
        description="Ngày có hiệu lực (ví dụ ngày họp); mặc định hôm nay theo giờ Việt Nam.",
    )
    correlation_id: str | None = strawberry.field(
        default=None,
        description="Mã liên kết các sự kiện của cùng một việc; mặc định là mã yêu cầu.",
    )


@strawberry.type(description="Kết quả chung của một thao tác ghi.")
class MutationPayload:
    ok: bool = strawberry.field(description="Thao tác đã được ghi vào sổ cái.")
    position: int | None = strawberry.field(
        description="Vị trí của sự kiện cuối cùng trong sổ cái tỉnh; truyền vào `atLeastPosition` "
        "của truy vấn để đọc được điều vừa ghi."
    )
    errors: list[UserError] = strawberry.field(description="Lý do bị từ chối (rỗng khi thành công).")
    key: str | None = strawberry.field(
        description="Khóa của đối tượng được tạo hoặc tác động (mã đơn vị, mã phiếu, số tờ trình…)."
    )
    correlation_id: str = strawberry.field(description="Mã liên kết đã ghi vào các sự kiện.")
    replayed: bool = strawberry.field(
        description="Kết quả được trả lại từ lần gửi đầu tiên cùng khóa chống ghi trùng "
        "(không ghi thêm sự kiện)."
    )

    @classmethod
    def of(cls, outcome: Outcome) -> Self:
        return cls(
            ok=not outcome.errors,
            position=outcome.position,
            errors=outcome.errors,
            key=outcome.key,
            correlation_id=outcome.correlation_id,
            replayed=outcome.replayed,
        )


@dataclass
class Outcome:
    position: int | None
    key: str | None
    correlation_id: str
    errors: list[UserError] = field(default_factory=list)
    replayed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "key": self.key,
            "correlation_id": self.correlation_id,
            "errors": [user_error_dict(e) for e in self.errors],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool = True) -> Outcome:
        return cls(
            position=data.get("position"),
            key=data.get("key"),
            correlation_id=str(data.get("correlation_id", "")),
            errors=[user_error_from_dict(e) for e in data.get("errors", [])],
            replayed=replayed,
        )


async def perform(
    info: Info[GraphQLContext, Any],
    operation: str,
    data: CommandInput,
    command: Command,
    idempotency_key: str | None,
    *,
    unit: str | None = None,
    target: Target | None = None,
    key: str | None = None,
) -> MutationPayload:
    """`run_mutation` answered as the shared payload: what most mutation resolvers return."""
    outcome = await run_mutation(
        info, operation, data, command, idempotency_key=idempotency_key, unit=unit, target=target, key=key
    )
    return MutationPayload.of(outcome)


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


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


async def run_mutation(
    info: Info[GraphQLContext, Any],
    operation: str,
    data: CommandInput,
    command: Command,
    *,
    idempotency_key: str | None,
    unit: str | None = None,
    target: Target | None = None,
    key: str | None = None,
    undigested: frozenset[str] = frozenset(),
) -> Outcome:
    """Authorize, stamp, run (at most once per idempotency key) and report one command.

    `target` is what the command acts on (`unit=` alone: the unit it acts for); a role limited
    to a scope is admitted against the record in the worker thread, before the command runs.
    `undigested` names input fields left out of the idempotency digest: the digest is stored,
    and for a secret vote the choice must never be (it could be recovered by trying each option).
    """
    context = info.context
    target = target or Target(unit=unit)
    caller = authorize(info, operation, unit=target.unit)
    command = admitted(caller, target, command)
    principal = caller.principal
    correlation_id = data.correlation_id or context.request_id
    by = Provenance(
        actor=Actor(user=principal.subject, role=caller.acting_role.value, unit=principal.unit),
        recorded_at=datetime.now(UTC),
        effective_on=data.effective_on or today_in_vietnam(),
        correlation_id=correlation_id,
    )
    if idempotency_key is None:
        outcome = await _execute(
            context.runtime, caller.province, command, by, key=key, correlation_id=correlation_id
        )
    else:
        check_key(idempotency_key)
        request = KeyedRequest(
            subject=principal.subject,
            key=idempotency_key,
            operation=operation,
            digest=request_hash(operation, {k: v for k, v in _plain(data).items() if k not in undigested}),
            answer={"key": key, "correlation_id": correlation_id},
        )
        answer = await context.runtime.run_command(
            caller.province,
            lambda app: run_once(
                app.idempotency_keys,
                request,
                lambda: _position(command(app, by)),
                _refusal,
                transient=(ConcurrentChange,),
            ),
        )
        outcome = Outcome.from_json(answer.outcome, replayed=answer.replayed)
    log.info(
        "mutation_done",
        operation=operation,
        province=caller.province,
        position=outcome.position,
        refused=[e.code for e in outcome.errors] or None,
    )
    return outcome


async def _execute(
    runtime: Runtime,
    province: str,
    command: Command,
    by: Provenance,
    *,
    key: str | None,
    correlation_id: str,
) -> Outcome:
    try:
        result = await runtime.run_command(province, lambda app: command(app, by))
    except Exception as exc:
        if not _is_refusal(exc):
            raise
        return Outcome(position=None, key=key, correlation_id=correlation_id, errors=[user_error(exc)])
    return Outcome(position=_position(result), key=key, correlation_id=correlation_id)


def _position(result: Any) -> int | None:
    position = result if isinstance(result, int) else getattr(result, "position", None)
    return position if isinstance(position, int) else None


def _is_refusal(exc: Exception) -> bool:
    """An expected refusal, answered in the payload. A refusal of the caller (a clerk naming
    another unit's staff) is a FORBIDDEN error like the matrix's own, not a payload value: the
    request itself was not allowed (and nothing is stored for its idempotency key)."""
    return is_expected(exc) and not isinstance(exc, AuthError | PermissionDenied)


def _refusal(exc: Exception) -> list[dict[str, Any]] | None:
    """A refusal as the payload errors an idempotency key stores; None for anything else."""
    return [user_error_dict(user_error(exc))] if _is_refusal(exc) else None
