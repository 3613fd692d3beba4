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
from thidua.services.registry import ProvinceRegistry


@dataclass(frozen=True)
class Command:
    """A request to change the record; subclasses are named after their mutation."""

    # Fields left out of the idempotency digest (which is stored): a secret vote's choice
    # could be recovered from it by trying each option.
    undigested: ClassVar[frozenset[str]] = frozenset()

    def left_out_of_digest(self) -> frozenset[str]:
        """The fields left out of this request's digest (`undigested`, unless it depends on
        what the caller sent)."""
        return self.undigested

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


@dataclass(frozen=True)
class Platform:
    """What a command reaching past its own province's ledger uses: every province's ledger (a
    predecessor's records) and the key national ID numbers are hashed with."""

    registry: ProvinceRegistry
    person_id_key: str | None


C = TypeVar("C", bound=Command)
Handler = Callable[[ProvinceApplication, Any, Provenance], Any]
PlatformHandler = Callable[[Platform, ProvinceApplication, Any, Provenance], Any]

HANDLERS: dict[type[Command], Handler] = {}
PLATFORM_HANDLERS: dict[type[Command], PlatformHandler] = {}


def handles(command: type[C]) -> Callable[[Callable[[ProvinceApplication, C, Provenance], Any]], Handler]:
    """Register the handler of one command class (one handler per class)."""

    def register(handler: Callable[[ProvinceApplication, C, Provenance], Any]) -> Handler:
        _unhandled(command)
        HANDLERS[command] = handler
        return handler

    return register


def handles_on_platform(
    command: type[C],
) -> Callable[[Callable[[Platform, ProvinceApplication, C, Provenance], Any]], PlatformHandler]:
    """Register the handler of a command that also reads other provinces' ledgers or the
    platform's settings; it still records in the caller's province, through `app`."""

    def register(handler: Callable[[Platform, ProvinceApplication, C, Provenance], Any]) -> PlatformHandler:
        _unhandled(command)
        PLATFORM_HANDLERS[command] = handler
        return handler

    return register


def _unhandled(command: type[Command]) -> None:
    if command in HANDLERS or command in PLATFORM_HANDLERS:
        raise RuntimeError(f"{command.__name__} already has a handler")


def command_classes() -> list[type[Command]]:
    """Every command class that has a handler (the handler modules are imported first)."""
    import thidua.services.handlers  # noqa: F401, PLC0415 (registers every handler)

    return [*HANDLERS, *PLATFORM_HANDLERS]
