"""A lean HTTP/1.1 keep-alive client for the load loops (one connection per client).

httpx spends about 2.5 ms of client CPU per 10 kB answer here: on a 2-core machine the client
then competes with the server for the same cores, and a fast floor (a plain endpoint) measures
the client rather than the server. This client writes prepared request bytes and reads the
status line, headers and body by Content-Length (or chunks), and nothing else. httpx remains the
client for set-up, probes and `--client httpx`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlsplit

# The server closes a keep-alive connection idle for 5 s (uvicorn's default); one idle nearly that
# long is opened again rather than reused, so a request never races the server's close and comes
# back with no answer (a POST cannot be sent again blindly).
REUSE_IDLE_S = 4.0


class HTTPError(Exception):
    """The connection failed or the answer was not HTTP/1.1 as expected."""


class RawConnection:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._used = 0.0

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._writer is not None and time.monotonic() - self._used > REUSE_IDLE_S:
            await self.close()
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    def request_bytes(self, path: str, headers: dict[str, str], body: bytes) -> bytes:
        lines = [f"POST {path} HTTP/1.1", f"host: {self.host}:{self.port}", f"content-length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("host", "content-length")]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """Send prepared request bytes; return (status, body)."""
        try:
            reader, writer = await self._connect()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length, chunked, close = _framing(head)
            if chunked:
                body = await _read_chunked(reader)
            else:
                body = await reader.readexactly(length) if length else b""
            self._used = time.monotonic()
            if close:
                await self.close()
            return status, body
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            await self.close()
            raise HTTPError(f"{type(exc).__name__}: {exc}") from None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


def _framing(head: bytes) -> tuple[int, bool, bool]:
    length, chunked, close = 0, False, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            close = True
    return length, chunked, close


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class RawPool:
    """Keep-alive connections shared by many concurrent tasks (open-loop load, probes)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._idle: list[RawConnection] = []
        self._all: list[RawConnection] = []

    async def post(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        conn = self._idle.pop() if self._idle else self._new()
        try:
            return await conn.send(conn.request_bytes(path, headers, body))
        finally:
            self._idle.append(conn)

    def _new(self) -> RawConnection:
        conn = RawConnection(self.base_url)
        self._all.append(conn)
        return conn

    async def close(self) -> None:
        for conn in self._all:
            await conn.close()
