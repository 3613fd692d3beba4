"""Document projections: pure reducers over JSON documents, kept in PostgreSQL, replayable.

A read model here is a set of documents (one block-year, one proposal, one staff member...), each
the fold of a pure reducer over the events routed to it. The same `fold` runs live (documents
loaded from and saved to the tables, batch by batch) and "as of" (documents folded in memory from
audit-trail rows up to an instant), so both answers come from one piece of code.

Events name their document either by payload (e.g. `unit`, `staff`) or by their aggregate: the
first event of an aggregate registers an alias (aggregate id -> document), kept in a table so that
later events of that aggregate find their document without carrying its key.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from uuid import UUID

from thidua.projections.base import TableSpec
from thidua.projections.ddl import Target
from thidua.projections.envelope import Envelope, jsonb_text

DocKey = tuple[str, str]  # (kind, key)

# Documents a build keeps in memory before writing some out (about a year of a province's ratings).
FLUSH_DOCS = 40_000
# Share of FLUSH_DOCS kept in memory after a write-out: the most recently changed documents stay.
# Writing out and forgetting every document would mean reloading and rewriting the ones still
# in use: a year's 30,000 staff_year documents are changed by every month's sheets.
KEEP_SHARE = 0.75
Doc = dict[str, Any]


class Reducer(Protocol):
    """The pure part of a document projection."""

    def alias(self, e: Envelope) -> DocKey | None:
        """The document this event's aggregate belongs to, if this event says (creation events)."""

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        """The documents this event changes (`alias`: its aggregate's document, if known)."""

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        """The document after the event; must not mutate its input in place."""

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        """(year, status, subject): columns queries filter documents by."""


@dataclass
class Folded:
    """Documents and aliases after folding events (in memory)."""

    docs: dict[DocKey, Doc] = field(default_factory=dict)
    aliases: dict[UUID, DocKey] = field(default_factory=dict)
    changed: dict[DocKey, int] = field(default_factory=dict)  # -> position of the last change
    new_aliases: dict[UUID, DocKey] = field(default_factory=dict)
    # Documents this fold may change in place: created by it, copied by it, or handed over
    # fresh (parsed from the table for this batch alone).
    owned: set[DocKey] = field(default_factory=set)
    # A build's last write-out: the position reached then (documents unchanged since are cold).
    written_at: int = 0
    # Documents in memory that the table already holds (loaded from it); any other document of a
    # build is new to its table, which a build only ever appends to, so it can go by COPY.
    stored: set[DocKey] = field(default_factory=set)
    # Documents a build wrote out and forgot: the only ones its table holds.
    out: set[DocKey] = field(default_factory=set)


class InPlaceReducer(Reducer, Protocol):
    """A reducer that can also change a document in place (`reduce` = copy, then `reduce_into`).

    Lets `fold` copy a document at most once per fold instead of once per event: a staff
    member's ratings document is changed by hundreds of events in a batch. `reduce_into` must
    never change the envelope's payload, nor keep in `d` an object of the payload it changes later.
    """

    def reduce_into(self, kind: str, key: str, d: Doc, e: Envelope, alias: DocKey | None) -> None: ...


def fold(reducer: Reducer, events: Sequence[Envelope], state: Folded | None = None) -> Folded:
    """Apply events in order; documents missing from `state.docs` start empty."""
    state = state or Folded()
    into = getattr(reducer, "reduce_into", None)
    for e in events:
        alias = reducer.alias(e)
        if alias is not None and e.aggregate_id not in state.aliases:
            state.aliases[e.aggregate_id] = alias
            state.new_aliases[e.aggregate_id] = alias
        own = state.aliases.get(e.aggregate_id)
        for key in reducer.route(e, own):
            if into is None:
                state.docs[key] = reducer.reduce(key[0], key[1], state.docs.get(key), e, own)
            else:
                if key not in state.owned:
                    doc = state.docs.get(key)
                    state.docs[key] = copy.deepcopy(doc) if doc is not None else {}
                    state.owned.add(key)
                into(key[0], key[1], state.docs[key], e, own)
            state.changed[key] = e.position
    return state


