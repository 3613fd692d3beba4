"""Where the benchmarks run: a real PostgreSQL (embedded or BENCH_DATABASE_URL) and machine facts.

The embedded server keeps its data under `var/bench/` (not a temporary directory) so that the
large generated province of `projection_rebuild` survives between runs; every other case works in
a fresh database it drops afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import structlog

from thidua.services.database import ConnectionParams, EmbeddedPostgres

log = structlog.get_logger()

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "var" / "bench"


def database_url(params: ConnectionParams) -> str:
    """A postgresql:// URL for `params` that `ConnectionParams.from_url` reads back (sockets too)."""
    auth = quote(params.user, safe="") + (":" + quote(params.password, safe="") if params.password else "")
    if params.host.startswith("/"):
        return f"postgresql://{auth}@/{quote(params.dbname)}?host={quote(params.host)}&port={params.port}"
    return f"postgresql://{auth}@{params.host}:{params.port}/{quote(params.dbname)}"


@dataclass
class BenchServer:
    """The PostgreSQL server of a benchmark run and the databases created in it."""

    server: ConnectionParams
    embedded: EmbeddedPostgres | None = None
    created: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, data_dir: Path = DEFAULT_DATA_DIR) -> BenchServer:
        url = os.environ.get("BENCH_DATABASE_URL")
        if url:
            return cls(ConnectionParams.from_url(url))
        embedded = EmbeddedPostgres(data_dir)
        return cls(embedded.start(), embedded)

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.server.psycopg_conninfo(), autocommit=True)

    def exists(self, name: str) -> bool:
        with self._admin() as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    def fresh(self, name: str, *, keep: bool = False) -> ConnectionParams:
        """An empty database `name` (dropped first if it exists); dropped at `close` unless kept."""
        self.drop(name)
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        if not keep:
            self.created.append(name)
        return self.server.with_dbname(name)

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def version(self) -> str:
        with self._admin() as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def setting(self, name: str) -> str:
        with self._admin() as conn:
            row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
        return str(row[0]) if row else "?"

    def close(self) -> None:
        for name in self.created:
            try:
                self.drop(name)
            except psycopg.Error as exc:  # a stuck database must not hide the results
                log.warning("bench_drop_failed", database=name, error=str(exc))
        self.created.clear()
        if self.embedded is not None:
            self.embedded.stop()


def _git(*args: str) -> str:
    try:
        return subprocess.run(  # noqa: S603 - fixed git arguments
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True  # noqa: S607
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "?"
    return f"{one:.2f}/{five:.2f}/{fifteen:.2f}"


def machine_facts(server: BenchServer) -> dict[str, Any]:
    """The facts needed to read a result: cores, PostgreSQL, commit, Python, date, load."""
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "postgres_version": server.version(),
        "postgres": "embedded" if server.embedded is not None else "BENCH_DATABASE_URL",
        "synchronous_commit": server.setting("synchronous_commit"),
        "fsync": server.setting("fsync"),
        "commit": _git("rev-parse", "HEAD"),
        "tree_dirty": bool(dirty and dirty != "?"),
        "load_before": load_average(),
    }
