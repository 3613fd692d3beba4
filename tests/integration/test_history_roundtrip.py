"""Export and re-import: another instance gets the same bytes, positions and head hash."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
import pytest
from eventsourcing.domain import Aggregate

from tests.conftest import create_database, drop_database
from tests.integration.test_history_secret_ballot import hold_secret_ballot, seat_voters
from thidua.projections.ddl import LIVE
from thidua.projections.rebuild import Checksum, checksums
from thidua.services.cli.ledger import run_with_pool
from thidua.services.database import ConnectionParams
from thidua.services.history_export import export_history, parse_instant
from thidua.services.history_import import (
    HistoryFileInvalid,
    ProvinceMismatch,
    ProvinceNotEmpty,
    check_history_file,
    import_history,
)
from thidua.services.importer import import_records
from thidua.services.ledger import ledger_head, verify_ledger
from thidua.services.projection_host import ProjectionHost
from thidua.services.registry import ProvinceRegistry
from thidua.services.runtime import Runtime

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "nghe-an.json"
ROWS = (
    "SELECT notification_id, originator_id, originator_version, topic, state, chain_hash "
    "FROM p_nghe_an.ledger_events ORDER BY notification_id"
)


class Probe(Aggregate):
    """A throwaway aggregate with Vietnamese text, several events each."""

    def __init__(self, label: str) -> None:
        self.label = label

    def relabel(self, label: str) -> None:
        self.trigger_event(
            self.Relabelled,
            label=label,
            actor_user="thu-ky",
            actor_role="block_officer",
            actor_unit="so-noi-vu",
            correlation_id=f"doi-ten-{label[:12]}",
        )

    class Relabelled(Aggregate.Event):
        label: str
        actor_user: str
        actor_role: str
        actor_unit: str
        correlation_id: str

        def apply(self, aggregate: Aggregate) -> None:
            aggregate.label = self.label  # type: ignore[attr-defined]


def record_history(registry: ProvinceRegistry, count: int, prefix: str) -> list[Probe]:
    app = registry.app("nghe-an")
    probes = [Probe(f"{prefix} Khối thi đua số {i}") for i in range(count)]
    app.save(*probes)
    for probe in probes:
        probe.relabel(probe.label + " – đã đổi tên")
    app.save(*probes)
    return probes


def rows(params: ConnectionParams) -> list[tuple[Any, ...]]:
    with psycopg.connect(params.psycopg_conninfo()) as conn:
        return [tuple(r) for r in conn.execute(ROWS).fetchall()]


@pytest.fixture
def other_instance(pg_server: ConnectionParams) -> Iterator[ProvinceRegistry]:
    """A second, empty instance (its own database) to import into."""
    params = create_database(pg_server)
    reg = ProvinceRegistry(params)
    reg.ensure_platform_schema()
    try:
        yield reg
    finally:
        reg.close()
        drop_database(pg_server, params)


@pytest.fixture
async def exported(runtime: Runtime, tmp_path: Path) -> Path:
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    record_history(runtime.registry, 12, "a")
    path = tmp_path / "nghe-an.ndjson"
    with path.open("wb") as out:
        await export_history(runtime.read_pool, "nghe-an", out)
    return path


async def test_a_reimported_history_has_identical_rows_and_head(
    runtime: Runtime, database: ConnectionParams, exported: Path, other_instance: ProvinceRegistry
) -> None:
    summary = import_history(other_instance, exported)
    assert summary.events == 24
    assert rows(other_instance.params) == rows(database)  # bytes, positions and chain hashes
    head = await ledger_head(runtime.read_pool, "nghe-an")
    assert f"{summary.head_hash}@{summary.head_position}" == head.checkpoint
    assert other_instance.get("nghe-an").name == "Tỉnh Nghệ An"


async def projected(registry: ProvinceRegistry) -> dict[str, tuple[Checksum, ...]]:
    """Run the projections of an instance until they reach its head; their tables' checksums."""
    host = ProjectionHost(registry.params, registry, poll_s=0.2, claim_s=0.5)
    await host.start()
    try:
        head = await ledger_head(host.pool, "nghe-an")
        await host.wait_for("nghe-an", head.position, timeout_s=20)
        async with host.pool.acquire() as conn:
            return {p.name: await checksums(conn, "nghe-an", p, LIVE) for p in host.projections}
    finally:
        await host.stop()


