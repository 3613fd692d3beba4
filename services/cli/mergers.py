"""`thidua province merge`: the platform operator merges provinces (Nghị quyết 202/2025/QH15).

    thidua province merge --into ninh-binh --from ha-nam --from nam-dinh \\
        --effective 2025-07-01 --basis "Nghị quyết 202/2025/QH15"

The successor may exist already or be created (`--name`). Exit 0 when merged, 2 when refused
(the error's code and Vietnamese message are printed; nothing is recorded).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import click

from thidua.domain.errors import DomainError
from thidua.domain.provenance import Actor, Provenance
from thidua.services.cli.common import fail, load_settings, registry
from thidua.services.errors import ApplicationError
from thidua.services.mergers import merge_provinces


@click.command("merge")
@click.option("--into", "into", required=True, help="The successor province's code.")
@click.option(
    "--from", "predecessors", multiple=True, required=True, help="A predecessor's code; repeat for several."
)
@click.option(
    "--effective", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Merger date, 2025-07-01."
)
@click.option("--basis", required=True, help='The deciding text, e.g. "Nghị quyết 202/2025/QH15".')
@click.option("--name", "into_name", default=None, help="The successor's name, when it is created.")
@click.option(
    "--server",
    "into_server",
    default="main",
    show_default=True,
    help="The database server of a successor created here (a name from THIDUA_DATABASES).",
)
@click.option("--by", "operator", default="cli", help="Who merges (platform operator).")
def province_merge(
    *,
    into: str,
    predecessors: tuple[str, ...],
    effective: datetime,
    basis: str,
    into_name: str | None,
    into_server: str,
    operator: str,
) -> None:
    """Merge provinces: close each predecessor's ledger, record its head in the successor's."""
    settings = load_settings()
    on: date = effective.date()
    by = Provenance(
        Actor(operator, "platform_operator", None),
        datetime.now(UTC),
        on,
        f"merge:{into}:{uuid.uuid4().hex[:12]}",
    )
    with registry(settings) as reg:
        try:
            report = merge_provinces(
                reg,
                into=into,
                predecessors=list(predecessors),
                effective_on=on,
                basis=basis,
                by=by,
                into_name=into_name,
                into_server=into_server,
            )
        except (ApplicationError, DomainError) as exc:
            fail(exc)
            return
    made = " (created)" if report.created else ""
    click.echo(f"merged into {report.successor.code}{made} from {on.isoformat()}:")
    for row in report.predecessors:
        click.echo(f"  {row.predecessor}\tclosed at {row.head}")
