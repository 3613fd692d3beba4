"""The ledger witness (nhân chứng sổ cái): every province's head, written to the log periodically.

A checkpoint is only worth something if it is kept where the operator of this instance cannot
rewrite it. Auditors keep their own (`thidua ledger head`); the witness adds a steady supply:
each `interval_s` it logs one `ledger_checkpoint` line per province whose head moved, e.g.

    {"event": "ledger_checkpoint", "province": "nghe-an", "checkpoint": "9f...@1234", ...}

Shipped to a log store kept by someone else (the province's own archive, a SIEM), these lines let
`thidua ledger verify --against` prove any earlier state, without anyone remembering to take one.
Register it beside the projection host: `runtime.services["ledger_witness"] =
LedgerWitness(runtime.read_pool)`, then `await ...start()`.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import structlog

from thidua.services.ledger import LedgerHead, ledger_head

log = structlog.get_logger()


class LedgerWitness:
    """A background service (start/stop) that logs each province's head when it changes."""

    def __init__(self, pool: asyncpg.Pool, *, interval_s: float = 3600.0) -> None:
        self.pool = pool
        self.interval_s = interval_s
        self._last: dict[str, str] = {}
        self._task: asyncio.Task[None] | None = None

    async def publish(self) -> list[LedgerHead]:
        """Log the heads that moved since the last round; return them."""
        async with self.pool.acquire() as conn:
            codes = [r[0] for r in await conn.fetch("SELECT code FROM platform.provinces")]
        moved = []
        for code in sorted(codes):
            head = await ledger_head(self.pool, code)
            if self._last.get(code) != head.checkpoint:
                self._last[code] = head.checkpoint
                moved.append(head)
                log.info(
                    "ledger_checkpoint",
                    province=code,
                    checkpoint=head.checkpoint,
                    position=head.position,
                )
        return moved

    async def _run(self) -> None:
        while True:
            try:
                await self.publish()
            except (OSError, asyncpg.PostgresError):
                # The database is away for a moment: the next round catches up.
                log.warning("ledger_witness_failed", exc_info=True)
            await asyncio.sleep(self.interval_s)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ledger-witness")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
