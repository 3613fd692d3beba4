"""The PostgreSQL servers a deployment spreads its provinces over (máy chủ dữ liệu).

The main server (DATABASE_URL, or the embedded one) holds the platform tables: the province
registry, the lineage of mergers, the readiness row. Every other server is named in the
configuration, `THIDUA_DATABASES="east=postgresql://… west=postgresql://…"`, and the registry
keeps only the name of each province's server (`platform.provinces.server`): addresses and
passwords stay in the configuration, where secrets are kept, and a server can change address
without touching the registry. A province's event store, read models, projection runners and
notices all live on its server; a province created without a server lives on the main one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog

from thidua.projections.routing import MAIN_SERVER, RoutedPool, create_routed_pool
from thidua.services.database import ConnectionParams
from thidua.services.errors import UnknownDatabaseServer

__all__ = ["MAIN_SERVER", "Servers", "parse_servers", "routed_pool"]

log = structlog.get_logger()
SERVER_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


@dataclass(frozen=True)
class Servers:
    """The main server's connection and each named server's, by name."""

    main: ConnectionParams
    named: Mapping[str, ConnectionParams] = field(default_factory=dict)

    @classmethod
    def of(cls, main: ConnectionParams, urls: Mapping[str, str]) -> Servers:
        return cls(main, {name: ConnectionParams.from_url(url) for name, url in urls.items()})

    def params(self, name: str) -> ConnectionParams:
        """The connection of the server `name`; UNKNOWN_DATABASE_SERVER if not configured."""
        if name == MAIN_SERVER:
            return self.main
        found = self.named.get(name)
        if found is None:
            known = ", ".join(self.names())
            raise UnknownDatabaseServer(
                f"Máy chủ dữ liệu «{name}» chưa được khai báo trong THIDUA_DATABASES "
                f"(các máy chủ đã khai báo: {known}).",
                server=name,
            )
        return found

    def names(self) -> list[str]:
        return [MAIN_SERVER, *sorted(self.named)]

    def __iter__(self) -> Iterator[tuple[str, ConnectionParams]]:
        for name in self.names():
            yield name, self.params(name)


async def routed_pool(servers: Servers, **options: Any) -> RoutedPool:
    """A read pool of the main server that reads each province on its own server
    (projections/routing.py); every server's pool is made with the same `options`."""

    async def open_server(name: str) -> asyncpg.Pool:
        params = servers.params(name)
        log.info("read_pool_opened", server=name, database=params.describe())
        return await asyncpg.create_pool(**options, **params.asyncpg_kwargs())

    return await create_routed_pool(open_server, **options, **servers.main.asyncpg_kwargs())


def parse_servers(text: str) -> dict[str, str]:
    """`name=url` pairs separated by spaces, commas or new lines (THIDUA_DATABASES); ValueError
    with what is wrong. `main` is reserved: it is DATABASE_URL's (or the embedded) server."""
    found: dict[str, str] = {}
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        name, sep, url = item.partition("=")
        if not sep or not SERVER_NAME.fullmatch(name):
            msg = f"«{item[:40]}» is not name=postgresql://… (a name of lower-case letters, digits, - or _)"
            raise ValueError(msg)
        if name == MAIN_SERVER:
            msg = "the name «main» is DATABASE_URL's server; give the other servers other names"
            raise ValueError(msg)
        if name in found:
            msg = f"the server «{name}» is named twice"
            raise ValueError(msg)
        if not url.startswith(("postgresql://", "postgres://")):
            msg = f"the server «{name}» needs a postgresql:// URL"
            raise ValueError(msg)
        found[name] = url
    return found
