"""Sealing secret ballot papers (niêm phong phiếu bầu kín) with a per-ballot key held outside events.

At opening, a fresh AES-256-GCM key is stored in the province's `ballot_keys` table, never in an
event. A paper is sealed as base64(nonce + AESGCM(f"{paper_id}|{choice}" padded to a fixed
length)): the padding keeps the ciphertext's length from betraying the choice. The voter gets the
random `paper_id` back as a receipt to find their paper in the published list. At the tally the
papers are opened and shuffled, the tally is recorded, and the key row is deleted. See
docs/secret-ballot.md for what this protects against and what it does not.
"""

from __future__ import annotations

import base64
import secrets
from contextlib import AbstractContextManager
from typing import Any, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import sql

from thidua.domain.errors import Conflict

NONCE_BYTES = 12
PADDED_LENGTH = 256  # every plaintext is padded to this many bytes before sealing


class KeyVault(Protocol):
    """Where per-ballot keys live while a ballot is open (never the event store)."""

    def put(self, ballot_id: UUID, key: bytes) -> None: ...
    def get(self, ballot_id: UUID) -> bytes | None: ...
    def delete(self, ballot_id: UUID) -> None: ...


class MemoryKeyVault:
    """For applications on POPO persistence (tests): the keys die with the process."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes] = {}

    def put(self, ballot_id: UUID, key: bytes) -> None:
        if ballot_id in self._keys:
            raise BallotKeyExists("Khóa niêm phong của cuộc bỏ phiếu đã tồn tại.")
        self._keys[ballot_id] = key

    def get(self, ballot_id: UUID) -> bytes | None:
        return self._keys.get(ballot_id)

    def delete(self, ballot_id: UUID) -> None:
        self._keys.pop(ballot_id, None)


class Datastore(Protocol):
    schema: str

    def transaction(self, *, commit: bool = False) -> AbstractContextManager[Any]: ...


class PostgresKeyVault:
    """Keys in `<province schema>.ballot_keys`, beside (not inside) the events table."""

    def __init__(self, datastore: Datastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, "ballot_keys")
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (ballot_id uuid PRIMARY KEY, key bytea NOT NULL, "
                    "created_at timestamptz NOT NULL DEFAULT now())"
                ).format(self.table)
            )

    def put(self, ballot_id: UUID, key: bytes) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                sql.SQL("INSERT INTO {} (ballot_id, key) VALUES (%s, %s) ON CONFLICT DO NOTHING").format(
                    self.table
                ),
                (ballot_id, key),
            )
            if cursor.rowcount != 1:
                raise BallotKeyExists("Khóa niêm phong của cuộc bỏ phiếu đã tồn tại.")

    def get(self, ballot_id: UUID) -> bytes | None:
        with self.datastore.transaction() as cursor:
            cursor.execute(
                sql.SQL("SELECT key FROM {} WHERE ballot_id = %s").format(self.table), (ballot_id,)
            )
            row = cursor.fetchone()
        return bytes(row["key"]) if row else None

    def delete(self, ballot_id: UUID) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql.SQL("DELETE FROM {} WHERE ballot_id = %s").format(self.table), (ballot_id,))


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_paper_id() -> str:
    """Random, so that sorting the published papers by id reveals nothing about casting order."""
    return secrets.token_hex(16)


def seal(key: bytes, ballot_id: UUID, paper_id: str, choice: str) -> str:
    plaintext = f"{paper_id}|{choice}".encode()
    if len(plaintext) >= PADDED_LENGTH:
        raise ValueError("choice too long to seal")
    padded = plaintext + b"\x00" * (PADDED_LENGTH - len(plaintext))
    nonce = secrets.token_bytes(NONCE_BYTES)
    # The ballot id is bound as associated data: a paper cannot be replayed into another ballot.
    sealed = AESGCM(key).encrypt(nonce, padded, ballot_id.bytes)
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, ballot_id: UUID, sealed: str) -> dict[str, str]:
    raw = base64.b64decode(sealed)
    try:
        padded = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ballot_id.bytes)
    except InvalidTag:
        raise PaperTampered("Một phiếu kín không mở được: phiếu đã bị sửa hoặc sai khóa.") from None
    paper_id, _, choice = padded.rstrip(b"\x00").decode().partition("|")
    return {"paper_id": paper_id, "choice": choice}


class BallotKeyExists(Conflict):
    code = "BALLOT_KEY_EXISTS"


class BallotKeyMissing(Conflict):
    """The key is gone (already tallied, or lost): the sealed papers can no longer be opened."""

    code = "BALLOT_KEY_MISSING"


class PaperTampered(Conflict):
    code = "SEALED_PAPER_TAMPERED"
