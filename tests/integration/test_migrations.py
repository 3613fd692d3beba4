"""Schema migrations: a database made by the previous release is upgraded by this one's
`thidua db migrate`, then verifies, rebuilds its projections and serves; a fresh database records
every step; a database of a newer release is refused; the baseline's statements stay as released.

The previous release is the real code of commit `PREVIOUS_RELEASE`, taken out of this repository
with `git archive` (no network) and run with this checkout's interpreter and packages, its own
package tree first on the path: its `thidua import` loads the demo records and its `thidua
projections rebuild` builds its read model, exactly as an operator's database was made.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import psycopg
import pytest

from tests import conftest
from tests.conftest import TEST_SECRET, ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from thidua.projections.ddl import BASE_DDL, TRACKING_ISOLATION
from thidua.services.database import ConnectionParams
from thidua.services.migrations import SchemaNewerThanRelease, platform_status, province_status
from thidua.services.migrations.platform_steps import BASELINE_DDL, PLATFORM_STEPS
from thidua.services.migrations.province_steps import PROVINCE_STEPS
from thidua.services.registry import ProvinceRegistry
from thidua.services.serving import prepare_database

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "cac36b0"  # the schema the baselines record (services/migrations/__init__.py)
PACKAGE_FOLDERS = ["domain", "services", "projections", "graphql", "deploy"]
CLI = "from thidua.app.cli import cli; cli(prog_name='thidua')"  # `thidua` of this checkout
# The previous release's `thidua` (its command line lived in services then), from its own tree.
PREVIOUS_CLI = "from thidua.services.cli.main import cli; cli(prog_name='thidua')"
# The baseline's statements as released; a change to them must be a new step instead.
BASELINE_DIGEST = "7139555b328cee4a"


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's package tree (`<dir>/thidua/...`), from this repository's history."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is needed to take the previous release out of the repository")
    archive = subprocess.run(
        [git, "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE, *PACKAGE_FOLDERS],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.skip(f"commit {PREVIOUS_RELEASE} is not in this clone: {archive.stderr.decode()[:200]}")
    top = tmp_path_factory.mktemp("previous-release")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(top / "thidua", filter="data")
    return top


def thidua(database: ConnectionParams, *args: str, code_from: Path | None = None) -> str:
    """Run a `thidua` command: this checkout's, or the tree at `code_from` (first on the path)."""
    env = {
        **os.environ,
        "DATABASE_URL": database.to_url(),
        "THIDUA_ENV": "test",
        "THIDUA_JWT_SECRET": TEST_SECRET,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_LOG_LEVEL": "WARNING",
    }
    if code_from is not None:
        env["PYTHONPATH"] = str(code_from)
    done = subprocess.run(
        [sys.executable, "-c", CLI if code_from is None else PREVIOUS_CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"thidua {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_previous_release_runs_from_its_own_tree(previous_release: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(previous_release)}
    program = "import thidua.services.registry as r; print(r.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith(str(previous_release))


@dataclass(frozen=True)
class PreviousDatabase:
    """A database the previous release made, kept as a template, and its ledger checkpoint."""

    params: ConnectionParams
    checkpoint: str


@pytest.fixture(scope="module")
def previous_database(previous_release: Path, pg_server: ConnectionParams) -> Iterator[PreviousDatabase]:
    """The previous release's own `thidua import` of its demo records and `thidua projections
    rebuild`, once; each test upgrades a copy."""
    params = create_database(pg_server)
    try:
        demo = previous_release / "thidua" / "deploy" / "demo" / "nghe-an.json"
        thidua(params, "import", str(demo), code_from=previous_release)
        thidua(params, "projections", "rebuild", code_from=previous_release)
        head = thidua(params, "ledger", "head", "--province", "nghe-an", code_from=previous_release)
        yield PreviousDatabase(params, head.strip())
    finally:
        drop_database(pg_server, params)


@pytest.fixture
def upgraded(previous_database: PreviousDatabase, pg_server: ConnectionParams) -> Iterator[ConnectionParams]:
    """A copy of the previous release's database, dropped afterwards."""
    copy = pg_server.with_dbname(f"thidua_t_{uuid.uuid4().hex[:12]}")
    with psycopg.connect(pg_server.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{copy.dbname}" TEMPLATE "{previous_database.params.dbname}"')
    try:
        yield copy
    finally:
        drop_database(pg_server, copy)


def test_a_database_of_the_previous_release_is_upgraded_verifies_rebuilds_and_serves(
    previous_database: PreviousDatabase, upgraded: ConnectionParams
) -> None:
    database, checkpoint = upgraded, previous_database.checkpoint
    before = thidua(database, "db", "status")
    platform, province = len(PLATFORM_STEPS), len(PROVINCE_STEPS)
    assert f"platform: unversioned (made before migrations) of {platform}" in before
    assert f"schema p_nghe_an: unversioned (made before migrations) of {province}" in before

    applied = thidua(database, "db", "migrate")
    expected = [f"platform: applied {s.version} {s.name}" for s in PLATFORM_STEPS]
    expected += [f"p_nghe_an: applied {s.version} {s.name}" for s in PROVINCE_STEPS]
    assert applied.splitlines() == expected  # every step, in order
    assert thidua(database, "db", "migrate").strip() == "database is current: nothing to apply"
    after = thidua(database, "db", "status")
    assert f"platform: version {platform} of {platform}, current" in after
    assert f"schema p_nghe_an: version {province} of {province}, current" in after

    thidua(database, "ledger", "verify", "--province", "nghe-an", "--against", checkpoint)
    thidua(database, "projections", "rebuild")
    thidua(database, "projections", "verify")

    served = ServedApp(conftest.test_settings(), database)
    served.start()
    try:
        admin = GraphQLClient(served, served.token("nghe-an", "province_admin", user="ban-tdkt"))
        units = admin.data("{ units(first: 50) { nodes { key } } }")["units"]["nodes"]
        assert {"key": "cuc-thads"} in units
        payload = admin.mutate("registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ"})
        assert payload["ok"], payload
    finally:
        served.stop()
    report = thidua(database, "ledger", "verify", "--province", "nghe-an")  # the chain goes on
    assert "ok" in report.lower()


def test_starting_the_server_on_a_database_of_the_previous_release_applies_the_migrations(
    previous_database: PreviousDatabase, upgraded: ConnectionParams
) -> None:
    """What `thidua serve` does before its processes start, without `thidua db migrate` first."""
    asyncio.run(prepare_database(conftest.test_settings(), upgraded))
    with psycopg.connect(upgraded.psycopg_conninfo(), autocommit=True) as conn:
        assert platform_status(conn).current
        assert province_status(conn, "p_nghe_an").current
    thidua(upgraded, "ledger", "verify", "--province", "nghe-an", "--against", previous_database.checkpoint)


def test_a_fresh_database_records_every_step_once(database: ConnectionParams) -> None:
    registry = ProvinceRegistry(database)
    try:
        registry.ensure_platform_schema()
        registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
        assert registry.migrate() == {
            "platform": [f"{s.version} {s.name}" for s in PLATFORM_STEPS],
            "p_nghe_an": [f"{s.version} {s.name}" for s in PROVINCE_STEPS],
        }
    finally:
        registry.close()
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        assert platform_status(conn).current
        assert province_status(conn, "p_nghe_an").current
        rows = conn.execute("SELECT version, release FROM p_nghe_an.schema_migrations").fetchall()
    assert [r[0] for r in rows] == [s.version for s in PROVINCE_STEPS]
    again = ProvinceRegistry(database)
    try:
        assert again.migrate() == {}
    finally:
        again.close()


def test_a_database_migrated_by_a_newer_release_is_refused(database: ConnectionParams) -> None:
    registry = ProvinceRegistry(database)
    registry.ensure_platform_schema()
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.close()
    newer = PROVINCE_STEPS[-1].version + 1
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO p_nghe_an.schema_migrations (version, name, release) VALUES (%s, 'later', '9.9')",
            (newer,),
        )
    later = ProvinceRegistry(database)
    try:
        with pytest.raises(SchemaNewerThanRelease) as refused:
            later.app("nghe-an")
        assert refused.value.code == "SCHEMA_NEWER_THAN_RELEASE"
        assert "p_nghe_an" in refused.value.message_vi
    finally:
        later.close()
    status = thidua_status_lines(database)
    assert any("NEWER than this release" in line for line in status)
    served = subprocess.run(
        [sys.executable, "-c", CLI, "serve", "--no-demo", "--port", str(conftest.free_port())],
        env={
            **os.environ,
            "DATABASE_URL": database.to_url(),
            "THIDUA_ENV": "test",
            "THIDUA_LOG_FORMAT": "json",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert served.returncode == 2, served.stdout + served.stderr
    assert "SCHEMA_NEWER_THAN_RELEASE" in served.stderr


def thidua_status_lines(database: ConnectionParams) -> list[str]:
    return thidua(database, "db", "status").splitlines()


@pytest.fixture
def baseline_texts(registry: ProvinceRegistry) -> list[str]:
    registry.create_province("xx", "XX", created_by="op")
    recorder = registry.app("xx").recorder
    from thidua.services.attachments.store import attachments_ddl
    from thidua.services.ledger_chain import chain_ddl

    statements = [s.as_string(None) for s in recorder.sql_create_statements]  # type: ignore[attr-defined]
    return [
        BASELINE_DDL,
        *BASE_DDL,
        *TRACKING_ISOLATION,
        *statements,
        *chain_ddl("p_xx"),
        *attachments_ddl("p_xx"),
    ]


def test_the_baseline_steps_are_as_released(baseline_texts: list[str]) -> None:
    """The baselines run these statements on databases that already have them: changing one
    (or upgrading the event store library, whose tables they include) would leave those
    databases unchanged. A schema change is a new step (README, "Adding a schema change")."""
    digest = hashlib.sha256("\n".join(baseline_texts).encode()).hexdigest()[:16]
    assert digest == BASELINE_DIGEST, (
        "the baseline migration's statements changed: add a new numbered step instead "
        "(services/migrations/, README 'Adding a schema change')"
    )


def test_a_later_step_runs_once_on_existing_provinces_and_a_failing_one_leaves_nothing(
    database: ConnectionParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thidua.services.migrations import runner
    from thidua.services.migrations.steps import ProvinceContext, Step

    first = ProvinceRegistry(database)
    first.ensure_platform_schema()
    first.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    first.close()

    def broken(ctx: ProvinceContext) -> None:
        ctx.run([f'CREATE TABLE "{ctx.schema}".half_done (id int)', "SELECT 1/0"])

    def index(ctx: ProvinceContext) -> None:
        ctx.run([f'CREATE INDEX media_ix ON "{ctx.schema}".attachments (media_type)'])

    later_version = len(PROVINCE_STEPS) + 1  # after every released step
    monkeypatch.setattr(runner, "PROVINCE_STEPS", [*PROVINCE_STEPS, Step(later_version, "broken", broken)])
    failing = ProvinceRegistry(database)
    try:
        with pytest.raises(psycopg.errors.DivisionByZero):
            failing.app("nghe-an")
    finally:
        failing.close()
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('p_nghe_an.half_done')").fetchone() == (None,)
        assert province_status(conn, "p_nghe_an").pending == (f"{later_version} broken",)

    monkeypatch.setattr(
        runner, "PROVINCE_STEPS", [*PROVINCE_STEPS, Step(later_version, "attachments by type", index)]
    )
    later = ProvinceRegistry(database)
    try:
        assert later.migrate() == {"p_nghe_an": [f"{later_version} attachments by type"]}
    finally:
        later.close()
    again = ProvinceRegistry(database)
    try:
        assert again.migrate() == {}
    finally:
        again.close()
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('p_nghe_an.media_ix')").fetchone() != (None,)
        versions = conn.execute("SELECT version, name FROM p_nghe_an.schema_migrations ORDER BY 1").fetchall()
        assert versions[-1] == (later_version, "attachments by type")
        assert province_status(conn, "p_nghe_an").current
