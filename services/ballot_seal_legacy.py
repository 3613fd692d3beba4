"""Secret ballots opened before the tellers' keys (kiểu niêm phong cũ): read, never made any more.

Until the tellers' keys, a secret ballot's AES-256-GCM key was a row of the province schema's
`ballot_keys` table, and a paper was base64(nonce ‖ AESGCM(f"{paper_id}|{choice}" padded to
256 bytes)) with the ballot id as associated data. A ledger recorded then still replays as it
is (the papers stay ciphertext); a ballot that was still open when the instance was upgraded
takes its remaining papers and is tallied with its kept key, which is then deleted and
`Ballot.SealingKeyDestroyed` recorded.
Nothing here creates the table or a key: new secret ballots are sealed to their tellers
(`ballot_seal`). Such a ballot has the old design's weakness until it is tallied: whoever can
read the table can open its papers (docs/secret-ballot.md).
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

from thidua.services.ballot_seal import PaperTampered

NONCE_BYTES = 12
PADDED_LENGTH = 256
TABLE = "ballot_keys"


class Datastore(Protocol):
    schema: str

    def transaction(self, *, commit: bool = False) -> AbstractContextManager[Any]: ...


class KeptKeys:
    """The old `<province schema>.ballot_keys` table, if this province ever had one."""

    def __init__(self, datastore: Datastore | None) -> None:
        self.datastore = datastore

    def get(self, ballot_id: UUID) -> bytes | None:
        if self.datastore is None:
            return None
        with self.datastore.transaction() as cursor:
            cursor.execute("SELECT to_regclass(%s) AS t", (f'"{self.datastore.schema}".{TABLE}',))
            row = cursor.fetchone()
            if row is None or row["t"] is None:
                return None
            cursor.execute(
                sql.SQL("SELECT key FROM {} WHERE ballot_id = %s").format(
                    sql.Identifier(self.datastore.schema, TABLE)
                ),
                (ballot_id,),
            )
            found = cursor.fetchone()
        return bytes(found["key"]) if found else None

    def delete(self, ballot_id: UUID) -> None:
        if self.datastore is None:
            return
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT to_regclass(%s) AS t", (f'"{self.datastore.schema}".{TABLE}',))
            row = cursor.fetchone()
            if row is None or row["t"] is None:
                return
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE ballot_id = %s").format(
                    sql.Identifier(self.datastore.schema, TABLE)
                ),
                (ballot_id,),
            )


def seal_kept_key_paper(key: bytes, ballot_id: UUID, paper_id: str, choice: str) -> str:
    """Papers cast after the upgrade into a ballot opened before it: sealed as its others were."""
    plaintext = f"{paper_id}|{choice}".encode()
    if len(plaintext) >= PADDED_LENGTH:
        raise ValueError("too long for the old seal")
    nonce = secrets.token_bytes(NONCE_BYTES)
    padded = plaintext + b"\x00" * (PADDED_LENGTH - len(plaintext))
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, padded, ballot_id.bytes)).decode("ascii")


def open_kept_key_paper(key: bytes, ballot_id: UUID, sealed: str) -> dict[str, str]:
    raw = base64.b64decode(sealed)
    try:
        padded = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ballot_id.bytes)
    except InvalidTag:
        raise PaperTampered("Một phiếu kín không mở được: phiếu đã bị sửa hoặc sai khóa.") from None
    paper_id, _, choice = padded.rstrip(b"\x00").decode().partition("|")
    return {"paper_id": paper_id, "choice": choice}
