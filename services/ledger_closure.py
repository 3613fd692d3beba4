"""A merged province's ledger stays closed at its head, whichever process tries to write to it.

The closing event (`ProvinceLineage.Closed`) leaves a row in `<schema>.ledger_closure`, written by
the insert trigger in the closing event's own transaction; every later insert into the ledger
is refused by the same trigger with SQLSTATE `TDM01`, which the recorder turns into
`PROVINCE_MERGED`. A server process that opened the province before the merger (its cache knows
nothing of it) is refused by PostgreSQL all the same, and the head the successor recorded
stays the head.
"""

# ruff: noqa: S608 - the only interpolated names are schema names derived from validated codes

from __future__ import annotations

from eventsourcing.utils import get_topic

from thidua.domain.lineage import ProvinceLineage

CLOSED_SQLSTATE = "TDM01"


def closing_topic() -> str:
    return get_topic(ProvinceLineage.Closed)


def closure_ddl(schema: str) -> list[str]:
    """The closure table and its guard on the ledger; idempotent. `schema` is validated."""
    table = f'"{schema}"."ledger_events"'
    closure = f'"{schema}"."ledger_closure"'
    topic = closing_topic().replace("'", "''")
    return [
        f"""
        CREATE TABLE IF NOT EXISTS {closure} (
            id        int PRIMARY KEY CHECK (id = 1),
            closed_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".ledger_closed_guard() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            -- Inserts hold the ledger's EXCLUSIVE lock, so this sees every closure committed before.
            IF EXISTS (SELECT 1 FROM {closure}) THEN
                RAISE EXCEPTION 'ledger closed by a province merger: insert refused'
                    USING ERRCODE = '{CLOSED_SQLSTATE}';
            END IF;
            IF NEW.topic = '{topic}' THEN
                INSERT INTO {closure} (id) VALUES (1);
            END IF;
            RETURN NEW;
        END
        $fn$
        """,
        f"""
        CREATE OR REPLACE TRIGGER ledger_closed_guard BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION "{schema}".ledger_closed_guard()
        """,
    ]
