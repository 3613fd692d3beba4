"""Directory queries (truy vấn danh mục): units, blocks, their years and ballots.

No projection of its own: units, block-years and ballots are documents of the standings
projection, and blocks (khối thi đua) are folded from their few events in the audit trail (the
only read model holding a block's name before its first year opens). Every function reads under
row-level security (`province_reader`) and takes lists of keys where a GraphQL DataLoader batches
them, so a page of units with their blocks costs a fixed number of queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from thidua.projections.access import province_reader
from thidua.projections.audit.projection import TABLE as AUDIT
from thidua.projections.standings.model import BallotSummary, ballot_summary
from thidua.projections.standings.projection import DOCS
from thidua.projections.standings.reducer import BALLOT, BLOCK_YEAR, UNIT

_DOCS = f"readmodel.{DOCS.name}"
_AUDIT = f"readmodel.{AUDIT}"
MAX_LIMIT = 1000


@dataclass(frozen=True)
class UnitRow:
    """Cơ quan, đơn vị: name and, once dissolved or merged, when and into what."""

    key: str
    name: str | None
    dissolved_on: str | None
    successor: str | None


@dataclass(frozen=True)
class BlockRow:
    """Khối / cụm thi đua."""

    key: str
    name: str
    kind: str
    disbanded_on: str | None
    decision_ref: str | None
    decision: dict[str, str] | None = None  # forming or, later, re-forming it (thành lập, kiện toàn)


@dataclass(frozen=True)
class BlockYearRow:
    """A block's year: members, officers (Khối trưởng, Khối phó), leading units."""

    block: str
    year: int
    members: tuple[str, ...]
    members_claimed: int | None
    count_mismatch: bool
    leader: str | None
    deputy: str | None
    leading_units: tuple[str, ...]
    position: int
    officers: dict[str, Any] | None = None  # how they were chosen: method, ballot, decision
    carried_from: int | None = None
    decision: dict[str, str] | None = None
    reviews: dict[str, dict[str, Any]] | None = None
    meetings: tuple[dict[str, Any], ...] = ()
    member_changes: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class BallotRow:
    """Cuộc bỏ phiếu: what was asked and, once counted, the tally (never a sealed paper)."""

    key: str
    award: str | None
    question: str | None
    options: tuple[str, ...]
    opened_on: str | None
    note: str | None
    quorum_met: bool | None
    present: int | None
    summary: BallotSummary
    tellers: tuple[str, ...] = ()
    tellers_needed: int | None = None
    form: str = "unrecorded"  # open | secret | unrecorded (recorded without figures, form not given)


def _unit(key: str, doc: dict[str, Any]) -> UnitRow:
    return UnitRow(key, doc.get("name"), doc.get("dissolved_on"), doc.get("successor"))


def _block_year(doc: dict[str, Any]) -> BlockYearRow:
    officers = doc.get("officers") or {}
    return BlockYearRow(
        block=str(doc.get("block")),
        year=int(doc.get("year", 0)),
        members=tuple(doc.get("members", [])),
        members_claimed=doc.get("members_claimed"),
        count_mismatch=bool(doc.get("count_mismatch")),
        leader=officers.get("leader"),
        deputy=officers.get("deputy"),
        leading_units=tuple((doc.get("leading_units") or {}).get("units", [])),
        position=int(doc.get("last_position", 0)),
        officers=officers or None,
        carried_from=doc.get("carried_from"),
        decision=doc.get("decision"),
        reviews=doc.get("reviews") or {},
        meetings=tuple(doc.get("meetings") or ()),
        member_changes=tuple(doc.get("member_changes") or ()),
    )


def _count(value: Any) -> int | None:
    """Those present: recorded as a list of voters (a count in older documents)."""
    if isinstance(value, list):
        return len(value)
    return int(value) if isinstance(value, int) else None


def _ballot(doc: dict[str, Any]) -> BallotRow:
    tally = doc.get("tally") or {}
    return BallotRow(
        key=str(doc.get("key")),
        award=doc.get("award"),
        question=doc.get("question"),
        options=tuple(doc.get("options", [])),
        opened_on=doc.get("on"),
        note=doc.get("note"),
        quorum_met=tally.get("quorum_met"),
        present=_count(tally.get("present", doc.get("present"))),
        summary=ballot_summary(doc),
        tellers=tuple(doc.get("tellers") or ()),
        tellers_needed=doc.get("tellers_needed"),
        form=doc.get("form") or _form(doc),
    )


def _form(doc: dict[str, Any]) -> str:
    """Documents folded before the form was kept: a ballot with papers is open or secret."""
    if doc.get("status") == "recorded_without_figures":
        return "unrecorded"
    return "secret" if doc.get("secret") else "open"


