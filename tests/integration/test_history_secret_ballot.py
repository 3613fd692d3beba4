"""Secret ballots stay secret in the export, the logs, the read models and the audit trail, while
the tally stays verifiable from the export alone.

(The event store itself is checked in test_secret_ballot.py.)
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import ServedApp, create_database, drop_database
from tests.secret_ballots import TELLERS, open_secret_ballot
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.history_export import export_history
from thidua.services.history_import import import_history
from thidua.services.idempotency import request_hash
from thidua.services.projection_host import ProjectionHost
from thidua.services.registry import ProvinceRegistry

VOTERS = [f"don-vi-{i}" for i in range(9)]
CHOICES = ["approve"] * 5 + ["reject"] * 3 + ["abstain"]
BALLOT = "xep-loai-don-vi-0"


def by(user: str = "thu-ky", unit: str | None = None, role: str = "block_officer") -> Provenance:
    return Provenance(Actor(user, role, unit), datetime.now(UTC), date(2025, 12, 15), "bo-phieu-kin")


@pytest.fixture
async def host(registry: ProvinceRegistry, database: ConnectionParams) -> AsyncIterator[ProjectionHost]:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    seat_voters(registry)
    projections = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.5)
    await projections.start()
    try:
        yield projections
    finally:
        await projections.stop()


@pytest.fixture
def other_instance(pg_server: ConnectionParams) -> Iterator[ProvinceRegistry]:
    """A second, empty instance (its own database) to import into."""
    params = create_database(pg_server)
    reg = ProvinceRegistry(params)
    reg.ensure_platform_schema()
    try:
        yield reg
    finally:
        reg.close()
        drop_database(pg_server, params)


def seat_voters(registry: ProvinceRegistry) -> None:
    """Nine units in block «khoi-1» for 2025: the electorate of the ballot."""
    app = registry.app("nghe-an")
    for key in VOTERS:
        app.register_unit(key=key, name=f"Đơn vị {key}", by=by())
    app.create_block(key="khoi-1", name="Khối 1", kind="block", by=by())
    app.open_block_year(block="khoi-1", year=2025, members=VOTERS, members_claimed=None, by=by())


def hold_secret_ballot(registry: ProvinceRegistry) -> tuple[dict[str, str], int]:
    """Open, cast one sealed paper per voter, close, tally; the voters' receipts and the head."""
    app = registry.app("nghe-an")
    shares = open_secret_ballot(app, BALLOT, by(), subject="don-vi-0")
    receipts = {}
    for voter, choice in zip(VOTERS, CHOICES, strict=True):
        _, receipts[voter] = app.cast_secret_vote(
            key=BALLOT, voter=voter, choice=choice, by=by(voter, voter, "unit_clerk")
        )
    app.close_ballot(key=BALLOT, present=None, by=by())
    return receipts, app.tally_ballot(key=BALLOT, tie_break_scores=None, shares=shares[:2], by=by())


def assert_no_link(records: list[str], receipts: dict[str, str], where: str) -> None:
    """No record names a voter together with the paper id only that voter was given, and no
    record of a cast paper carries a choice or any paper id."""
    for record in records:
        for voter, receipt in receipts.items():
            assert not (voter in record and receipt in record), f"{where}: {voter} linked"
        if "SealedPaperCast" in record:
            assert not any(c in record for c in ("approve", "reject", "abstain")), where
            assert not any(r in record for r in receipts.values()), where


def read_model_rows(database: ConnectionParams) -> list[str]:
    """Every read-model row of the province as text (as the superuser: no row security)."""
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'readmodel' "
            "AND column_name = 'province'"
        ).fetchall()
        found = []
        for (table,) in tables:
            found += [
                str(r[0])
                for r in conn.execute(
                    f'SELECT t::text FROM readmodel."{table}" t WHERE province = %s', ("nghe-an",)
                ).fetchall()
            ]
    return found


