"""THIDUA_DATABASES: the other database servers, by name (services/servers.py)."""

from __future__ import annotations

import pytest

from thidua.services.database import ConnectionParams
from thidua.services.errors import UnknownDatabaseServer
from thidua.services.servers import MAIN_SERVER, Servers, parse_servers
from thidua.services.settings import Settings, SettingsError


def test_servers_are_name_url_pairs_separated_by_spaces_commas_or_lines() -> None:
    text = "bac=postgresql://u@db-bac:5432/thidua,\n nam=postgres://u:p%40ss@db-nam/thidua"
    assert parse_servers(text) == {
        "bac": "postgresql://u@db-bac:5432/thidua",
        "nam": "postgres://u:p%40ss@db-nam/thidua",
    }
    assert parse_servers("") == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("main=postgresql://h/db", "«main»"),
        ("bac=postgresql://a/db bac=postgresql://b/db", "named twice"),
        ("bac=mysql://h/db", "postgresql://"),
        ("postgresql://h/db", "name=postgresql"),
        ("Bắc=postgresql://h/db", "name=postgresql"),
    ],
)
def test_a_malformed_list_is_refused_with_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_servers(text)
    with pytest.raises(SettingsError, match="THIDUA_DATABASES"):
        Settings.from_env({"THIDUA_ENV": "test", "THIDUA_DATABASES": text})


def test_the_registry_names_a_server_the_configuration_gives_the_address_of() -> None:
    main = ConnectionParams.from_url("postgresql://thidua@db-main:5432/thidua")
    servers = Servers.of(main, {"bac": "postgresql://thidua:secret@db-bac:6432/thidua"})
    assert servers.names() == [MAIN_SERVER, "bac"]
    assert servers.params(MAIN_SERVER) == main
    assert (servers.params("bac").host, servers.params("bac").port) == ("db-bac", 6432)
    with pytest.raises(UnknownDatabaseServer) as refused:
        servers.params("nam")
    assert refused.value.code == "UNKNOWN_DATABASE_SERVER"
    assert "main, bac" in refused.value.message_vi
