"""The tamper-evident hash chain over a province's events (sổ cái), kept by PostgreSQL itself.

Every row of `<schema>.ledger_events` gets `chain_hash = sha256(previous chain_hash || row)`, computed
by a BEFORE INSERT trigger while eventsourcing holds its EXCLUSIVE lock on the table, so the chain
follows the commit order exactly. The encoding of a row is fixed and documented in
`chain_input()`, so that anybody can recompute the chain outside the database. Positions are not
hashed: an exported history re-imported elsewhere reproduces the same head hash, while deleting,
editing or reordering a row still breaks the chain at that row.
"""

# ruff: noqa: S608 - the only interpolated names are schema names derived from validated codes

from __future__ import annotations

import hashlib
import struct
from uuid import UUID

GENESIS = bytes(32)


def chain_input(originator_id: UUID, originator_version: int, topic: str, state: bytes) -> bytes:
    """The bytes hashed after the previous hash: id (16), version (int8), len+topic, len+state."""
    topic_bytes = topic.encode("utf-8")
    return b"".join(
        (
            originator_id.bytes,
            struct.pack(">q", originator_version),
            struct.pack(">i", len(topic_bytes)),
            topic_bytes,
            struct.pack(">i", len(state)),
            state,
        )
    )


def next_hash(previous: bytes, originator_id: UUID, version: int, topic: str, state: bytes) -> bytes:
    return hashlib.sha256(previous + chain_input(originator_id, version, topic, state)).digest()


def chain_ddl(schema: str) -> list[str]:
    """Statements that add the chain column and the triggers; idempotent. `schema` is validated."""
    table = f'"{schema}"."ledger_events"'
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS chain_hash bytea",
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".ledger_chain() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        DECLARE
            prev bytea;
            topic_bytes bytea := convert_to(NEW.topic, 'UTF8');
        BEGIN
            SELECT chain_hash INTO prev FROM {table} ORDER BY notification_id DESC LIMIT 1;
            NEW.chain_hash := sha256(
                coalesce(prev, '\\x{GENESIS.hex()}'::bytea)
                || uuid_send(NEW.originator_id)
                || int8send(NEW.originator_version)
                || int4send(octet_length(topic_bytes)) || topic_bytes
                || int4send(octet_length(NEW.state)) || NEW.state
            );
            RETURN NEW;
        END
        $fn$
        """,
        f"""
        CREATE OR REPLACE TRIGGER ledger_chain BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION "{schema}".ledger_chain()
        """,
        # Events are never updated or deleted. An operator with superuser rights can still drop
        # this guard: that is what the chain and external checkpoints are for.
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".ledger_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            RAISE EXCEPTION 'events are immutable: % on ledger_events refused', TG_OP
                USING ERRCODE = 'raise_exception';
        END
        $fn$
        """,
        f"""
        CREATE OR REPLACE TRIGGER ledger_immutable BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION "{schema}".ledger_immutable()
        """,
        f"""
        CREATE OR REPLACE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".ledger_immutable()
        """,
    ]
