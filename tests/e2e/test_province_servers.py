"""Provinces on two PostgreSQL servers (issue 19, "Beyond one machine"), over real HTTP and GraphQL.

The main server is the tests' own (the embedded one, or TEST_DATABASE_URL's); the second is the
machine's PostgreSQL on 127.0.0.1:5432 when it answers and is not the main one, else a second
embedded server started here, so the test runs wherever the suite does. Nghệ An lives on the
main server with the platform's tables, Hà Tĩnh and the merger's successor on the second:
writes and reads land on each province's own server, neither sees the other's rows, each
ledger verifies, and a merger across the two servers closes, records and verifies as on one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import ServedApp, create_database, drop_database
from tests.conftest import test_settings as settings_with
from tests.e2e.graphql_client import GraphQLClient
from tests.integration.test_ledger_cli import thidua
from thidua.domain.lineage import ProvinceMerged
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams, EmbeddedPostgres
from thidua.services.errors import UnknownDatabaseServer
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import Servers
from thidua.services.settings import Settings

BY = Provenance(
    Actor("op", "province_admin", None), datetime(2025, 1, 2, tzinfo=UTC), date(2025, 1, 2), "seed"
)
MACHINE = "postgresql://postgres@127.0.0.1:5432/postgres"
MERGE = """
mutation($input: MergeProvincesInput!) {
  mergeProvinces(input: $input) { ok position errors { code message } }
}
"""


def _answers(params: ConnectionParams) -> bool:
    try:
        with psycopg.connect(params.psycopg_conninfo(), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


@pytest.fixture(scope="module")
def second_server(pg_server: ConnectionParams) -> Iterator[ConnectionParams]:
    """Another PostgreSQL server than the tests' own: the machine's, or a second embedded one."""
    machine = ConnectionParams.from_url(MACHINE)
    if (pg_server.host, pg_server.port) != (machine.host, machine.port) and _answers(machine):
        yield machine
        return
    with tempfile.TemporaryDirectory(prefix="thidua-second-", ignore_cleanup_errors=True) as tmp:
        embedded = EmbeddedPostgres(Path(tmp))
        params = embedded.start()
        try:
            yield params
        finally:
            embedded.stop()


@pytest.fixture(scope="module")
def two_servers(
    pg_server: ConnectionParams, second_server: ConnectionParams
) -> Iterator[tuple[ConnectionParams, ConnectionParams]]:
    """A fresh database on each server (the main one, the one named `east`); dropped after."""
    main = create_database(pg_server)
    east = create_database(second_server)
    try:
        yield main, east
    finally:
        drop_database(pg_server, main)
        drop_database(second_server, east)


@pytest.fixture(scope="module")
def routed_settings(two_servers: tuple[ConnectionParams, ConnectionParams]) -> Settings:
    return settings_with(THIDUA_DATABASES=f"east={two_servers[1].to_url()}")


@pytest.fixture(scope="module")
def served(
    two_servers: tuple[ConnectionParams, ConnectionParams], routed_settings: Settings
) -> Iterator[ServedApp]:
    main, _ = two_servers
    registry = ProvinceRegistry(main, servers=Servers.of(main, routed_settings.database.servers))
    registry.ensure_platform_schema()
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.create_province("ha-tinh", "Tỉnh Hà Tĩnh", created_by="op", server="east")
    registry.create_province("nghe-tinh", "Tỉnh Nghệ Tĩnh", created_by="op", server="east")
    with pytest.raises(UnknownDatabaseServer):  # nothing recorded for a server nobody configured
        registry.create_province("quang-binh", "Tỉnh Quảng Bình", created_by="op", server="west")
    assert [p.code for p in registry.list_provinces()] == ["ha-tinh", "nghe-an", "nghe-tinh"]
    registry.close()
    app = ServedApp(routed_settings, main)
    app.start()
    try:
        yield app
    finally:
        app.stop()


def admin(served: ServedApp, province: str) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, "province_admin", user=f"admin-{province}"))


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["ok"], payload["errors"]
    return payload


def units(client: GraphQLClient, position: int, province: str | None = None) -> list[str]:
    found = client.data(
        "query($at: Int, $p: String) { units(atLeastPosition: $at, province: $p) { nodes { key } } }",
        {"at": position, "p": province},
    )
    return [n["key"] for n in found["units"]["nodes"]]


def tables(params: ConnectionParams, sql: str) -> list[Any]:
    with psycopg.connect(params.psycopg_conninfo()) as conn:
        return [row[0] for row in conn.execute(sql.encode()).fetchall()]


def test_provinces_on_two_servers_write_read_verify_and_merge(
    served: ServedApp, two_servers: tuple[ConnectionParams, ConnectionParams]
) -> None:
    main, east = two_servers
    nghe_an, ha_tinh = admin(served, "nghe-an"), admin(served, "ha-tinh")

    # Each province's history and schema are on its own server; the platform only on the main one.
    schemas = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'p\\_%' OR nspname = 'platform' ORDER BY 1"
    assert tables(main, schemas) == ["p_nghe_an", "platform"]
    assert tables(east, schemas) == ["p_ha_tinh", "p_nghe_tinh"]

    # Writes and reads over HTTP, read-your-writes through each server's projection host.
    a = ok(
        nghe_an.mutate(
            "registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ Nghệ An", "effectiveOn": "2025-01-02"}
        )
    )
    h = ok(
        ha_tinh.mutate(
            "registerUnit",
            {"key": "so-tai-chinh", "name": "Sở Tài chính Hà Tĩnh", "effectiveOn": "2025-01-02"},
        )
    )
    ok(
        ha_tinh.mutate(
            "registerUnit", {"key": "so-y-te", "name": "Sở Y tế Hà Tĩnh", "effectiveOn": "2025-01-03"}
        )
    )
    assert units(nghe_an, a["position"]) == ["so-noi-vu"]
    assert units(ha_tinh, h["position"] + 1) == ["so-tai-chinh", "so-y-te"]
    events = "SELECT count(*) FROM {}.ledger_events"
    assert tables(main, events.format("p_nghe_an")) == [1]
    assert tables(east, events.format("p_ha_tinh")) == [2]

    # Isolation: another province is refused; each server's read models hold its own provinces
    # only, and row-level security on the second server shows the reader one province.
    assert nghe_an.error_code('{ units(province: "ha-tinh") { nodes { key } } }') == "FORBIDDEN"
    tracked = "SELECT DISTINCT province FROM readmodel.tracking ORDER BY 1"
    assert tables(main, tracked) == ["nghe-an"]
    assert set(tables(east, tracked)) <= {"ha-tinh", "nghe-tinh"}
    with psycopg.connect(east.psycopg_conninfo()) as conn, conn.transaction():
        conn.execute("SET LOCAL ROLE thidua_reader")
        conn.execute("SELECT set_config('thidua.province', 'nghe-an', true)")
        assert conn.execute("SELECT count(*) FROM readmodel.tracking").fetchone() == (0,)

    # Each ledger verifies where it lives; the heads differ by server and history.
    for code in ("nghe-an", "ha-tinh"):
        auditor = GraphQLClient(served, served.token(code, "auditor", user=f"thanh-tra-{code}"))
        ledger = auditor.data("{ ledger { checkpoint verify { ok eventsChecked } } }")["ledger"]
        assert ledger["verify"]["ok"] is True, (code, ledger)
    kept = GraphQLClient(served, served.token("nghe-an", "auditor")).data("{ ledger { checkpoint } }")

    # A merger across the servers: Nghệ An (main) and Hà Tĩnh (east) into Nghệ Tĩnh (east).
    operator = GraphQLClient(served, served.token(None, "platform_operator", user="van-hanh"))
    merger = {
        "into": "nghe-tinh",
        "predecessors": ["ha-tinh", "nghe-an"],
        "basis": "Nghị quyết 202/2025/QH15",
        "effectiveOn": "2025-07-01",
    }
    ok(operator.post(MERGE, {"input": merger})["data"]["mergeProvinces"])
    late = nghe_an.mutate("registerUnit", {"key": "so-moi", "name": "Sở mới", "effectiveOn": "2025-07-02"})
    assert [e["code"] for e in late["errors"]] == ["PROVINCE_MERGED"]  # the main server's guard
    late = ha_tinh.mutate("registerUnit", {"key": "so-moi", "name": "Sở mới", "effectiveOn": "2025-07-02"})
    assert [e["code"] for e in late["errors"]] == ["PROVINCE_MERGED"]  # the second server's guard
    successor = GraphQLClient(served, served.token("nghe-tinh", "auditor", user="thanh-tra-nt"))
    closed = successor.data(
        "query($kept: String) { province { predecessors { code head ledger { verify(against: $kept) "
        "{ ok } } } } }",
        {"kept": kept["ledger"]["checkpoint"]},
    )["province"]["predecessors"]
    assert [p["code"] for p in closed] == ["ha-tinh", "nghe-an"]
    assert closed[1]["ledger"]["verify"]["ok"] is True
    assert tables(main, "SELECT predecessor FROM platform.successions ORDER BY 1") == ["ha-tinh", "nghe-an"]

    # The auditor's command line reads the lineage on both servers.
    env = {"THIDUA_DATABASES": f"east={east.to_url()}"}
    lineage = thidua(main, "ledger", "verify", "--province", "nghe-tinh", "--with-predecessors", env=env)
    assert lineage.returncode == 0, lineage.stdout + lineage.stderr
    assert lineage.stdout.count(": ok, closed at ") == 2
    listed = thidua(main, "province", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[-1] for line in listed.stdout.splitlines()] == ["east", "main", "east"]


def test_a_province_moves_to_the_other_server_verified(
    served: ServedApp, two_servers: tuple[ConnectionParams, ConnectionParams], routed_settings: Settings
) -> None:
    main, east = two_servers
    env = {"THIDUA_DATABASES": f"east={east.to_url()}"}
    registry = ProvinceRegistry(main, servers=Servers.of(main, routed_settings.database.servers))
    try:
        registry.create_province("quang-tri", "Tỉnh Quảng Trị", created_by="op")
        stale = registry.app("quang-tri")  # as a process that opened it before the move
        for i in range(3):
            stale.register_unit(key=f"don-vi-{i}", name=f"Đơn vị {i}", by=BY)
        head = thidua(main, "ledger", "head", "--province", "quang-tri", env=env).stdout.strip()
        assert head.endswith("@3"), head

        moved = thidua(main, "province", "move", "quang-tri", "--to", "east", env=env)
        assert moved.returncode == 0, moved.stdout + moved.stderr
        assert moved.stdout.strip().endswith(f"3 events, head {head}")
        again = thidua(main, "province", "move", "quang-tri", "--to", "east", env=env)
        assert again.returncode == 2
        assert "PROVINCE_ALREADY_ON_SERVER" in again.stderr

        # The copy on the other server verifies to the same head; the old copy refuses writes.
        verified = thidua(main, "ledger", "verify", "--province", "quang-tri", "--against", head, env=env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        with pytest.raises(ProvinceMerged):
            stale.register_unit(key="muon", name="Ghi muộn", by=BY)
        assert tables(main, "SELECT count(*) FROM p_quang_tri.ledger_events") == [3]
    finally:
        registry.close()

    # A process started after the move reads and writes the province on its new server.
    after = ServedApp(routed_settings, main)
    after.start()
    try:
        client = admin(after, "quang-tri")
        assert units(client, 3) == ["don-vi-0", "don-vi-1", "don-vi-2"]
        done = ok(
            client.mutate(
                "registerUnit", {"key": "don-vi-3", "name": "Đơn vị 3", "effectiveOn": "2025-02-01"}
            )
        )
        assert done["position"] == 4
        assert tables(east, "SELECT count(*) FROM p_quang_tri.ledger_events") == [4]
        auditor = GraphQLClient(after, after.token("quang-tri", "auditor", user="thanh-tra-qt"))
        ledger = auditor.data("{ ledger { checkpoint verify { ok eventsChecked } } }")["ledger"]
        assert ledger["verify"] == {"ok": True, "eventsChecked": 4}
    finally:
        after.stop()
