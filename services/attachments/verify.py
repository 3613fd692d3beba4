"""Checking a province's stored files against the ledger (kiểm tra tệp): `thidua ledger verify --files`.

The chain covers a file through the hash, name, media type and size its `DocumentAttached` event
carries; the bytes live in the store. So the check is: every stored file still hashes to the key
it is kept under and has its recorded size, and every file an event refers to is in the store,
with the size and media type the event recorded. Files are read and hashed one batch at a time
in one read-only snapshot.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg
import structlog

from thidua.projections.routing import pool_for
from thidua.services.attachments.store import table_of
from thidua.services.history_export import readable
from thidua.services.ledger import events_table

log = structlog.get_logger()

BATCH = 32  # files per fetch: at most 640 MiB in flight with the default limit, usually far less
MAX_LISTED = 20
ATTACHED_TOPIC = "%:AwardProposal.DocumentAttached"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileProblem:
    sha256: str
    reason: str  # content_mismatch | size_mismatch | missing | metadata_mismatch
    position: int | None = None  # the event referring to it, for missing / metadata problems


@dataclass
class FileReport:
    province: str
    files_checked: int = 0
    references_checked: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: FileProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    def summary(self) -> str:
        if self.ok:
            return (
                f"files OK: {self.files_checked} stored files match their hashes, "
                f"{self.references_checked} references found in the store"
            )
        return f"files TAMPERED or MISSING: {self.problem_count} problem(s) among {self.files_checked} files"


async def verify_files(pool: asyncpg.Pool, province: str, progress: Progress | None = None) -> FileReport:
    """Recompute every stored file's hash and match the events' references to the store."""
    started = time.monotonic()
    report = FileReport(province)
    routed = await pool_for(pool, province)
    async with routed.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        events = await events_table(conn, province)
        store = table_of(province)
        total = int(await conn.fetchval(f"SELECT count(*) FROM {store}"))  # noqa: S608
        known: dict[str, tuple[int, str]] = {}
        cursor = await conn.cursor(f"SELECT sha256, size, media_type, content FROM {store}")  # noqa: S608
        while rows := await cursor.fetch(BATCH):
            for key, size, media, content in rows:
                hashed = bytes(key).hex()
                known[hashed] = (int(size), str(media))
                if hashlib.sha256(content).hexdigest() != hashed:
                    report.add(FileProblem(hashed, "content_mismatch"))
                elif len(content) != size:
                    report.add(FileProblem(hashed, "size_mismatch"))
                report.files_checked += 1
            if progress is not None:
                progress(report.files_checked, total)
        async for position, state in conn.cursor(
            f"SELECT notification_id, state FROM {events} WHERE topic LIKE $1 "  # noqa: S608
            "ORDER BY notification_id",
            ATTACHED_TOPIC,
        ):
            try:
                decoded = readable(bytes(state))
            except ValueError:
                continue  # not JSON: not an attachment this check can read
            stored = decoded.get("file") if isinstance(decoded, dict) else None
            if not isinstance(stored, dict):
                continue
            report.references_checked += 1
            hashed = str(stored.get("sha256"))
            if hashed not in known:
                report.add(FileProblem(hashed, "missing", position))
            elif known[hashed] != (stored.get("size"), stored.get("media_type")):
                report.add(FileProblem(hashed, "metadata_mismatch", position))
    report.seconds = time.monotonic() - started
    log.info(
        "files_verified",
        province=province,
        ok=report.ok,
        files=report.files_checked,
        references=report.references_checked,
        problems=report.problem_count,
        seconds=round(report.seconds, 3),
    )
    return report
