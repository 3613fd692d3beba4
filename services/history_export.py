"""Exporting a province's history (xuất lịch sử) as self-describing JSON lines.

One line per record, UTF-8, in position order:

- a `header` line: format, province, when and up to when exported, the chain formula;
- one `event` line per stored event: position, originator id and version, topic, the event's
  schema version (`event_version`, the class version its state was written with), recorded and
  effective times, actor, correlation id, `payload` (the stored state decoded for readers, not
  upcast), `state_b64` (the stored bytes exactly: re-importing them reproduces the same chain),
  `previous_hash` and `hash`;
- one `file` line per stored file the events refer to (a dossier item's attachment): its
  `sha256`, `size`, `media_type` and `content_b64`; files uploaded but never attached are not
  part of the history and are not exported;
- an `end` line: number of events and head, and number of files, so a truncated file is refused
  on import.

Secret ballots (bỏ phiếu kín) stay secret: the only thing that links a voter to a choice is the
sealed paper of `Ballot.SealedPaperCast`, which is ciphertext in the stored state itself (sealed
to the ballot's public key, whose private key exists only as its tellers' shares, never stored;
see docs/secret-ballot.md), so the export carries that ciphertext and nothing more.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

import asyncpg
import structlog

from thidua.projections.routing import pool_for
from thidua.services.attachments.store import table_of
from thidua.services.errors import ApplicationError
from thidua.services.ledger import (
    FETCH_BATCH,
    PROGRESS_EVERY,
    ROWS_SQL,
    ChainWalker,
    Progress,
    events_table,
)
from thidua.services.ledger_chain import GENESIS

log = structlog.get_logger()

FORMAT = "thidua.history/1"
CHAIN_FORMULA = (
    "hash = sha256(previous_hash || originator_id (16 bytes) || int8 originator_version || "
    "int4 length || topic utf-8 || int4 length || state), big-endian; first previous_hash = "
    "32 zero bytes; positions are not hashed"
)
# A date or a time without a zone is read in the provinces' own time zone.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PROVENANCE_FIELDS = ("timestamp", "actor_user", "actor_role", "actor_unit", "effective_on")


class InvalidInstant(ApplicationError):
    """An --until value that is neither a date nor an ISO 8601 date and time."""

    code = "INVALID_INSTANT"


def parse_instant(text: str) -> datetime:
    """An instant from `2025-12-31` (the end of that day, Vietnam time) or ISO 8601 date-time.

    A date-time without an offset is Vietnam time (UTC+7), the time the sources speak in.
    """
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day, dtime.max, tzinfo=LOCAL_ZONE)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInstant(
            f"Thời điểm «{raw[:40]}» không hợp lệ: dùng dạng 2025-12-31 hoặc 2025-12-31T17:00:00+07:00.",
            value=raw[:40],
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_ZONE)


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote; `chain_ok` is False when the source ledger itself is broken."""

    province: str
    events: int
    head_position: int
    head_hash: str
    chain_ok: bool
    first_bad_position: int | None
    seconds: float


def _unwrap(obj: dict[str, Any]) -> Any:
    if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
        return obj["_data_"]
    return obj


# The stored JSON with the library's `{"_type_": ..., "_data_": ...}` wrappers unwrapped.
_READABLE = json.JSONDecoder(object_hook=_unwrap)


def readable(state: bytes) -> Any:
    """The stored state as plain JSON values (a date as "2025-12-31", a UUID as hex)."""
    return _READABLE.decode(state.decode("utf-8"))


def event_line(province: str, row: Sequence[Any], previous_hash: bytes) -> dict[str, Any]:
    """The export record of one stored row, as selected by `ROWS_SQL` (see the module doc)."""
    position, originator_id, version, topic, state, stored_hash = row
    try:
        decoded = readable(state)
    except ValueError:
        decoded = None  # not JSON (e.g. a compressed or encrypted state): the bytes still travel
    payload = decoded if isinstance(decoded, dict) else {}
    provenance = {name: payload.pop(name, None) for name in PROVENANCE_FIELDS}
    return {
        "record": "event",
        "format": FORMAT,
        "province": province,
        "position": position,
        "originator_id": str(originator_id),
        "originator_version": version,
        "topic": topic,
        "event_version": int(payload.pop("class_version", 1)),
        "recorded_at": provenance["timestamp"],
        "effective_on": provenance["effective_on"],
        "actor": {
            "user": provenance["actor_user"],
            "role": provenance["actor_role"],
            "unit": provenance["actor_unit"],
        },
        "correlation_id": payload.pop("correlation_id", None),
        "payload": payload,
        "state_b64": base64.b64encode(state).decode("ascii"),
        "previous_hash": previous_hash.hex(),
        "hash": stored_hash.hex() if stored_hash is not None else None,
    }