async def test_a_reimported_history_projects_identical_read_models(
    runtime: Runtime, exported: Path, other_instance: ProvinceRegistry
) -> None:
    original = await projected(runtime.registry)
    import_history(other_instance, exported)
    copy = await projected(other_instance)
    assert copy == original
    assert original["audit"][0].rows == 24


async def test_the_nghe_an_scenario_round_trips_to_identical_read_models_and_head(
    registry: ProvinceRegistry, tmp_path: Path, other_instance: ProvinceRegistry
) -> None:
    """The demo province's real history (blocks, scoring, ballots, proposals, decisions) plus a
    secret ballot, exported and imported: every projection's tables come out identical."""
    import_records(registry, DEMO)
    seat_voters(registry)
    receipts, _ = hold_secret_ballot(registry)
    assert receipts
    original = await projected(registry)
    path = tmp_path / "nghe-an.ndjson"
    pool = await asyncpg.create_pool(min_size=1, max_size=1, **registry.params.asyncpg_kwargs())
    try:
        with path.open("wb") as out:
            exported = await export_history(pool, "nghe-an", out)
        head = await ledger_head(pool, "nghe-an")
    finally:
        await pool.close()
    summary = import_history(other_instance, path)
    assert f"{summary.head_hash}@{summary.head_position}" == head.checkpoint
    assert summary.events == exported.events > 50
    copy = await projected(other_instance)
    assert copy == original
    assert {name for name, tables in original.items() if any(t.rows for t in tables)} >= {
        "audit",
        "standings",
        "awards",
    }


async def test_a_checkpoint_kept_on_the_old_instance_verifies_on_the_new_one(
    runtime: Runtime, exported: Path, other_instance: ProvinceRegistry
) -> None:
    kept = (await ledger_head(runtime.read_pool, "nghe-an")).checkpoint
    import_history(other_instance, exported)
    # More history recorded on the new instance after the import chains on from the same head.
    record_history(other_instance, 3, "b")
    pool = await asyncpg.create_pool(min_size=1, max_size=1, **other_instance.params.asyncpg_kwargs())
    try:
        report = await verify_ledger(pool, "nghe-an", kept)
    finally:
        await pool.close()
    assert report.ok, report.summary()
    assert report.events_checked == 30
    assert report.head_position == 30


def test_reimported_aggregates_read_back_equal(
    runtime: Runtime, tmp_path: Path, other_instance: ProvinceRegistry
) -> None:
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    probes = record_history(runtime.registry, 4, "c")
    path = tmp_path / "h.ndjson"
    with path.open("wb") as out:
        run_with_pool(runtime.registry, lambda pool: export_history(pool, "nghe-an", out))
    with pytest.raises(ProvinceMismatch):
        import_history(other_instance, path, province="ninh-binh")  # ids derive from the code
    import_history(other_instance, path, province="nghe-an")
    copy = other_instance.app("nghe-an").repository
    for probe in probes:
        again: Probe = copy.get(probe.id)
        assert (again.label, again.version) == (probe.label, probe.version)


def _read_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


async def test_each_line_describes_itself(exported: Path) -> None:
    lines = [json.loads(line) for line in _read_lines(exported)]
    header, first, end = lines[0], lines[1], lines[-1]
    assert header["record"] == "header"
    assert header["format"] == "thidua.history/1"
    assert "sha256" in header["chain"]
    assert first["record"] == "event"
    assert first["position"] == 1
    assert first["previous_hash"] == "00" * 32
    assert first["event_version"] == 1
    assert first["payload"]["label"] == "a Khối thi đua số 0"
    assert first["recorded_at"].startswith(str(datetime.now(UTC).year))
    assert lines[2]["previous_hash"] == first["hash"]
    assert end == {
        "record": "end",
        "format": "thidua.history/1",
        "province": "nghe-an",
        "events": 24,
        "head_position": 24,
        "head_hash": lines[-2]["hash"],
        "files": 0,
    }


async def test_export_until_an_instant_is_the_prefix_recorded_by_then(
    runtime: Runtime, database: ConnectionParams, other_instance: ProvinceRegistry
) -> None:
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    record_history(runtime.registry, 3, "before")
    await asyncio.sleep(0.01)
    instant = datetime.now(UTC)
    await asyncio.sleep(0.01)
    record_history(runtime.registry, 3, "after")
    out = io.BytesIO()
    summary = await export_history(runtime.read_pool, "nghe-an", out, until=instant)
    assert summary.events == 6
    assert summary.head_hash == bytes(rows(database)[5][5]).hex()
    lines = out.getvalue().decode("utf-8").splitlines()
    assert json.loads(lines[0])["until"] == instant.isoformat()
    assert all("before" in json.loads(line)["payload"]["label"] for line in lines[1:-1])


