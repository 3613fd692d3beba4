"""What a command answers (kết quả của một thao tác ghi): its position, or why it was refused.

A refusal is an expected error (a domain rule, a conflict, a missing record) as plain data: a
stable code, a Vietnamese message, the input field at fault and structured details. The API
shows it as a `UserError`; an idempotency key stores it, so a retry answers the same words.
Anything else is a failure the API masks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thidua.domain.errors import DomainError
from thidua.projections.errors import ProjectionError
from thidua.services.errors import ApplicationError

# Errors a client can act on; everything else is masked.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (DomainError, ApplicationError, ProjectionError)


def is_expected(exc: BaseException | None) -> bool:
    return isinstance(exc, EXPECTED_ERRORS)


@dataclass(frozen=True)
class Refusal:
    """An expected error as the caller is told it."""

    code: str
    message: str
    field: str | None = None
    details: dict[str, Any] | None = None

    @classmethod
    def of(cls, exc: Exception) -> Refusal:
        details: dict[str, Any] = dict(getattr(exc, "details", {}) or {})
        where = details.get("field")
        return cls(
            code=str(getattr(exc, "code", "ERROR")),
            message=str(getattr(exc, "message_vi", str(exc))),
            field=str(where) if where is not None else None,
            details=details or None,
        )

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field, "details": self.details}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Refusal:
        return cls(
            code=data["code"], message=data["message"], field=data.get("field"), details=data.get("details")
        )


@dataclass
class Outcome:
    """The answer to one command. `result` is what the handler returned beyond its position (a
    voter's receipt, the tellers' shares): shown once, never stored, absent on a replay."""

    position: int | None
    key: str | None
    correlation_id: str
    errors: list[Refusal] = field(default_factory=list)
    replayed: bool = False
    result: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "key": self.key,
            "correlation_id": self.correlation_id,
            "errors": [e.to_json() for e in self.errors],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool = True) -> Outcome:
        return cls(
            position=data.get("position"),
            key=data.get("key"),
            correlation_id=str(data.get("correlation_id", "")),
            errors=[Refusal.from_json(e) for e in data.get("errors", [])],
            replayed=replayed,
        )