def dump(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _recorded_after(record: dict[str, Any], until: datetime) -> bool:
    recorded = record["recorded_at"]
    if not isinstance(recorded, str):
        return False  # an event without a recorded time cannot be placed after the instant
    return datetime.fromisoformat(recorded) > until


async def export_history(
    pool: asyncpg.Pool,
    province: str,
    out: BinaryIO,
    *,
    until: datetime | None = None,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportSummary:
    """Write a province's history to `out`; with `until`, the prefix recorded up to that instant.

    The prefix ends before the first event recorded after `until`, so the file is always a
    whole chain from the genesis (a later event recorded with an earlier time is not pulled in).
    """
    started = time.monotonic()
    walker = ChainWalker()
    count = 0
    referenced: set[str] = set()
    name = await pool.fetchval("SELECT name FROM platform.provinces WHERE code = $1", province)
    async with (await pool_for(pool, province)).acquire() as conn:
        table = await events_table(conn, province)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            total = await conn.fetchval(
                f"SELECT coalesce(max(notification_id), 0) FROM {table}"  # noqa: S608
            )
            out.write(dump(_header(province, name, until, clock())))
            cursor = await conn.cursor(f"{ROWS_SQL} FROM {table} ORDER BY notification_id")
            stop = False
            while not stop and (rows := await cursor.fetch(FETCH_BATCH)):
                lines = []
                for row in rows:
                    record = event_line(province, row, walker.stored_previous)
                    if until is not None and _recorded_after(record, until):
                        stop = True
                        break
                    position, oid, version, topic, state, stored = row
                    walker.feed(position, oid.bytes, version, topic, state, stored)
                    referenced.update(file_references(record))
                    lines.append(dump(record))
                out.writelines(lines)
                count += len(lines)
                if progress is not None:
                    progress(count, max(total, count))
                if count // PROGRESS_EVERY != (count - len(lines)) // PROGRESS_EVERY:
                    log.info("history_export_progress", province=province, events=count)
            # The files the exported events refer to (dossier attachments), after the events:
            # the hash chain covers each through its event, the file record carries the bytes.
            files = await _write_files(conn, province, sorted(referenced), out)
    head_hash = walker.stored_previous.hex() if count else GENESIS.hex()
    summary = ExportSummary(
        province=province,
        events=count,
        head_position=walker.previous_position,
        head_hash=head_hash,
        chain_ok=walker.break_count == 0,
        first_bad_position=walker.breaks[0].position if walker.breaks else None,
        seconds=time.monotonic() - started,
    )
    out.write(
        dump(
            {
                "record": "end",
                "format": FORMAT,
                "province": province,
                "events": count,
                "head_position": summary.head_position,
                "head_hash": head_hash,
                "files": files,
            }
        )
    )
    log.info(
        "history_exported",
        province=province,
        events=count,
        head=f"{head_hash}@{summary.head_position}",
        chain_ok=summary.chain_ok,
        seconds=round(summary.seconds, 3),
    )
    return summary


def file_references(record: dict[str, Any]) -> list[str]:
    """The stored files an exported event refers to (a dossier item's file), by SHA-256."""
    stored = (record.get("payload") or {}).get("file")
    if record.get("topic", "").endswith(":AwardProposal.DocumentAttached") and isinstance(stored, dict):
        digest = stored.get("sha256")
        return [digest] if isinstance(digest, str) else []
    return []


async def _write_files(conn: Any, province: str, hashes: list[str], out: BinaryIO) -> int:
    """One `file` record per referenced file: its hash, size, media type and bytes (base64).
    A file missing from the store is written nowhere: the import then refuses the export."""
    written = 0
    for digest in hashes:
        row = await conn.fetchrow(
            f"SELECT size, media_type, content FROM {table_of(province)} WHERE sha256 = $1",  # noqa: S608
            bytes.fromhex(digest),
        )
        if row is None:
            log.warning("history_export_file_missing", province=province, sha256=digest)
            continue
        out.write(
            dump(
                {
                    "record": "file",
                    "format": FORMAT,
                    "sha256": digest,
                    "size": int(row["size"]),
                    "media_type": str(row["media_type"]),
                    "content_b64": base64.b64encode(bytes(row["content"])).decode("ascii"),
                }
            )
        )
        written += 1
    return written


def _header(province: str, name: str, until: datetime | None, now: datetime) -> dict[str, Any]:
    return {
        "record": "header",
        "format": FORMAT,
        "province": province,
        "province_name": name,
        "exported_at": now.isoformat(),
        "until": until.isoformat() if until is not None else None,
        "hash_algorithm": "sha256",
        "genesis_hash": GENESIS.hex(),
        "chain": CHAIN_FORMULA,
        "payload": "stored state decoded as JSON for readers, as written (not upcast); "
        "state_b64 holds the exact stored bytes",
        "secret_ballots": "sealed papers are ciphertext in the stored state; "
        "their key exists only as the tellers' shares, never stored",
    }
