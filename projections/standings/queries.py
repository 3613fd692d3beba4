"""Standings queries (truy vấn bảng xếp hạng), live or "as of", and "explain".

- `get_standings(pool, province, block, year, *, as_of=None, effective_on=None)`
  -> `BlockStandings | None`
- `list_block_years(pool, province, *, year=None, after=None, limit=100)` -> `list[BlockYearRef]`
- `explain_standing(pool, province, block, year, unit)` -> `tuple[AuditEntry, ...]`
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from thidua.domain.ids import aggregate_id
from thidua.projections.access import province_reader
from thidua.projections.asof import events_of
from thidua.projections.audit.queries import AuditEntry, audit_entries_at
from thidua.projections.documents import Doc, fold
from thidua.projections.routing import pool_for
from thidua.projections.standings.model import (
    BlockStandings,
    build_standings,
    explain_positions,
    referenced_ballots,
)
from thidua.projections.standings.projection import DOCS, VERSION
from thidua.projections.standings.reducer import BALLOT, BLOCK_YEAR, UNIT, StandingsReducer
from thidua.projections.tracking import tracked_position

_DOCS = f"readmodel.{DOCS.name}"
CACHE_SIZE = 512  # live standings kept built, one per (province, block-year)


class _LiveCache:
    """Live standings already built (bộ đệm bảng xếp hạng), each with the standings projection's
    tracking position it was read at. Every read model row the standings come from (the
    block-year, its ballots, the unit names) is written by that one projection, so an unchanged
    position means unchanged standings; any event projected since is a miss. Bounded (LRU)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple[int, BlockStandings | None]] = OrderedDict()
        self._lock = threading.Lock()  # cheap, and safe should a worker thread ever read

    def get(self, province: str, key: str, position: int) -> tuple[bool, BlockStandings | None]:
        with self._lock:
            entry = self._entries.get((province, key))
            if entry is None or entry[0] != position:
                return False, None
            self._entries.move_to_end((province, key))
            return True, entry[1]

    def put(self, province: str, key: str, position: int, standings: BlockStandings | None) -> None:
        with self._lock:
            self._entries[(province, key)] = (position, standings)
            self._entries.move_to_end((province, key))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


LIVE = _LiveCache(CACHE_SIZE)


@dataclass(frozen=True)
class BlockYearRef:
    block: str
    year: int
    position: int


async def _doc(conn: Any, province: str, kind: str, key: str) -> Doc | None:
    raw = await conn.fetchval(
        f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 AND key = $3",  # noqa: S608
        province,
        kind,
        key,
    )
    return json.loads(raw) if raw else None


async def _ballots(conn: Any, province: str, key: str, referenced: list[str]) -> list[Doc]:
    rows = await conn.fetch(
        f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
        "AND (subject = $3 OR subject LIKE $3 || '/%' OR key = ANY($4::text[]))",
        province,
        BALLOT,
        key,
        referenced,
    )
    return [json.loads(r[0]) for r in rows]


async def _names(conn: Any, province: str, units: list[str] | None = None) -> dict[str, str]:
    """Unit names: all the province's, or those of `units` (a replay names only its lines)."""
    if units is None:
        rows = await conn.fetch(
            f"SELECT key, doc->>'name' FROM {_DOCS} WHERE province = $1 AND kind = $2",  # noqa: S608
            province,
            UNIT,
        )
    else:  # by the primary key (a statement that may also take none scans every unit)
        rows = await conn.fetch(
            f"SELECT key, doc->>'name' FROM {_DOCS} "  # noqa: S608
            "WHERE province = $1 AND kind = $2 AND key = ANY($3::text[])",
            province,
            UNIT,
            units,
        )
    return {r[0]: r[1] for r in rows if r[1]}


