"""The `thidua` command line: the services' commands, plus serving and the GraphQL schema."""

from __future__ import annotations

import sys

import click

from thidua.services.cli.common import database, fail, load_settings
from thidua.services.cli.main import cli
from thidua.services.errors import ApplicationError
from thidua.services.serving import sigterm_as_interrupt

__all__ = ["cli"]


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default THIDUA_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default THIDUA_PORT or 8000).")
@click.option("--demo/--no-demo", default=None, help="Load the demo provinces when the database is empty.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    envvar="THIDUA_WORKERS",
    show_default=True,
    help="Server processes sharing the port (THIDUA_WORKERS); one per core uses them all.",
)
def serve(host: str | None, port: int | None, demo: bool | None, workers: int) -> None:
    """Serve GraphQL on HTTP; starts the embedded PostgreSQL unless DATABASE_URL is set."""
    import dataclasses

    from thidua.app.serving import serve as serve_with

    settings = load_settings()
    if demo is not None:
        settings = dataclasses.replace(settings, load_demo=demo)
    host, port = host or settings.http.host, port or settings.http.port
    # The embedded server is watched (restarted if it dies) and stopped on the way out, whatever
    # ends the serving: Ctrl-C, SIGTERM, an exception, a server process that failed to start.
    with sigterm_as_interrupt(), database(settings, supervise=True) as params:
        try:  # pending migrations are applied first; a database of a newer release is refused
            status = serve_with(settings, params, workers, host=host, port=port)
        except ApplicationError as exc:
            fail(exc)
            return
    sys.exit(status)


@cli.group("graphql")
def graphql_group() -> None:
    """The GraphQL schema."""


@graphql_group.command("export-schema")
def export_schema() -> None:
    """Print the SDL (graphql/schema.graphql is this output, kept in step by a test)."""
    from thidua.graphql.schema import schema

    click.echo(schema.as_str())
