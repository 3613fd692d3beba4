"""Settings are validated at start with a message that names the variable."""

from __future__ import annotations

import pytest

from thidua.services.settings import DEV_JWT_SECRET, Settings, SettingsError


def test_development_defaults_use_the_embedded_database_and_a_dev_secret() -> None:
    settings = Settings.from_env({})
    assert settings.database.embedded
    assert settings.auth.jwt_secret == DEV_JWT_SECRET
    assert settings.http.graphiql


def test_production_requires_a_database_url() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        Settings.from_env({"THIDUA_ENV": "production", "THIDUA_JWT_SECRET": "x" * 40})


def test_production_refuses_to_run_without_a_key_and_never_uses_the_dev_secret() -> None:
    with pytest.raises(SettingsError, match="THIDUA_JWT_SECRET"):
        Settings.from_env({"THIDUA_ENV": "production", "DATABASE_URL": "postgresql://h/db"})


def test_production_turns_graphiql_off_by_default() -> None:
    settings = Settings.from_env(
        {"THIDUA_ENV": "production", "DATABASE_URL": "postgresql://h/db", "THIDUA_JWT_SECRET": "s" * 32}
    )
    assert not settings.http.graphiql


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"THIDUA_PORT": "eighty"}, "THIDUA_PORT"),
        ({"THIDUA_PORT": "70000"}, "THIDUA_PORT"),
        ({"THIDUA_ENV": "staging"}, "THIDUA_ENV"),
        ({"THIDUA_JWT_SECRET": "short"}, "32 characters"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"THIDUA_RUN_PROJECTIONS": "perhaps"}, "THIDUA_RUN_PROJECTIONS"),
        ({"THIDUA_MAX_ATTACHMENT_BYTES": "12"}, "THIDUA_MAX_ATTACHMENT_BYTES"),
        ({"THIDUA_MAX_ATTACHMENT_BYTES": "20MB"}, "THIDUA_MAX_ATTACHMENT_BYTES"),
    ],
)
def test_malformed_values_are_refused_with_the_variable_named(env: dict[str, str], needle: str) -> None:
    with pytest.raises(SettingsError, match=needle):
        Settings.from_env(env)
