"""Province mergers (sáp nhập tỉnh, Nghị quyết 202/2025/QH15): close the predecessors' ledgers, record
their heads in the successor's, keep the lineage in the platform registry.

Everything is checked before anything is recorded (the shape of the merger, each predecessor's
last effective date); then, in this order: each predecessor's ledger is closed by its last
event, the successor's ledger records each predecessor's head (HASH@POSITION of that event), and
the registry's `platform.successions` rows are written. A merger stopped half-way (a lost
connection) is completed by running it again: a predecessor already closed into the same
successor is not closed twice, a head already recorded is not recorded twice.

The provinces may live on different database servers (services/servers.py): each ledger is
closed, read and joined on its own server, and the lineage is kept on the main one; the
successor's ledger records the heads as HASH@POSITION, which is all a later verification needs
to check a predecessor wherever it lives.
"""

# ruff: noqa: S608 - the only interpolated names are schema names taken from the registry

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg
import structlog
from psycopg.rows import dict_row

from thidua.domain.base import require_text
from thidua.domain.lineage import check_merger, check_merger_date
from thidua.domain.provenance import Provenance
from thidua.services.errors import ProvinceNotFound
from thidua.services.registry import ProvinceInfo, ProvinceRegistry
from thidua.services.servers import MAIN_SERVER
from thidua.services.tenancy import validate_province_code

log = structlog.get_logger()

MERGER_LOCK = 7302  # one merger at a time on the platform


@dataclass(frozen=True)
class Succession:
    """One row of the platform's lineage: `predecessor` merged into `successor`."""

    predecessor: str
    predecessor_name: str
    successor: str
    effective_on: date
    basis: str
    head_hash: str
    head_position: int
    recorded_at: datetime
    recorded_by: str

    @property
    def head(self) -> str:
        return f"{self.head_hash}@{self.head_position}"


@dataclass(frozen=True)
class MergerReport:
    successor: ProvinceInfo
    created: bool
    predecessors: list[Succession]
    position: int  # the successor's position after recording the heads


def _connect(registry: ProvinceRegistry, server: str = MAIN_SERVER) -> psycopg.Connection[dict[str, Any]]:
    """The main server (the platform's tables), or the server a province lives on."""
    params = registry.servers.params(server)
    return psycopg.connect(params.psycopg_conninfo(), autocommit=True, row_factory=dict_row)


_SELECT = (
    "SELECT s.predecessor, p.name AS predecessor_name, s.successor, s.effective_on, s.basis, "
    "s.head_hash, s.head_position, s.recorded_at, s.recorded_by "
    "FROM platform.successions s JOIN platform.provinces p ON p.code = s.predecessor"
)


def successions(registry: ProvinceRegistry) -> list[Succession]:
    """Every merger the platform recorded, oldest first."""
    with _connect(registry) as conn:
        rows = conn.execute(_SELECT + " ORDER BY s.recorded_at, s.predecessor").fetchall()
    return [Succession(**row) for row in rows]


def lineage(registry: ProvinceRegistry, code: str) -> tuple[list[Succession], Succession | None]:
    """The province's predecessors (and theirs, further back: nearest first) and its successor."""
    every = successions(registry)
    by_successor: dict[str, list[Succession]] = {}
    for row in every:
        by_successor.setdefault(row.successor, []).append(row)
    found: list[Succession] = []
    frontier = [code]
    while frontier:
        current = frontier.pop(0)
        for row in by_successor.get(current, []):
            found.append(row)
            frontier.append(row.predecessor)
    successor = next((row for row in every if row.predecessor == code), None)
    return found, successor


def merge_provinces(
    registry: ProvinceRegistry,
    *,
    into: str,
    predecessors: list[str],
    effective_on: date,
    basis: str,
    by: Provenance,
    into_name: str | None = None,
    into_server: str = MAIN_SERVER,
) -> MergerReport:
    """Merge `predecessors` into `into` (existing, or created with `into_name` on `into_server`)
    from `effective_on`; the provinces may be on different database servers."""
    validate_province_code(into)
    for code in predecessors:
        validate_province_code(code)
    basis = require_text(basis, "basis")
    registry.ensure_platform_schema()
    with _connect(registry) as lock_conn:
        lock_conn.execute("SELECT pg_advisory_lock(%s)", (MERGER_LOCK,))
        try:
            return _merge_locked(
                registry, into, predecessors, effective_on, basis, by, (into_name, into_server)
            )
        finally:
            lock_conn.execute("SELECT pg_advisory_unlock(%s)", (MERGER_LOCK,))


