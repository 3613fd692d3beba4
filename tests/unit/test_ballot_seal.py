"""The seal of secret ballot papers: sealed to a public key, opened only with k tellers' shares."""

from __future__ import annotations

import base64
import io
import logging
import uuid
from itertools import combinations

import pytest
import structlog
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from thidua.domain.ballot_options import MAX_OPTION_CHARS
from thidua.services.ballot_seal import (
    PADDED_LENGTH,
    BallotShareMalformed,
    BallotSharesTooFew,
    BallotShareWrong,
    PaperTampered,
    new_ballot_key,
    new_paper_id,
    open_paper,
    parse_share,
    recover_private_key,
    seal_paper,
)
from thidua.services.logging import configure_logging

BALLOT = uuid.uuid4()
TELLERS = ["kiem-phieu-1", "kiem-phieu-2", "kiem-phieu-3", "kiem-phieu-4", "kiem-phieu-5"]


def recover(key_shares: list[str], ballot: uuid.UUID = BALLOT, needed: int = 3) -> X25519PrivateKey:
    return recover_private_key(
        ballot,
        public_key=KEY.public_key,
        tellers=TELLERS,
        needed=needed,
        share_digests=KEY.share_digests,
        shares=key_shares,
    )


KEY = new_ballot_key(BALLOT, TELLERS, 3)
SHARES = [s.share for s in KEY.shares]


def test_any_k_of_the_tellers_shares_open_every_paper_and_fewer_open_none() -> None:
    choices = ["approve", "reject", "Sở Nội vụ", "Ở" * MAX_OPTION_CHARS]
    papers = {new_paper_id(): c for c in choices}
    sealed = [seal_paper(KEY.public_key, BALLOT, p, c) for p, c in papers.items()]
    # A paper's length says nothing of its choice, the longest option included.
    assert len({len(base64.b64decode(s)) for s in sealed}) == 1
    assert [s.teller for s in KEY.shares] == TELLERS
    assert [s.number for s in KEY.shares] == [1, 2, 3, 4, 5]
    for three in combinations(SHARES, 3):
        key = recover(list(three))
        assert {o["paper_id"]: o["choice"] for o in (open_paper(key, BALLOT, s) for s in sealed)} == papers
    for two in combinations(SHARES, 2):
        with pytest.raises(BallotSharesTooFew) as refused:
            recover(list(two))
        assert refused.value.details == {"field": "shares", "needed": 3, "given": 2}


def test_a_wrong_share_is_named_by_its_teller_and_a_malformed_one_by_its_form() -> None:
    number, share = parse_share(SHARES[1], len(TELLERS))
    assert number == 2
    flipped = f"2-{bytes([share[0] ^ 1]).hex()}{share[1:].hex()}"
    with pytest.raises(BallotShareWrong) as wrong:
        recover([SHARES[0], flipped, SHARES[2]])
    assert (wrong.value.details["teller"], wrong.value.details["number"]) == ("kiem-phieu-2", 2)
    # Another ballot's share, in the right form, is a wrong share too.
    other = new_ballot_key(uuid.uuid4(), TELLERS, 3)
    with pytest.raises(BallotShareWrong):
        recover([SHARES[0], SHARES[1], other.shares[2].share])
    for bad in ("", "9-" + "0" * 32, "2-xyz", SHARES[0][:-1], "khoa"):
        with pytest.raises(BallotShareMalformed):
            recover([bad, SHARES[1], SHARES[2]])
    with pytest.raises(BallotShareMalformed):
        recover([SHARES[0], SHARES[0], SHARES[1]])
    # Typed back with spaces, capitals or without dashes, a share still reads.
    retyped = [
        SHARES[0].upper().replace("-", " "),
        SHARES[1][:2] + SHARES[1][2:].replace("-", ""),
        f" {SHARES[2]} ",
    ]
    assert [parse_share(r, 5) for r in retyped] == [parse_share(s, 5) for s in SHARES[:3]]
    recover(retyped)


def test_a_paper_moved_to_another_ballot_or_altered_does_not_open() -> None:
    sealed = seal_paper(KEY.public_key, BALLOT, new_paper_id(), "approve")
    key = recover(SHARES[:3])
    with pytest.raises(PaperTampered):
        open_paper(key, uuid.uuid4(), sealed)
    raw = bytearray(base64.b64decode(sealed))
    raw[-1] ^= 1
    with pytest.raises(PaperTampered):
        open_paper(key, BALLOT, base64.b64encode(bytes(raw)).decode())
    assert PADDED_LENGTH >= 2 * 16 + 1 + 4 * MAX_OPTION_CHARS


def test_the_public_record_holds_nothing_of_the_private_key() -> None:
    """What an opening records (public key, digests) differs from every share and from the key."""
    key = recover(SHARES[:3])
    private = key.private_bytes_raw()
    recorded = (KEY.public_key + "".join(KEY.share_digests)).encode()
    for secret in [private, *(parse_share(s, 5)[1] for s in SHARES)]:
        for form in (secret, secret.hex().encode(), base64.b64encode(secret)):
            assert form not in recorded


def failing_vote(voter: str, choice: str) -> None:
    raise RuntimeError("sealing failed")


def test_a_console_traceback_does_not_print_the_local_variables_of_a_failing_vote() -> None:
    """structlog's console renderer prints every frame's locals by default; a failing secret
    vote's frames hold the voter and the choice."""
    root = logging.getLogger()
    saved = (structlog.get_config(), list(root.handlers), root.level)
    configure_logging("console", "INFO")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    voter, choice = ("don-vi-" + str(7), "ung-vien-" + "bi-mat")  # not in the source rich shows
    try:
        try:
            failing_vote(voter, choice)
        except RuntimeError:
            structlog.stdlib.get_logger("thidua.test").exception("graphql_unexpected_error")
    finally:
        structlog.configure(**saved[0])
        root.handlers[:] = saved[1]
        root.setLevel(saved[2])
    text = out.getvalue()
    assert "sealing failed" in text  # the traceback is there
    assert "ung-vien-bi-mat" not in text
    assert "don-vi-7" not in text
