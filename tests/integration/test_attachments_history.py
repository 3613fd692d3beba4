"""Stored files and the history: export carries the files its events refer to, import checks
and restores them, and `ledger verify --files` finds a file altered or lost behind the ledger's
back (as a superuser could, switching the guard off)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
import pytest

from tests.conftest import create_database, drop_database
from tests.integration.test_ledger_cli import thidua
from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Actor, Provenance
from thidua.services.attachments.sniff import PDF
from thidua.services.attachments.store import store
from thidua.services.attachments.verify import verify_files
from thidua.services.cli.ledger import run_with_pool
from thidua.services.database import ConnectionParams
from thidua.services.history_export import export_history
from thidua.services.history_import import HistoryFileInvalid, check_history_file, import_history
from thidua.services.registry import ProvinceRegistry

CONTENT = b"%PDF-1.4\n% Bien ban hop xet thi dua nam 2025\n%%EOF\n"
BY = Provenance(
    Actor("ban-tdkt", "province_admin", None), datetime(2026, 1, 5, tzinfo=UTC), date(2026, 1, 5), "t"
)


def attach_a_file(registry: ProvinceRegistry) -> str:
    """A proposal whose minutes are a stored PDF; the file's hash."""
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    app.register_unit(key="so-noi-vu", name="Sở Nội vụ", by=BY)
    app.submit_proposal(
        key="ttr-1",
        proposer="so-noi-vu",
        year=2025,
        award="giay_khen",
        authority="head_of_agency",
        recipient_kind="unit",
        recipient="so-noi-vu",
        achievement=None,
        dossier={},
        by=BY,
    )

    async def keep(pool: asyncpg.Pool) -> str:
        async with pool.acquire() as conn:
            blob, _ = await store(conn, "nghe-an", CONTENT, PDF)
        return blob.sha256

    sha = run_with_pool(registry, keep)
    app.attach_document(
        proposal="ttr-1", item="minutes", reference=None, file_sha256=sha, file_name="BB.pdf", by=BY
    )
    return sha


def export(registry: ProvinceRegistry) -> bytes:
    out = io.BytesIO()
    run_with_pool(registry, lambda pool: export_history(pool, "nghe-an", out))
    return out.getvalue()


def records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def write(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "history.ndjson"
    path.write_bytes(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows))
    return path


def test_an_export_carries_the_attached_file_and_the_import_restores_it(
    registry: ProvinceRegistry, pg_server: ConnectionParams, tmp_path: Path
) -> None:
    sha = attach_a_file(registry)
    rows = records(export(registry))
    files = [r for r in rows if r["record"] == "file"]
    assert [f["sha256"] for f in files] == [sha]
    assert base64.b64decode(files[0]["content_b64"]) == CONTENT
    assert rows[-1]["record"] == "end"
    assert rows[-1]["files"] == 1
    path = write(tmp_path, rows)
    assert check_history_file(path).files == 1
    elsewhere = create_database(pg_server)
    other = ProvinceRegistry(elsewhere)
    try:
        other.ensure_platform_schema()
        import_history(other, path)
        with psycopg.connect(elsewhere.psycopg_conninfo()) as conn:
            row = conn.execute("SELECT content, media_type FROM p_nghe_an.attachments").fetchone()
        assert row is not None
        assert (bytes(row[0]), row[1]) == (CONTENT, PDF)
        report = run_with_pool(other, lambda pool: verify_files(pool, "nghe-an"))
        assert (report.ok, report.files_checked, report.references_checked) == (True, 1, 1)
    finally:
        other.close()
        drop_database(pg_server, elsewhere)


@pytest.mark.parametrize("damage", ["drop_file", "alter_file", "extra_events_after_files", "wrong_count"])
def test_an_export_whose_files_do_not_match_its_events_is_refused_whole(
    registry: ProvinceRegistry, tmp_path: Path, damage: str
) -> None:
    attach_a_file(registry)
    rows = records(export(registry))
    file_at = next(i for i, r in enumerate(rows) if r["record"] == "file")
    if damage == "drop_file":
        del rows[file_at]
        rows[-1]["files"] = 0
    elif damage == "alter_file":
        rows[file_at]["content_b64"] = base64.b64encode(CONTENT + b"forged").decode()
    elif damage == "extra_events_after_files":
        rows.insert(file_at + 1, rows[file_at - 1])
    else:
        rows[-1]["files"] = 2
    with pytest.raises(HistoryFileInvalid):
        check_history_file(write(tmp_path, rows))


def test_verify_files_finds_a_file_altered_or_lost_behind_the_ledgers_back(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    sha = attach_a_file(registry)
    ok = thidua(database, "ledger", "verify", "--province", "nghe-an", "--files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "files OK: 1 stored files match their hashes, 1 references found in the store" in ok.stdout
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException):  # the guard refuses the edit
            conn.execute("UPDATE p_nghe_an.attachments SET content = 'x'")
        conn.execute("ALTER TABLE p_nghe_an.attachments DISABLE TRIGGER attachments_immutable")
        conn.execute("UPDATE p_nghe_an.attachments SET content = content || '\\x00'::bytea")
    altered = thidua(database, "ledger", "verify", "--province", "nghe-an", "--files")
    assert altered.returncode == 1
    assert f"file {sha}: content_mismatch" in altered.stdout
    assert altered.stdout.startswith("OK:")  # the chain itself is intact: the file is what changed
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute("DELETE FROM p_nghe_an.attachments")
    lost = asyncio.run(_verify_lost(database))
    assert [(p.sha256, p.reason) for p in lost.problems] == [(sha, "missing")]
    assert lost.problems[0].position is not None


async def _verify_lost(database: ConnectionParams) -> Any:
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **database.asyncpg_kwargs())
    try:
        return await verify_files(pool, "nghe-an")
    finally:
        await pool.close()


def test_a_document_attached_before_files_existed_still_reads(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    """A version-1 `DocumentAttached` (a reference only, no `file` field) reads as a reference."""
    attach_a_file(registry)
    app = registry.app("nghe-an")
    app.attach_document(proposal="ttr-1", item="achievement_report", reference="BC-07", by=BY)
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        topic = "thidua.domain.proposals:AwardProposal.DocumentAttached"
        row = conn.execute(
            "SELECT notification_id, state FROM p_nghe_an.ledger_events WHERE topic = %s "
            "ORDER BY notification_id DESC LIMIT 1",
            (topic,),
        ).fetchone()
        assert row is not None
        state = json.loads(bytes(row[1]))
        assert state.pop("class_version") == 2
        assert state.pop("file") is None
        conn.execute("ALTER TABLE p_nghe_an.ledger_events DISABLE TRIGGER ledger_immutable")
        conn.execute(
            "UPDATE p_nghe_an.ledger_events SET state = %s WHERE notification_id = %s",
            (json.dumps(state).encode(), row[0]),
        )
    fresh = ProvinceRegistry(database)
    try:
        proposal = fresh.app("nghe-an").get_proposal("ttr-1")
        assert proposal["status"] == "submitted"
        app = fresh.app("nghe-an")
        read: AwardProposal = app.repository.get(app._id("proposal", "ttr-1"))
        dossier = read.dossier
        assert dossier["achievement_report"] == "BC-07"
        assert dossier["minutes"].startswith("sha256:")
    finally:
        fresh.close()
