"""Settings are validated at start with a message that names the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua.services.settings import DEV_JWT_SECRET, Settings, SettingsError

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "production.env.example"
RANDOM_SECRET = "q8Zr1vXk3NwT5yLb7PdC9fHj2sGm4AeU"
PRODUCTION = {"THIDUA_ENV": "production", "DATABASE_URL": "postgresql://thidua:pw@h/db"}


def example_values() -> dict[str, str]:
    """The settings of deploy/production.env.example, as an operator who copied it has them."""
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


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
    settings = Settings.from_env({**PRODUCTION, "THIDUA_JWT_SECRET": RANDOM_SECRET})
    assert not settings.http.graphiql


@pytest.mark.parametrize(
    ("secret", "needle"),
    [
        (DEV_JWT_SECRET, "development secret"),
        ("CHANGE-ME-to-a-long-random-string-of-at-least-32-chars", "placeholder"),
        ("s" * 32, "distinct characters"),
        ("abcd" * 10, "distinct characters"),
        ("short-but-random-9f3Kq", "32 characters"),
    ],
)
def test_production_refuses_a_known_placeholder_short_or_repetitive_secret(secret: str, needle: str) -> None:
    with pytest.raises(SettingsError, match=needle) as refused:
        Settings.from_env({**PRODUCTION, "THIDUA_JWT_SECRET": secret})
    assert "THIDUA_JWT_SECRET" in str(refused.value)


def test_the_production_example_copied_as_it_is_does_not_start() -> None:
    with pytest.raises(SettingsError, match="placeholder"):
        Settings.from_env(example_values())
    # With a real secret, its placeholder database password is refused too.
    with pytest.raises(SettingsError, match="PGPASSWORD"):
        Settings.from_env({**example_values(), "THIDUA_JWT_SECRET": RANDOM_SECRET})
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        Settings.from_env(
            {
                **PRODUCTION,
                "THIDUA_JWT_SECRET": RANDOM_SECRET,
                "DATABASE_URL": "postgresql://t:CHANGE-ME@h/db",
            }
        )
    filled = {**example_values(), "THIDUA_JWT_SECRET": RANDOM_SECRET, "PGPASSWORD": "a-real-one"}
    assert Settings.from_env(filled).auth.jwt_secret == RANDOM_SECRET


@pytest.mark.parametrize("env", ["development", "test", "production", None])
def test_with_a_jwks_the_development_secret_is_never_used(env: str | None) -> None:
    base = {"THIDUA_JWT_JWKS": "/etc/thidua/jwks.json", "DATABASE_URL": "postgresql://t:pw@h/db"}
    if env is not None:
        base["THIDUA_ENV"] = env
    assert Settings.from_env(base).auth.jwt_secret is None  # no default secret beside a JWKS
    with pytest.raises(SettingsError, match="THIDUA_JWT_SECRET"):
        Settings.from_env({**base, "THIDUA_JWT_SECRET": DEV_JWT_SECRET})


def test_the_token_lifetime_is_a_setting() -> None:
    assert Settings.from_env({}).auth.max_lifetime_s == 24 * 3600
    assert Settings.from_env({"THIDUA_JWT_MAX_LIFETIME": "3600"}).auth.max_lifetime_s == 3600
    with pytest.raises(SettingsError, match="THIDUA_JWT_MAX_LIFETIME"):
        Settings.from_env({"THIDUA_JWT_MAX_LIFETIME": "forever"})


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
