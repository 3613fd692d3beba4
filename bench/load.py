"""Load generators (tải): closed-loop clients for throughput, an open-loop pacer for freshness.

Clients are `httpx.AsyncClient`s on loopback, bounded in number and in time. Latency is measured
from just before a request is sent to the end of reading its response. Requests finishing in
the warm-up window are not counted, so connection set-up and first-call caches are excluded.
A request fails when the transport fails, the status is not 200, or `check` rejects the body.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from bench.rawhttp import HTTPError, RawConnection

log = structlog.get_logger()

RequestFactory = Callable[[int, int], tuple[str, dict[str, str], bytes]]
"""(client number, request number) -> (path, headers, body) of the next POST."""

Check = Callable[[bytes], str | None]
"""Returns None when a response body is a success, else a short reason."""


@dataclass
class LoadResult:
    requests: int = 0  # successful, in the measuring window
    failures: int = 0  # failed, in the measuring window
    attempted: int = 0  # every request answered, warm-up included
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_failure: str | None = None
    client_cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def fail(self, reason: str) -> None:
        self.failures += 1
        if self.first_failure is None:
            self.first_failure = reason[:300]


def graphql_check(body: bytes) -> str | None:
    """A GraphQL answer with an `errors` member failed, even with HTTP 200."""
    if b'"errors"' in body[:200_000]:
        return body[:300].decode("utf-8", "replace")
    return None


def _client(base_url: str, connections: int, timeout: float) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout)


Prepared = tuple[str, dict[str, str], bytes]
CLIENT_KINDS = ("raw", "httpx")


async def closed_loop(
    base_url: str,
    make_request: RequestFactory,
    *,
    clients: int,
    duration: float,
    warmup: float = 1.0,
    check: Check | None = graphql_check,
    request_timeout: float = 30.0,
    client_kind: str = "raw",
) -> LoadResult:
    """`clients` concurrent clients, each sending its next request when the last one is answered.

    `client_kind` "raw" (default) uses one lean keep-alive connection per client
    (`bench.rawhttp`); "httpx" one pooled `httpx.AsyncClient`. The request is built before the
    clock starts; latency runs from sending to the last byte of the answer.
    """
    result = LoadResult()
    connections = [RawConnection(base_url) for _ in range(clients)]
    cpu_start = time.process_time()
    async with _client(base_url, clients, request_timeout) as client:

        async def send(number: int, request: Prepared) -> tuple[int, bytes]:
            path, headers, body = request
            if client_kind == "httpx":
                response = await client.post(path, content=body, headers=headers)
                return response.status_code, response.content
            conn = connections[number]
            return await asyncio.wait_for(conn.send(conn.request_bytes(path, headers, body)), request_timeout)

        start = time.perf_counter()
        counting_from = start + warmup
        stop_at = counting_from + duration

        async def run_client(number: int) -> None:
            for sent in itertools.count():
                request = make_request(number, sent)
                began = time.perf_counter()
                if began >= stop_at:
                    return
                reason: str | None
                try:
                    status, content = await send(number, request)
                    reason = None if status == 200 else f"HTTP {status}"
                    if reason is None and check is not None:
                        reason = check(content)
                except (httpx.HTTPError, HTTPError, TimeoutError) as exc:
                    reason = f"{type(exc).__name__}: {exc}"
                ended = time.perf_counter()
                result.attempted += 1
                if began < counting_from:
                    continue
                if reason is None:
                    result.requests += 1
                    result.latencies.append(ended - began)
                else:
                    result.fail(reason)

        try:
            await asyncio.gather(*(run_client(n) for n in range(clients)))
        finally:
            for conn in connections:
                await conn.close()
        result.seconds = time.perf_counter() - counting_from
    result.client_cpu_seconds = time.process_time() - cpu_start
    if result.failures:
        log.warning("bench_load_failures", failures=result.failures, first=result.first_failure)
    return result


async def paced(
    rate: float,
    duration: float,
    action: Callable[[int], Coroutine[Any, Any, Any]],
    *,
    max_in_flight: int = 256,
) -> tuple[int, int]:
    """Start `action(n)` at a steady `rate` per second for `duration` s (open loop).

    Returns (started, skipped): a start is skipped, and counted, when `max_in_flight` actions
    are already running, so an overloaded server shows up as skips instead of unbounded tasks.
    """
    in_flight: set[asyncio.Task[Any]] = set()
    started = skipped = 0
    begin = time.perf_counter()
    total = int(rate * duration)
    for n in range(total):
        due = begin + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= max_in_flight:
            skipped += 1
            continue
        task = asyncio.create_task(action(n))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        started += 1
    if in_flight:
        await asyncio.gather(*in_flight, return_exceptions=True)
    return started, skipped


def cores() -> int:
    return os.cpu_count() or 1