async def get_standings(
    pool: Any,
    province: str,
    block: str,
    year: int,
    *,
    as_of: datetime | None = None,
    effective_on: date | None = None,
    position: int | None = None,
) -> BlockStandings | None:
    """A block's standings for a year; with `as_of`/`effective_on`, as known/effective then.

    `position` is the standings position the request read on its arrival (a query started
    after the request arrived), when it read one; else it is read here."""
    key = f"{block}/{year}"
    if as_of is None and effective_on is None:
        # Built standings at an unchanged position are answered after one statement, not the
        # five of a row-level-secured transaction (that position is no province data, and only
        # the caller's province is asked for); anything else is read in that transaction.
        if position is None:
            position = await standings_position(pool, province)
        if position is not None:
            hit, cached = LIVE.get(province, key, position)
            if hit:
                return cached
        async with province_reader(pool, province) as conn:
            return await _live(conn, province, key, position)
    async with province_reader(pool, province) as conn:
        doc, ballots = await _replayed(conn, province, key, as_of, effective_on)
        if doc is None:
            return None
        names = await _names(conn, province, sorted({*doc.get("members", []), *doc.get("sheets", {})}))
    return build_standings(province, doc, ballots, names)


async def _live(conn: Any, province: str, key: str, position: int | None) -> BlockStandings | None:
    # `position` was read before these rows: rows read after it are at least as new, so an
    # entry never holds standings older than its position.
    names = await _names(conn, province)
    doc = await _doc(conn, province, BLOCK_YEAR, key)
    built = None
    if doc is not None:
        ballots = await _ballots(conn, province, key, referenced_ballots(doc))
        built = build_standings(province, doc, ballots, names)
    if position is not None:
        LIVE.put(province, key, position, built)
    return built


async def _replayed(
    conn: Any, province: str, key: str, as_of: datetime | None, effective_on: date | None
) -> tuple[Doc | None, list[Doc]]:
    reducer = StandingsReducer()
    ids = [aggregate_id(province, "block-year", key), aggregate_id(province, "scoring", key)]
    events = await events_of(conn, province, ids, as_of=as_of, effective_on=effective_on)
    doc = fold(reducer, events).docs.get((BLOCK_YEAR, key))
    if doc is None:
        return None, []
    # Ballots of the block-year: those it names, and those opened about it. A ballot's key and
    # subject are fixed when it is opened, so the live documents' indexed subject finds every
    # ballot ever opened about it; one opened after the instant has no event to fold and drops
    # out below. (Searching the trail's payloads for the subject read every row of a province.)
    keys = set(referenced_ballots(doc))
    rows = await conn.fetch(
        f"SELECT key FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
        "AND (subject = $3 OR subject LIKE $3 || '/%')",
        province,
        BALLOT,
        key,
    )
    keys.update(r[0] for r in rows)
    ballot_ids = [aggregate_id(province, "ballot", k) for k in sorted(keys)]
    ballot_events = await events_of(conn, province, ballot_ids, as_of=as_of, effective_on=effective_on)
    folded = fold(reducer, ballot_events)
    return doc, [d for (kind, _), d in folded.docs.items() if kind == BALLOT]


async def list_block_years(
    pool: Any, province: str, *, year: int | None = None, after: str | None = None, limit: int = 100
) -> list[BlockYearRef]:
    """Block-years known to the province, by key (`block/year`); keyset paging with `after`."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, year, position FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR key > $4) "
            "ORDER BY key LIMIT $5",
            province,
            BLOCK_YEAR,
            year,
            after,
            max(1, min(limit, 1000)),
        )
    return [BlockYearRef(r[0].rpartition("/")[0], int(r[1]), int(r[2])) for r in rows]


async def explain_standing(
    pool: Any, province: str, block: str, year: int, unit: str
) -> tuple[AuditEntry, ...]:
    """The audit-trail entries behind a unit's standing: its self-assessment, every cross-check
    adjustment with its reason, its classification, the votes tallied for the block-year."""
    key = f"{block}/{year}"
    async with province_reader(pool, province) as conn:
        doc = await _doc(conn, province, BLOCK_YEAR, key)
        if doc is None:
            return ()
        ballots = await _ballots(conn, province, key, referenced_ballots(doc))
    return await audit_entries_at(pool, province, explain_positions(doc, unit, ballots))


async def standings_position(pool: Any, province: str) -> int | None:
    """The standings projection's tracking position of `province` (None before its first run),
    read in one statement on the pool: only the caller's own province (from the verified token)
    is ever asked for."""
    return await tracked_position(await pool_for(pool, province), province, "standings", VERSION)
