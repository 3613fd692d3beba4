"""The catch-up loop of one province (vòng bắt kịp): fetch a batch, decode, apply, track.

For each batch the runner opens ONE transaction that writes every owned projection's rows and
advances each one's tracking position, so a crash at any point loses or repeats nothing. Events
are read by position (`notification_id`); eventsourcing inserts under an EXCLUSIVE table lock, so
positions become visible in order, and a gap left by a rolled-back insert is never filled later.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from thidua.projections.base import Projection
from thidua.projections.ddl import LIVE
from thidua.projections.envelope import Decode, Envelope, StoredRow
from thidua.projections.names import events_table
from thidua.projections.tracking import (
    PositionMoved,
    ensure_tracking,
    lock_position,
    read_position,
    set_position,
)

log = structlog.get_logger()

DEFAULT_BATCH = 2000
# Sent with the province's code in the transaction that applies a batch, so it arrives when the
# rows are visible, in every process listening (the live subscriptions, services/projection_signals).
ADVANCED_CHANNEL = "thidua_projected"
# Below this many rows, decoding on the event loop is cheaper than a trip to a thread.
THREAD_DECODE_MIN = 200


@dataclass(frozen=True)
class Batch:
    envelopes: list[Envelope]
    last: int  # position of the last row fetched (even if decoding skipped none)


async def fetch_batch(
    conn: Any, province: str, after: int, limit: int, decode: Decode, *, upto: int | None = None
) -> Batch | None:
    """Up to `limit` events after position `after` (and at most `upto`), decoded; None if none."""
    table = events_table(province)
    if upto is None:
        rows = await conn.fetch(
            "SELECT notification_id, originator_id, originator_version, topic, state "  # noqa: S608 - table from a validated code
            f"FROM {table} WHERE notification_id > $1 ORDER BY notification_id LIMIT $2",
            after,
            limit,
        )
    else:
        rows = await conn.fetch(
            "SELECT notification_id, originator_id, originator_version, topic, state "  # noqa: S608 - table from a validated code
            f"FROM {table} WHERE notification_id > $1 AND notification_id <= $3 "
            "ORDER BY notification_id LIMIT $2",
            after,
            limit,
            upto,
        )
    if not rows:
        return None
    stored = [StoredRow(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]
    if len(stored) >= THREAD_DECODE_MIN:
        # Decoding is CPU work: keep the event loop (and the HTTP requests on it) responsive.
        envelopes = await asyncio.to_thread(_decode_all, decode, stored)
    else:
        envelopes = _decode_all(decode, stored)
    return Batch(envelopes, stored[-1].position)


def _decode_all(decode: Decode, rows: Sequence[StoredRow]) -> list[Envelope]:
    return [decode(r) for r in rows]


async def relax_commit(conn: Any) -> None:
    """Commit this transaction without waiting for the WAL flush (synchronous_commit off).

    Safe for read models: a crash loses at most the last fraction of a second of commits, and
    the rows and the tracking position written in one transaction are lost together, so the
    runner re-applies those events from the ledger; the ledger's own writes stay synchronous.
    """
    await conn.execute("SET LOCAL synchronous_commit = off")


async def head_position(conn: Any, province: str) -> int:
    table = events_table(province)
    return int(await conn.fetchval(f"SELECT coalesce(max(notification_id), 0) FROM {table}") or 0)  # noqa: S608


class ProvinceRunner:
    """Keeps the projections this process owns for one province up to date."""

    def __init__(
        self,
        pool: Any,
        province: str,
        decode: Decode,
        *,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self.pool = pool
        self.province = province
        self.decode = decode
        self.batch_size = batch_size
        self.projections: dict[str, Projection] = {}
        self.positions: dict[str, int] = {}
        self.applied = 0  # events applied since start (for logs and tests)

    async def adopt(self, projection: Projection) -> None:
        """Start keeping `projection` (its ownership lock is already held by the caller)."""
        async with self.pool.acquire() as conn:
            await ensure_tracking(conn, self.province, projection.name, projection.version)
            position = await read_position(conn, self.province, projection.name, projection.version)
        self.projections[projection.name] = projection
        self.positions[projection.name] = position

    def drop(self, name: str) -> None:
        self.projections.pop(name, None)
        self.positions.pop(name, None)

    async def step(self) -> int:
        """Apply one batch; the number of events fetched (0 when caught up)."""
        # A snapshot: the host may adopt another projection while this batch is in flight.
        owned = list(self.projections.items())
        if not owned:
            return 0
        start = min(self.positions[name] for name, _ in owned)
        async with self.pool.acquire() as conn:
            batch = await fetch_batch(conn, self.province, start, self.batch_size, self.decode)
            if batch is None:
                return 0
            applied = [(n, p) for n, p in owned if self.positions[n] < batch.last]
            try:
                async with conn.transaction():
                    await relax_commit(conn)
                    for _, projection in applied:
                        await self._apply(conn, projection, batch)
                    await conn.execute("SELECT pg_notify($1, $2)", ADVANCED_CHANNEL, self.province)
            except PositionMoved:
                await self._reload(conn)
                return 0
        for name, _ in applied:
            self.positions[name] = batch.last
        self.applied += len(batch.envelopes)
        return len(batch.envelopes)

    async def _apply(self, conn: Any, projection: Projection, batch: Batch) -> None:
        name, version = projection.name, projection.version
        current = await lock_position(conn, self.province, name, version)
        if current != self.positions[name]:
            log.warning(
                "projection_position_moved",
                province=self.province,
                projection=name,
                expected=self.positions[name],
                found=current,
            )
            raise PositionMoved
        events = [e for e in batch.envelopes if e.position > current]
        if events:
            await projection.apply(conn, LIVE, self.province, events)
        await set_position(conn, self.province, name, version, batch.last)

    async def _reload(self, conn: Any) -> None:
        for name, projection in list(self.projections.items()):
            self.positions[name] = await read_position(conn, self.province, name, projection.version)

    async def catch_up(self) -> int:
        total = 0
        while (n := await self.step()) > 0:
            total += n
        return total

    async def run(self, wake: asyncio.Event, stop: asyncio.Event, poll_s: float = 1.0) -> None:
        """Catch up, then sleep until woken (NOTIFY) or `poll_s` passes; until `stop` is set."""
        failures = 0
        while not stop.is_set():
            wake.clear()
            try:
                applied = await self.catch_up()
                failures = 0
                if applied:
                    log.debug("projection_batch_applied", province=self.province, events=applied)
            except Exception:
                # A poison event or a lost connection: log, back off, retry; never skip an event.
                failures += 1
                log.exception("projection_step_failed", province=self.province, failures=failures)
                await _sleep_or(stop, min(30.0, poll_s * 2**failures))
                continue
            await _sleep_or(wake, poll_s, stop)


async def _sleep_or(event: asyncio.Event, seconds: float, stop: asyncio.Event | None = None) -> None:
    waiters = [asyncio.ensure_future(event.wait())]
    if stop is not None:
        waiters.append(asyncio.ensure_future(stop.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
