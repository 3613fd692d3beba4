"""The app served by `thidua serve` in a child process, its JSON log lines kept in a file.

A child process (rather than uvicorn in a thread) lets the tests read exactly what the app logs,
measure its memory (RSS) and kill it, as an operator would see it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tests.conftest import TEST_SECRET, free_port
from thidua.services.auth import issue_token
from thidua.services.database import ConnectionParams

THIDUA = str(Path(sys.executable).parent / "thidua")


def database_url(params: ConnectionParams) -> str:
    """A URL for `params`, also when the host is a Unix socket directory (embedded server)."""
    auth = quote(params.user, safe="") + (f":{quote(params.password, safe='')}" if params.password else "")
    if params.host.startswith("/"):
        return f"postgresql://{auth}@localhost:{params.port}/{params.dbname}?host={quote(params.host)}"
    return f"postgresql://{auth}@{params.host}:{params.port}/{params.dbname}"


LITESTAR_FORMAT = re.compile(r"^[A-Z]+ - [\d\- :,]+ - (?P<logger>\S+) - (?P<module>\S+) - (?P<message>.*)$")


def parse_log_line(line: str) -> dict[str, Any]:
    """A log line as a dict: the JSON object, or what can be read of another format."""
    try:
        parsed = json.loads(line)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return {**parsed, "raw": line, "json": True}
    match = LITESTAR_FORMAT.match(line)
    if match and match["message"].startswith("{"):
        try:
            value = ast.literal_eval(match["message"])
        except (ValueError, SyntaxError):
            value = None
        if isinstance(value, dict):
            return {**value, "raw": line, "json": False}
    return {"event": None, "raw": line, "json": False}


class ServedProcess:
    """`thidua serve` against one database; `.url`, `.token()`, `.log_lines()`, `.rss_kib()`."""

    def __init__(self, params: ConnectionParams, log_path: Path, **env: str) -> None:
        self.params = params
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}},
            "DATABASE_URL": database_url(params),
            "THIDUA_ENV": "test",
            "THIDUA_JWT_SECRET": TEST_SECRET,
            "THIDUA_LOG_FORMAT": "json",
            "THIDUA_PORT": str(self.port),
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, seconds: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen([THIDUA, "serve", "--no-demo"], env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"thidua serve exited with {self.proc.returncode}: {self.tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200 and self._all_started():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"thidua serve did not answer /health in time: {self.tail()}")

    def _all_started(self) -> bool:
        """Every server process started (`THIDUA_WORKERS`): the first answers /health alone,
        and on a busy machine the others may take seconds more."""
        workers = int(self.env.get("THIDUA_WORKERS", "1"))
        if workers == 1:
            return True
        return sum(1 for line in self.log_lines() if line.get("event") == "app_started") >= workers

    def stop(self) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def token(
        self,
        province: str | None,
        *roles: str,
        unit: str | None = None,
        user: str = "tester",
        blocks: list[str] | None = None,
    ) -> str:
        return issue_token(
            TEST_SECRET, subject=user, province=province, roles=list(roles), unit=unit, blocks=blocks
        )

    def log_offset(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_text(self, since: int = 0) -> str:
        with self.log_path.open("rb") as f:
            f.seek(since)
            return f.read().decode("utf-8", errors="replace")

    def log_lines(self, since: int = 0) -> list[dict[str, Any]]:
        """The log lines written since byte offset `since`, as dicts (`raw` keeps the text).

        Lines should be JSON objects; a line in Litestar's default format (its logging config
        replacing ours, see test_logs) is read too, so that leak checks never skip a line."""
        return [parse_log_line(line) for line in self.log_text(since).splitlines() if line.strip()]

    def wait_started(self, processes: int, timeout: float = 60.0) -> None:
        """Wait until `processes` server processes logged `app_started`: with `--workers N` the
        port answers as soon as the first is up, and on a loaded machine the others may take
        seconds more (uvicorn gives each 30 s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(1 for line in self.log_lines() if line.get("event") == "app_started") >= processes:
                return
            time.sleep(0.1)
        raise AssertionError(f"{processes} server processes did not start within {timeout} s")

    def tail(self, n: int = 4000) -> str:
        return self.log_text()[-n:] if self.log_path.exists() else ""

    def rss_kib(self) -> int:
        """Resident memory of the server process (VmRSS, KiB)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")
