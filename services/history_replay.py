"""Replaying history as of a past instant (tái hiện lịch sử): block standings from the ledger.

An auditor asks "what were the standings of each emulation block on 31 December?". This module
answers from the event store itself, not from a read model: it takes the prefix of the province's
history recorded up to that instant (the same rule as `thidua export --until`), folds each block
scoring's events through the domain's own aggregate, and ranks the units. Every number carries
the positions of the events that produced it (self-assessment, each cross-check adjustment with
its reason, classification), so a figure can be followed to its causes in the audit trail and
the read models' own "as of" answers can be checked against an independent replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg
import structlog
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from psycopg import sql

from thidua.domain.classification import BAND_NAMES_VI, total_points
from thidua.domain.scoring import BlockScoring
from thidua.domain.transcodings import register_domain_transcodings
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import EVENTS_TABLE

log = structlog.get_logger()

SCORING_TOPICS = get_topic(BlockScoring) + ".%"

# The prefix recorded by `until`: stop before the first event recorded after it.
POSITION_AT = """
SELECT coalesce(max(notification_id), 0) FROM {table} WHERE notification_id < coalesce(
    (SELECT min(notification_id) FROM {table}
     WHERE (convert_from(state, 'UTF8')::jsonb #>> '{{timestamp,_data_}}')::timestamptz > %s),
    9223372036854775807)
"""


@dataclass(frozen=True)
class Cause:
    """One event behind a figure: where it is in the ledger and what it did."""

    position: int
    event: str
    recorded_at: datetime
    effective_on: date | None
    actor: str | None
    detail: str


@dataclass
class UnitStanding:
    """A unit's place in its block (xếp hạng): total, rank, classification band if recorded."""

    unit: str
    total: float
    rank: int = 0
    band: str | None = None
    causes: list[Cause] = field(default_factory=list)

    @property
    def band_vi(self) -> str | None:
        return BAND_NAMES_VI.get(self.band, self.band) if self.band else None


@dataclass(frozen=True)
class BlockStandings:
    block: str
    year: int
    units: list[UnitStanding]


@dataclass(frozen=True)
class Replay:
    """Block standings as the ledger stood at `position` (the last event recorded by `until`)."""

    province: str
    until: datetime | None
    position: int
    blocks: list[BlockStandings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "until": self.until.isoformat() if self.until else None,
            "position": self.position,
            "blocks": [
                {
                    "block": b.block,
                    "year": b.year,
                    "units": [
                        {
                            "unit": u.unit,
                            "rank": u.rank,
                            "total": u.total,
                            "band": u.band,
                            "causes": [c.position for c in u.causes],
                        }
                        for u in b.units
                    ],
                }
                for b in self.blocks
            ],
        }


def _table(registry: ProvinceRegistry, province: str) -> sql.Composed:
    return sql.SQL("{}").format(sql.Identifier(registry.get(province).schema_name, EVENTS_TABLE))


def position_at(registry: ProvinceRegistry, province: str, until: datetime) -> int:
    """The last position of the history prefix recorded at or before `until` (0 if none)."""
    table = _table(registry, province)
    with psycopg.connect(registry.params_for(province).psycopg_conninfo()) as conn:
        row = conn.execute(sql.SQL(POSITION_AT).format(table=table), (until,)).fetchone()
    return int(row[0]) if row else 0


def replay_standings(
    registry: ProvinceRegistry,
    province: str,
    until: datetime | None = None,
    *,
    year: int | None = None,
) -> Replay:
    """Block standings as of `until` (now if None), folded from the stored events."""
    position = position_at(registry, province, until) if until else _head(registry, province)
    mapper = registry.app(province).mapper
    _ensure_domain_transcodings(mapper.transcoder)
    streams: dict[UUID, list[tuple[int, Any]]] = {}
    with psycopg.connect(registry.params_for(province).psycopg_conninfo()) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM {} WHERE notification_id <= %s AND topic LIKE %s ORDER BY notification_id"
            ).format(_table(registry, province)),
            (position, SCORING_TOPICS),
        )
        for pos, oid, version, topic, state in rows:
            stored = StoredEvent(
                originator_id=oid, originator_version=version, topic=topic, state=bytes(state)
            )
            streams.setdefault(oid, []).append((pos, mapper.to_domain_event(stored)))
    blocks = [_standings(events) for events in streams.values()]
    blocks = [b for b in blocks if year is None or b.year == year]
    blocks.sort(key=lambda b: (b.year, b.block))
    log.info("standings_replayed", province=province, position=position, blocks=len(blocks))
    return Replay(province, until, position, blocks)


