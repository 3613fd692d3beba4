"""Domain errors (lỗi nghiệp vụ): a stable `code`, a Vietnamese message, and details.

The hierarchy is short so the API can map families to responses: `NotFound`, `Conflict`
(the fact clashes with one already recorded), `RuleViolation` (the law or the rule set in force
forbids it) and `InvalidInput` (the command itself is malformed). Errors raised by one module
only live at the bottom of that module; the ones several modules raise live here.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

Detail = str | int | float | bool | None


class DomainError(Exception):
    """Base of every refusal. `code` is a published, stable SCREAMING_SNAKE string."""

    code: ClassVar[str] = "DOMAIN_ERROR"

    def __init__(self, message_vi: str, **details: Detail) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.details: dict[str, Detail] = dict(details)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, details={self.details!r})"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class RuleViolation(DomainError):
    code = "RULE_VIOLATION"


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


def vn_date(d: date) -> str:
    """Dates as clerks write them: 01/07/2025."""
    return d.strftime("%d/%m/%Y")


def all_error_classes() -> list[type[DomainError]]:
    """Every concrete error class defined so far (import the domain modules first)."""
    found: list[type[DomainError]] = []
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


# Shared errors -------------------------------------------------------------------------------


class UnitDissolved(RuleViolation):
    """No award, membership or office for a body dissolved in the 2025 restructuring."""

    code = "UNIT_DISSOLVED"


class RecipientUnderDiscipline(RuleViolation):
    """Under review, investigation, inspection, complaint verification, or still disciplined."""

    code = "RECIPIENT_UNDER_DISCIPLINE"


class NotAMember(RuleViolation):
    """The unit is not a member of the block in that year."""

    code = "NOT_A_MEMBER"


class ReasonRequired(InvalidInput):
    """Corrections and adjustments always carry a reason (lý do)."""

    code = "REASON_REQUIRED"


class AlreadyRecorded(Conflict):
    """The same fact was already recorded (e.g. registering a unit twice)."""

    code = "ALREADY_RECORDED"


class UnknownAward(InvalidInput):
    """The title or form is not in the catalogue."""

    code = "UNKNOWN_AWARD"


class MalformedCommand(InvalidInput):
    """A field is missing, empty, out of range or inconsistent."""

    code = "MALFORMED_COMMAND"


class WrongAuthority(RuleViolation):
    """The deciding authority does not match the award (catalogue)."""

    code = "WRONG_AUTHORITY"


class PrerequisiteMissing(RuleViolation):
    """A prerequisite is not in the recorded history; forwarding and deciding wait for it."""

    code = "PREREQUISITE_MISSING"
