"""The province's file store (kho tệp): `<schema>.attachments`, one row per distinct content.

A file is kept under the SHA-256 of its bytes, in the province's own schema beside its events,
so a file of one province is never served to another, even when both hold the same bytes: each
keeps its own row, found only through the caller's province. Rows are never updated or deleted
(a trigger refuses it, as for events); storing the same content again changes nothing.

Nothing here records an event: a file becomes part of the history when a dossier item points to
it (`attachDocument`), whose event carries the hash, name, media type and size. A file uploaded
and never attached stays in the store, outside the history (export carries attached files only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from thidua.services.tenancy import schema_for

TABLE = "attachments"


def attachments_ddl(schema: str) -> list[str]:
    """Statements creating the store and its guards in a (validated) province schema; idempotent."""
    table = f'"{schema}"."{TABLE}"'
    return [
        f"""
        CREATE TABLE IF NOT EXISTS {table} (
            sha256     bytea       PRIMARY KEY CHECK (octet_length(sha256) = 32),
            size       bigint      NOT NULL CHECK (size > 0),
            media_type text        NOT NULL,
            content    bytea       NOT NULL,
            stored_at  timestamptz NOT NULL DEFAULT now()
        )
        """,
        # Documents and images are compressed already: keep them out of line, uncompressed.
        f"ALTER TABLE {table} ALTER COLUMN content SET STORAGE EXTERNAL",
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".attachments_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            RAISE EXCEPTION 'stored files are immutable: % on attachments refused', TG_OP
                USING ERRCODE = 'raise_exception';
        END
        $fn$
        """,
        f"""
        CREATE OR REPLACE TRIGGER attachments_immutable BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION "{schema}".attachments_immutable()
        """,
        f"""
        CREATE OR REPLACE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".attachments_immutable()
        """,
    ]


def table_of(province: str) -> str:
    """The quoted store of a province (its schema derived from the validated code)."""
    return f'"{schema_for(province)}"."{TABLE}"'


@dataclass(frozen=True)
class StoredBlob:
    """What the store knows of a file: its hash (hex), size and media type (from its content)."""

    sha256: str
    size: int
    media_type: str


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


async def store(conn: Any, province: str, content: bytes, media_type: str) -> tuple[StoredBlob, bool]:
    """Keep `content` (checked by the caller); (what is stored, whether it was new)."""
    hashed = hashlib.sha256(content).digest()
    inserted = await conn.fetchval(
        f"INSERT INTO {table_of(province)} (sha256, size, media_type, content) "  # noqa: S608
        "VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING RETURNING true",
        hashed,
        len(content),
        media_type,
        content,
    )
    row = await conn.fetchrow(
        f"SELECT size, media_type FROM {table_of(province)} WHERE sha256 = $1",  # noqa: S608
        hashed,
    )
    return StoredBlob(hashed.hex(), int(row["size"]), str(row["media_type"])), bool(inserted)


async def fetch(conn: Any, province: str, sha256: str) -> tuple[StoredBlob, bytes] | None:
    """A stored file of `province` by its hash (hex), or None."""
    row = await conn.fetchrow(
        f"SELECT size, media_type, content FROM {table_of(province)} WHERE sha256 = $1",  # noqa: S608
        bytes.fromhex(sha256),
    )
    if row is None:
        return None
    return StoredBlob(sha256, int(row["size"]), str(row["media_type"])), bytes(row["content"])


def blob_info_sync(conn: Any, schema: str, sha256: str) -> StoredBlob | None:
    """The same look-up for the write side (a psycopg connection of the province application)."""
    row = conn.execute(
        f'SELECT size, media_type FROM "{schema}"."{TABLE}" WHERE sha256 = %s',  # noqa: S608
        (bytes.fromhex(sha256),),
    ).fetchone()
    if row is None:
        return None
    size, media = (row["size"], row["media_type"]) if isinstance(row, dict) else (row[0], row[1])
    return StoredBlob(sha256, int(size), str(media))
