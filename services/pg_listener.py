"""One PostgreSQL LISTEN kept alive (écoute): reconnects after the server ends the connection
(a restart, a terminated backend), and says when it is up or down, so that whoever relies on the
notices can look for themselves meanwhile and once more after a gap.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import asyncpg
import structlog

from thidua.services.database import ConnectionParams

log = structlog.get_logger()

HEALTH_S = 15.0  # how often an idle listening connection is checked
RECONNECT_S = (0.2, 5.0)  # first and longest wait between connection attempts

Notified = Callable[[str], None]  # the payload of one notice


class Listener:
    """LISTEN `channel` on its own connection until stopped; `on_state(True)` after each
    (re)connection, `on_state(False)` when the connection is lost."""

    def __init__(
        self,
        params: ConnectionParams,
        channel: str,
        notified: Notified,
        on_state: Callable[[bool], None],
        *,
        application_name: str,
    ) -> None:
        self.params = params
        self.channel = channel
        self.notified = notified
        self.on_state = on_state
        self.application_name = application_name
        self.connected = False
        self._task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()

    async def start(self, wait_s: float = 5.0) -> None:
        """Start listening; waits (bounded) for the first connection, never fails."""
        self._task = asyncio.create_task(self._listen(), name=f"listen-{self.channel}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), wait_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def _deliver(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.notified(payload)

    async def _listen(self) -> None:
        delay = RECONNECT_S[0]
        while True:
            conn = None
            try:
                conn = await asyncpg.connect(
                    **self.params.asyncpg_kwargs(),
                    server_settings={"application_name": self.application_name},
                )
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(self.channel, self._deliver)
                self._set(True)
                self._up.set()
                log.info("listening", channel=self.channel)
                delay = RECONNECT_S[0]
                await _hold(conn, lost)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("listening_lost", channel=self.channel, error=type(exc).__name__)
            finally:
                self._set(False)
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.shield(conn.close(timeout=1))
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_S[1])

    def _set(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_state(connected)


async def _hold(conn: Any, lost: asyncio.Event) -> None:
    """Until the connection ends: the server closing it ends it at once; a silent loss is found
    by a query every HEALTH_S."""
    while not lost.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lost.wait(), HEALTH_S)
        if not lost.is_set():
            await conn.fetchval("SELECT 1", timeout=HEALTH_S)
    raise ConnectionError("listening connection closed")
