"""Look-up queries (tra cứu khen thưởng): award records by name, recipient, award, years, decision.

- `search_award_history(pool, province, criteria, *, after=None, limit=50)` -> `HistoryPage`:
  one page in the look-up's order (newest year first, then by name), keyset-paged by `after`
  (the `HistoryCursor` of the last entry seen), so a page starts exactly after the last row
  seen even while decisions are added;
- `iter_award_history(pool, province, criteria)`: every matching entry, page after page (what
  an export to a spreadsheet reads).

A search is folded like the names (`folding.fold`: no diacritics, đ → d, lower case) and each of
its words must begin a word of the recipient's name, in any order: "truong chinh tri" and
"chính trị trường" both find "Trường Chính trị tỉnh". Reads run under row-level security.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from thidua.projections.access import province_reader
from thidua.projections.awards.model import Title, history_of, run_ending
from thidua.projections.awards.projection import DOCS as AWARD_DOCS
from thidua.projections.awards.reducer import RECIPIENT
from thidua.projections.errors import ProjectionError
from thidua.projections.lookup.folding import fold
from thidua.projections.lookup.projection import SEARCH_FUNCTION, TABLE

MAX_SEARCH_CHARS = 200
MAX_SEARCH_WORDS = 12
MAX_PAGE = 1000
RECIPIENT_KINDS = ("unit", "staff")

_COLUMNS = (
    "position, seq, recipient_kind, recipient, name, current_name, sort_name, award, year, "
    "decision, decided_on, signer, authority, historical, prize_multiple, amount, revoked_by, "
    "revoked_on, revocation_ground"
)


@dataclass(frozen=True)
class HistoryCriteria:
    """What to look up; every criterion given must hold (all None: every record)."""

    search: str | None = None
    recipient_kind: str | None = None  # unit (tập thể) | staff (cá nhân)
    recipient: str | None = None
    award: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    decision: str | None = None


@dataclass(frozen=True)
class HistoryCursor:
    """Where an entry sits in the look-up's order (year descending, then name, then position)."""

    year: int
    sort_name: str
    position: int
    seq: int


@dataclass(frozen=True)
class HistoryEntry:
    """One recipient named by one decision (một lượt khen thưởng)."""

    recipient_kind: str
    recipient: str
    name: str  # as the decision names the recipient
    current_name: str | None  # the unit's name since, when it was renamed
    award: str
    year: int
    decision: str
    decided_on: date | None
    signer: str | None
    authority: str | None
    historical: bool
    prize_multiple: Decimal | None
    amount: int | None  # đồng; None when the decision carries no amount
    revoked_by: str | None
    revoked_on: date | None
    revocation_ground: str | None
    consecutive_years: int  # years in a row holding this award, up to this year
    cursor: HistoryCursor


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntry, ...]
    has_next: bool


class SearchTooLong(ProjectionError):
    code = "SEARCH_TOO_LONG"


class SearchEmpty(ProjectionError):
    code = "SEARCH_EMPTY"


class InvalidLookup(ProjectionError):
    code = "INVALID_LOOKUP"


def search_query(search: str) -> str:
    """The tsquery text of a search (each folded word as a prefix), or a typed refusal."""
    if len(search) > MAX_SEARCH_CHARS:
        raise SearchTooLong(
            f"Từ khóa tìm kiếm dài {len(search)} ký tự; tối đa {MAX_SEARCH_CHARS} ký tự.",
            field="search",
            length=len(search),
        )
    found = fold(search).split()
    if not found:
        raise SearchEmpty("Từ khóa tìm kiếm phải có ít nhất một chữ cái hoặc chữ số.", field="search")
    if len(found) > MAX_SEARCH_WORDS:
        raise SearchTooLong(
            f"Từ khóa tìm kiếm có {len(found)} từ; tối đa {MAX_SEARCH_WORDS} từ.", field="search"
        )
    # Folded words hold letters and digits only, so quoting them is safe: no operator, no quote.
    # Whole words but the last, which may be still being typed: a GIN index intersects whole
    # words by skipping through the rarest one's rows, while a prefix makes it gather every row
    # of every word it begins (every "nguyen" of the province).
    *whole, last = dict.fromkeys(found)
    return " & ".join([*(f"'{word}'" for word in whole), f"'{last}':*"])


def check_criteria(criteria: HistoryCriteria) -> None:
    """Refuse criteria no look-up can answer (typed codes, Vietnamese messages)."""
    if criteria.search is not None:
        search_query(criteria.search)
    if criteria.recipient_kind is not None and criteria.recipient_kind not in RECIPIENT_KINDS:
        raise InvalidLookup(
            f"Loại đối tượng «{criteria.recipient_kind[:40]}» không hợp lệ: unit (tập thể) hoặc "
            "staff (cá nhân).",
            field="recipientKind",
        )
    low, high = criteria.from_year, criteria.to_year
    if low is not None and high is not None and low > high:
        raise InvalidLookup(f"Từ năm {low} phải không sau đến năm {high}.", field="fromYear")


