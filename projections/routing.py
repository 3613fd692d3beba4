"""Reading a province on the server it lives on (định tuyến đọc theo tỉnh).

A deployment may keep provinces on several PostgreSQL servers (services/servers.py); each
province's read models and event store are on its own. The read pool the API is given is a
`RoutedPool`: a pool of the main server (where the platform's registry lives), which also hands
out, by province, a pool of the province's server. Every read of a province's rows takes its
connection through `pool_for` (`projections.access.province_reader` does), so the query
functions stay as they are: given the main pool, they read the province where it lives.

A province's server is read once per process from `platform.provinces` and kept: it changes
only by moving the province, which is done with the servers stopped (docs/scaling.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

MAIN_SERVER = "main"  # the server of DATABASE_URL (services/servers.py names it the same)

OpenServer = Callable[[str], Awaitable[asyncpg.Pool]]


class RoutedPool(asyncpg.Pool):  # type: ignore[misc] # asyncpg's Pool is untyped at its base
    """The main server's pool, and through `for_province` the pool of a province's server;
    `open_server(name)` makes a server's pool the first time one of its provinces is read."""

    def __init__(self, *args: Any, open_server: OpenServer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open_server = open_server
        self._servers: dict[str, str] = {}  # province -> server, registered provinces only
        self._pools: dict[str, asyncpg.Pool] = {}
        self._opening = asyncio.Lock()

    async def server_of(self, province: str) -> str:
        """The server `province` lives on; the main one for a province not registered (its
        reads then find nothing there, as they would anywhere)."""
        server = self._servers.get(province)
        if server is not None:
            return server
        found = await self.fetchval("SELECT server FROM platform.provinces WHERE code = $1", province)
        if found is None:
            return MAIN_SERVER
        self._servers[province] = str(found)
        return str(found)

    async def for_province(self, province: str) -> asyncpg.Pool:
        server = await self.server_of(province)
        if server == MAIN_SERVER:
            return self
        pool = self._pools.get(server)
        if pool is None:
            async with self._opening:
                pool = self._pools.get(server)
                if pool is None:
                    pool = self._pools[server] = await self._open_server(server)
        return pool

    async def close(self) -> None:
        for pool in self._pools.values():
            await pool.close()
        await super().close()

    def terminate(self) -> None:
        for pool in self._pools.values():
            pool.terminate()
        super().terminate()


async def pool_for(pool: asyncpg.Pool, province: str) -> asyncpg.Pool:
    """The pool of the server `province` lives on (`pool` itself when it does not route)."""
    if isinstance(pool, RoutedPool):
        return await pool.for_province(province)
    return pool


async def create_routed_pool(open_server: OpenServer, **kwargs: Any) -> RoutedPool:
    """As `asyncpg.create_pool`, for the main server, routing to others through `open_server`."""
    # `asyncpg.create_pool`'s defaults, which `Pool` itself does not have.
    kwargs.setdefault("max_queries", 50000)
    kwargs.setdefault("max_inactive_connection_lifetime", 300.0)
    kwargs.setdefault("loop", None)
    kwargs.setdefault("connection_class", asyncpg.Connection)
    kwargs.setdefault("record_class", asyncpg.Record)
    pool = RoutedPool(open_server=open_server, **kwargs)
    await pool
    return pool
