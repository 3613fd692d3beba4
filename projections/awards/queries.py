"""Awards register queries (truy vấn sổ khen thưởng), live or "as of".

- `list_proposals(pool, province, *, year=None, status=None, recipient=None, after=None,
  limit=100, as_of=None, effective_on=None)` -> `list[Proposal]` (keyset on key via `after`)
- `count_proposals(...)`, `count_decisions(...)`: how many the same filters match (all pages)
- `get_proposal(pool, province, key)` -> `Proposal | None`
- `list_decisions(pool, province, *, year=None, after=None, limit=100)` -> `list[Decision]`
- `get_decision(pool, province, number)` -> `Decision | None`
- `get_recipient_history(pool, province, recipient_kind, recipient)` -> `RecipientHistory | None`
- `get_year_total(pool, province, year)` -> `YearTotal` (prize money of the year's decisions)
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from thidua.domain.ids import aggregate_id
from thidua.projections.access import province_reader
from thidua.projections.asof import events_of
from thidua.projections.awards.model import (
    Decision,
    Proposal,
    RecipientHistory,
    YearTotal,
    decision_of,
    history_of,
    proposal_of,
    year_total,
)
from thidua.projections.awards.projection import DOCS
from thidua.projections.awards.reducer import DECISION, PROPOSAL, RECIPIENT, AwardsReducer
from thidua.projections.documents import Doc, fold

_DOCS = f"readmodel.{DOCS.name}"
COUNT_ALL = 10_000  # the most proposals one read folds (a page asks for far fewer)


async def _docs(conn: Any, province: str, kind: str, keys: list[str]) -> dict[str, Doc]:
    rows = await conn.fetch(
        f"SELECT key, doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
        "AND key = ANY($3::text[])",
        province,
        kind,
        keys,
    )
    return {r[0]: json.loads(r[1]) for r in rows}


async def with_group_counts(conn: Any, province: str, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals with, for those under a grouped proposal, how many proposals it holds
    (what the claimed count is compared with)."""
    groups = sorted({p.group for p in proposals if p.group})
    if not groups:
        return proposals
    rows = await conn.fetch(
        f"SELECT doc->>'group', count(*) FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
        "AND doc->>'group' = ANY($3::text[]) GROUP BY 1",
        province,
        PROPOSAL,
        groups,
    )
    named = {r[0]: int(r[1]) for r in rows}
    return [replace(p, group_named=named.get(p.group)) if p.group else p for p in proposals]


async def list_proposals(
    pool: Any,
    province: str,
    *,
    year: int | None = None,
    status: str | None = None,
    recipient: str | None = None,
    after: str | None = None,
    limit: int = 100,
    as_of: datetime | None = None,
    effective_on: date | None = None,
) -> list[Proposal]:
    """Proposals ordered by key; with `as_of`/`effective_on`, as known/effective then (the
    status filter then applies to the status at that time)."""
    limit = max(1, min(limit, COUNT_ALL))
    historical = as_of is not None or effective_on is not None
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR status = $4) "
            "AND ($5::text IS NULL OR subject = $5) AND ($6::text IS NULL OR key > $6) "
            "ORDER BY key LIMIT $7",
            province,
            PROPOSAL,
            year,
            None if historical else status,
            recipient,
            after,
            10_000 if historical else limit,
        )
        docs = {r[0]: json.loads(r[1]) for r in rows}
        if historical:
            docs, decisions = await _replayed(conn, province, docs, as_of, effective_on)
        else:
            numbers = sorted({d["decision"] for d in docs.values() if d.get("decision")})
            decisions = await _docs(conn, province, DECISION, numbers)
        proposals = [proposal_of(d, decisions.get(d.get("decision") or "")) for _, d in sorted(docs.items())]
        if status is not None:
            proposals = [p for p in proposals if p.status == status]
        return await with_group_counts(conn, province, proposals[:limit])