def _ensure_domain_transcodings(transcoder: Any) -> None:
    # Thin adapter until ProvinceApplication registers the domain's transcodings itself: domain
    # events carry dates, which the library's JSON transcoder cannot read on its own.
    if "date_iso" not in getattr(transcoder, "names", {"date_iso": None}):
        register_domain_transcodings(transcoder)


def _head(registry: ProvinceRegistry, province: str) -> int:
    with psycopg.connect(registry.params_for(province).psycopg_conninfo()) as conn:
        row = conn.execute(
            sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(_table(registry, province))
        ).fetchone()
    return int(row[0]) if row else 0


def _standings(events: list[tuple[int, Any]]) -> BlockStandings:
    """Fold one block-year's scoring events through the domain aggregate, noting the causes."""
    aggregate: BlockScoring | None = None
    causes: dict[str, list[Cause]] = {}
    for position, event in events:
        aggregate = event.mutate(aggregate)
        unit = getattr(event, "unit", None)
        if unit is not None:
            causes.setdefault(unit, []).append(_cause(position, event))
    assert aggregate is not None  # a stream starts with the table's adoption
    units = []
    for unit, sheet in aggregate.sheets.items():
        total = total_points(sheet["criterion"], sheet["bonus"], sheet["deduction"])
        recorded = aggregate.classifications.get(unit, {})
        units.append(UnitStanding(unit, total, band=recorded.get("band"), causes=causes[unit]))
    units.sort(key=lambda u: (-u.total, u.unit))
    for index, standing in enumerate(units):
        tied = index and units[index - 1].total == standing.total
        standing.rank = units[index - 1].rank if tied else index + 1  # ties share a rank
    return BlockStandings(aggregate.block, aggregate.year, units)


def _cause(position: int, event: Any) -> Cause:
    kind = type(event).__name__
    if isinstance(event, BlockScoring.SelfAssessed):
        extras = [f"thưởng {b}" for b in event.bonuses] + [f"trừ {d}" for d in event.deductions]
        detail = f"tự chấm điểm: {sum(event.scores.values()):g} điểm tiêu chí" + "".join(
            f", {e}" for e in extras
        )
    elif isinstance(event, BlockScoring.ScoreAdjusted):
        detail = (
            f"thẩm định chéo: {event.item_kind} {event.item} {event.old_points:g} → "
            f"{event.new_points:g} ({event.reason})"
        )
    elif isinstance(event, BlockScoring.UnitClassified):
        detail = f"xếp loại {BAND_NAMES_VI.get(event.band, event.band)}: {event.total:g} điểm"
    else:
        detail = kind
    return Cause(
        position=position,
        event=kind,
        recorded_at=event.timestamp,
        effective_on=getattr(event, "effective_on", None),
        actor=getattr(event, "actor_user", None),
        detail=detail,
    )


def explain_unit(
    registry: ProvinceRegistry,
    province: str,
    *,
    block: str,
    year: int,
    unit: str,
    until: datetime | None = None,
) -> UnitStanding | None:
    """A unit's total, rank and band in its block with the events behind them (giải trình).

    None when the unit had no scores in that block-year by then.
    """
    replay = replay_standings(registry, province, until, year=year)
    for standings in replay.blocks:
        if standings.block == block:
            return next((u for u in standings.units if u.unit == unit), None)
    return None


def disagreements(ledger: BlockStandings, read_model: Any) -> list[str]:
    """Where a read model's standings (projections' `BlockStandings`) differ from the ledger's.

    Compares, for every unit with a total, the total, the rank and the recorded band; an empty
    list means the read model tells the same story as the replayed ledger.
    """
    ours = {u.unit: (u.total, u.rank, u.band) for u in ledger.units}
    theirs = {
        u.unit: (u.total, u.rank, u.classification)
        for u in getattr(read_model, "units", ())
        if u.total is not None
    }
    found = []
    for unit in sorted(set(ours) | set(theirs)):
        if ours.get(unit) != theirs.get(unit):
            found.append(
                f"{ledger.block}/{ledger.year} {unit}: ledger (total, rank, band) = "
                f"{ours.get(unit)}, read model = {theirs.get(unit)}"
            )
    return found
