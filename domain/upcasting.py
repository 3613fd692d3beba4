"""Schema evolution of stored events (nâng cấp phiên bản sự kiện): upcast on read, never rewrite.

Stored events are never changed: the hash chain covers their exact bytes, and last year's export
must still import. When an event's shape changes, its class says so and learns to read the old
shape, following the eventsourcing library's convention:

    class Registered(LedgerAggregate.Created):
        class_version = 2            # v1 had no `short_name`
        province: str
        key: str
        name: str
        short_name: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["short_name"] = None

The library writes `class_version` into the state of events whose class is past version 1 and,
when reading a stored event of an older version, calls `upcast_v1_v2`, `upcast_v2_v3`, ... in
turn before building the event, so aggregates, projections and the API only ever see the
current shape. An export carries each event's stored version (`event_version`).

A class that moves or is renamed keeps its stored topic readable through `RENAMED_TOPICS`.
`check_upcasters()` (run by the tests over every domain event class) refuses a version bump
whose upcast methods are missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from eventsourcing.utils import register_topic, resolve_topic

# Stored topic -> topic of the class that reads it now. Empty until a class moves.
RENAMED_TOPICS: dict[str, str] = {}


def class_version(event_class: type[Any]) -> int:
    """The version an event class writes (1 unless it declares `class_version`)."""
    return int(getattr(event_class, "class_version", 1))


def stored_version(state: dict[str, Any]) -> int:
    """The version a stored event's decoded state was written with."""
    return int(state.get("class_version", 1))


def missing_upcasters(event_class: type[Any]) -> list[str]:
    """The `upcast_vN_vN+1` methods an event class needs for its version but lacks."""
    return [
        name
        for n in range(1, class_version(event_class))
        if not callable(getattr(event_class, name := f"upcast_v{n}_v{n + 1}", None))
    ]


def event_classes(base: type[Any]) -> Iterator[type[Any]]:
    """Every subclass of `base` (e.g. `LedgerAggregate.Event`), depth first, each once."""
    seen: set[type[Any]] = set()
    stack = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        stack.extend(cls.__subclasses__())


def check_upcasters(classes: Iterable[type[Any]]) -> dict[str, list[str]]:
    """Classes (by qualified name) whose version bump has no upcast path from version 1."""
    gaps = {f"{c.__module__}:{c.__qualname__}": missing_upcasters(c) for c in classes}
    return {name: missing for name, missing in gaps.items() if missing}


def register_renamed_topics(renamed: dict[str, str] | None = None) -> None:
    """Let stored events with an old topic resolve to the class that now reads them."""
    for old, new in (RENAMED_TOPICS if renamed is None else renamed).items():
        register_topic(old, resolve_topic(new))


def upcast_state(event_class: type[Any], state: dict[str, Any]) -> None:
    """Bring a decoded stored state up to the class's version in place (the library's rule)."""
    version = stored_version(state)
    state.pop("class_version", None)
    while version < class_version(event_class):
        getattr(event_class, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
