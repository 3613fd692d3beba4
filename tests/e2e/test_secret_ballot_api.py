"""Secret ballots over HTTP: what the served app answers and what it writes to its log.

No log line may carry a voter together with anything about their choice, whatever happens on
the vote path: refusals, duplicates, votes after the close, and the failure the outside probe
found (an option longer than the seal, accepted at opening, made every vote for it fail with an
INTERNAL_ERROR whose log line named the voter's clerk and said the choice was too long).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import ServedApp
from tests.e2e.graphql_client import GraphQLClient
from tests.hostile import figures
from tests.hostile.served import ServedProcess
from tests.integration.test_history_secret_ballot import VOTERS, seat_voters
from tests.secret_ballots import TELLERS
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

OPTIONS = ["approve", "reject", "abstain"]
LONG = ("Đồng ý với điều kiện bổ sung hồ sơ thành tích trong ba năm liền kề trước " * 8).strip()  # > the seal
SHARES = "tellerShares { teller number share }"
SHARE_FIELDS = f"ok position key replayed errors {{ code message field details }} {SHARES}"


def as_(served: ServedApp, role: str, unit: str | None = None, user: str = "chu-tri") -> GraphQLClient:
    # A block officer acts for the ballots' block (its token's `blocks` claim).
    return GraphQLClient(served, served.token("nghe-an", role, unit=unit, user=user, blocks=["khoi-1"]))


def secret_ballot(key: str, options: list[str], **more: Any) -> dict[str, Any]:
    return {
        "key": key,
        "purpose": "classification",
        "question": "approve",
        "electorate": "block_members",
        "block": "khoi-1",
        "year": 2025,
        "options": options,
        "secret": True,
        "tellers": TELLERS,
        **more,
    }


class Caller:
    """One caller of a `thidua serve` child process."""

    def __init__(
        self, served: ServedProcess, role: str, unit: str | None = None, user: str = "chu-tri"
    ) -> None:
        self.http = httpx.Client(base_url=served.url, timeout=30)
        self.token = served.token("nghe-an", role, unit=unit, user=user, blocks=["khoi-1"])

    def mutate(self, name: str, input_: dict[str, Any], *, key: str | None = None, fields: str = "") -> Any:
        query = (
            f"mutation($input: {name[0].upper() + name[1:]}Input!, $key: String) "
            f"{{ {name}(input: $input, idempotencyKey: $key) "
            f"{{ ok errors {{ code message field details }} {fields} }} }}"
        )
        response = self.http.post(
            "/graphql",
            json={"query": query, "variables": {"input": input_, "key": key}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        if body.get("errors"):  # a request error (INTERNAL_ERROR…) answered like a refusal
            return {"ok": False, "errors": [{"code": e["extensions"]["code"]} for e in body["errors"]]}
        return body["data"][name]


@pytest.fixture
def served_process(
    registry: ProvinceRegistry, database: ConnectionParams, tmp_path: Path
) -> Iterator[ServedProcess]:
    """`thidua serve` logging JSON at DEBUG to a file, as in production, over a province whose
    block «khoi-1» has nine member units in 2025."""
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    seat_voters(registry)
    served = ServedProcess(database, tmp_path / "serve.log", THIDUA_LOG_LEVEL="DEBUG")
    served.start()
    try:
        yield served
    finally:
        served.stop()


def test_no_log_line_carries_a_voter_with_anything_about_their_choice(served_process: ServedProcess) -> None:
    officer = Caller(served_process, "block_officer")
    opened = officer.mutate("openBallot", secret_ballot("kin-1", OPTIONS), fields=SHARES)
    assert opened["ok"], opened
    shares = [s["share"] for s in opened["tellerShares"]]
    long_option = officer.mutate("openBallot", secret_ballot("kin-dai", ["approve", LONG]), fields=SHARES)

    attempts: list[tuple[str, str, str]] = []  # (voter, what they tried, the answer's code)
    receipts = []
    for number, voter in enumerate(VOTERS):
        clerk = Caller(served_process, "unit_clerk", voter, user=f"can-bo-{voter}")
        if long_option["ok"]:  # the probe's case: a vote for the option the seal cannot hold
            cast = clerk.mutate("castVote", {"ballot": "kin-dai", "voter": voter, "choice": LONG})
            attempts.append((voter, LONG, cast["errors"][0]["code"] if cast["errors"] else "OK"))
        wrong = f"ung-vien-ngoai-danh-sach-{number}"
        cast = clerk.mutate("castVote", {"ballot": "kin-1", "voter": voter, "choice": wrong})
        attempts.append((voter, wrong, cast["errors"][0]["code"]))
        choice = OPTIONS[number % 3]
        cast = clerk.mutate(
            "castVote",
            {"ballot": "kin-1", "voter": voter, "choice": choice},
            key=f"phieu-{voter}",
            fields="receipt",
        )
        assert cast["ok"], cast
        receipts.append(cast["receipt"])
        again = clerk.mutate(
            "castVote", {"ballot": "kin-1", "voter": voter, "choice": OPTIONS[(number + 1) % 3]}
        )
        attempts.append((voter, OPTIONS[(number + 1) % 3], again["errors"][0]["code"]))
    closed = officer.mutate("closeBallot", {"ballot": "kin-1", "shares": shares[:2]})
    assert closed["ok"], closed
    late = Caller(served_process, "unit_clerk", VOTERS[0], user=f"can-bo-{VOTERS[0]}").mutate(
        "castVote", {"ballot": "kin-1", "voter": VOTERS[0], "choice": "reject"}
    )
    attempts.append((VOTERS[0], "reject", late["errors"][0]["code"]))
    served_process.stop()  # every line written

    lines = [line["raw"] for line in served_process.log_lines()]
    assert sum('"castVote"' in line for line in lines) >= 3 * len(VOTERS), "the log is read"
    assert any('"level": "debug"' in line for line in lines), "at every level"
    about_choices = [*OPTIONS, LONG, *(a[1] for a in attempts), *receipts, *shares, "choice", "seal"]
    leaks = [
        line[:300]
        for line in lines
        for voter in VOTERS
        if voter in line and any(w in line for w in about_choices)
    ]
    figures.add("secret_ballot_log_lines_checked", len(lines))
    figures.add("secret_ballot_log_lines_linking_a_voter_to_a_choice", len(leaks))
    assert leaks == []
    assert not any(secret in line for line in lines for secret in [*receipts, *shares])
    assert not [line[:300] for line in lines if '"level": "error"' in line]

    # The option that could not be cast was refused at the opening, with its field and limit.
    assert long_option["ok"] is False
    (refusal,) = long_option["errors"]
    assert (refusal["code"], refusal["field"]) == ("BALLOT_OPTION_TOO_LONG", "options")
    assert refusal["details"]["most"] == 100
    assert {code for _, _, code in attempts} == {"INVALID_CHOICE", "DUPLICATE_VOTE", "BALLOT_CLOSED"}


def test_the_shares_are_answered_once_and_a_ballot_without_them_is_declared_unopenable(
    served_app: ServedApp, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    seat_voters(registry)
    officer = as_(served_app, "block_officer")
    first = officer.mutate("openBallot", secret_ballot("kin-2", OPTIONS), key="mo-kin-2", fields=SHARE_FIELDS)
    assert first["ok"], first
    assert [(s["teller"], s["number"]) for s in first["tellerShares"]] == [
        (t, n + 1) for n, t in enumerate(TELLERS)
    ]
    # The answer is lost; the retry gets the stored outcome, which never held the shares.
    retry = officer.mutate("openBallot", secret_ballot("kin-2", OPTIONS), key="mo-kin-2", fields=SHARE_FIELDS)
    assert (retry["ok"], retry["replayed"], retry["tellerShares"]) == (True, True, None)
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        stored = "\n".join(str(r) for r in conn.execute("SELECT t::text FROM p_nghe_an.idempotency_keys t"))
    assert "mo-kin-2" in stored
    assert not any(
        s["share"] in stored or s["share"][2:].replace("-", "") in stored for s in first["tellerShares"]
    )

    # An open ballot without tellers is refused (one mechanism for every secret ballot).
    untold = officer.mutate("openBallot", {**secret_ballot("kin-3", OPTIONS), "tellers": None})
    assert (untold["errors"][0]["code"], untold["errors"][0]["field"]) == (
        "BALLOT_TELLERS_INVALID",
        "tellers",
    )
    # Closing without enough shares is refused and records nothing.
    short = officer.mutate("closeBallot", {"ballot": "kin-2", "shares": [first["tellerShares"][0]["share"]]})
    assert short["errors"][0]["code"] == "BALLOT_SHARES_TOO_FEW"
    # The shares are lost: the chair records it, with the reason, and the ballot says so.
    reason = "Câu trả lời mở phiếu bị mất; không ai giữ mảnh khóa."
    declared = officer.mutate("declareBallotUnopenable", {"ballot": "kin-2", "reason": reason})
    assert declared["ok"], declared
    clerk = as_(served_app, "unit_clerk", VOTERS[0], user="can-bo")
    body = clerk.data(
        'query($at: Int) { ballot(key: "kin-2", atLeastPosition: $at) { note tellers tellersNeeded '
        "tally { status secret } } }",
        {"at": declared["position"]},
    )
    assert body["ballot"] == {
        "note": reason,
        "tellers": TELLERS,
        "tellersNeeded": 2,
        "tally": {"status": "unopenable", "secret": True},
    }
    late = clerk.mutate("castVote", {"ballot": "kin-2", "voter": VOTERS[0], "choice": "approve"})
    assert late["errors"][0]["code"] == "BALLOT_CLOSED"
    assert json.dumps(body, ensure_ascii=False)  # the answer is plain JSON