async def count_proposals(
    pool: Any,
    province: str,
    *,
    year: int | None = None,
    status: str | None = None,
    recipient: str | None = None,
    as_of: datetime | None = None,
    effective_on: date | None = None,
) -> int:
    """How many proposals `list_proposals` pages through with the same filters. A status, or a
    moment in the past, is judged on each folded proposal (a revoked decision revokes its
    proposals), so those counts read the documents; the plain count is one SQL count."""
    if status is None and as_of is None and effective_on is None:
        async with province_reader(pool, province) as conn:
            value = await conn.fetchval(
                f"SELECT count(*) FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
                "AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR subject = $4)",
                province,
                PROPOSAL,
                year,
                recipient,
            )
        return int(value)
    found = await list_proposals(
        pool,
        province,
        year=year,
        status=status,
        recipient=recipient,
        limit=COUNT_ALL,
        as_of=as_of,
        effective_on=effective_on,
    )
    return len(found)


async def _replayed(
    conn: Any,
    province: str,
    live: dict[str, Doc],
    as_of: datetime | None,
    effective_on: date | None,
) -> tuple[dict[str, Doc], dict[str, Doc]]:
    numbers = sorted({d["decision"] for d in live.values() if d.get("decision")})
    ids = [aggregate_id(province, "proposal", k) for k in live]
    ids += [aggregate_id(province, "decision", n) for n in numbers]
    events = await events_of(conn, province, ids, as_of=as_of, effective_on=effective_on)
    folded = fold(AwardsReducer(), events)
    proposals = {k: d for (kind, k), d in folded.docs.items() if kind == PROPOSAL}
    decisions = {k: d for (kind, k), d in folded.docs.items() if kind == DECISION}
    return proposals, decisions


async def get_proposal(pool: Any, province: str, key: str) -> Proposal | None:
    async with province_reader(pool, province) as conn:
        doc = (await _docs(conn, province, PROPOSAL, [key])).get(key)
        if doc is None:
            return None
        decision = None
        if doc.get("decision"):
            decision = (await _docs(conn, province, DECISION, [doc["decision"]])).get(doc["decision"])
        return (await with_group_counts(conn, province, [proposal_of(doc, decision)]))[0]


async def list_decisions(
    pool: Any,
    province: str,
    *,
    year: int | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[Decision]:
    """Decisions by number (keyset via `after`), revoked ones included with their revocation."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR key > $4) "
            "ORDER BY key LIMIT $5",
            province,
            DECISION,
            year,
            after,
            max(1, min(limit, 1000)),
        )
    return [decision_of(json.loads(r[0])) for r in rows]


async def count_decisions(pool: Any, province: str, *, year: int | None = None) -> int:
    """How many decisions `list_decisions` pages through for `year` (revoked ones included)."""
    async with province_reader(pool, province) as conn:
        value = await conn.fetchval(
            f"SELECT count(*) FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND ($3::int IS NULL OR year = $3)",
            province,
            DECISION,
            year,
        )
    return int(value)


async def get_recipient_history(
    pool: Any, province: str, recipient_kind: str, recipient: str
) -> RecipientHistory | None:
    """A recipient's titles and consecutive-year counts (`recipient_kind`: unit | staff)."""
    key = f"{recipient_kind}:{recipient}"
    async with province_reader(pool, province) as conn:
        doc = (await _docs(conn, province, RECIPIENT, [key])).get(key)
    return history_of(doc) if doc is not None else None


async def get_year_total(pool: Any, province: str, year: int) -> YearTotal:
    """Prize money of every decision of achievement year `year`: amount, recovered, net."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 AND year = $3",  # noqa: S608
            province,
            DECISION,
            year,
        )
    return year_total(year, [decision_of(json.loads(r[0])) for r in rows])


async def get_decision(pool: Any, province: str, number: str) -> Decision | None:
    """One decision by its number, with its revocations."""
    async with province_reader(pool, province) as conn:
        doc = (await _docs(conn, province, DECISION, [number])).get(number)
    return decision_of(doc) if doc is not None else None
