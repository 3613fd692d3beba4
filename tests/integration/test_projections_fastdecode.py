"""The fast decoder gives, for every stored event, the envelope the mapper path gives."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg

from thidua.projections.envelope import StoredRow
from thidua.projections.fastdecode import fast_decoder
from thidua.projections.names import events_table
from thidua.services import importer
from thidua.services.database import ConnectionParams
from thidua.services.projection_host import mapper_decoder
from thidua.services.registry import ProvinceRegistry

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "nghe-an.json"


async def _rows(database: ConnectionParams, province: str) -> list[StoredRow]:
    conn = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        rows = await conn.fetch(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {events_table(province)} ORDER BY notification_id"
        )
    finally:
        await conn.close()
    return [StoredRow(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]


async def test_every_demo_event_decodes_fast_to_the_mappers_envelope(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    importer.import_records(registry, DEMO)
    slow = mapper_decoder(registry, "nghe-an")
    fast = fast_decoder(slow)
    rows = await _rows(database, "nghe-an")
    assert len(rows) > 50
    for row in rows:
        expected, got = slow(row), fast(row)
        assert got == expected, (row.position, row.topic)
        assert [type(v) for v in got.payload.values()] == [type(v) for v in expected.payload.values()]


async def test_a_nul_or_an_upcast_event_takes_the_mapper_path(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    importer.import_records(registry, DEMO)
    slow = mapper_decoder(registry, "nghe-an")
    calls: list[int] = []

    def counting(row: StoredRow) -> object:
        calls.append(row.position)
        return slow(row)

    fast = fast_decoder(counting)  # type: ignore[arg-type]
    row = (await _rows(database, "nghe-an"))[0]
    nul = StoredRow(
        row.position,
        row.originator_id,
        row.originator_version,
        row.topic,
        row.state.replace(b'"actor_user":"', b'"actor_user":"\\u0000', 1),
    )
    versioned = StoredRow(
        row.position,
        row.originator_id,
        row.originator_version,
        row.topic,
        row.state[:-1] + b',"class_version":1}',
    )
    fast(row)
    assert calls == []
    fast(nul)
    fast(versioned)
    assert calls == [row.position, row.position]
    actor = fast(nul).actor_user
    assert actor is not None
    assert "\ufffd" in actor


async def test_an_event_in_its_classs_current_version_decodes_fast_and_an_older_one_is_upcast(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    importer.import_records(registry, DEMO)
    slow = mapper_decoder(registry, "nghe-an")
    calls: list[int] = []

    def counting(row: StoredRow) -> object:
        calls.append(row.position)
        return slow(row)

    fast = fast_decoder(counting)  # type: ignore[arg-type]
    rows = await _rows(database, "nghe-an")
    proposal = next(r for r in rows if r.topic.endswith("AwardProposal.Submitted"))
    # version 2 since issue 14 (award_type), 3 since issue 15 (a grouped proposal's claimed count)
    assert b'"class_version":3' in proposal.state
    assert fast(proposal) == slow(proposal)
    assert "class_version" not in fast(proposal).payload
    assert calls == []
    state = json.loads(proposal.state)
    for field in ("class_version", "award_type", "group", "group_claimed_count"):
        del state[field]  # as version 1 stored it
    older = StoredRow(
        proposal.position,
        proposal.originator_id,
        proposal.originator_version,
        proposal.topic,
        json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
    )
    assert b"award_type" not in older.state
    assert fast(older).payload["award_type"] == "thuong_xuyen"  # upcast by the mapper path
    assert calls == [proposal.position]
