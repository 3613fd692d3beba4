"""Readiness (sẵn sàng nhận tải): can this process write, and are the read models close behind?

Anybody may ask whether the service is ready and how far behind its read models are in all; the
provinces, their ledger heads and each projection's lag are for a platform operator's token only
(the list of provinces is who uses the instance, which is nobody else's business).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog

from thidua.services.runtime import Runtime

log = structlog.get_logger()

PROBE_TIMEOUT_S = 2.0
# A real write that commits (and so flushes the WAL): a server that answers SELECT 1 but is read
# only (a promoted replica not yet, a full disk, a recovery) is not ready. One row, updated in
# place, so the probe leaves nothing behind.
WRITE_PROBE = (
    "INSERT INTO platform.readiness (id, checked_at) VALUES (1, now()) "
    "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at"
)


@dataclass(frozen=True)
class ProvinceReadiness:
    head: int
    lags: dict[str, int] = field(default_factory=dict)  # projection -> events behind


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str  # "ok", or "unavailable: <error class>"
    projections: str = "ok"
    provinces: dict[str, ProvinceReadiness] = field(default_factory=dict)

    @property
    def lag(self) -> int | None:
        """Events recorded but not yet applied, summed over every province and projection."""
        if self.database != "ok" or self.projections != "ok":
            return None
        return sum(sum(p.lags.values()) for p in self.provinces.values())

    def public(self) -> dict[str, Any]:
        return {"status": "ready" if self.ready else "not_ready", "lag": self.lag}

    def detailed(self) -> dict[str, Any]:
        """For a platform operator: the checks, then each province's head and projection lags."""
        return {
            **self.public(),
            "database": self.database,
            "projections": self.projections,
            "provinces": {
                code: {"head": p.head, "lag": p.lags} for code, p in sorted(self.provinces.items())
            },
        }


async def check_readiness(runtime: Runtime) -> Readiness:
    """Write the probe row, then read every projection's position against its province's head."""
    try:
        async with runtime.read_pool.acquire(timeout=PROBE_TIMEOUT_S) as conn:
            await conn.execute(WRITE_PROBE, timeout=PROBE_TIMEOUT_S)
    except Exception as exc:  # any failure means not ready; say which
        log.info("not_ready", check="database", error=type(exc).__name__)
        return Readiness(ready=False, database=f"unavailable: {type(exc).__name__}")
    host = runtime.services.get("projections")
    if host is None:
        return Readiness(ready=True, database="ok")
    try:
        statuses = await host.status()
    except Exception as exc:
        log.info("not_ready", check="projections", error=type(exc).__name__)
        return Readiness(ready=False, database="ok", projections=f"unavailable: {type(exc).__name__}")
    provinces: dict[str, ProvinceReadiness] = {}
    for s in statuses:
        provinces.setdefault(s.province, ProvinceReadiness(head=s.head)).lags[s.projection] = s.lag
    ready = all(s.lag <= host.ready_max_lag for s in statuses)
    return Readiness(ready=ready, database="ok", provinces=provinces)
