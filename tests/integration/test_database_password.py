"""A database password with any characters reaches every driver (psycopg, eventsourcing's pool,
asyncpg): given as PGPASSWORD beside a URL without one (as deploy/compose.yaml does), or
percent-encoded inside the URL (deploy/production.env.example says how). A server of its own,
asking for passwords (scram), so a password that did not arrive is refused."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import asyncpg
import psycopg
import pytest
from eventsourcing.domain import Aggregate
from psycopg import sql

from thidua.services.database import ConnectionParams, EmbeddedPostgres
from thidua.services.registry import ProvinceRegistry

SECRET = "p@ss:w/rd#%?é 'x\"&="
SCRAM_ONLY = "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"


class Probe(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label


@pytest.fixture(scope="module")
def guarded() -> Iterator[ConnectionParams]:
    """A PostgreSQL that accepts only SECRET, with an empty `thidua` database."""
    with tempfile.TemporaryDirectory(prefix="thidua-pw-") as tmp:
        server = EmbeddedPostgres(Path(tmp))
        params = server.start()
        try:
            with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
                role, secret = sql.Identifier(params.user), sql.Literal(SECRET)
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, secret))
                conn.execute("CREATE DATABASE thidua")
                hba = conn.execute("SHOW hba_file").fetchone()
                assert hba is not None
                Path(hba[0]).write_text(SCRAM_ONLY)
                conn.execute("SELECT pg_reload_conf()")
            yield params.with_dbname("thidua")
        finally:
            server.stop()


def url(params: ConnectionParams, password: str | None = None) -> str:
    auth = quote(params.user, safe="") + (f":{quote(password, safe='')}" if password is not None else "")
    return f"postgresql://{auth}@/{params.dbname}?host={quote(params.host, safe='')}&port={params.port}"


def reaches_every_driver(params: ConnectionParams) -> None:
    """psycopg (the registry), eventsourcing's pool (a recorded event), asyncpg (a read)."""
    registry = ProvinceRegistry(params)
    try:
        registry.ensure_platform_schema()
        if "nghe-an" not in {p.code for p in registry.list_provinces()}:
            registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
        recorded = registry.app("nghe-an").save(Probe("mật khẩu"))
        assert recorded
    finally:
        registry.close()

    async def read() -> int:
        conn = await asyncpg.connect(**params.asyncpg_kwargs())
        try:
            return int(await conn.fetchval("SELECT count(*) FROM p_nghe_an.ledger_events"))
        finally:
            await conn.close()

    assert asyncio.run(read()) >= 1


def test_a_password_outside_the_url_reaches_every_driver(
    guarded: ConnectionParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", "wrong-password")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(ConnectionParams.from_url(url(guarded)).psycopg_conninfo()).close()  # it checks
    monkeypatch.setenv("PGPASSWORD", SECRET)
    reaches_every_driver(ConnectionParams.from_url(url(guarded)))


def test_a_percent_encoded_password_in_the_url_works_too(
    guarded: ConnectionParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    reaches_every_driver(ConnectionParams.from_url(url(guarded, SECRET)))
