"""The board's worklist of dossiers (danh sách hồ sơ cần xử lý), from the awards register.

- `list_dossiers(pool, province, *, today, status=None, assigned_to=None, overdue=None,
  after=None, limit=50)` -> `list[Proposal]`, ordered by key (keyset via `after`): by status, by
  the officer assigned (chuyên viên), and overdue (the current stage was due before `today`, an
  ISO date) or not.
- `count_dossiers(pool, province, *, today, status=None, assigned_to=None, overdue=None)` -> how
  many `list_dossiers` pages through.
"""

from __future__ import annotations

import json
from typing import Any

from thidua.projections.access import province_reader
from thidua.projections.awards.model import Proposal, proposal_of
from thidua.projections.awards.projection import DOCS
from thidua.projections.awards.queries import with_group_counts
from thidua.projections.awards.reducer import DECISION, PROPOSAL

_DOCS = f"readmodel.{DOCS.name}"


_FILTERS = (
    "province = $1 AND kind = $2 AND ($3::text IS NULL OR status = $3) "
    "AND ($4::text IS NULL OR doc->>'assigned_to' = $4) "
    "AND ($5::bool IS NULL OR COALESCE(doc->>'due_on' < $6, false) = $5)"
)


async def count_dossiers(
    pool: Any,
    province: str,
    *,
    today: str,
    status: str | None = None,
    assigned_to: str | None = None,
    overdue: bool | None = None,
) -> int:
    async with province_reader(pool, province) as conn:
        value = await conn.fetchval(
            f"SELECT count(*) FROM {_DOCS} WHERE {_FILTERS}",  # noqa: S608
            province,
            PROPOSAL,
            status,
            assigned_to,
            overdue,
            today,
        )
    return int(value)


async def list_dossiers(
    pool: Any,
    province: str,
    *,
    today: str,
    status: str | None = None,
    assigned_to: str | None = None,
    overdue: bool | None = None,
    after: str | None = None,
    limit: int = 50,
) -> list[Proposal]:
    """Dossiers by key: of a status, assigned to an officer, overdue on a day (filters combine)."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc::text FROM {_DOCS} WHERE {_FILTERS} "  # noqa: S608
            "AND ($7::text IS NULL OR key > $7) ORDER BY key LIMIT $8",
            province,
            PROPOSAL,
            status,
            assigned_to,
            overdue,
            today,
            after,
            max(1, min(limit, 1000)),
        )
        docs = [json.loads(r[1]) for r in rows]
        numbers = sorted({d["decision"] for d in docs if d.get("decision")})
        found = await conn.fetch(
            f"SELECT key, doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND key = ANY($3::text[])",
            province,
            DECISION,
            numbers,
        )
        decisions = {r[0]: json.loads(r[1]) for r in found}
        proposals = [proposal_of(d, decisions.get(d.get("decision") or "")) for d in docs]
        return await with_group_counts(conn, province, proposals)
