"""Real HTTP servers for the benchmarks, each in its own process on a loopback port.

The product is started exactly as an operator starts it (`thidua serve`, uvicorn, one worker),
against the benchmark database; the standings floor is a plain Litestar app (`bench.floor_app`)
served the same way. A separate process keeps the load generator's CPU out of the server's GIL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx
import structlog

from bench.environment import REPO_ROOT, database_url
from thidua.services.auth import issue_token
from thidua.services.database import ConnectionParams

log = structlog.get_logger()

BENCH_JWT_SECRET = "thidua-bench-secret-only-for-loopback-runs-0123456789"  # noqa: S105
CLI = "from thidua.app.cli import cli; cli()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0.0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc), [] where unavailable."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


class ServedProcess:
    """A server process; `url` is its base address, `cpu_seconds()` its CPU time so far."""

    def __init__(self, argv: list[str], env: dict[str, str], port: int, log_path: Path, name: str) -> None:
        self.argv = argv
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.name = name
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    async def start(self, wait_s: float = 90.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        # Popen returns at once (fork + exec); the wait for readiness below is async.
        self._proc = subprocess.Popen(  # noqa: S603, ASYNC220 - our own interpreter and module
            self.argv, env=self.env, cwd=REPO_ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + wait_s
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    msg = f"{self.name} exited with {self._proc.returncode}; see {self.log_path}"
                    raise RuntimeError(msg)
                try:
                    if (await client.get(f"{self.url}/health")).status_code == 200:
                        log.info("bench_server_started", server=self.name, url=self.url)
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        await self.stop()
        msg = f"{self.name} did not answer /health within {wait_s:.0f} s; see {self.log_path}"
        raise RuntimeError(msg)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def cpu_seconds(self) -> float:
        """CPU time of the server and its worker processes (`thidua serve --workers N`)."""
        if self._proc is None:
            return 0.0
        return sum(_cpu_seconds(pid) for pid in [self._proc.pid, *_children(self._proc.pid)])

    async def stop(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # graceful: the lifespan closes the runtime
            for _ in range(300):
                if proc.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            else:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
        self._proc = None

    async def __aenter__(self) -> ServedProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def product_server(
    params: ConnectionParams,
    logs_dir: Path,
    *,
    name: str = "product",
    log_level: str = "INFO",
    extra_env: dict[str, str] | None = None,
    variant: str | None = None,
    workers: int = 1,
) -> ServedProcess:
    """`thidua serve` in production mode on `params`, projections running in-process
    (with `variant`, the same with one proposed change patched in: see `bench.variants`)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(params),
        "THIDUA_ENV": "production",
        "THIDUA_JWT_SECRET": BENCH_JWT_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_LOG_LEVEL": log_level,
        "THIDUA_RUN_PROJECTIONS": "true",
        "THIDUA_LOAD_DEMO": "false",
        "THIDUA_WORKERS": str(workers),
        **(extra_env or {}),
    }
    launcher = ["-c", CLI] if variant is None else ["-m", "bench.variants", variant]
    argv = [sys.executable, *launcher, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-demo"]
    return ServedProcess(argv, env, port, logs_dir / f"{name}.log", name)


def floor_server(body_path: Path, logs_dir: Path) -> ServedProcess:
    """The plain Litestar endpoint that answers every POST with the bytes in `body_path`."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.floor_app", "--port", str(port), "--body", str(body_path)]
    return ServedProcess(argv, {**os.environ}, port, logs_dir / "floor_app.log", "floor_app")


def token(province: str | None, *roles: str, unit: str | None = None, user: str = "bench") -> str:
    return issue_token(
        BENCH_JWT_SECRET, subject=user, province=province, roles=list(roles), unit=unit, ttl_seconds=86_400
    )


def auth_headers(bearer: str) -> dict[str, Any]:
    return {"authorization": f"Bearer {bearer}", "content-type": "application/json"}
