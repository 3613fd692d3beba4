"""The operators' settings: CORS origins, who may read /metrics, tracing."""

from __future__ import annotations

import pytest

from thidua.services.settings import Settings, SettingsError

PRODUCTION = {
    "THIDUA_ENV": "production",
    "DATABASE_URL": "postgresql://thidua:pw@db:5432/thidua",
    "THIDUA_JWT_SECRET": "q8Zr1vXk3NwT5yLb7PdC9fHj2sGm4AeU-x",  # random-looking, as production needs
}


def test_cors_is_off_unless_origins_are_listed() -> None:
    assert Settings.from_env({}).ops.cors_origins == ()
    listed = Settings.from_env(
        {"THIDUA_CORS_ORIGINS": " https://thidua.example.gov.vn/ ,http://localhost:5173"}
    )
    assert listed.ops.cors_origins == ("https://thidua.example.gov.vn", "http://localhost:5173")


@pytest.mark.parametrize("origin", ["thidua.example.gov.vn", "https://a.vn/app", "ftp://a.vn", "https://"])
def test_an_origin_that_is_not_scheme_host_port_is_refused_naming_the_variable(origin: str) -> None:
    with pytest.raises(SettingsError, match="THIDUA_CORS_ORIGINS"):
        Settings.from_env({"THIDUA_CORS_ORIGINS": origin})


def test_metrics_are_open_in_development_and_off_in_production_without_a_token() -> None:
    assert Settings.from_env({}).ops.metrics is True
    assert Settings.from_env(PRODUCTION).ops.metrics is False
    tokened = Settings.from_env({**PRODUCTION, "THIDUA_METRICS_TOKEN": "t" * 32}).ops
    assert (tokened.metrics, tokened.metrics_token) == (True, "t" * 32)
    # Behind a private network an operator may open it on purpose.
    assert Settings.from_env({**PRODUCTION, "THIDUA_METRICS": "true"}).ops.metrics is True


def test_a_short_metrics_token_is_refused() -> None:
    with pytest.raises(SettingsError, match="THIDUA_METRICS_TOKEN"):
        Settings.from_env({"THIDUA_METRICS_TOKEN": "short"})


def test_tracing_is_off_by_default_and_on_when_asked() -> None:
    assert Settings.from_env({}).ops.tracing is False
    assert Settings.from_env({"THIDUA_OTEL": "true"}).ops.tracing is True
