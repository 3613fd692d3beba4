"""The services' commands of `thidua`: provinces, tokens, imports, database status (serving and the
schema are added by the composition root, `thidua.app.cli`)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from thidua.services.auth import Role, issue_token
from thidua.services.cli.common import database, fail, load_settings, registry
from thidua.services.cli.tokens import check_token_request
from thidua.services.errors import ApplicationError


@click.group()
@click.version_option(package_name="thidua", prog_name="thidua", message="%(prog)s %(version)s")
def cli() -> None:
    """Thi Đua Ledger: sổ cái thi đua – khen thưởng."""


@cli.group()
def province() -> None:
    """Provinces (tỉnh): the tenants of this instance."""


@province.command("create")
@click.argument("code")
@click.option("--name", required=True, help='Display name, e.g. "Tỉnh Nghệ An".')
@click.option("--by", "created_by", default="cli", help="Who creates it (platform operator).")
@click.option(
    "--server",
    default="main",
    show_default=True,
    help="The database server it lives on: main (DATABASE_URL) or a name from THIDUA_DATABASES.",
)
def province_create(code: str, name: str, created_by: str, server: str) -> None:
    """Create a province with its own event store, on the main database server or another one.

    A province stays on its server: moving one later is not a command yet (docs/scaling.md)."""
    settings = load_settings()
    with registry(settings) as reg:
        try:
            info = reg.create_province(code, name, created_by=created_by, server=server)
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(f"created {info.code} ({info.name}) in schema {info.schema_name} on server {info.server}")


@province.command("move")
@click.argument("code")
@click.option(
    "--to", "target", required=True, help="The server to move it to: main or a name from THIDUA_DATABASES."
)
def province_move(code: str, target: str) -> None:
    """Move a province's event store to another database server, verified (docs/scaling.md).

    Its writers wait while it is copied; the copy's head must be the original's, or nothing
    changes. Restart the API processes afterwards: each keeps a province's server once read."""
    from thidua.services.province_move import move_province

    settings = load_settings()
    with registry(settings) as reg:
        try:
            report = move_province(reg, code, target)
        except ApplicationError as exc:
            fail(exc)
            return
    done = "moved" if report.copied else "moved (the copy was already there)"
    click.echo(
        f"{done} {report.province} from {report.source} to {report.target}: "
        f"{report.events} events, head {report.head}"
    )


@province.command("list")
def province_list() -> None:
    """List the provinces."""
    settings = load_settings()
    with registry(settings) as reg:
        for info in reg.list_provinces():
            click.echo(
                f"{info.code}\t{info.name}\t{info.schema_name}\t{info.created_at:%Y-%m-%d}\t{info.server}"
            )


@cli.group()
def token() -> None:
    """Development tokens (HS256, signed with THIDUA_JWT_SECRET)."""


@token.command("issue")
@click.option("--province", "province_code", default=None, help="Province code (omit for operators).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role (services/auth.py Role); repeat for several.",
)
@click.option("--unit", default=None, help="The caller's unit key (unit clerks; block officers' record).")
@click.option(
    "--block",
    "blocks",
    multiple=True,
    help="A block a block officer acts for (the `blocks` claim); repeat for several. "
    "Without it, the blocks whose officer --unit is that year.",
)
@click.option("--user", default="dev", help="The subject (user name).")
@click.option("--ttl", default=8 * 3600, show_default=True, help="Lifetime in seconds.")
def token_issue(
    *,
    province_code: str | None,
    roles: tuple[str, ...],
    unit: str | None,
    blocks: tuple[str, ...],
    user: str,
    ttl: int,
) -> None:
    """Print a JWT for development."""
    settings = load_settings()
    if settings.auth.jwt_secret is None:
        raise click.ClickException("THIDUA_JWT_SECRET is not set; cannot sign a token.")
    try:
        check_token_request(province_code, roles, unit, ttl, settings.auth.max_lifetime_s)
        if province_code is not None:
            with registry(settings) as reg:
                reg.get(province_code)  # ProvinceNotFound: no token for a province nobody created
    except ApplicationError as exc:
        fail(exc)
        return
    click.echo(
        issue_token(
            settings.auth.jwt_secret,
            subject=user,
            province=province_code,
            roles=list(roles),
            unit=unit,
            blocks=list(blocks) or None,
            ttl_seconds=ttl,
            issuer=settings.auth.issuer,
            audience=settings.auth.audience,
        )
    )


@cli.group()
def db() -> None:
    """The database."""


