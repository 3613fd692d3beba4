"""What every CLI command shares: settings, logging, and a database for the command's lifetime."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from thidua.domain.errors import DomainError
from thidua.services.database import ConnectionParams, resolve_database
from thidua.services.errors import ApplicationError
from thidua.services.logging import configure_logging
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import Servers
from thidua.services.settings import Settings, SettingsError


def load_settings() -> Settings:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(f"configuration: {exc}") from None
    configure_logging(settings.log_format, settings.log_level)
    return settings


@contextmanager
def database(settings: Settings, *, supervise: bool = False) -> Iterator[ConnectionParams]:
    """The configured database; an embedded server started here is stopped on exit (and with
    `supervise`, started again whenever it dies meanwhile)."""
    params, embedded = resolve_database(
        settings.database.url, settings.database.data_dir, supervise=supervise
    )
    try:
        yield params
    finally:
        if embedded is not None:
            embedded.stop()


@contextmanager
def registry(settings: Settings) -> Iterator[ProvinceRegistry]:
    with database(settings) as params:
        reg = ProvinceRegistry(
            params,
            pool_size=settings.database.province_pool_size,
            pool_overflow=settings.database.province_pool_overflow,
            servers=Servers.of(params, settings.database.servers),
        )
        try:
            reg.ensure_platform_schema()  # its pending migrations; a newer release's is refused
        except ApplicationError as exc:
            fail(exc)
        try:
            yield reg
        finally:
            reg.close()


def fail(exc: ApplicationError | DomainError) -> None:
    """Print an application error as a clerk reads it, with its code, and exit non-zero."""
    click.echo(f"lỗi [{exc.code}]: {exc.message_vi}", err=True)
    sys.exit(2)
