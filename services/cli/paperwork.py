"""Paperwork commands: Excel lists in and out, the statistical forms, documents and certificates.

    thidua import-excel --template staff --output mau-can-bo.xlsx
    thidua import-excel can-bo.xlsx --province nghe-an --kind staff [--dry-run]
    thidua export-excel awards-register --province nghe-an [--year 2025] --output so-khen-thuong.xlsx
    thidua export-excel awards-register --province ninh-binh --include-predecessors --output so.xlsx
    thidua report 0602 --province nghe-an --year 2025 [--include-predecessors] --output bieu-0602.xlsx
    thidua document quyet-dinh --province nghe-an --year 2025 --award ... --output qd.docx

`import-excel` exits 0 when every row was recorded (or would be, with --dry-run), 1 when rows
are bad (each printed with its row, column and message; nothing recorded), 2 when the file or
the command is refused as a whole.

`--include-predecessors` (export-excel awards-register and award-history, report) reads the
provinces merged into `--province` as well, as the HTTP routes' `includePredecessors` does: only
that province's lineage, from the platform's registry.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

import asyncpg
import click

from thidua.services.cli.common import fail, load_settings, registry
from thidua.services.cli.ledger import progress_bars
from thidua.services.errors import ApplicationError
from thidua.services.registry import ProvinceRegistry

T = TypeVar("T")

IMPORT_KINDS = ["units", "staff", "block-members", "proposal-recipients", "decisions"]
EXPORT_KINDS = ["standings", "awards-register", "rating-sheets", "dossier", "award-history"]
FORMS = ["0601", "0602", "0603", "0604", "0605"]


CATCH_UP_S = 600.0


def with_pool(
    reg: ProvinceRegistry,
    province: str,
    work: Callable[[asyncpg.Pool], Awaitable[T]],
    *,
    also: Sequence[str] = (),
) -> T:
    """Run `work` on a read pool once the read models of the province (and of the provinces
    `also` read, its predecessors) show everything recorded before the command started: the
    projections catch up here unless a worker already does (it then owns them, and this waits
    for it). Provinces on several database servers are read each on its own (a routed pool)."""
    from thidua.services.projection_host import ProjectionHost
    from thidua.services.servers import routed_pool

    provinces = list(dict.fromkeys([province, *also]))
    server_of = {code: reg.get(code).server for code in provinces}

    async def main() -> T:
        hosts: dict[str, ProjectionHost] = {}
        try:
            for server in dict.fromkeys(server_of.values()):  # the host of each database server read
                hosts[server] = ProjectionHost(
                    reg.servers.params(server), reg, poll_s=0.2, claim_s=0.5, server=server
                )
                await hosts[server].start()
            for code in provinces:
                host = hosts[server_of[code]]
                head = max((s.head for s in await host.status([code])), default=0)
                await host.wait_for(code, head, timeout_s=CATCH_UP_S)
            if len(hosts) == 1:
                return await work(hosts[server_of[province]].pool)
            pool = await routed_pool(reg.servers, min_size=1, max_size=2)
            try:
                return await work(pool)
            finally:
                await pool.close()
        finally:
            for host in hosts.values():
                await host.stop()

    return asyncio.run(main())


def predecessors_of(reg: ProvinceRegistry, province: str) -> list[tuple[str, str]]:
    """The provinces merged into `province` (and theirs further back, nearest first), with names."""
    from thidua.services.mergers import lineage

    before, _ = lineage(reg, province)
    return [(row.predecessor, row.predecessor_name) for row in before]


@click.command("import-excel")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", default=None, help="Province code.")
@click.option("--kind", type=click.Choice(IMPORT_KINDS), default=None, help="What the list holds.")
@click.option("--dry-run", is_flag=True, help="Check every row against the ledger; record nothing.")
@click.option("--template", type=click.Choice(IMPORT_KINDS), default=None, help="Write this kind's template.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Template file."
)
def import_excel_command(
    path: Path | None,
    *,
    province: str | None,
    kind: str | None,
    dry_run: bool,
    template: str | None,
    output: Path | None,
) -> None:
    """Nhập danh sách từ Excel: every row through the domain's commands, all rows or none."""
    if template is not None:
        from thidua.services.paperwork.excel_in.template import write_template

        if output is None:
            raise click.UsageError("--template needs --output FILE.")
        write_template(template, output)
        click.echo(f"template {template}: {output}", err=True)
        return
    if path is None or province is None or kind is None:
        raise click.UsageError("give FILE, --province and --kind (or --template KIND --output FILE).")
    from thidua.domain.provenance import Actor
    from thidua.services.paperwork.excel_in.run import import_excel

    settings = load_settings()
    with registry(settings) as reg:
        try:
            app = reg.app(province)
            with progress_bars("checking rows", "recording rows") as (checking, recording):
                report = import_excel(
                    app,
                    path,
                    kind=kind,
                    actor=Actor(user="import-excel", role="province_admin", unit=None),
                    dry_run=dry_run,
                    checking=checking,
                    recording=recording,
                )
        except ApplicationError as exc:
            fail(exc)
            return
    for error in report.errors:
        click.echo(error.line(), err=True)
    summary = {k: v for k, v in report.as_dict().items() if k != "errors"}
    summary["errors"] = len(report.errors)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    if report.errors:
        sys.exit(1)