async def list_units(
    pool: Any, province: str, *, after: str | None = None, limit: int = 100
) -> list[UnitRow]:
    """Units by key (keyset paging: pass the last key seen as `after`)."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::text IS NULL OR key > $3) ORDER BY key LIMIT $4",
            province,
            UNIT,
            after,
            max(1, min(limit, MAX_LIMIT)),
        )
    return [_unit(r[0], json.loads(r[1])) for r in rows]


async def count_units(pool: Any, province: str) -> int:
    """How many units the province has registered (dissolved ones included, as `list_units`)."""
    async with province_reader(pool, province) as conn:
        value = await conn.fetchval(
            f"SELECT count(*) FROM {_DOCS} WHERE province = $1 AND kind = $2",  # noqa: S608
            province,
            UNIT,
        )
    return int(value)


async def units_by_key(pool: Any, province: str, keys: list[str]) -> dict[str, UnitRow]:
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND key = ANY($3::text[])",
            province,
            UNIT,
            keys,
        )
    return {r[0]: _unit(r[0], json.loads(r[1])) for r in rows}


async def block_years_of_units(pool: Any, province: str, units: list[str]) -> dict[str, list[BlockYearRow]]:
    """For each unit, the block-years listing it as a member, by year then block."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND doc->'members' ?| $3::text[] ORDER BY year, key",
            province,
            BLOCK_YEAR,
            units,
        )
    found: dict[str, list[BlockYearRow]] = {u: [] for u in units}
    for r in rows:
        block_year = _block_year(json.loads(r[0]))
        for unit in block_year.members:
            if unit in found:
                found[unit].append(block_year)
    return found


async def block_years_of_blocks(pool: Any, province: str, blocks: list[str]) -> dict[str, list[BlockYearRow]]:
    """For each block, its years (newest first)."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND subject = ANY($3::text[]) ORDER BY year DESC",
            province,
            BLOCK_YEAR,
            blocks,
        )
    found: dict[str, list[BlockYearRow]] = {b: [] for b in blocks}
    for r in rows:
        block_year = _block_year(json.loads(r[0]))
        found.setdefault(block_year.block, []).append(block_year)
    return found


async def list_blocks(pool: Any, province: str) -> list[BlockRow]:
    """Every block of the province, by key, folded from its Created/Renamed/Disbanded events.

    A province has tens of blocks, each with a handful of events; the scan is over the
    province's audit rows of one aggregate type."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT aggregate_id, event_type, payload::text, effective_on FROM {_AUDIT} "  # noqa: S608
            "WHERE province = $1 AND aggregate_type = 'EmulationBlock' ORDER BY position",
            province,
        )
    blocks: dict[Any, dict[str, Any]] = {}
    for aggregate, event_type, raw, effective_on in rows:
        payload = json.loads(raw)
        if event_type.endswith(".Created"):
            blocks[aggregate] = {
                "key": payload["key"],
                "name": payload["name"],
                "kind": payload["kind"],
                "decision": payload.get("decision"),
            }
        elif aggregate in blocks and event_type.endswith(".Reformed"):
            blocks[aggregate].update(name=payload["name"], decision=payload.get("decision"))
        elif aggregate in blocks and event_type.endswith(".Renamed"):
            blocks[aggregate]["name"] = payload["name"]
        elif aggregate in blocks and event_type.endswith(".Disbanded"):
            on = payload.get("disbanded_on") or (
                effective_on.isoformat() if isinstance(effective_on, date) else None
            )
            blocks[aggregate].update(disbanded_on=on, decision_ref=payload.get("decision_ref"))
    return sorted(
        (
            BlockRow(
                b["key"],
                b["name"],
                b["kind"],
                b.get("disbanded_on"),
                b.get("decision_ref"),
                b.get("decision"),
            )
            for b in blocks.values()
        ),
        key=lambda b: b.key,
    )


async def list_ballots(
    pool: Any,
    province: str,
    *,
    status: str | None = None,
    subject: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[BallotRow]:
    """Ballots by key; `subject` matches exactly or as a prefix (`khoi-dang/2025` finds its votes)."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::text IS NULL OR status = $3) "
            "AND ($4::text IS NULL OR subject = $4 OR subject LIKE $4 || '/%') "
            "AND ($5::text IS NULL OR key > $5) ORDER BY key LIMIT $6",
            province,
            BALLOT,
            status,
            subject,
            after,
            max(1, min(limit, MAX_LIMIT)),
        )
    return [_ballot(json.loads(r[0])) for r in rows]


async def count_ballots(
    pool: Any, province: str, *, status: str | None = None, subject: str | None = None
) -> int:
    """How many ballots `list_ballots` pages through with the same filters."""
    async with province_reader(pool, province) as conn:
        value = await conn.fetchval(
            f"SELECT count(*) FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::text IS NULL OR status = $3) "
            "AND ($4::text IS NULL OR subject = $4 OR subject LIKE $4 || '/%')",
            province,
            BALLOT,
            status,
            subject,
        )
    return int(value)


async def get_ballot(pool: Any, province: str, key: str) -> BallotRow | None:
    async with province_reader(pool, province) as conn:
        raw = await conn.fetchval(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 AND key = $3",  # noqa: S608
            province,
            BALLOT,
            key,
        )
    return _ballot(json.loads(raw)) if raw else None


async def block_year_position(pool: Any, province: str, block: str, year: int) -> int | None:
    """The position of the last event a block-year's standings reflect (None: no such year):
    a cheap probe for a live view to tell whether the standings changed."""
    async with province_reader(pool, province) as conn:
        value = await conn.fetchval(
            f"SELECT position FROM {_DOCS} WHERE province = $1 AND kind = $2 AND key = $3",  # noqa: S608
            province,
            BLOCK_YEAR,
            f"{block}/{year}",
        )
    return int(value) if value is not None else None