def test_an_instant_is_a_date_or_a_date_time_in_vietnam_time() -> None:
    end_of_day = parse_instant("2025-12-31")
    assert end_of_day.isoformat().startswith("2025-12-31T23:59:59.999999+07:00")
    assert parse_instant("2025-07-01T08:00:00").utcoffset() is not None
    assert parse_instant("2025-07-01T01:00:00Z") == datetime(2025, 7, 1, 1, tzinfo=UTC)


async def test_importing_into_a_province_that_has_events_is_refused(runtime: Runtime, exported: Path) -> None:
    with pytest.raises(ProvinceNotEmpty):
        import_history(runtime.registry, exported)


def _rewrite(path: Path, edit: Any) -> Path:
    lines = path.read_text("utf-8").splitlines()
    edit(lines)
    changed = path.with_suffix(".changed.ndjson")
    changed.write_text("\n".join(lines) + "\n", "utf-8")
    return changed


def _edit_payload(lines: list[str]) -> None:
    record = json.loads(lines[5])
    state = base64.b64decode(record["state_b64"]).replace(b"Kh", b"KH")
    record["state_b64"] = base64.b64encode(state).decode()
    lines[5] = json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (_edit_payload, "does not match its event"),
        (lambda lines: lines.pop(7), "breaks the chain"),  # a deleted event
        (lambda lines: lines.insert(4, lines.pop(6)), "breaks the chain"),  # reordered
        (lambda lines: lines.insert(5, lines[4]), "not after the previous one"),  # duplicated
        (lambda lines: lines.pop(), "truncated"),
        (lambda lines: lines.__delitem__(slice(-3, -1)), "end record does not match"),
        (lambda lines: lines.__setitem__(3, "{not json"), "not a JSON line"),
    ],
)
async def test_an_altered_file_is_refused_before_anything_is_written(
    exported: Path, other_instance: ProvinceRegistry, edit: Any, reason: str
) -> None:
    changed = _rewrite(exported, edit)
    with pytest.raises(HistoryFileInvalid) as err:
        import_history(other_instance, changed)
    assert reason in err.value.message_vi
    assert other_instance.list_provinces() == []


async def test_checking_a_file_reports_its_head(runtime: Runtime, exported: Path) -> None:
    checked = check_history_file(exported)
    head = await ledger_head(runtime.read_pool, "nghe-an")
    assert (checked.province, checked.events) == ("nghe-an", 24)
    assert f"{checked.head_hash}@{checked.head_position}" == head.checkpoint


def _guide_verifier() -> Any:
    """The stdlib-only checker printed in docs/audit-history.md, run as an auditor would."""
    guide = Path(__file__).resolve().parents[2] / "docs" / "audit-history.md"
    match = re.search(r"```python\n(.*?)```", guide.read_text("utf-8"), re.DOTALL)
    assert match is not None
    namespace: dict[str, Any] = {"__name__": "auditor"}
    exec(compile(match.group(1), str(guide), "exec"), namespace)  # noqa: S102 - our own document
    return namespace["verify_export"]


async def test_the_standalone_check_in_the_auditors_guide_agrees_with_the_ledger(
    runtime: Runtime, exported: Path
) -> None:
    verify_export = _guide_verifier()
    head = await ledger_head(runtime.read_pool, "nghe-an")
    assert verify_export(exported) == head.checkpoint
    with pytest.raises(AssertionError, match="chain is broken"):
        verify_export(_rewrite(exported, _edit_payload))
    with pytest.raises(AssertionError, match="cut short"):
        verify_export(_rewrite(exported, lambda lines: lines.pop()))


async def test_exporting_twice_gives_the_same_lines_but_for_the_export_time(
    runtime: Runtime, exported: Path
) -> None:
    again = io.BytesIO()
    await export_history(runtime.read_pool, "nghe-an", again)
    first, second = _read_lines(exported), again.getvalue().decode("utf-8").splitlines()
    assert first[1:] == second[1:]
    assert json.loads(first[0]) | {"exported_at": None} == json.loads(second[0]) | {"exported_at": None}
