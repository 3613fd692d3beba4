"""`thidua serve --workers 2`: two server processes share the port and the database.

Writes through either process land once each, in one history; the projections have one owner
per province and projection (advisory locks) and reach the head; Ctrl-C stops both.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.faults.load import register, registrations
from tests.hostile.served import ServedProcess
from tests.hostile.world import wait_projected_at
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"


def test_two_server_processes_share_the_port_the_history_and_the_projections(
    database: ConnectionParams, tmp_path: Path
) -> None:
    registry = ProvinceRegistry(database)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    registry.close()
    served = ServedProcess(database, tmp_path / "app.log", THIDUA_WORKERS="2")
    served.start()
    served.wait_started(2)
    units = [f"don-vi-{i:02d}" for i in range(40)]
    try:
        token = served.token(PROVINCE, "province_admin")
        with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
            attempts = list(pool.map(lambda u: register(client, served.url, token, u), units))
        assert all(a.ok for a in attempts), [a for a in attempts if not a.ok]
        positions = [a.position or 0 for a in attempts]
        assert len(set(positions)) == len(units)
        assert set(registrations(database, PROVINCE, units).values()) == {1}
        wait_projected_at(served, PROVINCE, max(positions))
        assert len(_started(served)) == 2, "two server processes"
        owned = [line for line in served.log_lines() if line.get("event") == "projection_owned"]
        assert len(owned) == 4, "each projection of the province has exactly one owner"
    finally:
        assert served.stop() == 0


def _started(served: ServedProcess) -> list[dict[str, object]]:
    return [line for line in served.log_lines() if line.get("event") == "app_started"]
