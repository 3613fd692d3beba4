"""The operator's attack on a secret ballot (issue 12): with a superuser connection, read every
table, the raw files of every relation, the WAL written since before the opening and a
`pg_dump`, during the vote and after the tally; find no key material (the private key, its
seed, any teller's share, in any common encoding), no stored value that opens a paper, and
nothing that links a voter to a choice.

The vote runs over HTTP against the served app (idempotency keys, projections and all), as in
production. On the design before the tellers' keys this test finds the AES key in
`ballot_keys` while the vote is open, and after the tally still in the WAL and in the table's
file (a deleted row stays until a vacuum).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tests.conftest import ServedApp
from tests.hostile import figures
from tests.integration.operator_view import (
    OperatorView,
    forms,
    opening_values,
    read_everything,
    stored_values,
    wal_reserved,
)
from tests.integration.test_history_secret_ballot import VOTERS, seat_voters
from tests.secret_ballots import TELLERS
from thidua.domain.ballots import Ballot
from thidua.services.ballot_seal import (
    PaperTampered,
    open_paper,
    parse_share,
    private_key_from_seed,
    recover_private_key,
)
from thidua.services.ballot_seal_legacy import open_kept_key_paper
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

BALLOT = "bau-khoi-truong-2026"
OPTIONS = ["so-noi-vu", "so-tu-phap", "Sở Tài chính"]
CHOICES = ["so-noi-vu"] * 4 + ["so-tu-phap"] * 3 + ["Sở Tài chính"] * 2

MUTATION = (
    "mutation($input: {kind}Input!, $key: String) "
    "{{ {name}(input: $input, idempotencyKey: $key) {{ {fields} }} }}"
)


def call(
    served: ServedApp, token: str, name: str, input_: dict[str, Any], key: str, *, fields: str = ""
) -> Any:
    kind = name[0].upper() + name[1:]
    query = MUTATION.format(kind=kind, name=name, fields=f"ok position errors {{ code }} {fields}")
    body = httpx.post(
        f"{served.url}/graphql",
        json={"query": query, "variables": {"input": input_, "key": key}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "errors" not in body, body
    return body["data"][name]


def settled(served: ServedApp, token: str, position: int) -> None:
    """Wait until the served app's projections have applied `position` (read models included)."""
    body = httpx.post(
        f"{served.url}/graphql",
        json={"query": f'{{ ballot(key: "{BALLOT}", atLeastPosition: {position}) {{ key }} }}'},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "errors" not in body, body


def opener(ballot: Ballot) -> Callable[[bytes], bool]:
    """Does a value open a sealed paper, taken as an X25519 private key, a seed, or an AES key
    of the design before (the operator does not know which)?"""
    paper = ballot.sealed_papers[0]
    attempts: list[Callable[[bytes], object]] = [
        lambda v: open_paper(X25519PrivateKey.from_private_bytes(v), ballot.id, paper),
        lambda v: open_paper(private_key_from_seed(ballot.id, v), ballot.id, paper),
        lambda v: open_kept_key_paper(v, ballot.id, paper),
    ]

    def opens(value: bytes) -> bool:
        for attempt in attempts:
            try:
                attempt(value)
            except (PaperTampered, ValueError):
                continue
            return True
        return False

    return opens


def key_material(ballot: Ballot, shares: list[str]) -> dict[str, bytes]:
    """Every secret of the ballot's key the test knows (the operator should find none)."""
    parsed = [parse_share(s, len(TELLERS)) for s in shares]
    seed = Shamir.combine(parsed)
    private_key = recover_private_key(
        ballot.id,
        public_key=str(ballot.public_key),
        tellers=ballot.tellers,
        needed=ballot.tellers_needed,
        share_digests=ballot.share_digests,
        shares=shares,
    )
    assert private_key_from_seed(ballot.id, seed).private_bytes_raw() == private_key.private_bytes_raw()
    material = forms("private key", private_key.private_bytes_raw()) | forms("seed", seed)
    for (number, share), text in zip(parsed, shares, strict=True):
        material |= forms(f"share {number}", share) | {f"share {number} (as given)": text.encode()}
    return material


def links(view: OperatorView, receipts: dict[str, str], choices: dict[str, str]) -> list[str]:
    """Rows naming a voter with their paper's id, or a cast paper with a choice; and the sealed
    plaintext `paper_id|choice` anywhere."""
    found = []
    for row in view.rows:
        for voter, receipt in receipts.items():
            if voter in row and receipt in row:
                found.append(f"{voter} with their paper id: {row[:120]}")
        if "SealedPaperCast" in row and any(c in row for c in OPTIONS):
            found.append(f"a cast paper with a choice: {row[:120]}")
    for voter, receipt in receipts.items():
        plaintext = f"{receipt}|{choices[voter]}".encode()
        found += [
            f"{voter}'s sealed plaintext in {where}" for where, blob in view.everything() if plaintext in blob
        ]
    return found


def test_an_operator_with_every_table_the_wal_and_a_dump_finds_no_key_and_no_link(
    served_app: ServedApp, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    seat_voters(registry)
    officer = served_app.token("nghe-an", "block_officer", user="chu-tri", blocks=["khoi-1"])
    with wal_reserved(database) as wal_start:
        opened = call(
            served_app,
            officer,
            "openBallot",
            {
                "key": BALLOT,
                "purpose": "officers",
                "question": "elect",
                "electorate": "block_members",
                "block": "khoi-1",
                "year": 2025,
                "options": OPTIONS,
                "secret": True,
                "tellers": TELLERS,
                "tellersNeeded": 2,
            },
            "mo-phieu",
            fields="tellerShares { teller share }",
        )
        assert opened["ok"], opened
        shares = [s["share"] for s in opened["tellerShares"]]
        receipts: dict[str, str] = {}
        choices = dict(zip(VOTERS, CHOICES, strict=True))
        for voter, choice in choices.items():
            clerk = served_app.token("nghe-an", "unit_clerk", unit=voter, user=f"can-bo-{voter}")
            cast = call(
                served_app,
                clerk,
                "castVote",
                {"ballot": BALLOT, "voter": voter, "choice": choice},
                f"phieu-{voter}",
                fields="receipt",
            )
            assert cast["ok"], cast
            receipts[voter] = cast["receipt"]
        settled(served_app, officer, cast["position"])
        ballot: Ballot = registry.app("nghe-an")._get("ballot", BALLOT)
        material = key_material(ballot, shares)
        opens = opener(ballot)
        assert opens(material["private key (raw)"])  # the check has teeth
        assert opens(material["seed (raw)"])

        during = read_everything(database, wal_start)
        assert any("SealedPaperCast" in row for row in during.rows)  # the events were read, decoded
        assert any(name.startswith("WAL ") for name in during.blobs)
        # Every place was read: each sealed paper is in the rows, the WAL, the table's file, the dump.
        for paper in ballot.sealed_papers:
            places = {w.split(" in ")[1].split(" ")[0] for w in during.find({"paper": paper.encode()})}
            assert places >= {"rows", "WAL", "file", "pg_dump"}, places
        assert during.find(material) == []
        assert opening_values(during, opens) == []
        # While the vote is open no paper id is stored anywhere, not even for a moment.
        assert during.find({f"{v}'s paper id": r.encode() for v, r in receipts.items()}) == []
        assert links(during, receipts, choices) == []

        closed = call(
            served_app, officer, "closeBallot", {"ballot": BALLOT, "shares": shares[1:]}, "kiem-phieu"
        )
        assert closed["ok"], closed
        settled(served_app, officer, closed["position"])
        after = read_everything(database, wal_start)

    found = after.find(material) + during.find(material)
    opening = opening_values(after, opens) + opening_values(during, opens)
    linked = links(after, receipts, choices)
    for view in (during, after):
        figures.add("secret_ballot_operator_places_read", len(view.blobs) + 1)
        figures.add("secret_ballot_operator_values_tried_as_keys", len(set(stored_values(view))))
        figures.measure("secret_ballot_operator_mib_read", sum(len(b) for _, b in view.everything()) / 2**20)
    figures.add("secret_ballot_operator_key_material_or_links_found", len(found) + len(opening) + len(linked))
    assert found == []
    assert opening == []
    assert linked == []
    # The published papers are there (so each voter finds theirs), sorted by their random ids.
    assert all(after.find({"paper id": r.encode()}) for r in receipts.values())
    papers = registry.app("nghe-an").get_ballot(BALLOT)["result"]["papers"]
    assert [p["paper_id"] for p in papers] == sorted(receipts.values())
    assert {p["paper_id"]: p["choice"] for p in papers} == {receipts[v]: c for v, c in choices.items()}
    assert len({len(base64.b64decode(p)) for p in ballot.sealed_papers}) == 1


def test_the_operator_view_finds_a_key_that_is_stored(database: ConnectionParams) -> None:
    """The reader is not blind: a key written in a row, then deleted, is found in the row while
    it is there and in the WAL and the table's file after the delete."""
    key = bytes(range(32))
    with wal_reserved(database) as start:
        with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (id int, key bytea)")
            conn.execute("INSERT INTO kept VALUES (1, %s)", (key,))
        there = read_everything(database, start)
        with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute("DELETE FROM kept")
        gone = read_everything(database, start)
    assert {f.split(" in ")[1] for f in there.find(forms("key", key))} >= {"rows", "pg_dump", "file of kept"}
    assert any(f.startswith("key (raw) in WAL") for f in there.find(forms("key", key)))
    assert key in set(stored_values(there))
    assert {f.split(" in ")[1].split(" ")[0] for f in gone.find(forms("key", key))} >= {"WAL", "file"}
