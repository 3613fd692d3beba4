"""A bounded write load for the fault tests: unit registrations with idempotency keys.

Each command has a deterministic key, so the history can be counted per acknowledged command
afterwards: a registration is one `Unit.Registered` event of the unit's deterministic id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from thidua.domain.ids import aggregate_id
from thidua.services.database import ConnectionParams
from thidua.services.tenancy import schema_for

REGISTER = """mutation($input: RegisterUnitInput!, $key: String) {
  registerUnit(input: $input, idempotencyKey: $key) { ok position replayed errors { code } } }"""


@dataclass
class Attempt:
    unit: str
    status: int | None = None
    codes: list[str] = field(default_factory=list)
    ok: bool = False
    seconds: float = 0.0
    position: int | None = None
    replayed: bool = False


def register(client: httpx.Client, url: str, token: str, unit: str, timeout: float = 20) -> Attempt:
    """One registration; a transport failure is recorded as such, never raised."""
    attempt = Attempt(unit)
    started = time.monotonic()
    try:
        response = client.post(
            f"{url}/graphql",
            json={
                "query": REGISTER,
                "variables": {"input": {"key": unit, "name": f"Đơn vị {unit}"}, "key": unit},
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        attempt.codes = [f"transport:{type(exc).__name__}"]
    else:
        attempt.status = response.status_code
        body: Any = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        errors = body.get("errors") or []
        payload = (body.get("data") or {}).get("registerUnit") or {}
        attempt.codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
        attempt.codes += [str(e.get("code")) for e in payload.get("errors") or []]
        attempt.ok = bool(payload.get("ok"))
        attempt.position = payload.get("position")
        attempt.replayed = bool(payload.get("replayed"))
    attempt.seconds = time.monotonic() - started
    return attempt


def registrations(params: ConnectionParams, province: str, units: list[str]) -> dict[str, int]:
    """How many times each unit's registration is in the history."""
    ids = {str(aggregate_id(province, "unit", u)): u for u in units}
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT originator_id::text, count(*) FROM {schema_for(province)}.ledger_events "
            "WHERE topic LIKE %s GROUP BY originator_id",
            ("%Registered%",),
        ).fetchall()
    counts = dict.fromkeys(units, 0)
    for originator, n in rows:
        if originator in ids:
            counts[ids[originator]] = int(n)
    return counts
