"""The embedded PostgreSQL starts with the settings the product needs (services/database.py):
enough connections for every province's pool in two server processes, from its first start and
after a restart of the same data directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import psycopg

from thidua.services.database import EMBEDDED_SETTINGS, EmbeddedPostgres


def _max_connections(server: EmbeddedPostgres) -> str:
    params = server.start()
    try:
        with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
            row = conn.execute("SHOW max_connections").fetchone()
            assert row is not None
            return str(row[0])
    finally:
        server.stop()


def test_the_embedded_server_allows_connections_for_many_provinces_from_its_first_start() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-conf-", ignore_cleanup_errors=True) as tmp:
        assert _max_connections(EmbeddedPostgres(Path(tmp))) == EMBEDDED_SETTINGS["max_connections"]
        conf = (Path(tmp) / "pgdata" / "postgresql.conf").read_text(encoding="utf-8")
        # Started again on the same directory: the include is not added twice, the setting holds.
        assert _max_connections(EmbeddedPostgres(Path(tmp))) == "400"
        again = (Path(tmp) / "pgdata" / "postgresql.conf").read_text(encoding="utf-8")
        assert again == conf
        assert conf.count("include_if_exists = 'thidua.conf'") == 1
