"""`thidua projections check`, the projection worker's health check: healthy while a worker owns
every province's projections and keeps up; unhealthy before one started and after it stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from thidua.projections.catalogue import all_projections
from thidua.projections.health import Health
from thidua.projections.status import ProjectionStatus
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

THIDUA = str(Path(sys.executable).parent / "thidua")


def environment(params: ConnectionParams) -> dict[str, str]:
    quiet = {"THIDUA_LOG_FORMAT": "json", "THIDUA_LOG_LEVEL": "WARNING"}
    return {**os.environ, "DATABASE_URL": params.to_url(), **quiet}


def check(params: ConnectionParams) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [THIDUA, "projections", "check"], env=environment(params), capture_output=True, text=True, timeout=60,
        check=False,
    )


def test_the_check_follows_the_worker(registry: ProvinceRegistry, database: ConnectionParams) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    before = check(database)
    assert before.returncode == 1
    # The platform's migrations create the tracking table, so before any worker the read models
    # are set up but unowned.
    assert "nghe-an/standings: no worker owns it" in before.stderr
    worker = subprocess.Popen(
        [THIDUA, "projections", "run"],
        env=environment(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        answer = check(database)
        while answer.returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = check(database)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.startswith(f"healthy: {len(all_projections())} projections owned")
    finally:
        worker.send_signal(signal.SIGINT)
        assert worker.wait(timeout=30) == 0
    after = check(database)
    assert after.returncode == 1
    assert "nghe-an/standings: no worker owns it" in after.stderr


def test_a_projection_too_far_behind_is_a_problem() -> None:
    status = ProjectionStatus("nghe-an", "audit", 1, position=10, head=500, updated_at=datetime.now(UTC))
    assert Health(status, owned=True).problem(max_lag=1000) is None
    assert Health(status, owned=True).problem(max_lag=100) == "490 events behind (more than 100)"
    assert Health(status, owned=False).problem(max_lag=1000) == "no worker owns it"
