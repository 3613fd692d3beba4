"""Schema evolution: events recorded in an older shape are upcast when read, never rewritten."""

from __future__ import annotations

import base64
import importlib
import json
import pkgutil
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Aggregate

from thidua.domain import upcasting
from thidua.domain.base import LedgerAggregate
from thidua.projections.audit.queries import list_audit_trail
from thidua.services.database import ConnectionParams
from thidua.services.history_export import FORMAT, export_history
from thidua.services.history_import import import_history
from thidua.services.ledger import verify_ledger
from thidua.services.ledger_chain import GENESIS, next_hash
from thidua.services.projection_host import ProjectionHost
from thidua.services.registry import ProvinceRegistry
from thidua.services.runtime import Runtime

TOPIC = f"{__name__}:Nomination.Created"
AGGREGATE_TOPIC = f"{__name__}:Nomination"
# Version 1, as recorded in 2024: a nomination named only its title.
OLD_STATE = {
    "timestamp": {"_type_": "datetime_iso", "_data_": "2024-03-01T01:00:00+00:00"},
    "originator_topic": AGGREGATE_TOPIC,
    "title": "Cờ thi đua của UBND tỉnh",
}


class Nomination(Aggregate):
    """A throwaway aggregate whose creation event is at version 3.

    v1: title. v2 added `level` (older nominations were all provincial). v3 renamed `title`
    to `award`.
    """

    class Created(Aggregate.Created):
        class_version = 3
        award: str
        level: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["level"] = "cấp tỉnh"

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["award"] = state.pop("title")

    def __init__(self, award: str, level: str) -> None:
        self.award = award
        self.level = level


def old_state_bytes() -> bytes:
    return json.dumps(OLD_STATE, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_old_event(registry: ProvinceRegistry, code: str) -> uuid.UUID:
    """Write a version-1 row by hand, as the application of 2024 stored it."""
    registry.app(code)
    schema = registry.get(code).schema_name
    originator_id = uuid.uuid4()
    with psycopg.connect(registry.params.psycopg_conninfo()) as conn:
        conn.execute(
            f'INSERT INTO "{schema}".ledger_events '
            "(originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)",
            (originator_id, TOPIC, old_state_bytes()),
        )
    return originator_id


async def test_an_old_version_event_is_upcast_when_read(runtime: Runtime) -> None:
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    old_id = record_old_event(runtime.registry, "nghe-an")
    app = runtime.registry.app("nghe-an")
    new = Nomination("Bằng khen của Chủ tịch UBND tỉnh", "cấp tỉnh")
    app.save(new)

    old: Nomination = app.repository.get(old_id)
    assert (old.award, old.level) == ("Cờ thi đua của UBND tỉnh", "cấp tỉnh")
    stored = app.recorder.select_notifications(1, 10)
    assert stored[0].state == old_state_bytes()  # read upcast, never rewritten
    assert json.loads(stored[1].state)["class_version"] == 3
    assert (await verify_ledger(runtime.read_pool, "nghe-an")).ok


async def test_an_export_says_which_version_each_event_was_written_in(
    runtime: Runtime, tmp_path: Path
) -> None:
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    record_old_event(runtime.registry, "nghe-an")
    runtime.registry.app("nghe-an").save(Nomination("Giấy khen", "cơ sở"))
    path = tmp_path / "h.ndjson"
    with path.open("wb") as out:
        await export_history(runtime.read_pool, "nghe-an", out)
    events = [json.loads(line) for line in _lines(path)][1:-1]
    assert [e["event_version"] for e in events] == [1, 3]
    assert events[0]["payload"] == {"originator_topic": AGGREGATE_TOPIC, "title": OLD_STATE["title"]}
    assert events[0]["recorded_at"] == "2024-03-01T01:00:00+00:00"


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def test_an_export_from_last_year_written_by_hand_still_imports_and_reads(
    registry: ProvinceRegistry, tmp_path: Path
) -> None:
    """The file is built here independently of the exporter, from the published format."""
    originator_id = uuid.uuid4()
    state = old_state_bytes()
    digest = next_hash(GENESIS, originator_id, 1, TOPIC, state)
    records = [
        {"record": "header", "format": FORMAT, "province": "ha-nam", "province_name": "Tỉnh Hà Nam"},
        {
            "record": "event",
            "format": FORMAT,
            "position": 7,
            "originator_id": str(originator_id),
            "originator_version": 1,
            "topic": TOPIC,
            "state_b64": base64.b64encode(state).decode(),
            "previous_hash": GENESIS.hex(),
            "hash": digest.hex(),
        },
        {"record": "end", "format": FORMAT, "events": 1, "head_position": 7, "head_hash": digest.hex()},
    ]
    path = tmp_path / "ha-nam-2024.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")

    summary = import_history(registry, path)
    assert (summary.head_position, summary.head_hash) == (7, digest.hex())
    old: Nomination = registry.app("ha-nam").repository.get(originator_id)
    assert (old.award, old.level) == ("Cờ thi đua của UBND tỉnh", "cấp tỉnh")
    # New events chain on after the imported position.
    registry.app("ha-nam").save(Nomination("Giấy khen", "cơ sở"))
    positions = [n.id for n in registry.app("ha-nam").recorder.select_notifications(1, 10)]
    assert positions == [7, 8]


def test_every_domain_event_class_can_read_all_its_older_versions() -> None:
    package = importlib.import_module("thidua.domain")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"thidua.domain.{module.name}")
    classes = list(upcasting.event_classes(LedgerAggregate.Event))
    assert len(classes) > 10
    assert upcasting.check_upcasters(classes) == {}


def test_a_version_bump_without_its_upcaster_is_caught() -> None:
    class Bumped(Aggregate.Event):
        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["x"] = 1

    assert upcasting.missing_upcasters(Bumped) == ["upcast_v2_v3"]
    assert upcasting.missing_upcasters(Nomination.Created) == []


def test_upcast_state_follows_the_library_rule() -> None:
    state = dict(OLD_STATE)
    upcasting.upcast_state(Nomination.Created, state)
    assert state["award"] == OLD_STATE["title"]
    assert state["level"] == "cấp tỉnh"
    assert "title" not in state


def test_a_renamed_event_class_still_reads_its_old_topic() -> None:
    old_topic = "thidua.domain.legacy:Nomination.Created"
    upcasting.register_renamed_topics({old_topic: TOPIC})
    from eventsourcing.utils import resolve_topic

    assert resolve_topic(old_topic) is Nomination.Created


@pytest.mark.parametrize("version", [1, 2, 3])
def test_stored_version_reads_the_class_version_key(version: int) -> None:
    state: dict[str, Any] = {} if version == 1 else {"class_version": version}
    assert upcasting.stored_version(state) == version


async def test_the_audit_trail_shows_an_old_event_in_its_current_shape(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    old_id = record_old_event(registry, "nghe-an")
    host = ProjectionHost(database, registry, poll_s=0.2, claim_s=0.5)
    await host.start()
    try:
        await host.wait_for("nghe-an", 1, timeout_s=20)
        page = await list_audit_trail(host.pool, "nghe-an")
    finally:
        await host.stop()
    (entry,) = page.entries
    assert entry.aggregate_id == old_id
    assert entry.payload["award"] == "Cờ thi đua của UBND tỉnh"
    assert entry.payload["level"] == "cấp tỉnh"
    assert "title" not in entry.payload
