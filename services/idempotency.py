"""Idempotency keys (khóa chống ghi trùng): a retried request records its facts only once.

A client that retries a mutation (a timeout, a dropped connection) sends the same key; the first
request claims `(province, key)` and stores its outcome, every later one gets that outcome back
without running the command again. The stored outcome is a JSON document chosen by the caller
(the GraphQL payload: position, result, errors).

A key is bound to one operation and one input: reusing it for something else is refused
(`IDEMPOTENCY_KEY_REUSED`) rather than silently answering with an unrelated result. While the
first request is still running, a retry waits a little, then is told to retry later
(`IDEMPOTENCY_KEY_IN_PROGRESS`). A claim whose command failed unexpectedly is released so the
client can retry; expected refusals (domain errors) are stored like successes, because running
the same command again would be refused the same way.

Known window: if the process dies after the command recorded its events and before the outcome
is stored, the claim stays "pending"; after `stale_after_s` a retry is told the outcome is
unknown (`IDEMPOTENCY_OUTCOME_UNKNOWN`) instead of recording twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog

from thidua.services.errors import ApplicationError

log = structlog.get_logger()

DDL = """
CREATE SCHEMA IF NOT EXISTS platform;
CREATE TABLE IF NOT EXISTS platform.idempotency_keys (
    province     text        NOT NULL,
    key          text        NOT NULL,
    operation    text        NOT NULL,
    request_hash text        NOT NULL,
    subject      text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('pending', 'done')),
    outcome      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (province, key)
);
"""

MAX_KEY_LENGTH = 200


class IdempotencyKeyReused(ApplicationError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyKeyInProgress(ApplicationError):
    code = "IDEMPOTENCY_KEY_IN_PROGRESS"


class IdempotencyOutcomeUnknown(ApplicationError):
    code = "IDEMPOTENCY_OUTCOME_UNKNOWN"


class InvalidIdempotencyKey(ApplicationError):
    code = "INVALID_IDEMPOTENCY_KEY"


@dataclass(frozen=True)
class Claim:
    """The answer to `claim()`: either ours to run, or the outcome a previous request stored."""

    fresh: bool
    outcome: dict[str, Any] | None = None


def request_hash(operation: str, payload: Any) -> str:
    """A stable digest of the operation and its input (keys sorted, so order does not matter)."""
    canonical = json.dumps([operation, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    """The `platform.idempotency_keys` table, reached through the asyncpg pool."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        wait_s: float = 5.0,
        poll_s: float = 0.05,
        stale_after_s: float = 120.0,
    ) -> None:
        self.pool = pool
        self.wait_s = wait_s
        self.poll_s = poll_s
        self.stale_after_s = stale_after_s
        self._ready = False
        self._ready_lock = asyncio.Lock()

    async def ensure_table(self) -> None:
        """Create the table once per process (an advisory lock keeps concurrent starts apart)."""
        if self._ready:
            return
        async with self._ready_lock:
            if self._ready:
                return
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(7302)")
                await conn.execute(DDL)
            self._ready = True

    async def claim(self, province: str, key: str, *, operation: str, digest: str, subject: str) -> Claim:
        """Claim the key for this request, or return the outcome stored by the first one."""
        _check_key(key)
        await self.ensure_table()
        deadline = time.monotonic() + self.wait_s
        while True:
            async with self.pool.acquire() as conn:
                inserted = await conn.fetchval(
                    "INSERT INTO platform.idempotency_keys "
                    "(province, key, operation, request_hash, subject, state) "
                    "VALUES ($1, $2, $3, $4, $5, 'pending') "
                    "ON CONFLICT (province, key) DO NOTHING RETURNING true",
                    province,
                    key,
                    operation,
                    digest,
                    subject,
                )
                if inserted:
                    return Claim(fresh=True)
                row = await conn.fetchrow(
                    "SELECT operation, request_hash, state, outcome, "
                    "extract(epoch FROM now() - created_at) AS age "
                    "FROM platform.idempotency_keys WHERE province = $1 AND key = $2",
                    province,
                    key,
                )
            if row is None:  # released between our insert and select: try again
                continue
            if row["operation"] != operation or row["request_hash"] != digest:
                raise IdempotencyKeyReused(
                    "Khóa chống ghi trùng này đã được dùng cho một yêu cầu khác; "
                    "hãy dùng khóa mới cho mỗi thao tác.",
                    key=key,
                    operation=row["operation"],
                )
            if row["state"] == "done":
                log.info("idempotent_replay", province=province, key=key, operation=operation)
                return Claim(fresh=False, outcome=json.loads(row["outcome"]))
            if float(row["age"]) > self.stale_after_s:
                raise IdempotencyOutcomeUnknown(
                    "Yêu cầu đầu tiên với khóa này bị gián đoạn; kết quả chưa rõ. "
                    "Hãy kiểm tra nhật ký kiểm toán trước khi gửi lại với khóa mới.",
                    key=key,
                )
            if time.monotonic() >= deadline:
                raise IdempotencyKeyInProgress(
                    "Yêu cầu với khóa này đang được xử lý; vui lòng thử lại sau giây lát.",
                    key=key,
                )
            await asyncio.sleep(self.poll_s)

    async def complete(self, province: str, key: str, outcome: dict[str, Any]) -> None:
        """Store the outcome of a claimed key; later retries receive exactly this."""
        async with self.pool.acquire() as conn:
            await conn.execute(
                "UPDATE platform.idempotency_keys SET state = 'done', outcome = $3::jsonb, "
                "completed_at = now() WHERE province = $1 AND key = $2",
                province,
                key,
                json.dumps(outcome, default=str, ensure_ascii=False),
            )

    async def release(self, province: str, key: str) -> None:
        """Forget a claim whose command failed unexpectedly, so the client may retry."""
        async with self.pool.acquire() as conn:
            await conn.execute(
                "DELETE FROM platform.idempotency_keys "
                "WHERE province = $1 AND key = $2 AND state = 'pending'",
                province,
                key,
            )


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidIdempotencyKey(
            f"Khóa chống ghi trùng phải là chuỗi in được, 1–{MAX_KEY_LENGTH} ký tự.",
            field="idempotencyKey",
        )
