"""Verifying a province's whole lineage (`thidua ledger verify --with-predecessors`).

For each predecessor, however far back: its chain is recomputed and must reach, at the position
the merger recorded, the hash the merger recorded (HASH@POSITION of its closing event); nothing
may follow that head; its closure guard must still be on (switched off, the ledger would take
writes again); and the successor's own ledger must record the same head as the platform registry
does. The successor's chain itself is verified as any province's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import asyncpg

from thidua.projections.routing import pool_for
from thidua.services.ledger import Checkpoint, Progress, VerifyReport, events_table, verify_ledger
from thidua.services.mergers import Succession


@dataclass
class LineageLink:
    """One predecessor's part of the lineage, as verified."""

    predecessor: str
    successor: str
    recorded_head: str  # as the platform registry keeps it
    successor_ledger_head: str | None  # as the successor's ledger records it
    report: VerifyReport
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.problems

    def summary(self) -> str:
        state = "ok" if self.ok else "BROKEN"
        return f"predecessor {self.predecessor} -> {self.successor}: {state}, closed at {self.recorded_head}"


async def verify_lineage(
    pool: asyncpg.Pool,
    links: list[Succession],
    recorded: Mapping[tuple[str, str], str],
    progress: Progress | None = None,
) -> list[LineageLink]:
    """Verify each predecessor in `links`; `recorded` maps (successor, predecessor) to the head
    the successor's ledger records."""
    results: list[LineageLink] = []
    for link in links:
        report = await verify_ledger(pool, link.predecessor, Checkpoint.parse(link.head), progress)
        in_ledger = recorded.get((link.successor, link.predecessor))
        checked = LineageLink(link.predecessor, link.successor, link.head, in_ledger, report)
        if report.head_position != link.head_position:
            checked.problems.append(
                f"the closed ledger's head is at position {report.head_position}, "
                f"not at the closing head {link.head_position}"
            )
        if not await _guard_on(pool, link.predecessor):
            checked.problems.append("the closure guard (ledger_closed_guard) is missing or switched off")
        if in_ledger is None:
            checked.problems.append(f"{link.successor}'s ledger records no head for {link.predecessor}")
        elif in_ledger != link.head:
            checked.problems.append(f"{link.successor}'s ledger records another head: {in_ledger}")
        results.append(checked)
    return results


async def _guard_on(pool: asyncpg.Pool, province: str) -> bool:
    async with (await pool_for(pool, province)).acquire() as conn:
        table = await events_table(conn, province)
        enabled = await conn.fetchval(
            "SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = $1::regclass "
            "AND tgname = 'ledger_closed_guard' AND NOT tgisinternal",
            table,
        )
    return enabled is not None and enabled != "D"
