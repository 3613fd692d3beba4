"""Sealing secret ballot papers (niêm phong phiếu bầu kín) to a key that no one holds alone.

Opening: a random 16-byte seed is drawn; the ballot's X25519 private key is derived from it
with HKDF (salted with the ballot id, so a seed opens one ballot only). Only the public key is
recorded (in `Ballot.Opened`). The seed is split k-of-n among the ballot's tellers (ban kiểm
phiếu) with Shamir's scheme (pycryptodome, over GF(2^128)); the shares are handed back once,
in the answer to the opening, and are never written anywhere: not in an event, a table, an
idempotency outcome or a log. A digest of each share is recorded, so a mistyped or wrong share
is named at the tally.

Casting: a paper is `f"{paper_id}|{choice}"` padded with NUL bytes to `PADDED_LENGTH`, so the
ciphertext's length says nothing of the choice, and sealed as
base64(version ‖ ephemeral X25519 public key ‖ nonce ‖ AES-256-GCM ciphertext): the AES key is
HKDF of the X25519 shared secret with both public keys, the ballot id is the associated data
(a paper cannot be moved to another ballot). The server needs no secret to seal.

Tally: `tellers_needed` shares rebuild the seed, the private key is derived and checked against
the recorded public key, the papers are opened; the key lives in the memory of the tallying
command only and nothing of it is written anywhere. docs/secret-ballot.md has the threat model.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from thidua.domain.ballot_options import MAX_OPTION_CHARS
from thidua.domain.errors import Conflict, InvalidInput, RuleViolation

SEED_BYTES = 16  # what pycryptodome's Shamir shares; HKDF stretches it into the X25519 key
PAPER_VERSION = b"\x02"  # version 1 was the AES key kept in a table (ballot_seal_legacy)
NONCE_BYTES = 12
KEY_BYTES = 32
PAPER_ID_BYTES = 16
PADDED_LENGTH = 512  # every paper's plaintext is padded to this many bytes before sealing
# The longest paper: a hex paper id, the separator, the longest option at 4 UTF-8 bytes a character.
assert 2 * PAPER_ID_BYTES + 1 + 4 * MAX_OPTION_CHARS < PADDED_LENGTH

_KEY_INFO = b"thidua ballot private key v2"
_PAPER_INFO = b"thidua ballot paper v2"
_SHARE_DIGEST_PREFIX = b"thidua ballot share v2"
_SHARE_TEXT = re.compile(r"^(\d{1,3})[\s:-]+((?:[0-9a-fA-F][\s-]*){32})$")
_SHARE_MAX_CHARS = 120  # a share with a separator between every digit still fits


@dataclass(frozen=True)
class TellerShare:
    """One teller's share, as handed over at the opening and typed in at the tally."""

    teller: str
    number: int  # 1..n, the teller's place in the ballot's list of tellers
    share: str  # e.g. "2-9f86d081-884c7d65-9a2feaa0-c55ad015"


@dataclass(frozen=True)
class BallotKey:
    """What an opening makes: the public part to record and the shares to hand out once."""

    public_key: str
    share_digests: list[str]
    shares: list[TellerShare]


def new_ballot_key(ballot_id: UUID, tellers: Sequence[str], needed: int) -> BallotKey:
    """A fresh key pair for one ballot; the private key exists only as the tellers' shares."""
    seed = secrets.token_bytes(SEED_BYTES)
    public_key = _public_bytes(private_key_from_seed(ballot_id, seed).public_key())
    split = Shamir.split(needed, len(tellers), seed)
    shares = [TellerShare(tellers[n - 1], n, _share_text(n, share)) for n, share in split]
    digests = [share_digest(ballot_id, n, share) for n, share in split]
    del seed, split
    return BallotKey(_b64(public_key), digests, shares)


def share_digest(ballot_id: UUID, number: int, share: bytes) -> str:
    """Recorded at opening: recognises a teller's share at the tally (the share has 128 random
    bits, so its digest cannot be inverted)."""
    return hashlib.sha256(_SHARE_DIGEST_PREFIX + ballot_id.bytes + bytes([number]) + share).hexdigest()


def new_paper_id() -> str:
    """Random, so that sorting the published papers by id reveals nothing about casting order."""
    return secrets.token_hex(PAPER_ID_BYTES)


def seal_paper(public_key: str, ballot_id: UUID, paper_id: str, choice: str) -> str:
    """Seal one paper to the ballot's public key (no secret of the server is involved)."""
    plaintext = f"{paper_id}|{choice}".encode()
    if len(plaintext) > PADDED_LENGTH:  # impossible for an option accepted at opening
        raise PaperTooLong("Phương án đã chọn dài hơn phiếu kín chứa được.")
    recipient = X25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral.public_key())
    key = _paper_key(ephemeral.exchange(recipient), ephemeral_public, _public_bytes(recipient))
    nonce = secrets.token_bytes(NONCE_BYTES)
    padded = plaintext + b"\x00" * (PADDED_LENGTH - len(plaintext))
    sealed = AESGCM(key).encrypt(nonce, padded, ballot_id.bytes)
    return _b64(PAPER_VERSION + ephemeral_public + nonce + sealed)