def doc_tables(name: str) -> tuple[TableSpec, TableSpec]:
    """The documents table and the alias table of projection `name` (e.g. `standings_v1`)."""
    docs = TableSpec(
        name=f"{name}_docs",
        body="""
            province text   NOT NULL,
            kind     text   NOT NULL,
            key      text   NOT NULL,
            year     int,
            status   text,
            subject  text,
            position bigint NOT NULL,
            doc      jsonb  NOT NULL,
            PRIMARY KEY (province, kind, key)
        """,
        key="province, kind, key",
        indexes=("province, kind, year, key", "province, kind, subject"),
    )
    aliases = TableSpec(
        name=f"{name}_aliases",
        body="""
            province     text NOT NULL,
            aggregate_id uuid NOT NULL,
            kind         text NOT NULL,
            key          text NOT NULL,
            PRIMARY KEY (province, aggregate_id)
        """,
        key="province, aggregate_id",
    )
    return docs, aliases


class DocumentProjection:
    """Binds a reducer to its two tables; subclasses set name, version, reducer."""

    name: ClassVar[str]
    version: ClassVar[int]
    reducer: ClassVar[Reducer]
    tables: ClassVar[tuple[TableSpec, ...]]

    def __init__(self) -> None:
        # (build documents table, province) -> what a build holds in memory between batches.
        self._builds: dict[tuple[str, str], Folded] = {}

    @classmethod
    def table_base(cls) -> str:
        return f"{cls.name}_v{cls.version}"

    async def apply(self, conn: Any, target: Target, province: str, events: Sequence[Envelope]) -> None:
        if target.live:
            state = Folded()
            await self._load(conn, target, province, events, state)
            fold(self.reducer, events, state)
            await self._write(conn, target, province, state)
            return
        # A build (rebuild, verify): its tables are private until the swap, so documents stay in
        # memory from batch to batch and are written once per FLUSH_DOCS documents (and by
        # `finish`), not once per batch: a month's sheets touch every staff member's year.
        state = self._builds.setdefault((target.table(self.table_base()), province), Folded())
        await self._load(conn, target, province, events, state)
        fold(self.reducer, events, state)
        if len(state.docs) >= FLUSH_DOCS:
            cold = _coldest(state, int(FLUSH_DOCS * KEEP_SHARE))
            await self._write(conn, target, province, state, cold)
            _forget_documents(state, cold)
            state.written_at = events[-1].position if events else state.written_at

    async def finish(self, conn: Any, target: Target, province: str) -> None:
        """Write what a build kept in memory (before its swap or comparison)."""
        state = self._builds.pop((target.table(self.table_base()), province), None)
        if state is not None:
            await self._write(conn, target, province, state)

    def forget(self, target: Target, province: str) -> None:
        """Drop a build's memory (it failed, was stopped, or starts afresh)."""
        self._builds.pop((target.table(self.table_base()), province), None)

    async def _load(
        self, conn: Any, target: Target, province: str, events: Sequence[Envelope], state: Folded
    ) -> None:
        """Bring into `state` the aliases and documents `events` need that it lacks."""
        base = self.table_base()
        docs_table, alias_table = target.table(f"{base}_docs"), target.table(f"{base}_aliases")
        # A build starts from empty tables and keeps every alias it made in memory, and its
        # documents table holds only the documents it wrote out (`state.out`): it asks the
        # tables only for those, and never for aliases.
        build = not target.live
        if build and not state.out:
            return  # nothing written out yet: every document it has is in memory
        ids = list({e.aggregate_id for e in events if e.aggregate_id not in state.aliases})
        if ids and not build:
            for r in await conn.fetch(
                f"SELECT aggregate_id, kind, key FROM {alias_table} "  # noqa: S608 - our table
                "WHERE province = $1 AND aggregate_id = ANY($2::uuid[])",
                province,
                ids,
            ):
                state.aliases[r[0]] = (r[1], r[2])
        # Route once without documents to learn which ones to load (aliases first: a creation
        # event in this batch names the document of later events of the same aggregate).
        aliases = state.aliases
        fresh: dict[UUID, DocKey] = {}
        wanted: set[DocKey] = set()
        for e in events:
            own = aliases.get(e.aggregate_id) or fresh.get(e.aggregate_id)
            if own is None:
                own = self.reducer.alias(e)
                if own is not None:
                    fresh[e.aggregate_id] = own
            wanted.update(self.reducer.route(e, own))
        wanted.difference_update(state.docs)
        if build:
            wanted.intersection_update(state.out)
        if wanted:
            kinds, keys = zip(*sorted(wanted), strict=True)
            for r in await conn.fetch(
                f"SELECT kind, key, doc::text FROM {docs_table} WHERE province = $1 "  # noqa: S608
                "AND (kind, key) IN (SELECT * FROM unnest($2::text[], $3::text[]))",
                province,
                list(kinds),
                list(keys),
            ):
                state.docs[(r[0], r[1])] = json.loads(r[2])
                state.owned.add((r[0], r[1]))  # parsed for this fold alone: no copy needed
                state.stored.add((r[0], r[1]))

    async def _write(
        self, conn: Any, target: Target, province: str, state: Folded, keys: Iterable[DocKey] | None = None
    ) -> None:
        """Write the new aliases and the changed documents of `state` (only `keys`, if given)."""
        base = self.table_base()
        docs_table, alias_table = target.table(f"{base}_docs"), target.table(f"{base}_aliases")
        # A build's table is private and its new aliases and new documents are not in it yet
        # (`_load` looked every aggregate and document up first): COPY them, several times
        # faster than one upsert a row; a duplicate would fail the build loudly, not hide.
        bulk = not target.live
        if state.new_aliases:
            aliases = [(province, a, k[0], k[1]) for a, k in state.new_aliases.items()]
            if bulk:
                await _copy(conn, target, f"{base}_aliases", ALIAS_COLUMNS, aliases)
            else:
                await conn.executemany(
                    f"INSERT INTO {alias_table} (province, aggregate_id, kind, key) "  # noqa: S608
                    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    aliases,
                )
        rows: list[tuple[Any, ...]] = []
        new_rows: list[tuple[Any, ...]] = []
        changed, stored = state.changed, state.stored
        for kind, key in sorted(changed if keys is None else keys):
            last = changed.get((kind, key))
            if last is None:
                continue  # loaded but unchanged: the table already holds it
            doc = state.docs[(kind, key)]
            year, status, subject = self.reducer.index(kind, doc)
            row = (province, kind, key, year, status, subject, last, jsonb_text(doc))
            (new_rows if bulk and (kind, key) not in stored else rows).append(row)
        if new_rows:
            await _copy(conn, target, f"{base}_docs", DOC_COLUMNS, new_rows)
        if rows:
            await conn.executemany(
                f"INSERT INTO {docs_table} "  # noqa: S608 - our table
                "(province, kind, key, year, status, subject, position, doc) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) "
                "ON CONFLICT (province, kind, key) DO UPDATE SET year = EXCLUDED.year, "
                "status = EXCLUDED.status, subject = EXCLUDED.subject, "
                "position = EXCLUDED.position, doc = EXCLUDED.doc",
                rows,
            )