def _merge_locked(  # noqa: PLR0917 - merge_provinces' arguments, under the lock
    registry: ProvinceRegistry,
    into: str,
    predecessors: list[str],
    effective_on: date,
    basis: str,
    by: Provenance,
    created_as: tuple[str | None, str],
) -> MergerReport:
    into_name, into_server = created_as
    registry.servers.params(into_server)  # UNKNOWN_DATABASE_SERVER before anything is recorded
    check_merger(into, predecessors, {s.predecessor: s.successor for s in successions(registry)})
    infos = {code: registry.get(code) for code in predecessors}  # PROVINCE_NOT_FOUND first
    successor = _successor(registry, into, into_name)
    for code, info in infos.items():
        with _connect(registry, info.server) as conn:
            check_merger_date(code, effective_on, _last_effective(conn, info.schema_name))
    created = successor is None
    if successor is None:
        assert into_name is not None  # _successor refused otherwise
        successor = registry.create_province(into, into_name, created_by=by.actor.user, server=into_server)
    heads: list[dict[str, Any]] = []
    for code, info in infos.items():
        app = registry.app(code)
        if app.get_lineage()["successor"] != into:  # not already closed by a stopped attempt
            app.close_ledger(successor=into, successor_name=successor.name, basis=basis, by=by)
        with _connect(registry, info.server) as conn:
            position, head_hash = _head(conn, info.schema_name)
        heads.append(
            {
                "predecessor": code,
                "predecessor_name": info.name,
                "basis": basis,
                "head_hash": head_hash,
                "head_position": position,
            }
        )
    successor_app = registry.app(into)
    recorded = successor_app.get_lineage()["predecessors"]
    pending = [h for h in heads if h["predecessor"] not in recorded]
    position = successor_app.join_predecessors(predecessors=pending, by=by) if pending else 0
    with _connect(registry) as conn, conn.transaction():
        for h in heads:
            conn.execute(
                "INSERT INTO platform.successions (predecessor, successor, effective_on, basis, "
                "head_hash, head_position, recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (predecessor) DO NOTHING",
                (
                    h["predecessor"],
                    into,
                    effective_on,
                    basis,
                    h["head_hash"],
                    h["head_position"],
                    by.actor.user,
                ),
            )
    log.info("provinces_merged", successor=into, predecessors=predecessors, effective_on=str(effective_on))
    rows = [s for s in successions(registry) if s.successor == into and s.predecessor in infos]
    return MergerReport(successor, created, rows, position)


def _successor(registry: ProvinceRegistry, into: str, into_name: str | None) -> ProvinceInfo | None:
    """The existing successor, or None when it is to be created (a name is then required)."""
    try:
        return registry.get(into)
    except ProvinceNotFound:
        if into_name is None or not into_name.strip():
            raise ProvinceNotFound(
                f"Không tìm thấy tỉnh kế thừa «{into}»; để tạo tỉnh mới, hãy nêu tên tỉnh (--name).",
                province=into,
            ) from None
        return None


def last_effective_on(registry: ProvinceRegistry, code: str) -> date | None:
    """The latest effective date among the province's events (what a merger date is checked against)."""
    info = registry.get(code)
    with _connect(registry, info.server) as conn:
        return _last_effective(conn, info.schema_name)


def _last_effective(conn: psycopg.Connection[dict[str, Any]], schema: str) -> date | None:
    """The latest effective date among the ledger's events (every event carries one)."""
    row = conn.execute(
        "SELECT max(left(convert_from(state, 'UTF8')::jsonb #>> '{effective_on,_data_}', 10)) AS last "
        f'FROM "{schema}".ledger_events'
    ).fetchone()
    last = row["last"] if row is not None else None
    return date.fromisoformat(last) if last else None


def _head(conn: psycopg.Connection[dict[str, Any]], schema: str) -> tuple[int, str]:
    row = conn.execute(
        f'SELECT notification_id, chain_hash FROM "{schema}".ledger_events '
        "ORDER BY notification_id DESC LIMIT 1"
    ).fetchone()
    if row is None:  # the closing event was just recorded: never empty
        raise ProvinceNotFound("Sổ cái tỉnh trống.", schema=schema)
    return int(row["notification_id"]), bytes(row["chain_hash"]).hex()
