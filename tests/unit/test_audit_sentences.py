"""Every event class of the domain has a Vietnamese sentence in the audit trail, with names, never
a dump. The classes are discovered (every subclass of the ledger's event base in every domain
module), not listed, so an event added later fails here until it has its sentence.

Each class gets a payload made from its own field annotations: each key a distinct code
("ma007"), each known to the context under a name ("Tên 007"), the aggregate's creation event made
the same way. A sentence must then name what it can (a unit's code where its name is known is a
dump), carry no `field=value`, Python value, English word or snake_case code, and survive a
payload missing every field.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import typing
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

import thidua.domain
from thidua.domain.base import LedgerAggregate
from thidua.domain.upcasting import event_classes
from thidua.projections.audit.context import KEY_FIELDS, NAMED_KINDS, AuditContext
from thidua.projections.audit.summary import SENTENCES, summarize
from thidua.projections.envelope import ENVELOPE_FIELDS, Envelope

for _module in pkgutil.iter_modules(thidua.domain.__path__):
    importlib.import_module(f"thidua.domain.{_module.name}")

# Words that would betray a code or a field name printed as it is stored.
ENGLISH = re.compile(
    r"\b(approve|reject|vote|acclamation|unit|staff|block|cluster|excellent|good|completed|failed|"
    r"minutes|ballot|recipient|decision|proposal|member|members|year|month|grassroots|province|national|"
    r"review|investigation|inspection|cleared|disciplined|regular|thematic|criterion|bonus|deduction|"
    r"elect|chair|secretary|tie|decided|submitted|forwarded|withdrawn|revoked|none|null|true|false|"
    r"key|name|reason|payload|event)\b",
    re.IGNORECASE,
)
DUMP = (
    re.compile(r"\b\w+=\S"),  # field=value
    re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),  # snake_case code
    re.compile(r"[{}\[\]]"),  # a dict or list printed
    re.compile(r"\bu'|\\u|\\x"),
)
RECORDED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
IGNORED = ENVELOPE_FIELDS | {"originator_topic", "originator_id_type", "class_version"}


def dump_signs(text: str) -> list[str]:
    """What makes `text` a dump rather than a sentence (empty: a sentence). Values in «» are
    shown as recorded (a proposal's number, a reason): only the words around them are judged."""
    words = re.sub(r"«[^»]*»", "«»", text)
    signs = [pattern.pattern for pattern in DUMP if pattern.search(words)]
    english = ENGLISH.search(words)
    if english:
        signs.append(f"english word {english.group(0)!r}")
    if "chưa có câu mô tả" in text or not text.endswith("."):
        signs.append("no sentence")
    return signs


def domain_event_classes() -> dict[str, type[Any]]:
    """`Aggregate.Event` name -> class, for every concrete event class of the domain."""
    found = {}
    for cls in event_classes(LedgerAggregate.Event):
        outer, _, name = cls.__qualname__.rpartition(".")
        if not outer or "." in outer or name in ("Event", "Created") or outer == "LedgerAggregate":
            continue
        if not cls.__module__.startswith("thidua.domain"):
            continue
        found[f"{outer}.{name}"] = cls
    return found


EVENTS = domain_event_classes()


class Sample:
    """Codes and names handed out for one payload (and its aggregate's creation payload)."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}
        self.count = 0

    def code(self, field: str) -> str:
        self.count += 1
        value = f"ma{self.count:03d}"
        self.by_field.setdefault(field, []).append(value)
        return value

    def value(self, field: str, hint: Any) -> Any:  # noqa: PLR0911 - one answer per kind of type
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            options = [a for a in args if a is not type(None)]
            return self.value(field, options[0]) if options else None
        if hint is str:
            return self.code(field)
        if hint is bool:
            return True
        if hint is int:
            return 7
        if hint is float:
            return 7.5
        if hint is date:
            return "2025-07-01"
        if origin is list:
            item = args[0] if args else str
            if typing.get_origin(item) is dict or item is dict:
                return [{"kind": "unit", "key": self.code(field), "name": "Tên riêng", "band": "HTTNV"}]
            return [self.value(field, item), self.value(field, item)]
        if origin is dict or hint is dict:
            return {self.code(field): 3, self.code(field): 4}
        return self.code(field)

    def payload(self, cls: type[Any]) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        return {f: self.value(f, h) for f, h in hints.items() if f not in IGNORED and not f.startswith("_")}


def creation_class(event_type: str) -> type[Any] | None:
    outer = event_type.partition(".")[0]
    for name, cls in EVENTS.items():
        if name.startswith(outer + ".") and issubclass(cls, LedgerAggregate.Created):
            return cls
    return None


def context_for(event_type: str, sample: Sample) -> tuple[AuditContext, dict[str, Any]]:
    """A context knowing a name for every code, and the aggregate's creation event."""
    context = AuditContext()
    created = creation_class(event_type)
    aggregate = uuid4()
    if created is not None and EVENTS[event_type] is not created:
        creation = sample.payload(created)
        envelope = Envelope(
            1,
            aggregate,
            1,
            f"x:{event_type.partition('.')[0]}.Created",
            RECORDED,
            None,
            None,
            None,
            None,
            None,
            creation,
        )
        context.learn(envelope)
    payload = sample.payload(EVENTS[event_type])
    for codes in sample.by_field.values():
        for value in codes:
            for kind in NAMED_KINDS:
                context.entries[f"{kind}:{value}"] = {"name": f"Tên {value[2:]}"}
    context.aggregate_id = aggregate
    return context, payload


def named_fields() -> set[str]:
    return set(KEY_FIELDS) | {"recipients"}


def test_the_domain_has_events_to_walk() -> None:
    assert len(EVENTS) >= 60, sorted(EVENTS)
    assert "BlockYear.PledgeSigned" in EVENTS
    assert "AwardDecision.Revoked" in EVENTS


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_every_event_class_has_a_sentence(event_type: str) -> None:
    assert event_type in SENTENCES, f"{event_type} has no audit sentence (projections/audit/sentences_*.py)"


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_no_sentence_is_a_dump_and_names_replace_keys(event_type: str) -> None:
    sample = Sample()
    context, payload = context_for(event_type, sample)
    text = summarize(event_type, payload, context)
    assert not dump_signs(text), (event_type, dump_signs(text), text)
    # A key of something with a name (a unit, a person, a block...) is never shown as the key.
    for field in named_fields():
        for value in sample.by_field.get(field, []):
            assert value not in text, (event_type, field, text)


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_a_sentence_survives_a_payload_without_fields_and_an_unknown_context(event_type: str) -> None:
    text = summarize(event_type, {}, AuditContext())
    assert not dump_signs(text), (dump_signs(text), text)


def test_the_method_of_choosing_officers_is_stated_as_recorded() -> None:
    context = AuditContext(entries={"unit:a": {"name": "Sở A"}, "unit:b": {"name": "Sở B"}})
    said = {
        method: summarize(
            "BlockYear.OfficersChosen", {"leader": "a", "deputy": "b", "method": method}, context
        )
        for method in ("vote", "acclamation", "unrecorded", None)
    }
    assert "bằng bỏ phiếu" in said["vote"]
    assert "suy tôn" in said["acclamation"]
    assert "bỏ phiếu" not in said["acclamation"]
    for unknown in ("unrecorded", None):
        assert "bỏ phiếu" not in said[unknown]
        assert "không ghi cách chọn" in said[unknown]
    assert "Khối trưởng Sở A, Khối phó Sở B" in said["vote"]


def test_names_are_those_known_when_the_event_was_recorded() -> None:
    context = AuditContext()
    unit = uuid4()

    def event(version: int, event_type: str, payload: dict[str, Any]) -> Envelope:
        return Envelope(
            version,
            unit,
            version,
            f"thidua.domain.units:{event_type}",
            RECORDED,
            None,
            None,
            None,
            None,
            None,
            payload,
        )

    registered = event(1, "Unit.Registered", {"key": "so-a", "name": "Sở A"})
    renamed = event(2, "Unit.Renamed", {"name": "Sở A mới"})
    joined = event(3, "Unit.JoinedBlock", {"block": "k", "kind": "block", "year": 2025})
    said = []
    for e in (registered, renamed, joined):
        said.append(summarize(e.event_type, e.payload, context.at(e)))
        context.learn(e)
    assert said == [
        "Đăng ký đơn vị «Sở A».",
        "Đổi tên đơn vị Sở A thành «Sở A mới».",
        "Sở A mới tham gia khối thi đua «k» năm 2025.",
    ]
