"""A ledger recorded with the kept-key design (the per-ballot AES key in `ballot_keys`) still
replays, verifies and projects; its ballots that were open, or tallied without their key
deleted, when the instance was upgraded are finished with their kept key.

`data/secret-ballot-aes-2025.ndjson` was exported by the application at commit 3dfd83d (before
the tellers' keys) from a province «ha-tinh» with five units in block «khoi-1»: ballot «kin-a»
tallied and its key destroyed; «kin-c» tallied, then the process died before the key was
deleted; «kin-b» open with three papers cast. `.keys.json` holds the rows its `ballot_keys`
table still had, and the voters' receipts.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from thidua.domain.ballots import Ballot
from thidua.domain.provenance import Actor, Provenance
from thidua.projections.directory.queries import get_ballot
from thidua.services.ballot_seal import BallotKeyMissing
from thidua.services.history_import import import_history
from thidua.services.ledger import verify_ledger
from thidua.services.projection_host import ProjectionHost
from thidua.services.runtime import Runtime

DATA = Path(__file__).parent / "data"
HISTORY = DATA / "secret-ballot-aes-2025.ndjson"
KEPT = json.loads((DATA / "secret-ballot-aes-2025.keys.json").read_text("utf-8"))


def by(user: str = "thu-ky", unit: str | None = None, role: str = "block_officer") -> Provenance:
    return Provenance(Actor(user, role, unit), datetime.now(UTC), date(2026, 1, 5), "sau-nang-cap")


def restore_kept_keys(runtime: Runtime) -> None:
    """The upgraded instance's province schema still has the old table and its rows."""
    with psycopg.connect(runtime.params.psycopg_conninfo()) as conn:
        conn.execute(
            "CREATE TABLE p_ha_tinh.ballot_keys (ballot_id uuid PRIMARY KEY, key bytea NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
        for ballot_id, key in KEPT["ballot_keys"].items():
            conn.execute("INSERT INTO p_ha_tinh.ballot_keys VALUES (%s, %s)", (ballot_id, bytes.fromhex(key)))


def kept_key_rows(runtime: Runtime) -> int:
    with psycopg.connect(runtime.params.psycopg_conninfo()) as conn:
        row = conn.execute("SELECT count(*) FROM p_ha_tinh.ballot_keys").fetchone()
    return int(row[0]) if row else -1


def published(ballot: dict[str, object]) -> dict[str, str]:
    result = ballot["result"]
    assert isinstance(result, dict)
    return {p["paper_id"]: p["choice"] for p in result["papers"]}


async def test_an_old_ledger_replays_verifies_and_its_unfinished_ballots_are_finished(
    runtime: Runtime,
) -> None:
    summary = import_history(runtime.registry, HISTORY)
    assert (await verify_ledger(runtime.read_pool, "ha-tinh")).ok
    app = runtime.registry.app("ha-tinh")

    # Replayed in the current shape: no tellers, no public key, sealed with the kept key.
    a: Ballot = app._get("ballot", "kin-a")
    assert (a.sealed_with_kept_key, a.public_key, a.tellers, a.status, a.key_destroyed) == (
        True,
        None,
        [],
        "tallied",
        True,
    )
    receipts = KEPT["receipts"]
    assert all(published(app.get_ballot("kin-a"))[r] == c for r, c in receipts["kin-a"].values())

    # Without its kept key, an old ballot cannot take papers or be counted, and says why.
    with pytest.raises(BallotKeyMissing):
        app.cast_secret_vote(
            key="kin-b", voter="don-vi-3", choice="reject", by=by("can-bo", "don-vi-3", "unit_clerk")
        )

    restore_kept_keys(runtime)
    # The voters who had not voted yet still can; the tally opens the papers with the kept key,
    # deletes it and records that it did.
    _, receipt = app.cast_secret_vote(
        key="kin-b", voter="don-vi-3", choice="reject", by=by("can-bo", "don-vi-3", "unit_clerk")
    )
    app.close_and_tally(key="kin-b", present=None, shares=[], tie_break_scores=None, by=by())
    b = app.get_ballot("kin-b")
    assert (b["status"], b["key_destroyed"]) == ("tallied", True)
    choices = [c for _, c in receipts["kin-b"].values()] + ["reject"]
    assert b["result"]["counts"] == {"approve": 0, "reject": 0, "abstain": 0} | dict(Counter(choices))
    assert published(b)[receipt] == "reject"
    assert all(published(b)[r] == c for r, c in receipts["kin-b"].values())

    # The crash between tally and deletion is finished by destroyBallotKey, once.
    assert app.get_ballot("kin-c")["key_destroyed"] is False
    assert app.destroy_ballot_key(key="kin-c", by=by()) > 0
    assert app.destroy_ballot_key(key="kin-c", by=by()) == 0
    assert app.get_ballot("kin-c")["key_destroyed"] is True
    assert kept_key_rows(runtime) == 0
    assert (await verify_ledger(runtime.read_pool, "ha-tinh")).ok

    # The projections read the old events too.
    host = ProjectionHost(runtime.params, runtime.registry, poll_s=0.2, claim_s=0.5)
    await host.start()
    try:
        await host.wait_for(
            "ha-tinh", app.recorder.max_notification_id() or summary.head_position, timeout_s=20
        )
        row = await get_ballot(host.pool, "ha-tinh", "kin-b")
    finally:
        await host.stop()
    assert row is not None
    assert (row.summary.status, row.tellers, row.summary.cast) == ("tallied", (), 4)