@db.command("status")
def db_status() -> None:
    """Where the database is, its schema versions, and each province's history size and head."""
    import psycopg

    from thidua.services.migrations import MigrationStatus, platform_status
    from thidua.services.servers import Servers

    def describe(status: MigrationStatus) -> str:
        if status.version is None:
            found = "unversioned (made before migrations)"
        else:
            found = f"version {status.version}"
        state = "current" if status.current else f"pending: {', '.join(status.pending) or '-'}"
        if status.version is not None and status.version > status.latest:
            state = "NEWER than this release: run the newer release"
        return f"{found} of {status.latest}, {state}"

    settings = load_settings()
    with database(settings) as params, psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        click.echo(f"database: {params.describe()} (PostgreSQL {version[0] if version else '?'})")
        click.echo(f"embedded: {'no' if settings.database.url else 'yes'}")
        exists = conn.execute("SELECT to_regclass('platform.provinces')").fetchone()
        if not exists or exists[0] is None:
            click.echo("platform: not created yet (`thidua db migrate` creates it)")
            click.echo("provinces: none")
            return
        click.echo(f"platform: {describe(platform_status(conn))}")
        servers = Servers.of(params, settings.database.servers)
        for name, server in servers:
            click.echo(f"server {name}: {server.describe()}")
        located = conn.execute(
            "SELECT 1 FROM pg_attribute WHERE attrelid = 'platform.provinces'::regclass "
            "AND attname = 'server'"
        ).fetchone()
        column = "server" if located else "'main'"
        rows = conn.execute(
            f"SELECT code, schema_name, {column} FROM platform.provinces ORDER BY code"  # noqa: S608 - our constant
        ).fetchall()
        click.echo(f"provinces: {len(rows)}")
        for code, schema, server_name in rows:
            try:
                where = servers.params(server_name)
            except ApplicationError as exc:
                click.echo(f"  {code}: on server {server_name}: {exc.message_vi}")
                continue
            with psycopg.connect(where.psycopg_conninfo(), autocommit=True) as there:
                _province_status(there, code, schema, server_name, describe)


def _province_status(conn: Any, code: str, schema: str, server: str, describe: Callable[[Any], str]) -> None:
    from thidua.services.migrations import province_status

    store = conn.execute("SELECT to_regclass(format('%%I.ledger_events', %s::text))", (schema,)).fetchone()
    if store is None or store[0] is None:
        click.echo(f"  {code}: no event store yet (server {server})")
    else:
        count, head = conn.execute(
            f'SELECT count(*), coalesce(max(notification_id), 0) FROM "{schema}".ledger_events'  # noqa: S608 - schema from the registry
        ).fetchone() or (0, 0)
        click.echo(f"  {code}: {count} events, head position {head} (server {server})")
    click.echo(f"    schema {schema}: {describe(province_status(conn, schema))}")


@db.command("migrate")
def db_migrate() -> None:
    """Apply the pending schema migrations (platform, then every province, each on its database
    server) under the schema lock."""
    from thidua.services.registry import ProvinceRegistry
    from thidua.services.servers import Servers

    settings = load_settings()
    with database(settings) as params:
        servers = Servers.of(params, settings.database.servers)
        reg = ProvinceRegistry(params, pool_size=1, pool_overflow=1, servers=servers)
        try:
            applied = reg.migrate()
        except ApplicationError as exc:
            fail(exc)
            return
        finally:
            reg.close()
    if not applied:
        click.echo("database is current: nothing to apply")
    for schema, steps in applied.items():
        for step in steps:
            click.echo(f"{schema}: applied {step}")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_records(path: Path) -> None:
    """Import a records/1 file (e.g. deploy/demo/nghe-an.json) through the domain's commands."""
    from thidua.services.importer import import_records as run_import

    settings = load_settings()
    started = time.monotonic()
    with registry(settings) as reg:
        try:
            report = run_import(reg, path)
        except ApplicationError as exc:
            fail(exc)
            return
    summary = report.as_dict() if hasattr(report, "as_dict") else report
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    click.echo(f"imported {path} in {time.monotonic() - started:.1f}s", err=True)


from thidua.services.cli.ledger import (  # noqa: E402 - auditor commands, registered last
    export_command,
    import_history_command,
    ledger,
)

cli.add_command(ledger)
cli.add_command(export_command)
cli.add_command(import_history_command)

from thidua.services.cli.mergers import province_merge  # noqa: E402 - province mergers

province.add_command(province_merge)

from thidua.services.cli.projections import projections_group  # noqa: E402 - appended group

cli.add_command(projections_group)

from thidua.services.cli.ledger import replay_command  # noqa: E402 - history replay

cli.add_command(replay_command)

from thidua.services.cli.rules import rules_group  # noqa: E402 - operator-adopted rule values

cli.add_command(rules_group)

from thidua.services.cli.paperwork import register as register_paperwork  # noqa: E402 - paperwork

register_paperwork(cli)
