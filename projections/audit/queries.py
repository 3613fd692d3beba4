"""Queries of the audit trail (nhật ký kiểm tra), for auditors (thanh tra) and "explain".

All take a pool (or a fresh connection) and the caller's province, read under row-level security,
and page by position (keyset: pass the last position seen as `after`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from thidua.projections.access import province_reader
from thidua.projections.audit.projection import TABLE

MAX_PAGE = 1000


@dataclass(frozen=True)
class AuditEntry:
    """One event: where it sits in the province's history, who, when, what (payload)."""

    position: int
    recorded_at: datetime
    effective_on: date | None
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    event_type: str
    actor_user: str | None
    actor_role: str | None
    actor_unit: str | None
    correlation_id: str | None
    summary_vi: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    next_after: int | None  # pass as `after` for the next page; None at the end


_SELECT = (
    "SELECT position, recorded_at, effective_on, aggregate_type, aggregate_id, aggregate_version, "  # noqa: S608 - our table
    "event_type, actor_user, actor_role, actor_unit, correlation_id, summary_vi, payload::text "
    f"FROM readmodel.{TABLE} "
)


def _entry(r: Any) -> AuditEntry:
    return AuditEntry(
        position=r[0],
        recorded_at=r[1],
        effective_on=r[2],
        aggregate_type=r[3],
        aggregate_id=r[4],
        aggregate_version=r[5],
        event_type=r[6],
        actor_user=r[7],
        actor_role=r[8],
        actor_unit=r[9],
        correlation_id=r[10],
        summary_vi=r[11],
        payload=json.loads(r[12]),
    )


async def list_audit_trail(
    pool: Any,
    province: str,
    *,
    after: int = 0,
    limit: int = 100,
    aggregate_id: UUID | None = None,
    correlation_id: str | None = None,
    subject: str | None = None,
    event_type: str | None = None,
    recorded_before: datetime | None = None,
) -> AuditPage:
    """Events in position order after `after`, optionally of one aggregate, one command
    (correlation id), one subject (`unit:<key>`, `block-year:<block>/<year>`, ...) or type."""
    limit = max(1, min(limit, MAX_PAGE))
    conditions, args = _filters(
        province,
        after,
        aggregate_id=aggregate_id,
        correlation_id=correlation_id,
        subject=subject,
        event_type=event_type,
        recorded_before=recorded_before,
    )
    args.append(limit + 1)
    sql = _SELECT + f"WHERE {' AND '.join(conditions)} ORDER BY position LIMIT ${len(args)}"
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(sql, *args)
    entries = tuple(_entry(r) for r in rows[:limit])
    more = len(rows) > limit
    return AuditPage(entries, entries[-1].position if more and entries else None)


def _filters(
    province: str,
    after: int,
    *,
    aggregate_id: UUID | None,
    correlation_id: str | None,
    subject: str | None,
    event_type: str | None,
    recorded_before: datetime | None,
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions of the trail's filters, with their arguments ($1, $2, ...)."""
    conditions = ["province = $1", "position > $2"]
    args: list[Any] = [province, after]
    for column, value in (
        ("aggregate_id", aggregate_id),
        ("correlation_id", correlation_id),
        ("event_type", event_type),
    ):
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    if subject is not None:
        args.append([subject])
        conditions.append(f"subjects @> ${len(args)}::text[]")
    if recorded_before is not None:
        args.append(recorded_before)
        conditions.append(f"recorded_at <= ${len(args)}")
    return conditions, args


async def count_audit_trail(
    pool: Any,
    province: str,
    *,
    aggregate_id: UUID | None = None,
    correlation_id: str | None = None,
    subject: str | None = None,
    event_type: str | None = None,
    recorded_before: datetime | None = None,
) -> int:
    """How many events `list_audit_trail` pages through with the same filters."""
    conditions, args = _filters(
        province,
        0,
        aggregate_id=aggregate_id,
        correlation_id=correlation_id,
        subject=subject,
        event_type=event_type,
        recorded_before=recorded_before,
    )
    sql = f"SELECT count(*) FROM readmodel.{TABLE} WHERE {' AND '.join(conditions)}"  # noqa: S608
    async with province_reader(pool, province) as conn:
        return int(await conn.fetchval(sql, *args))


async def audit_entries_at(pool: Any, province: str, positions: Sequence[int]) -> tuple[AuditEntry, ...]:
    """The entries at the given positions, in position order (used by "explain")."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            _SELECT + "WHERE province = $1 AND position = ANY($2::bigint[]) ORDER BY position",
            province,
            sorted(set(positions)),
        )
    return tuple(_entry(r) for r in rows)
