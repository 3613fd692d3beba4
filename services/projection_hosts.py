"""The projection hosts of every database server, as one service (`runtime.services["projections"]`).

Each server that holds provinces (services/servers.py) gets its own `ProjectionHost`: runners,
ownership locks and LISTEN live where the province's events and read models are. Readiness
covers them all; a read-your-writes wait goes to the host of the province's server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anyio.to_thread

from thidua.projections.status import ProjectionStatus
from thidua.services.projection_host import ProjectionHost
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import MAIN_SERVER


def projection_service(registry: ProvinceRegistry, **options: Any) -> ProjectionHost | ProjectionHosts:
    """The projection host of the main server alone, or one per server when there are several."""
    if len(registry.servers.names()) == 1:
        return ProjectionHost(registry.params, registry, **options)
    return ProjectionHosts(registry, **options)


class ProjectionHosts:
    """Start/stop, readiness, status and wait_for over one host per server."""

    def __init__(self, registry: ProvinceRegistry, **options: Any) -> None:
        self.registry = registry
        self.hosts = {
            name: ProjectionHost(params, registry, server=name, **options)
            for name, params in registry.servers
        }
        self._servers: dict[str, str] = {}  # province -> server, once looked up

    @property
    def main(self) -> ProjectionHost:
        return self.hosts[MAIN_SERVER]

    @property
    def pool(self) -> Any:
        """The main server's pool (the platform's provinces are read there)."""
        return self.main.pool

    @property
    def runners(self) -> dict[str, Any]:
        """Every host's runners, by province (each province is on one server)."""
        return {code: runner for host in self.hosts.values() for code, runner in host.runners.items()}

    async def start(self) -> None:
        for host in self.hosts.values():
            await host.start()

    async def stop(self) -> None:
        for host in self.hosts.values():
            await host.stop()

    async def claim(self) -> None:
        for host in self.hosts.values():
            await host.claim()

    async def status(self, provinces: Sequence[str] | None = None) -> list[ProjectionStatus]:
        found: list[ProjectionStatus] = []
        for server, host in self.hosts.items():
            if provinces is None:
                found += await host.status()
            else:
                mine = [code for code in provinces if await self._server_of(code) == server]
                found += await host.status(mine) if mine else []
        return found

    async def readiness(self) -> dict[str, Any]:
        report: dict[str, Any] = {"ready": True}
        for host in self.hosts.values():
            part = await host.readiness()
            report["ready"] = report["ready"] and part.pop("ready")
            report.update(part)
        return report

    async def wait_for(
        self,
        province: str,
        position: int,
        timeout_s: float = 5.0,
        projections: Sequence[str] | None = None,
    ) -> None:
        host = self.hosts.get(await self._server_of(province), self.main)
        await host.wait_for(province, position, timeout_s, projections)

    async def _server_of(self, province: str) -> str:
        server = self._servers.get(province)
        if server is None:
            info = await anyio.to_thread.run_sync(self.registry.get, province)
            server = self._servers[province] = info.server
        return server
