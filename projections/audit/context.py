"""What the audit trail remembers of earlier events (ngữ cảnh): names, and what each aggregate is.

A summary reads like a clerk's sentence ("Sở Nội vụ ký giao ước thi đua năm 2025 của Khối thi đua
Nội chính"), but most events carry keys only, and many not even their own aggregate's (a pledge
names its unit, not its block-year). So the audit projection keeps, beside its trail, one small
row per thing it may have to name:

- `unit:<key>`, `staff:<key>`, `block:<key>`, `movement:<key>`, `member:<id>` → `{"name": ...}`,
  the name as of the latest registration or renaming seen;
- `aggregate:<id>` → the identifying fields of the aggregate's creation event (its block and
  year, its unit and month, its recipient, its question...).

Everything comes from earlier events in position order, so a rebuild writes the same sentences;
a summary names things as they were called when the event was recorded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from thidua.projections.base import TableSpec
from thidua.projections.ddl import Target
from thidua.projections.envelope import Envelope, jsonb_text

TABLE = "audit_context_v2"

SPEC = TableSpec(
    name=TABLE,
    body="""
        province text  NOT NULL,
        ref      text  NOT NULL,
        info     jsonb NOT NULL,
        PRIMARY KEY (province, ref)
    """,
    key="province, ref",
)

NAMED_KINDS = ("unit", "staff", "block", "movement", "member")

# Events that name something: event type -> (kind, payload field holding the key; None: the
# aggregate's own key, from its creation event).
_NAMING: dict[str, tuple[str, str | None]] = {
    "Unit.Registered": ("unit", "key"),
    "Unit.Renamed": ("unit", None),
    "StaffMember.Registered": ("staff", "key"),
    "EmulationBlock.Created": ("block", "key"),
    "EmulationBlock.Renamed": ("block", None),
    "EmulationBlock.Reformed": ("block", None),
    "Movement.Launched": ("movement", "key"),
    "Council.MemberAppointed": ("member", "member"),
}

# Payload fields that hold keys of things with names (a list field: each item).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit",),
    "units": ("unit",),
    "members": ("unit",),
    "leader": ("unit",),
    "deputy": ("unit",),
    "successor": ("unit",),
    "chaired_by": ("unit",),
    "host": ("unit",),
    "left_behind": ("unit",),
    "winner": ("unit",),
    "options": ("unit",),
    "choice": ("unit",),
    "staff": ("staff",),
    "block": ("block",),
    "movement": ("movement",),
    "member": ("member",),
    "voter": ("unit", "member"),
    "voters": ("unit", "member"),
    "tellers": ("member",),
    "proposer": ("block", "unit"),
    "recipient": ("unit", "staff"),
    "registrant": ("unit", "staff"),
    "subject_key": ("unit", "staff"),
    "predecessor": ("unit", "staff"),
    "subject": ("unit",),
    "value": ("block",),  # a fact on a record: the block someone led
}


def _scalars(payload: dict[str, Any]) -> dict[str, Any]:
    """The identifying fields of a creation event: its short values, not its lists or tables."""
    return {
        k: v
        for k, v in payload.items()
        if isinstance(v, int | float | bool) or (isinstance(v, str) and len(v) <= 300)
    }


# Aggregates that are themselves named things: their own key is in their creation event.
_OWN_KIND = {"Unit": "unit", "StaffMember": "staff", "EmulationBlock": "block", "Movement": "movement"}


def name_refs(values: dict[str, Any]) -> set[str]:
    """The name rows a payload (or an aggregate's identifying fields) may need."""
    refs: set[str] = set()
    add = refs.add
    for name, value in values.items():
        kinds = KEY_FIELDS.get(name)
        if kinds is not None:
            for item in value if isinstance(value, list) else (value,):
                key = item.get("key") if isinstance(item, dict) else item
                if isinstance(key, str) and key:
                    for kind in kinds:
                        add(f"{kind}:{key}")
        elif name == "recipients" and isinstance(value, list):
            for item in value:
                key = item.get("key") if isinstance(item, dict) else item
                if isinstance(key, str) and key:
                    add(f"unit:{key}")
                    add(f"staff:{key}")
        elif name == "counts" and isinstance(value, dict):  # a tally: options are often units
            for option in value:
                add(f"unit:{option}")
    own = _OWN_KIND.get(str(values.get("type")))
    if own is not None and isinstance(values.get("key"), str):
        add(f"{own}:{values['key']}")
    return refs


@dataclass
class AuditContext:
    """The context rows one batch needs, updated event by event as the batch is summarised."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    aggregate_id: UUID | None = None  # the event being summarised

    def name(self, kind: str, key: str | None) -> str | None:
        if not key:
            return None
        found = self.entries.get(f"{kind}:{key}")
        value = found.get("name") if found else None
        return value if isinstance(value, str) else None

    def aggregate(self, aggregate_id: UUID | None = None) -> dict[str, Any]:
        """The identifying fields of an aggregate's creation event ({} when unknown)."""
        wanted = aggregate_id or self.aggregate_id
        return self.entries.get(f"aggregate:{wanted}", {}) if wanted else {}

    def at(self, e: Envelope) -> AuditContext:
        self.aggregate_id = e.aggregate_id
        return self

    def learn(self, e: Envelope) -> None:
        """Remember what `e` tells later events (after its own summary was written)."""
        if e.aggregate_version == 1:
            self._set(f"aggregate:{e.aggregate_id}", {"type": e.aggregate_type, **_scalars(e.payload)})
        naming = _NAMING.get(e.event_type)
        name = e.payload.get("name")
        if naming is None or not isinstance(name, str):
            return
        kind, key_field = naming
        key = e.payload.get(key_field) if key_field else self.aggregate(e.aggregate_id).get("key")
        if isinstance(key, str) and key:
            self._set(f"{kind}:{key}", {"name": name})

    def _set(self, ref: str, info: dict[str, Any]) -> None:
        self.entries[ref] = info
        self.changed.add(ref)


# Context rows a build keeps in memory at most (a few hundred bytes each); past it, it forgets
# them all and reads what it needs from its table again.
KEEP_ROWS = 300_000


@dataclass
class BuildContext:
    """The context rows a build (rebuild, verify) saved so far, kept in memory between batches so
    that it need not read them back. While `complete`, they are every row of the build's table
    (a build starts from an empty one), so a ref missing here is missing there too."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    complete: bool = True

    def remember(self, context: AuditContext) -> None:
        if len(self.entries) + len(context.changed) > KEEP_ROWS:
            self.entries.clear()
            self.complete = False
        for ref in context.changed:
            self.entries[ref] = context.entries[ref]


async def load_context(
    conn: Any, target: Target, province: str, events: Sequence[Envelope], build: BuildContext | None = None
) -> AuditContext:
    """The rows `events` may need: their aggregates first, then the names those and the payloads
    mention (two reads a batch, by primary key; only of rows a build does not hold in memory)."""
    table = target.table(TABLE)
    context = AuditContext()
    aggregates = sorted({f"aggregate:{e.aggregate_id}" for e in events if e.aggregate_version > 1})
    await _fetch(conn, table, province, aggregates, context, build=build)
    refs: set[str] = set()
    for e in events:
        refs |= name_refs(e.payload)
        refs |= name_refs(context.aggregate(e.aggregate_id))
    await _fetch(conn, table, province, sorted(refs), context, build=build)
    return context


async def _fetch(
    conn: Any,
    table: str,
    province: str,
    refs: list[str],
    context: AuditContext,
    *,
    build: BuildContext | None,
) -> None:
    if build is not None:
        kept, missing = build.entries, []
        for ref in refs:
            info = kept.get(ref)
            if info is None:
                missing.append(ref)
            else:
                context.entries[ref] = info
        refs = [] if build.complete else missing
    if not refs:
        return
    rows = await conn.fetch(
        f"SELECT ref, info::text FROM {table} WHERE province = $1 AND ref = ANY($2::text[])",  # noqa: S608
        province,
        refs,
    )
    for ref, info in rows:
        context.entries[ref] = json.loads(info)


async def save_context(conn: Any, target: Target, province: str, context: AuditContext) -> None:
    if not context.changed:
        return
    refs = sorted(context.changed)
    # One set-based statement for the batch's rows (thousands in a rebuild: every aggregate
    # created), not one upsert each.
    await conn.execute(
        f"INSERT INTO {target.table(TABLE)} (province, ref, info) "  # noqa: S608 - our table
        "SELECT $1, ref, info::jsonb FROM unnest($2::text[], $3::text[]) AS t(ref, info) "
        "ON CONFLICT (province, ref) DO UPDATE SET info = EXCLUDED.info",
        province,
        refs,
        [jsonb_text(context.entries[ref]) for ref in refs],
    )
