"""Concurrent saves through `ledger_append` (services/ledger_append.py): many commands of one
province at once, from separate processes' worth of connections, each recorded exactly once with
its idempotency key at its own position; the chain verifies; a command that loses a version
race is refused alone and leaves nothing behind."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import psycopg

from thidua.domain.provenance import Actor, Provenance
from thidua.services.access import Caller, Candidate, Scope
from thidua.services.auth import Principal, Role
from thidua.services.dispatch import Origin, dispatch
from thidua.services.handlers.ballots import CastVote
from thidua.services.ledger import verify_ledger
from thidua.services.runtime import Runtime

PROVINCE = "nghe-an"
VOTERS = [f"dv{n:02d}" for n in range(12)]
BALLOTS = 3


def admin() -> Provenance:
    return Provenance(Actor("ban-tdkt", "province_admin", None), datetime.now(UTC), date(2026, 1, 5), "seed")


def seed(runtime: Runtime) -> None:
    registry = runtime.registry
    registry.create_province(PROVINCE, "Nghệ An", created_by="op")
    app = registry.app(PROVINCE)
    for voter in VOTERS:
        app.register_unit(key=voter, name=f"Đơn vị {voter}", by=admin())
    app.create_block(key="khoi-1", name="Khối 1", kind="block", by=admin())
    app.open_block_year(block="khoi-1", year=2026, members=VOTERS, members_claimed=None, by=admin())
    for b in range(BALLOTS):
        app.open_ballot(
            key=f"bq-{b}",
            purpose="classification",
            subject=VOTERS[0],
            award=None,
            secret=False,
            question="approve",
            electorate="block_members",
            block="khoi-1",
            year=2026,
            options=["approve", "reject"],
            by=admin(),
        )


def clerk(voter: str) -> Caller:
    principal = Principal(f"clerk-{voter}", PROVINCE, frozenset({Role.UNIT_CLERK}), unit=voter)
    return Caller(principal, PROVINCE, (Candidate(Role.UNIT_CLERK, Scope.OWN_UNIT),))


async def test_concurrent_votes_are_each_recorded_once_with_their_key(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: seed(runtime))
    votes = [(f"bq-{b}", voter) for b in range(BALLOTS) for voter in VOTERS]
    outcomes = await asyncio.gather(
        *(
            dispatch(
                runtime,
                clerk(voter),
                CastVote(ballot=ballot, voter=voter, choice="approve"),
                Origin(f"req-{ballot}-{voter}"),
                f"key-{ballot}-{voter}",
            )
            for ballot, voter in votes
        )
    )
    # Votes on one ballot race for its next version: a loser is refused alone (CONCURRENT_CHANGE,
    # nothing recorded, its key not stored), and its retry with the same key then records it.
    lost = [vote for vote, outcome in zip(votes, outcomes, strict=True) if not outcome.ok]
    assert all(o.errors[0].code == "CONCURRENT_CHANGE" for o in outcomes if not o.ok)
    for ballot, voter in lost:
        retried = await dispatch(
            runtime,
            clerk(voter),
            CastVote(ballot=ballot, voter=voter, choice="approve"),
            Origin(f"req-{ballot}-{voter}"),
            f"key-{ballot}-{voter}",
        )
        assert retried.ok, retried.errors
    with psycopg.connect(runtime.params.psycopg_conninfo(), autocommit=True) as conn:
        recorded = conn.execute(
            "SELECT count(*) FROM p_nghe_an.ledger_events WHERE topic LIKE '%%OpenVoteCast'"
        ).fetchone()
        keys = conn.execute(
            "SELECT k.key, (k.outcome->>'position')::bigint, e.topic FROM p_nghe_an.idempotency_keys k "
            "LEFT JOIN p_nghe_an.ledger_events e ON e.notification_id = (k.outcome->>'position')::bigint"
        ).fetchall()
    assert recorded is not None
    assert recorded[0] == len(votes)
    assert len(keys) == len(votes)
    assert len({position for _, position, _ in keys}) == len(votes)  # each at its own event
    assert all(topic is not None and topic.endswith("OpenVoteCast") for _, _, topic in keys)
    assert (await verify_ledger(runtime.read_pool, PROVINCE)).ok
