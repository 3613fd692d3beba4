"""Checking a province's ledger (sổ cái) without trusting the operator: head, checkpoints, verify.

The database stamps every event row with `chain_hash = sha256(previous hash || row)` as it is
recorded (`services.ledger_chain`). Here the chain is recomputed from the stored rows alone:

- `ledger_head()` gives `HASH@POSITION`, a checkpoint an auditor (thanh tra) keeps outside the
  system;
- `verify_ledger()` walks the whole history in position order, reports every broken link (the
  first one is where stored data stops agreeing: an edited payload, a deleted, reordered or
  inserted row, a hash overwritten) and, given a checkpoint, proves that the history up to it is
  unchanged. Its recomputed chain never reads a stored hash, so rewriting every hash after an edit
  still fails against a checkpoint taken before the edit.

Rows are read through a server-side cursor in one read-only REPEATABLE READ transaction (a
consistent snapshot while writers go on) and hashed with hashlib in the event-loop thread: asyncpg
decodes rows in C, so one core verifies a million events in a few seconds.
"""

from __future__ import annotations

import hashlib
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg
import structlog

from thidua.projections.routing import pool_for
from thidua.services.errors import ApplicationError, ProvinceNotFound
from thidua.services.ledger_chain import GENESIS
from thidua.services.tenancy import EVENTS_TABLE, schema_for

log = structlog.get_logger()

FETCH_BATCH = 20_000
PROGRESS_EVERY = 200_000
MAX_LISTED_BREAKS = 20
ROWS_SQL = "SELECT notification_id, originator_id, originator_version, topic, state, chain_hash"

Progress = Callable[[int, int], None]
"""Called with (events checked so far, expected total) while a long walk goes on."""


class InvalidCheckpoint(ApplicationError):
    """A checkpoint is not of the form HASH@POSITION (64 hex digits, '@', a whole number)."""

    code = "INVALID_CHECKPOINT"


