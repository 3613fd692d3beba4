"""`thidua serve` as a service manager sees it: the exit status says whether it failed, and the
embedded PostgreSQL it started comes back when it dies and is stopped when serving ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from tests.conftest import TEST_SECRET, free_port
from tests.e2e.test_serve_process import THIDUA, _env, _wait_healthy
from tests.hostile import figures
from tests.hostile.served import database_url
from thidua.services.database import ConnectionParams

# Imported by every Python process started with this directory on PYTHONPATH: in uvicorn's
# worker processes only (spawned with --multiprocessing-fork), it changes one setting, so that
# each worker fails to start as a worker fails on a broken start.
BREAK_WORKERS = """
from pathlib import Path
import os
if b"--multiprocessing-fork" in Path("/proc/self/cmdline").read_bytes():
    os.environ[{name!r}] = {value!r}
"""


class Breakage(NamedTuple):
    name: str  # the setting changed in the workers only
    value: str
    cause: str  # what their log says
    embedded: bool  # on the embedded PostgreSQL (else on the test's server)


@pytest.mark.parametrize(
    "broken",
    [
        # The app starts and its start-up (the lifespan) fails, as on "tuple concurrently
        # updated": uvicorn stops the parent, which exited 0.
        Breakage("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x", "Application startup failed", False),
        # The app cannot even be built: uvicorn restarted the worker for ever. On the embedded
        # PostgreSQL, which must be stopped on the way out.
        Breakage("THIDUA_READ_POOL_SIZE", "0", "THIDUA_READ_POOL_SIZE", True),
    ],
    ids=["lifespan_fails", "app_not_built"],
)
def test_serve_exits_non_zero_when_a_server_process_fails_to_start(
    database: ConnectionParams, tmp_path: Path, data_dir: Path, broken: Breakage
) -> None:
    (tmp_path / "sitecustomize.py").write_text(BREAK_WORKERS.format(name=broken.name, value=broken.value))
    embedded = broken.embedded
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "DATABASE_URL"}},
        "PYTHONPATH": str(tmp_path),
        "THIDUA_DATA_DIR": str(data_dir),
        "THIDUA_ENV": "test",
        "THIDUA_JWT_SECRET": TEST_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_PORT": str(free_port()),
    }
    if not embedded:
        env["DATABASE_URL"] = database_url(database)
    serve = [THIDUA, "serve", "--no-demo", "--workers", "2"]
    served = subprocess.run(serve, env=env, capture_output=True, timeout=180, check=False)
    log = served.stdout.decode() + served.stderr.decode()
    assert broken.cause in log, log[-3000:]  # the workers did fail, for that reason
    assert served.returncode == 3, log[-3000:]
    if embedded:
        assert (data_dir / "pgdata" / "PG_VERSION").exists()
        assert _postmaster(data_dir / "pgdata") is None, "the embedded PostgreSQL is stopped"


def _events(path: Path) -> list[dict[str, Any]]:
    found = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return [e for e in found if isinstance(e, dict)]


def _logged(path: Path) -> list[Any]:
    return [e.get("event") for e in _events(path)]


def _postmaster(pgdata: Path) -> int | None:
    """The pid in postmaster.pid when that process runs, else None."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    stat = Path(f"/proc/{pid}/stat").read_text()
    return None if stat.rsplit(")", 1)[1].split()[0] == "Z" else pid


def _wait(predicate: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {seconds:.0f} s")


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ready", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_the_embedded_database_comes_back_after_a_crash_and_stops_with_the_server(
    tmp_path: Path, data_dir: Path
) -> None:
    pgdata = data_dir / "pgdata"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**_env(data_dir, port), "THIDUA_LOG_LEVEL": "INFO"}
    logs = [tmp_path / "first.log", tmp_path / "second.log"]

    with logs[0].open("wb") as out:
        first = subprocess.Popen([THIDUA, "serve", "--no-demo"], env=env, stdout=out, stderr=out)
    try:
        _wait_healthy(url, first)
        crashed = _postmaster(pgdata)
        assert crashed is not None
        began = time.monotonic()
        os.kill(crashed, signal.SIGKILL)  # PostgreSQL crashes
        restarted = _wait(lambda: (p := _postmaster(pgdata)) and p != crashed and p, 60, "a new postmaster")
        _wait(lambda: _ready(url), 60, "ready again")
        back_after = time.monotonic() - began
        # The watcher logs once the server says "ready" in its pid file, which may follow the
        # first answered requests by a second.
        _wait(lambda: "embedded_postgres_restarted" in _logged(logs[0]), 30, "the restart logged")
        assert "embedded_postgres_died" in _logged(logs[0])
        figures.measure("embedded_pg_sigkill_ready_again_s", back_after)
    finally:
        first.kill()  # now the server crashes too, leaving the database it started running
        first.wait(timeout=30)
    assert _postmaster(pgdata) == restarted

    with logs[1].open("wb") as out:
        second = subprocess.Popen([THIDUA, "serve", "--no-demo"], env=env, stdout=out, stderr=out)
    try:
        _wait_healthy(url, second)
        assert _postmaster(pgdata) == restarted  # the database left running is used, not doubled
    finally:
        second.send_signal(signal.SIGTERM)  # a service manager's stop
        status = second.wait(timeout=60)
    assert status == 0, logs[1].read_text()[-3000:]
    assert _postmaster(pgdata) is None, "the embedded PostgreSQL is stopped with the server"