@click.command("export-excel")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option("--province", required=True, help="Province code.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None)
@click.option("--block", default=None, help="Block key (standings).")
@click.option("--unit", default=None, help="Unit key (rating-sheets).")
@click.option("--proposal", default=None, help="Proposal key (dossier).")
@click.option("--proposer", default=None, help="Proposing unit or block (dossier, with --year).")
@click.option("--search", default=None, help="A name, with or without diacritics (award-history).")
@click.option("--award", default=None, help="An award code (award-history).")
@click.option(
    "--include-predecessors",
    is_flag=True,
    help="Also the provinces merged into this one, each row naming its province "
    "(awards-register, award-history).",
)
def export_excel_command(
    kind: str,
    *,
    province: str,
    output: Path,
    year: int | None,
    block: str | None,
    unit: str | None,
    proposal: str | None,
    proposer: str | None,
    search: str | None,
    award: str | None,
    include_predecessors: bool,
) -> None:
    """Xuất Excel: standings, the awards register, rating sheets, a dossier's recipients, the
    look-up's results (award-history)."""
    from thidua.services.paperwork.errors import PredecessorsNotRead
    from thidua.services.paperwork.excel_out.sheets import EXPORTS, ExportRequest

    settings = load_settings()
    with registry(settings) as reg:
        try:
            info = reg.get(province)
            if include_predecessors and not EXPORTS[kind].lineage:
                raise PredecessorsNotRead(
                    f"Bản xuất «{kind}» không đọc các tỉnh trước sáp nhập; chỉ: "
                    f"{', '.join(k for k, e in EXPORTS.items() if e.lineage)}.",
                    kind=kind,
                )
            before = tuple(predecessors_of(reg, province)) if include_predecessors else ()
            request = ExportRequest(
                province, info.name, year, block, unit, proposal, proposer, search, award, predecessors=before
            )
            with progress_bars(f"exporting {kind}") as (tick,):
                rows = with_pool(
                    reg,
                    province,
                    lambda pool: EXPORTS[kind].writer(pool, request, output, tick),
                    also=[code for code, _ in before],
                )
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(f"{kind}: {rows} rows -> {output}", err=True)


@click.command("report")
@click.argument("form", type=click.Choice(FORMS))
@click.option("--province", required=True, help="Province code.")
@click.option("--year", required=True, type=int)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-predecessors",
    is_flag=True,
    help="The year's figures of the provinces merged into this one as well.",
)
def report_command(form: str, province: str, year: int, output: Path, include_predecessors: bool) -> None:
    """Biểu mẫu thống kê (Thông tư 02/2023/TT-BNV): Mẫu 0601–0605 for a province and a year."""
    from thidua.services.paperwork.forms.report import write_report

    settings = load_settings()
    with registry(settings) as reg:
        try:
            info = reg.get(province)
            before = [code for code, _ in predecessors_of(reg, province)] if include_predecessors else []
            built = with_pool(
                reg,
                province,
                lambda pool: write_report(
                    pool, province, info.name, form, year=year, out=output, predecessors=before
                ),
                also=before,
            )
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(f"{built.symbol} ({built.title}), {year}: {output}", err=True)


@click.group("document")
def document_group() -> None:
    """Văn bản: drafts of the submission and decision (DOCX), certificates (PDF), templates."""


def _draft(
    document: str, *, province: str, output: Path, year: int | None, award: str | None, decision: str | None
) -> None:
    from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

    settings = load_settings()
    with registry(settings) as reg:
        try:
            info = reg.get(province)
            request = DraftRequest(
                province, info.name, year, award, decision, settings.paperwork.templates_dir
            )
            values = with_pool(reg, province, lambda pool: write_draft(pool, request, document, output))
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(
        f"{document}: {values['unit_count']} tập thể, {values['person_count']} cá nhân -> {output}", err=True
    )


_year = click.option("--year", type=int, default=None, help="Year of the proposals.")
_award = click.option("--award", default=None, help="Award code, e.g. bang_khen_chu_tich_ubnd_tinh.")
_output = click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
_province = click.option("--province", required=True, help="Province code.")


@document_group.command("to-trinh")
@_province
@_year
@_award
@_output
def submission_command(province: str, year: int | None, award: str | None, output: Path) -> None:
    """Dự thảo tờ trình for the open proposals of a year and an award."""
    _draft("to-trinh", province=province, output=output, year=year, award=award, decision=None)


@document_group.command("quyet-dinh")
@_province
@_year
@_award
@click.option("--decision", default=None, help="A recorded decision's number (instead of --year/--award).")
@_output
def decision_command(
    province: str, year: int | None, award: str | None, decision: str | None, output: Path
) -> None:
    """Dự thảo quyết định with its annexed list (open proposals, or a recorded decision)."""
    _draft("quyet-dinh", province=province, output=output, year=year, award=award, decision=decision)


@document_group.command("certificates")
@_province
@click.option("--decision", required=True, help="The decision's number.")
@_output
def certificates_command(province: str, decision: str, output: Path) -> None:
    """In Bằng khen / Giấy khen: one PDF page per recipient of the decision."""
    from thidua.services.paperwork.documents.certificates import CertificateRequest, write_certificates

    settings = load_settings()
    with registry(settings) as reg:
        try:
            info = reg.get(province)
            request = CertificateRequest(
                province, info.name, decision, settings.paperwork.font_dir, settings.paperwork.templates_dir
            )
            pages = with_pool(reg, province, lambda pool: write_certificates(pool, request, output))
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(f"{pages} pages -> {output}", err=True)


@document_group.command("templates")
@click.option("--output", required=True, type=click.Path(file_okay=False, path_type=Path))
def templates_command(output: Path) -> None:
    """Write the default templates to start a province's own (THIDUA_TEMPLATES_DIR/<province>/)."""
    from thidua.services.paperwork.documents.store import copy_defaults

    for path in copy_defaults(output):
        click.echo(str(path))


def register(cli: click.Group) -> None:
    for command in (import_excel_command, export_excel_command, report_command, document_group):
        cli.add_command(command)