@dataclass(frozen=True)
class Checkpoint:
    """A head kept by an auditor: the chain hash (64 hex digits) at a province position."""

    hash: bytes
    position: int

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        match = re.fullmatch(r"\s*([0-9a-fA-F]{64})@(\d{1,19})\s*", text or "")
        if match is None:
            raise InvalidCheckpoint(
                f"Mốc kiểm tra «{str(text)[:80]}» không hợp lệ: cần dạng HASH@VỊ_TRÍ "
                "(64 chữ số hex, dấu @, số nguyên), như `thidua ledger head` in ra.",
                checkpoint=str(text)[:80],
            )
        return cls(bytes.fromhex(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.hash.hex()}@{self.position}"


@dataclass(frozen=True)
class LedgerHead:
    """The newest event of a province's ledger: its position and chain hash (0 and GENESIS if empty)."""

    province: str
    position: int
    hash: str

    @property
    def checkpoint(self) -> str:
        return f"{self.hash}@{self.position}"


@dataclass(frozen=True)
class ChainBreak:
    """A row whose stored hash does not follow from its content and the row before it.

    `previous_position` is the row it was checked against; a gap between the two positions
    hints at a deleted row (gaps also occur legitimately when an insert was rolled back).
    `reason` is "hash_mismatch", or "hash_missing" for a row inserted with the triggers off.
    """

    position: int
    previous_position: int
    reason: str


@dataclass
class VerifyReport:
    """What `verify_ledger` found; `ok` is the one answer an auditor needs first."""

    province: str
    events_checked: int = 0
    head_position: int = 0
    stored_head_hash: str = GENESIS.hex()
    recomputed_head_hash: str = GENESIS.hex()
    breaks: list[ChainBreak] = field(default_factory=list)
    break_count: int = 0
    against: str | None = None
    against_ok: bool | None = None
    against_detail: str | None = None
    # Triggers that guard the table (ledger_chain, ledger_immutable, ledger_no_truncate) found
    # switched off: not proof of tampering, but nobody should ever need to switch them off.
    disabled_guards: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def first_bad_position(self) -> int | None:
        return self.breaks[0].position if self.breaks else None

    @property
    def ok(self) -> bool:
        return self.break_count == 0 and self.against_ok is not False

    def summary(self) -> str:
        """One line a person reads first (the CLI prints it; details follow)."""
        warning = (
            f" (warning: guard trigger(s) switched off: {', '.join(self.disabled_guards)})"
            if self.disabled_guards
            else ""
        )
        return self._verdict() + warning

    def _verdict(self) -> str:
        if self.ok:
            text = (
                f"OK: {self.events_checked} events, chain intact, head "
                f"{self.stored_head_hash}@{self.head_position}"
            )
            if self.against is not None:
                text += f"; checkpoint {self.against} matches"
            return text
        parts = []
        if self.break_count:
            parts.append(
                f"chain broken at position {self.first_bad_position} ({self.break_count} broken link(s))"
            )
        if self.against_ok is False:
            parts.append(f"checkpoint {self.against}: {self.against_detail}")
        return "TAMPERED: " + "; ".join(parts)


class ChainWalker:
    """Recomputes a chain row by row; shared by `verify_ledger` and the history importer.

    Two chains are kept. `recomputed` is derived from content only (GENESIS, then every row):
    it is what a checkpoint is compared with. A row is sound when its stored hash follows from
    its content and either the recomputed or the *stored* hash of the row before it, so that
    after a break the walk keeps locating further breaks instead of reporting every later row.
    """

    _q = struct.Struct(">q").pack
    _i = struct.Struct(">i").pack

    def __init__(self) -> None:
        self.recomputed = GENESIS
        self.stored_previous = GENESIS
        self.previous_position = 0
        self.count = 0
        self.break_count = 0
        self.breaks: list[ChainBreak] = []
        self._topics: dict[str, bytes] = {}

    def _body(self, originator_id: bytes, version: int, topic: str, state: bytes) -> bytes:
        prefix = self._topics.get(topic)
        if prefix is None:
            encoded = topic.encode("utf-8")
            prefix = self._topics[topic] = self._i(len(encoded)) + encoded
        return b"".join((originator_id, self._q(version), prefix, self._i(len(state)), state))

    def feed(  # noqa: PLR0917 - called a million times: positional arguments are cheapest
        self,
        position: int,
        originator_id: bytes,
        version: int,
        topic: str,
        state: bytes,
        stored_hash: bytes | None,
    ) -> bytes:
        """Check one row; return the recomputed (content-only) chain hash at this row."""
        body = self._body(originator_id, version, topic, state)
        recomputed = hashlib.sha256(self.recomputed + body).digest()
        if stored_hash != recomputed:
            # Past the first break both chains differ; the link check uses the stored hash.
            linked = (
                recomputed
                if self.stored_previous == self.recomputed
                else hashlib.sha256(self.stored_previous + body).digest()
            )
            if stored_hash != linked:
                self._break(position, "hash_missing" if stored_hash is None else "hash_mismatch")
        self.recomputed = recomputed
        self.stored_previous = stored_hash if stored_hash is not None else recomputed
        self.previous_position = position
        self.count += 1
        return recomputed

    def _break(self, position: int, reason: str) -> None:
        self.break_count += 1
        if len(self.breaks) < MAX_LISTED_BREAKS:
            self.breaks.append(ChainBreak(position, self.previous_position, reason))


async def events_table(conn: asyncpg.Connection, province: str) -> str:
    """The quoted events table of a province whose event store is on `conn`'s server (its
    schema is made with its registration); ProvinceNotFound otherwise. The registry itself may
    be on another server (services/servers.py), so the table is looked for, not the row."""
    table = f'"{schema_for(province)}"."{EVENTS_TABLE}"'
    if await conn.fetchval("SELECT to_regclass($1)", table) is None:
        raise ProvinceNotFound(f"Không tìm thấy tỉnh «{province}».", province=province)
    return table


async def ledger_head(pool: asyncpg.Pool, province: str) -> LedgerHead:
    """The head (position and chain hash) of a province's ledger, as stored."""
    async with (await pool_for(pool, province)).acquire() as conn:
        table = await events_table(conn, province)
        row = await conn.fetchrow(
            f"SELECT notification_id, chain_hash FROM {table} "  # noqa: S608 - from the registry
            "ORDER BY notification_id DESC LIMIT 1"
        )
    if row is None:
        return LedgerHead(province, 0, GENESIS.hex())
    stored = row["chain_hash"]
    return LedgerHead(province, int(row["notification_id"]), bytes(stored or b"").hex())


async def verify_ledger(
    pool: asyncpg.Pool,
    province: str,
    against: Checkpoint | str | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """Recompute a province's chain from its stored rows; check a kept checkpoint if given."""
    checkpoint = Checkpoint.parse(against) if isinstance(against, str) else against
    started = time.monotonic()
    report = VerifyReport(province, against=None if checkpoint is None else str(checkpoint))
    walker = ChainWalker()
    at_checkpoint: bytes | None = None
    async with (await pool_for(pool, province)).acquire() as conn:
        table = await events_table(conn, province)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            total = await conn.fetchval(
                f"SELECT coalesce(max(notification_id), 0) FROM {table}"  # noqa: S608
            )
            cursor = await conn.cursor(f"{ROWS_SQL} FROM {table} ORDER BY notification_id")
            next_progress = PROGRESS_EVERY
            while rows := await cursor.fetch(FETCH_BATCH):
                feed = walker.feed
                for position, oid, version, topic, state, stored in rows:
                    recomputed = feed(position, oid.bytes, version, topic, state, stored)
                    if checkpoint is not None and position == checkpoint.position:
                        at_checkpoint = recomputed
                if progress is not None:
                    progress(walker.count, max(total, walker.count))
                if walker.count >= next_progress:
                    next_progress += PROGRESS_EVERY
                    log.info("ledger_verify_progress", province=province, checked=walker.count)
            if walker.count:
                report.head_position = walker.previous_position
                report.stored_head_hash = walker.stored_previous.hex()
            report.disabled_guards = await _disabled_guards(conn, table)
    report.events_checked = walker.count
    report.recomputed_head_hash = walker.recomputed.hex()
    report.breaks = walker.breaks
    report.break_count = walker.break_count
    if checkpoint is not None:
        _judge_checkpoint(report, checkpoint, at_checkpoint)
    report.seconds = time.monotonic() - started
    log.info(
        "ledger_verified",
        province=province,
        ok=report.ok,
        events=report.events_checked,
        first_bad_position=report.first_bad_position,
        broken_links=report.break_count,
        against=report.against,
        against_ok=report.against_ok,
        seconds=round(report.seconds, 3),
    )
    return report


GUARDS = ("ledger_chain", "ledger_immutable", "ledger_no_truncate")


async def _disabled_guards(conn: asyncpg.Connection, table: str) -> list[str]:
    """The guard triggers that are missing or switched off ('D') on the events table."""
    rows = await conn.fetch(
        "SELECT tgname, tgenabled::text AS tgenabled FROM pg_trigger "
        "WHERE tgrelid = $1::regclass AND NOT tgisinternal",
        table,
    )
    enabled = {r["tgname"] for r in rows if r["tgenabled"] != "D"}
    return [name for name in GUARDS if name not in enabled]


def _judge_checkpoint(report: VerifyReport, checkpoint: Checkpoint, found: bytes | None) -> None:
    if checkpoint.position == 0:
        found = GENESIS
    if found is None:
        report.against_ok = False
        report.against_detail = (
            f"no event at position {checkpoint.position} (deleted, or never recorded here)"
        )
    elif found != checkpoint.hash:
        report.against_ok = False
        report.against_detail = (
            f"history up to position {checkpoint.position} changed: recomputed hash there is {found.hex()}"
        )
    else:
        report.against_ok = True
        report.against_detail = f"history up to position {checkpoint.position} unchanged"
