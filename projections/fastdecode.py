"""Fast decoding of stored events (giải mã nhanh): the envelope straight from the stored JSON.

The mapper path (`Mapper.to_domain_event`, then `Envelope.of` and `to_json`) builds Python
dates, datetimes and UUIDs from the stored JSON only for `to_json` to turn them back into text:
two thirds of a rebuild went there. Here the state is parsed once, with an object hook that turns
the JSON transcoder's `{"_type_": ..., "_data_": ...}` wrappers into the very text `to_json`
gives (`date.isoformat()`, `datetime.isoformat()`, `str(UUID)`, `str(Decimal)`), so the payload
is equal, value for value, to the mapper path's.

Anything unusual goes to the mapper path (`slow`), so the result never differs:
- the stored state's `class_version` is not its class's (an older shape to upcast, or a version
  on a class that has none); a state written at the class's current version needs no upcast and
  decodes fast, without its `class_version` key, as the mapper leaves it;
- a NUL escape (`\\u0000`: read models replace NUL) or a sealed-ballot key appears anywhere;
- an unknown `_type_`, or any parse surprise.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.utils import resolve_topic

from thidua.projections.envelope import ENVELOPE_FIELDS, Decode, Envelope, StoredRow

# Substrings of the stored bytes that send an event to the mapper path: cheap to test on bytes,
# and a false alarm (e.g. the text `\\u0000` inside a string) only costs the slow path.
_VERSION_MARKER = b'"class_version"'
_SLOW_MARKERS = (
    b"\\u0000",
    b'"sealed',  # sealed, sealed_papers
    b'"ballot_papers"',
    b'"paper_choices"',
)


class _Unknown(Exception):
    """A transcoding name this decoder does not know: use the mapper."""


def _uuid_text(data: str) -> str:
    return str(UUID(data))


def _same(data: str) -> str:
    return data


# Transcoding name -> the text `to_json` gives for the decoded value.
_AS_TEXT = {
    "uuid_hex": _uuid_text,
    "date_iso": _same,  # date.isoformat() of date.fromisoformat(x) is x
    "datetime_iso": _same,  # likewise for datetime
    "decimal_str": _same,  # str(Decimal(x)) is x for what str(Decimal) wrote
}


def _hook(d: dict[str, Any]) -> Any:
    if len(d) == 2 and "_type_" in d and "_data_" in d:
        convert = _AS_TEXT.get(d["_type_"])
        if convert is None:
            raise _Unknown(d["_type_"])
        return convert(d["_data_"])
    return d


_decoder = json.JSONDecoder(object_hook=_hook)
_msgspec_decode = msgspec.json.Decoder().decode
_WRAPPER = b'"_type_"'


def _parse(raw: bytes) -> dict[str, Any]:
    """The state with its wrappers turned to text, as `_decoder` gives it.

    msgspec parses several times faster than `json` with an object hook, which calls Python for
    every object (a sheet holds thirty entries). Wrappers are then replaced among the state's
    own values, where the transcoder puts timestamps, dates and ids; if the raw text holds more
    wrappers than were found there (one nested deeper), the state is parsed again with the hook.
    A key `"_type_"` can only appear in the raw text as a key: inside a string its quotes are
    escaped.
    """
    wrappers = raw.count(_WRAPPER)
    state: dict[str, Any] = _msgspec_decode(raw)
    if not isinstance(state, dict):
        raise TypeError("state is not an object")
    if not wrappers:
        return state
    found = 0
    for k, v in state.items():
        if type(v) is dict and "_type_" in v:
            if len(v) == 2 and "_data_" in v:
                found += 1
                state[k] = _hook(v)
            else:
                break
    if found != wrappers:
        state = _decoder.decode(raw.decode("utf-8"))
    return state


def fast_decoder(slow: Decode) -> Decode:
    """A `Decode` equal to `slow` (the mapper path), faster for events stored in their class's
    current shape."""
    versions: dict[str, int] = {}  # topic -> its class's class_version (1 when it has none)

    def version_of(topic: str) -> int:
        known = versions.get(topic)
        if known is None:
            known = versions[topic] = int(getattr(resolve_topic(topic), "class_version", 1))
        return known

    def decode(row: StoredRow) -> Envelope:
        raw = row.state
        current = version_of(row.topic)
        carries = _VERSION_MARKER in raw
        if carries != (current > 1) or any(m in raw for m in _SLOW_MARKERS):
            return slow(row)
        try:
            state = _parse(raw)
            if current > 1 and state.pop("class_version", None) != current:
                return slow(row)
            return _envelope(row, state)
        except (_Unknown, ValueError, TypeError, KeyError, msgspec.DecodeError):
            return slow(row)

    return decode


def _envelope(row: StoredRow, state: dict[str, Any]) -> Envelope:
    effective = state.get("effective_on")
    if effective is not None:
        # The mapper path keeps effective_on only when it is a date: it is one exactly when the
        # stored JSON wrapped this very text as a date (or datetime, a date subclass).
        stored = row.state
        text = effective.encode("utf-8")
        wrapped = (
            b'"effective_on":{"_type_":"date_iso","_data_":"' + text + b'"}' in stored
            or b'"effective_on":{"_type_":"datetime_iso","_data_":"' + text + b'"}' in stored
        )
        if not wrapped:
            effective_on: date | None = None
        elif len(effective) == 10:
            effective_on = date.fromisoformat(effective)
        else:
            effective_on = datetime.fromisoformat(effective)
    else:
        effective_on = None
    return Envelope(
        position=row.position,
        aggregate_id=row.originator_id,
        aggregate_version=int(row.originator_version),
        topic=row.topic,
        recorded_at=datetime.fromisoformat(state["timestamp"]),
        effective_on=effective_on,
        actor_user=state.get("actor_user"),
        actor_role=state.get("actor_role"),
        actor_unit=state.get("actor_unit"),
        correlation_id=state.get("correlation_id"),
        payload={k: v for k, v in state.items() if k not in ENVELOPE_FIELDS and not k.startswith("_")},
    )
