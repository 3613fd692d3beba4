"""A served instance with two seeded provinces whose data must never cross, plus a third to fuzz.

Province A (nghệ an) holds the secrets: unit names carrying a marker, its event ids and the
request ids of its seeding. Every hostile test acts as someone who is not A's legitimate reader
and checks that none of those markers comes back, in a response or in the app's log.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from graphql import GraphQLSchema

from tests.conftest import create_database
from tests.hostile.schema_walk import RootField, introspect, post, root_fields
from tests.hostile.served import ServedProcess
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

A, B, FUZZ = "nghe-an", "ha-tinh", "quang-tri"
MARK = "Zq7Kx"  # in every secret of A: a leak is a substring search away
A_UNITS = {
    f"so-bi-mat-{MARK.lower()}-1": f"Sở Bí Mật {MARK} Thứ Nhất",
    f"so-bi-mat-{MARK.lower()}-2": f"Ban Kín {MARK} Thứ Hai",
    f"so-bi-mat-{MARK.lower()}-3": f"Văn phòng Riêng {MARK} Thứ Ba",
}
B_UNITS = {"so-noi-vu": "Sở Nội vụ Hà Tĩnh", "so-tu-phap": "Sở Tư pháp Hà Tĩnh"}

AUDIT_AT = "query($at: Int) { auditTrail(atLeastPosition: $at, first: 1) { edges { node { position } } } }"
BLOCK = f"khoi-bi-mat-{MARK.lower()}"
BALLOT = f"phieu-{MARK.lower()}"


@dataclass
class World:
    params: ConnectionParams
    served: ServedProcess
    schema: GraphQLSchema
    fields: list[RootField]
    secrets: set[str] = field(default_factory=set)

    def head(self, province: str) -> int:
        with psycopg.connect(self.params.psycopg_conninfo(), autocommit=True) as conn:
            row = conn.execute(
                f"SELECT coalesce(max(notification_id), 0) FROM {schema_for(province)}.ledger_events"
            ).fetchone()
        return int(row[0]) if row else 0

    def leaks(self, text: str) -> list[str]:
        """A's secrets found in `text` (a response body or log text)."""
        return sorted(s for s in self.secrets if s in text)

    def bearer(self, province: str | None, *roles: str, unit: str | None = None) -> str:
        return "Bearer " + self.served.token(
            province, *roles, unit=unit, user=f"hostile-{uuid.uuid4().hex[:6]}"
        )

    def wait_projected(self, province: str, position: int, seconds: float = 30) -> None:
        wait_projected_at(self.served, province, position, seconds)


def wait_projected_at(served: ServedProcess, province: str, position: int, seconds: float = 30) -> None:
    """Until the audit trail (a read model) has reached `position` (read-your-writes)."""
    auditor = "Bearer " + served.token(province, "auditor")
    deadline = time.monotonic() + seconds
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = post(served.url, AUDIT_AT, {"at": position}, authorization=auditor).json()
        if not body.get("errors"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{province} not projected to {position} in {seconds}s: {body}")


def _by(role: str, unit: str | None = None, tag: str = f"seed-{MARK}") -> Provenance:
    actor = Actor(user=f"seed-{role}", role=role, unit=unit)
    return Provenance(actor, datetime.now(UTC), date(2025, 12, 20), f"{tag}-{uuid.uuid4().hex[:8]}")


def seed(registry: ProvinceRegistry) -> int:
    """A: three units in a block, an open ballot voted, closed and tallied, a decision; B: two units.
    Seeded through the services command layer (the API's inputs are still moving)."""
    a = registry.app(A)
    admin = _by("province_admin")
    for key, name in A_UNITS.items():
        a.register_unit(key=key, name=name, by=admin)
    a.create_block(key=BLOCK, name=f"Khối Kín {MARK}", kind="block", by=admin)
    a.open_block_year(block=BLOCK, year=2025, members=list(A_UNITS), members_claimed=None, by=admin)
    officer = _by("block_officer")
    a.open_ballot(
        key=BALLOT,
        purpose="classification",
        subject=next(iter(A_UNITS)),
        award=None,
        secret=False,
        question="approve",
        electorate="block_members",
        block=BLOCK,
        year=2025,
        options=["approve", "reject"],
        by=officer,
    )
    for unit in A_UNITS:
        a.cast_open_vote(key=BALLOT, voter=unit, choice="approve", by=_by("unit_clerk", unit))
    a.close_ballot(key=BALLOT, present=None, by=officer)
    a.tally_ballot(key=BALLOT, tie_break_scores=None, by=officer)
    # A decision: the look-up of awards (award_history) holds rows of A too.
    last = a.record_decision(
        number=f"1/QĐ-{MARK}",
        signer=f"Giám đốc {MARK}",
        authority="head_of_agency",
        award="giay_khen",
        year=2025,
        recipients=[("unit", next(iter(A_UNITS)))],
        claimed_count=None,
        proposals=[],
        historical=False,
        by=admin,
    )
    b = registry.app(B)
    for key, name in B_UNITS.items():
        b.register_unit(key=key, name=name, by=_by("province_admin", tag="seed-b"))
    return last


def _secrets(params: ConnectionParams) -> set[str]:
    """A's unit and block names, its event ids and correlation ids: nothing B may ever see."""
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT DISTINCT originator_id::text FROM {schema_for(A)}.ledger_events"
        ).fetchall()
        states = conn.execute(f"SELECT state FROM {schema_for(A)}.ledger_events").fetchall()
    correlation = {json.loads(bytes(s[0]))["correlation_id"] for s in states}
    return {str(r[0]) for r in rows} | correlation | set(A_UNITS.values()) | {MARK}


def open_world(pg_server: ConnectionParams, tmp: Path) -> World:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    for code, name in ((A, "Tỉnh Nghệ An"), (B, "Tỉnh Hà Tĩnh"), (FUZZ, "Tỉnh Quảng Trị")):
        registry.create_province(code, name, created_by="op")
    last = seed(registry)
    registry.close()
    served = ServedProcess(params, tmp / "app.log")
    served.start()
    schema = introspect(served.url)
    world = World(params, served, schema, root_fields(schema), _secrets(params))
    world.wait_projected(A, last)
    return world