async def test_no_export_line_log_line_or_read_model_row_links_a_voter_to_a_choice(
    host: ProjectionHost,
    registry: ProvinceRegistry,
    database: ConnectionParams,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    receipts, head = hold_secret_ballot(registry)
    await host.wait_for("nghe-an", head, timeout_s=20)
    out = io.BytesIO()
    await export_history(host.pool, "nghe-an", out)
    lines = out.getvalue().decode("utf-8").splitlines()

    # The check has teeth: the published papers carry the receipts, the casts name the voters.
    assert all(any(r in line for line in lines) for r in receipts.values())
    assert all(any(v in line and "SealedPaperCast" in line for line in lines) for v in VOTERS)
    with pytest.raises(AssertionError):
        assert_no_link([f"voter={VOTERS[0]} paper={receipts[VOTERS[0]]}"], receipts, "control")
    assert_no_link(lines, receipts, "export")
    rows = read_model_rows(database)
    assert sum("SealedPaperCast" in r for r in rows) == len(VOTERS)  # the audit trail has them
    assert_no_link(rows, receipts, "read models")
    logs = caplog.text + "".join(capsys.readouterr())
    assert "history_exported" in logs  # the capture works
    assert not any(receipt in logs for receipt in receipts.values()), "a receipt was logged"
    assert_no_link(logs.splitlines(), receipts, "logs")

    # The sealed papers travel as ciphertext of one length, whatever the choice.
    events = [json.loads(line) for line in lines[1:-1]]
    cast = [e for e in events if e["topic"].endswith("Ballot.SealedPaperCast")]
    assert len(cast) == len(VOTERS)
    assert len({len(base64.b64decode(e["payload"]["sealed"])) for e in cast}) == 1


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


async def test_the_tally_can_be_checked_from_the_export_alone(
    host: ProjectionHost,
    registry: ProvinceRegistry,
    tmp_path: Path,
    other_instance: ProvinceRegistry,
) -> None:
    receipts, _ = hold_secret_ballot(registry)
    path = tmp_path / "nghe-an.ndjson"
    with path.open("wb") as out:
        await export_history(host.pool, "nghe-an", out)
    events = [json.loads(line) for line in _lines(path)[1:-1]]
    ballot = [e for e in events if ":Ballot." in e["topic"]]
    voters_who_cast = {e["payload"]["voter"] for e in ballot if e["topic"].endswith("SealedPaperCast")}
    (tallied,) = [e["payload"] for e in ballot if e["topic"].endswith("Ballot.Tallied")]
    papers = tallied["papers"]
    # As many papers as distinct eligible voters who cast one; the counts are their sum.
    assert len(papers) == len({p["paper_id"] for p in papers}) == len(voters_who_cast)
    assert voters_who_cast <= set(VOTERS)
    assert tallied["counts"] == dict(Counter(p["choice"] for p in papers))
    # Each voter can find their own paper, and only they hold its id.
    published = {p["paper_id"]: p["choice"] for p in papers}
    assert [published[receipts[v]] for v in VOTERS] == CHOICES
    # The opening published the public key and the tellers, never a share or the private key.
    (opened,) = [e["payload"] for e in ballot if e["topic"].endswith("Ballot.Opened")]
    assert (opened["tellers"], opened["tellers_needed"], len(opened["share_digests"])) == (TELLERS, 2, 3)

    # Another instance built from the export has the same history, and no key to open papers.
    import_history(other_instance, path)
    with psycopg.connect(other_instance.params.psycopg_conninfo()) as conn:
        assert conn.execute("SELECT to_regclass('p_nghe_an.ballot_keys')").fetchone() == (None,)


CAST = """
mutation($input: CastVoteInput!, $key: String) {
  castVote(input: $input, idempotencyKey: $key) { ok receipt errors { code } }
}
"""


def test_a_secret_vote_cast_over_graphql_leaves_no_stored_digest_that_reveals_the_choice(
    served_app: ServedApp, registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """A retried request is recognised by a digest of its input; for a secret vote that input is
    the voter and the choice, and there are only a few choices to try."""
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    seat_voters(registry)
    app = registry.app("nghe-an")
    shares = open_secret_ballot(app, BALLOT, by(), subject="don-vi-0")
    receipts = []
    for voter, choice in zip(VOTERS, CHOICES, strict=True):
        token = served_app.token("nghe-an", "unit_clerk", unit=voter, user=f"can-bo-{voter}")
        answer = httpx.post(
            f"{served_app.url}/graphql",
            json={
                "query": CAST,
                "variables": {
                    "input": {"ballot": BALLOT, "voter": voter, "choice": choice},
                    "key": f"phieu-{voter}",
                },
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert answer["data"]["castVote"]["ok"], answer
        receipts.append(answer["data"]["castVote"]["receipt"])
    app.close_ballot(key=BALLOT, present=None, by=by())
    app.tally_ballot(key=BALLOT, tie_break_scores=None, shares=shares[1:], by=by())

    with psycopg.connect(database.psycopg_conninfo()) as conn:
        stored = conn.execute(
            "SELECT t::text FROM p_nghe_an.idempotency_keys t WHERE operation = 'castVote'"
        ).fetchall()
    assert len(stored) == len(VOTERS)
    assert all(receipt and not any(receipt in row for (row,) in stored) for receipt in receipts)
    guesses = {
        request_hash(
            "castVote",
            {
                "ballot": BALLOT,
                "voter": voter,
                "choice": choice,
                "effective_on": None,
                "correlation_id": None,
            },
        ): (voter, choice)
        for voter in VOTERS
        for choice in ("approve", "reject", "abstain")
    }
    revealed = [guesses[h] for (row,) in stored for h in guesses if h in row]
    assert revealed == [], f"{len(revealed)} secret votes can be read back from their digests"