def _where(criteria: HistoryCriteria, after: HistoryCursor | None) -> tuple[str, list[Any]]:
    conditions = ["province = $1"]
    args: list[Any] = []

    def add(template: str, value: Any) -> None:
        args.append(value)
        conditions.append(template.replace("?", f"${len(args) + 1}"))

    for column, value in (
        ("recipient_kind", criteria.recipient_kind),
        ("recipient", criteria.recipient),
        ("award", criteria.award),
        ("decision", criteria.decision),
    ):
        if value is not None:
            add(f"{column} = ?", value)
    if criteria.from_year is not None:
        add("year >= ?", criteria.from_year)
    if criteria.to_year is not None:
        add("year <= ?", criteria.to_year)
    if after is not None:
        base = len(args) + 2
        args.extend([after.year, after.sort_name, after.position, after.seq])
        conditions.append(
            f"(year < ${base} OR (year = ${base} AND (sort_name, position, seq) > "
            f"(${base + 1}, ${base + 2}::bigint, ${base + 3}::int)))"
        )
    return " AND ".join(conditions), args


def page_sql(
    province: str, criteria: HistoryCriteria, after: HistoryCursor | None, limit: int
) -> tuple[str, list[Any]]:
    """The statement and arguments of one page (checked criteria; `limit` rows at most)."""
    check_criteria(criteria)
    c = criteria
    if c.search is not None:
        # Searches go through the search function (see the projection: why, and what it checks).
        keyset = (after.year, after.sort_name, after.position, after.seq) if after else (None,) * 4
        args = [
            province,
            search_query(c.search),
            c.recipient_kind,
            c.recipient,
            c.award,
            c.from_year,
            c.to_year,
            c.decision,
            *keyset,
            limit,
        ]
        return (
            f"SELECT {_COLUMNS} FROM readmodel.{SEARCH_FUNCTION}($2::tsquery, $3, $4, $5, $6, $7, "  # noqa: S608
            "$8, $9, $10, $11::bigint, $12, $13) WHERE province = $1",
            args,
        )
    where, params = _where(criteria, after)
    sql = (
        f"SELECT {_COLUMNS} FROM readmodel.{TABLE} WHERE {where} "  # noqa: S608 - our columns
        f"ORDER BY year DESC, sort_name, position, seq LIMIT ${len(params) + 2}"
    )
    return sql, [province, *params, limit]


async def search_award_history(
    pool: Any,
    province: str,
    criteria: HistoryCriteria,
    *,
    after: HistoryCursor | None = None,
    limit: int = 50,
) -> HistoryPage:
    """One page of award records matching `criteria`, after `after`."""
    limit = max(1, min(limit, MAX_PAGE))
    sql, args = page_sql(province, criteria, after, limit + 1)
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(sql, *args)
        page = rows[:limit]
        titles = await _titles(conn, province, {(r["recipient_kind"], r["recipient"]) for r in page})
    entries = tuple(_entry(r, titles.get((r["recipient_kind"], r["recipient"]), ())) for r in page)
    return HistoryPage(entries, len(rows) > limit)


async def count_award_history(pool: Any, province: str, criteria: HistoryCriteria) -> int:
    """How many award records match `criteria` (every page), counted the way a page is read."""
    sql, args = page_sql(province, criteria, None, 1)
    if criteria.search is not None:
        args[-1] = None  # the search function's `page`: LIMIT NULL counts every match
        sql = f"SELECT count(*) FROM ({sql}) AS matched"  # noqa: S608 - our own statement
    else:
        where, params = _where(criteria, None)
        sql = f"SELECT count(*) FROM readmodel.{TABLE} WHERE {where}"  # noqa: S608 - our columns
        args = [province, *params]
    async with province_reader(pool, province) as conn:
        return int(await conn.fetchval(sql, *args))


async def iter_award_history(
    pool: Any, province: str, criteria: HistoryCriteria, *, page: int = 500
) -> AsyncIterator[HistoryEntry]:
    """Every entry matching `criteria`, in the look-up's order, fetched a page at a time."""
    after: HistoryCursor | None = None
    while True:
        found = await search_award_history(pool, province, criteria, after=after, limit=page)
        for entry in found.entries:
            yield entry
        if not found.has_next or not found.entries:
            return
        after = found.entries[-1].cursor


async def _titles(
    conn: Any, province: str, recipients: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[Title, ...]]:
    """Each recipient's titles as the awards register keeps them (merged predecessors' too)."""
    if not recipients:
        return {}
    rows = await conn.fetch(
        f"SELECT doc::text FROM readmodel.{AWARD_DOCS.name} "  # noqa: S608 - our table
        "WHERE province = $1 AND kind = $2 AND key = ANY($3::text[])",
        province,
        RECIPIENT,
        sorted(f"{kind}:{key}" for kind, key in recipients),
    )
    found = {}
    for row in rows:
        history = history_of(json.loads(row[0]))
        found[(history.recipient_kind, history.recipient)] = history.titles
    return found


def _entry(r: Any, titles: tuple[Title, ...]) -> HistoryEntry:
    revoked = r["revoked_by"]
    return HistoryEntry(
        recipient_kind=r["recipient_kind"],
        recipient=r["recipient"],
        name=r["name"],
        current_name=r["current_name"],
        award=r["award"],
        year=r["year"],
        decision=r["decision"],
        decided_on=r["decided_on"],
        signer=r["signer"],
        authority=r["authority"],
        historical=r["historical"],
        prize_multiple=r["prize_multiple"],
        amount=r["amount"],
        revoked_by=revoked,
        revoked_on=r["revoked_on"],
        revocation_ground=r["revocation_ground"],
        consecutive_years=0 if revoked else run_ending(titles, r["award"], r["year"]),
        cursor=HistoryCursor(r["year"], r["sort_name"], r["position"], r["seq"]),
    )
