"""Projection signals (tín hiệu cập nhật): every server process learns at once that a province's
read models moved, and wakes that province's live subscriptions.

The projection runner sends `NOTIFY thidua_projected, '<province>'` in the transaction that
applies a batch (projections/runner.py), so the notice arrives once the rows are visible, in
every process connected to the database, whichever process owns the projections (one of several
`thidua serve` workers, or `thidua projections run`). Each process keeps one connection
listening on each database server that holds provinces (services/servers.py): a province's
notices are sent on its own server. While a connection is down (PostgreSQL restarting)
`connected` is False and the subscriptions look again every few seconds on their own; when it
is back, every subscription is woken once, for the notices it may have missed meanwhile.

`generation(province)` grows with every notice of the province (and with every reconnection):
subscriptions woken by the same notice share one look at the database (graphql/core/live.py)
instead of each making its own, which under steady writes cost more than the polling did.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Sequence

import structlog

from thidua.projections.runner import ADVANCED_CHANNEL
from thidua.services.database import ConnectionParams
from thidua.services.pg_listener import Listener

log = structlog.get_logger()

APPLICATION_NAME = "thidua-signals"


class ProjectionSignals:
    """Registered as `runtime.services["projection_signals"]`: `watch(province)`, `connected`."""

    def __init__(self, params: ConnectionParams, *, others: Sequence[ConnectionParams] = ()) -> None:
        self.notices = 0  # received since start (for tests and logs)
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._counter = 0
        self._generations: dict[str, int] = {}
        self._floor = 0  # every province's generation is at least this (raised on reconnection)
        self._listeners = [
            Listener(server, ADVANCED_CHANNEL, self._notified, self._state, application_name=APPLICATION_NAME)
            for server in (params, *others)
        ]

    @property
    def connected(self) -> bool:
        return all(listener.connected for listener in self._listeners)

    async def start(self, wait_s: float = 5.0) -> None:
        """Start listening; waits (bounded) for the first connection, so that subscriptions
        opened right after start are pushed, but never fails the start: they poll meanwhile."""
        for listener in self._listeners:
            await listener.start(wait_s)

    async def stop(self) -> None:
        for listener in self._listeners:
            await listener.stop()
        self._wake_all()

    @contextlib.contextmanager
    def watch(self, province: str) -> Iterator[asyncio.Event]:
        """An event set whenever `province`'s read models advance, for the block's duration."""
        event = asyncio.Event()
        waiters = self._waiters.setdefault(province, set())
        waiters.add(event)
        try:
            yield event
        finally:
            waiters.discard(event)
            if not waiters:
                self._waiters.pop(province, None)

    def watching(self) -> int:
        return sum(len(w) for w in self._waiters.values())

    def generation(self, province: str) -> int:
        """Grows whenever `province`'s read models may have moved since it was last read."""
        return max(self._generations.get(province, 0), self._floor)

    def bump(self, province: str) -> int:
        """A new generation without a notice (a look made on a timer must read afresh)."""
        self._counter += 1
        self._generations[province] = self._counter
        return self._counter

    def _notified(self, province: str) -> None:
        self.notices += 1
        self.bump(province)
        for event in self._waiters.get(province, ()):
            event.set()

    def _state(self, connected: bool) -> None:
        # Up again: anything may have advanced while we were away. Down: the feeds now poll,
        # let them start at once.
        self._wake_all()

    def _wake_all(self) -> None:
        self._counter += 1
        self._floor = self._counter
        for waiters in self._waiters.values():
            for event in waiters:
                event.set()
