"""`thidua serve` as a user runs it: embedded PostgreSQL, Ctrl-C, restart, same data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET, free_port
from thidua.services.settings import DEV_JWT_SECRET

THIDUA = str(Path(sys.executable).parent / "thidua")


def _env(data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        THIDUA_DATA_DIR=str(data_dir),
        THIDUA_PORT=str(port),
        THIDUA_JWT_SECRET=TEST_SECRET,
        THIDUA_LOG_FORMAT="json",
        THIDUA_ENV="development",
    )
    return env


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"thidua serve exited early with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("thidua serve did not answer /health in time")


def _stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    return proc.wait(timeout=60)


def test_serve_on_embedded_postgres_survives_a_restart(data_dir: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _env(data_dir, port)
    serve = [THIDUA, "serve", "--no-demo"]

    first = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(url, first)
        introspection = httpx.post(
            f"{url}/graphql", json={"query": "{ __schema { queryType { name } } }"}, timeout=10
        )
        assert introspection.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    finally:
        assert _stop(first) == 0

    # While the server is down, the CLI starts the same embedded database and adds a province.
    created = subprocess.run(
        [THIDUA, "province", "create", "ha-tinh", "--name", "Tỉnh Hà Tĩnh"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr

    second = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(url, second)
        listed = subprocess.run(
            [THIDUA, "db", "status"], env=env, capture_output=True, text=True, check=False
        )
        assert "ha-tinh" in listed.stdout, listed.stdout + listed.stderr
    finally:
        assert _stop(second) == 0
    assert (data_dir / "pgdata" / "PG_VERSION").exists()


@pytest.mark.parametrize(
    "secret",
    [DEV_JWT_SECRET, "CHANGE-ME-to-a-long-random-string-of-at-least-32-chars", "s" * 40],
    ids=["development", "placeholder", "repetitive"],
)
def test_serve_refuses_to_start_in_production_with_a_known_secret(tmp_path: Path, secret: str) -> None:
    env = {
        **_env(tmp_path / "data", free_port()),
        "THIDUA_ENV": "production",
        "DATABASE_URL": "postgresql://thidua:pw@127.0.0.1:1/thidua",
        "THIDUA_JWT_SECRET": secret,
    }
    started = subprocess.run(
        [THIDUA, "serve", "--no-demo"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert started.returncode != 0
    assert "THIDUA_JWT_SECRET" in started.stderr, started.stderr