ALIAS_COLUMNS = ("province", "aggregate_id", "kind", "key")
DOC_COLUMNS = ("province", "kind", "key", "year", "status", "subject", "position", "doc")


async def _copy(
    conn: Any, target: Target, name: str, columns: Sequence[str], records: list[tuple[Any, ...]]
) -> None:
    """COPY `records` into table `name` of `target`."""
    await conn.copy_records_to_table(
        name + target.suffix, schema_name=target.schema, columns=list(columns), records=records
    )


def _coldest(state: Folded, keep: int) -> list[DocKey]:
    """The documents a build writes out and forgets so that at most `keep` stay in memory: every
    one unchanged since the last write-out, then the least recently changed. Documents still in
    use (a year's staff members, changed every month) stay, so they are not reloaded and
    rewritten; a forgotten one touched again is reloaded from the build table."""
    changed = state.changed
    cold = [k for k in state.docs if changed.get(k, 0) <= state.written_at]
    if len(state.docs) - len(cold) > keep:
        chosen = set(cold)
        warm = sorted((changed.get(k, 0), k) for k in state.docs if k not in chosen)
        cold.extend(k for _, k in warm[: len(warm) - keep])
    return cold


def _forget_documents(state: Folded, keys: Sequence[DocKey]) -> None:
    """After writing `keys`: let those documents go (reloaded when touched again) and keep the
    aliases (small, and saved), so a build's memory stays bounded."""
    for key in keys:
        state.docs.pop(key, None)
        state.owned.discard(key)
        state.changed.pop(key, None)
        state.stored.discard(key)
    state.out.update(keys)
    state.new_aliases.clear()
