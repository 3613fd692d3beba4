"""Typed commands (lệnh) and the handlers that carry them out.

A command is a frozen dataclass named after its mutation (`CastVote` for `castVote`): what the
caller asks for, in the glossary's words, and nothing about who asks or when (that is the
provenance the dispatcher stamps). It says what it acts on (`target`, for the scope checks)
and which object it names (`key`, echoed in the answer). Each command class has exactly one
handler, registered with `@handles(...)`, which runs in a worker thread against the province's
application and returns the position of its last event (or an object with a `position`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from thidua.domain.provenance import Provenance
from thidua.services.access import Target
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class Command:
    """A request to change the record; subclasses are named after their mutation."""

    # Fields left out of the idempotency digest (which is stored): a secret vote's choice
    # could be recovered from it by trying each option.
    undigested: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def operation(cls) -> str:
        """The mutation's name: `CastVote` -> `castVote`."""
        return cls.__name__[0].lower() + cls.__name__[1:]

    @property
    def target(self) -> Target:
        """What the command acts on, as the scope checks read it."""
        return Target()

    @property
    def object_key(self) -> str | None:
        """The key of the object the command creates or acts on, echoed in the answer."""
        return None


C = TypeVar("C", bound=Command)
Handler = Callable[[ProvinceApplication, Any, Provenance], Any]

HANDLERS: dict[type[Command], Handler] = {}


def handles(command: type[C]) -> Callable[[Callable[[ProvinceApplication, C, Provenance], Any]], Handler]:
    """Register the handler of one command class (one handler per class)."""

    def register(handler: Callable[[ProvinceApplication, C, Provenance], Any]) -> Handler:
        if command in HANDLERS:
            raise RuntimeError(f"{command.__name__} already has a handler")
        HANDLERS[command] = handler
        return handler

    return register


def command_classes() -> list[type[Command]]:
    """Every command class that has a handler (the handler modules are imported first)."""
    import thidua.services.handlers  # noqa: F401, PLC0415 (registers every handler)

    return list(HANDLERS)