def open_paper(private_key: X25519PrivateKey, ballot_id: UUID, sealed: str) -> dict[str, str]:
    raw = base64.b64decode(sealed)
    head = len(PAPER_VERSION) + KEY_BYTES
    if raw[:1] != PAPER_VERSION or len(raw) != head + NONCE_BYTES + PADDED_LENGTH + 16:
        raise PaperTampered("Một phiếu kín không mở được: phiếu đã bị sửa.")
    ephemeral_public = raw[1:head]
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _paper_key(shared, ephemeral_public, _public_bytes(private_key.public_key()))
    try:
        padded = AESGCM(key).decrypt(
            raw[head : head + NONCE_BYTES], raw[head + NONCE_BYTES :], ballot_id.bytes
        )
    except InvalidTag:
        raise PaperTampered("Một phiếu kín không mở được: phiếu đã bị sửa hoặc sai khóa.") from None
    paper_id, _, choice = padded.rstrip(b"\x00").decode().partition("|")
    return {"paper_id": paper_id, "choice": choice}


def recover_private_key(
    ballot_id: UUID,
    *,
    public_key: str,
    tellers: Sequence[str],
    needed: int,
    share_digests: Sequence[str],
    shares: Sequence[str],
) -> X25519PrivateKey:
    """The ballot's private key from at least `needed` tellers' shares, each checked against
    its recorded digest; the rebuilt key is checked against the recorded public key."""
    given: dict[int, bytes] = {}
    for text in shares:
        number, share = parse_share(text, len(tellers))
        if number in given:
            raise BallotShareMalformed(
                f"Mảnh khóa của người kiểm phiếu thứ {number} được nộp hai lần.",
                field="shares",
                number=number,
            )
        if not secrets.compare_digest(share_digest(ballot_id, number, share), share_digests[number - 1]):
            raise BallotShareWrong(
                f"Mảnh khóa nộp cho người kiểm phiếu thứ {number} ({tellers[number - 1]}) không đúng.",
                field="shares",
                number=number,
                teller=tellers[number - 1],
            )
        given[number] = share
    if len(given) < needed:
        raise BallotSharesTooFew(
            f"Cần mảnh khóa của {needed} người kiểm phiếu để mở phiếu kín (đã nộp {len(given)}).",
            field="shares",
            needed=needed,
            given=len(given),
        )
    seed = Shamir.combine(list(given.items()))
    private_key = private_key_from_seed(ballot_id, seed)
    del seed, given
    if _b64(_public_bytes(private_key.public_key())) != public_key:
        raise BallotShareWrong("Các mảnh khóa không dựng lại được khóa của cuộc bỏ phiếu.", field="shares")
    return private_key


def parse_share(text: str, tellers: int) -> tuple[int, bytes]:
    """`"2-9f86d081-884c7d65-9a2feaa0-c55ad015"`: the teller's number, then 32 hex digits
    (dashes and spaces between them are ignored)."""
    text = text.strip()
    match = _SHARE_TEXT.match(text) if len(text) <= _SHARE_MAX_CHARS else None
    number = int(match.group(1)) if match else 0
    if match is None or not 1 <= number <= tellers:
        raise BallotShareMalformed(
            "Mảnh khóa phải có dạng «số thứ tự người kiểm phiếu-32 chữ số hệ 16», như đã được trao.",
            field="shares",
        )
    try:
        share = binascii.unhexlify(re.sub(r"[\s-]", "", match.group(2)))
    except binascii.Error:
        raise BallotShareMalformed("Mảnh khóa không đọc được.", field="shares") from None
    return number, share


def _share_text(number: int, share: bytes) -> str:
    digits = share.hex()
    return f"{number}-" + "-".join(digits[i : i + 8] for i in range(0, len(digits), 8))


def private_key_from_seed(ballot_id: UUID, seed: bytes) -> X25519PrivateKey:
    """The ballot's private key: HKDF of the seed the shares rebuild, salted with the ballot id."""
    derived = HKDF(hashes.SHA256(), KEY_BYTES, salt=ballot_id.bytes, info=_KEY_INFO).derive(seed)
    return X25519PrivateKey.from_private_bytes(derived)


def _paper_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    info = _PAPER_INFO + ephemeral_public + recipient_public
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=info).derive(shared)


def _public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


class BallotKeyMissing(Conflict):
    """A ballot sealed with a kept key whose row is gone: its papers can no longer be opened."""

    code = "BALLOT_KEY_MISSING"


class BallotKeyNotStored(Conflict):
    """Ballots sealed to their tellers have no stored key to destroy."""

    code = "BALLOT_KEY_NOT_STORED"


class PaperTampered(Conflict):
    code = "SEALED_PAPER_TAMPERED"


class PaperTooLong(InvalidInput):
    code = "SEALED_PAPER_TOO_LONG"


class BallotShareMalformed(InvalidInput):
    code = "BALLOT_SHARE_MALFORMED"


class BallotShareWrong(RuleViolation):
    code = "BALLOT_SHARE_WRONG"


class BallotSharesTooFew(RuleViolation):
    code = "BALLOT_SHARES_TOO_FEW"
