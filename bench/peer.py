"""The peer figure: plain `eventsourcing` saves, sequential, one event per save.

What the library alone costs on this machine (psycopg 3 pool, transcoding, EXCLUSIVE lock,
NOTIFY, one transaction per save), with the same hash-chain trigger on its table as a province's.
The difference between this and `write_single_province` is our code plus HTTP and GraphQL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from thidua.services.database import ConnectionParams
from thidua.services.ledger_chain import chain_ddl

PEER_SCHEMA = "bench_peer"


class Tally(Aggregate):
    """A stand-in aggregate whose one event carries a payload as big as the product's."""

    @event("Noted")
    def __init__(self, note: str) -> None:
        self.note = note


class PeerApplication(Application[UUID]):
    name = "ledger"


@dataclass
class PeerResult:
    saves: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.saves / self.seconds if self.seconds > 0 else 0.0


def eventsourcing_peer(params: ConnectionParams, *, duration: float, payload_bytes: int) -> PeerResult:
    """Save new aggregates one by one for `duration` seconds (run in a thread: it blocks)."""
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PEER_SCHEMA} CASCADE")
        conn.execute(f"CREATE SCHEMA {PEER_SCHEMA}")
    app = PeerApplication(env={**params.eventsourcing_env(PEER_SCHEMA), "POSTGRES_POOL_SIZE": "1"})
    try:
        with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
            for statement in chain_ddl(PEER_SCHEMA):
                conn.execute(statement.encode())
        note = "x" * max(1, payload_bytes - 200)  # ~200 bytes of event envelope
        app.save(Tally(note=note))  # warm the pool and prepared statements
        latencies: list[float] = []
        started = time.perf_counter()
        stop_at = started + duration
        while (began := time.perf_counter()) < stop_at:
            app.save(Tally(note=note))
            latencies.append(time.perf_counter() - began)
        return PeerResult(len(latencies), time.perf_counter() - started, latencies)
    finally:
        app.close()
