"""The auditor's command line, run as a real process: head, verify, export, import-history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import psycopg
from eventsourcing.domain import Aggregate

from tests.conftest import TEST_SECRET, create_database, drop_database
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry


class Probe(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label


def url_of(params: ConnectionParams) -> str:
    auth = quote(params.user) + (f":{quote(params.password)}" if params.password else "")
    if params.host.startswith("/"):  # the embedded server's Unix socket
        return f"postgresql://{auth}@/{params.dbname}?host={quote(params.host)}&port={params.port}"
    return f"postgresql://{auth}@{params.host}:{params.port}/{params.dbname}"


def thidua(
    params: ConnectionParams, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        **(env or {}),
        "DATABASE_URL": url_of(params),
        "THIDUA_ENV": "test",
        "THIDUA_JWT_SECRET": TEST_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-c", "from thidua.app.cli import cli; cli()", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_auditor_workflow_from_the_command_line(
    registry: ProvinceRegistry,
    database: ConnectionParams,
    pg_server: ConnectionParams,
    tmp_path: Path,
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    for i in range(8):
        app.save(Probe(f"Đơn vị {i}"))

    head = thidua(database, "ledger", "head", "--province", "nghe-an")
    assert head.returncode == 0, head.stderr
    checkpoint = head.stdout.strip()
    assert checkpoint.endswith("@8")

    verified = thidua(database, "ledger", "verify", "--province", "nghe-an", "--against", checkpoint)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("OK: 8 events")

    history = tmp_path / "nghe-an.ndjson"
    exported = thidua(database, "export", "--province", "nghe-an", "-o", str(history))
    assert exported.returncode == 0, exported.stderr
    assert len(history.read_text("utf-8").splitlines()) == 10

    elsewhere = create_database(pg_server)
    try:
        imported = thidua(elsewhere, "import-history", str(history))
        assert imported.returncode == 0, imported.stderr
        again = thidua(elsewhere, "ledger", "verify", "--province", "nghe-an", "--against", checkpoint)
        assert again.returncode == 0, again.stdout + again.stderr
        refused = thidua(elsewhere, "import-history", str(history))
        assert refused.returncode == 2
        assert "PROVINCE_NOT_EMPTY" in refused.stderr
    finally:
        drop_database(pg_server, elsewhere)

    with psycopg.connect(database.psycopg_conninfo()) as conn:
        conn.execute("ALTER TABLE p_nghe_an.ledger_events DISABLE TRIGGER ledger_immutable")
        conn.execute("DELETE FROM p_nghe_an.ledger_events WHERE notification_id = 4")
    registry.create_province("ninh-binh", "Tỉnh Ninh Bình", created_by="op")
    registry.app("ninh-binh").save(Probe("Sở Nội vụ"))
    heads = thidua(database, "ledger", "head", "--all")
    assert [line.split("\t")[0] for line in heads.stdout.splitlines()] == ["nghe-an", "ninh-binh"]
    everything = thidua(database, "ledger", "verify", "--all")
    assert everything.returncode == 1
    assert "nghe-an: TAMPERED: chain broken at position 5" in everything.stdout
    assert "ninh-binh: OK: 1 events" in everything.stdout
    neither = thidua(database, "ledger", "verify")
    assert neither.returncode == 2
    assert "--province CODE, or use --all" in neither.stderr

    tampered = thidua(database, "ledger", "verify", "--province", "nghe-an", "--json")
    assert tampered.returncode == 1
    report = json.loads(tampered.stdout)
    assert report["ok"] is False
    assert report["first_bad_position"] == 5
    assert report["breaks"][0]["previous_position"] == 3


def test_usage_errors_exit_with_2_and_a_code(database: ConnectionParams, registry: ProvinceRegistry) -> None:
    unknown = thidua(database, "ledger", "head", "--province", "ha-giang")
    assert unknown.returncode == 2
    assert "PROVINCE_NOT_FOUND" in unknown.stderr
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    bad = thidua(database, "ledger", "verify", "--province", "nghe-an", "--against", "abc")
    assert bad.returncode == 2
    assert "INVALID_CHECKPOINT" in bad.stderr
    instant = thidua(database, "export", "--province", "nghe-an", "--until", "hôm qua")
    assert instant.returncode == 2
    assert "INVALID_INSTANT" in instant.stderr
