"""Auditor commands (kiểm toán, thanh tra): ledger head and verify, export, import, replay.

    thidua ledger head --province nghe-an                 -> HASH@POSITION (keep it elsewhere)
    thidua ledger verify --province nghe-an [--against HASH@POSITION] [--files] [--with-predecessors]
    thidua export --province nghe-an [--until 2025-12-31] > history.ndjson
    thidua import-history history.ndjson [--province nghe-an]
    thidua replay --province nghe-an --until 2025-12-31

`ledger verify` exits 0 when the chain is intact (and the checkpoint matches), 1 when it is not,
2 on a usage or application error. Long walks show a progress bar on a terminal.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from thidua.domain.errors import DomainError
from thidua.services.attachments.verify import FileReport, verify_files
from thidua.services.cli.common import fail, load_settings, registry
from thidua.services.errors import ApplicationError
from thidua.services.history_export import export_history, parse_instant
from thidua.services.history_import import import_history
from thidua.services.ledger import (
    Checkpoint,
    LedgerHead,
    VerifyReport,
    ledger_head,
    verify_ledger,
)
from thidua.services.lineage_verify import LineageLink, verify_lineage
from thidua.services.mergers import Succession, lineage
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import routed_pool

T = TypeVar("T")
Tick = Callable[[int, int], None]


@contextmanager
def progress_bars(*descriptions: str) -> Iterator[list[Tick | None]]:
    """One rich progress bar per step, on stderr when it is a terminal; Nones (logs only) if not."""
    if not sys.stderr.isatty():
        yield [None for _ in descriptions]
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )

    def ticker(description: str) -> Tick:
        task = bar.add_task(description, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        return tick

    with bar:
        yield [ticker(d) for d in descriptions]


def run_with_pool(reg: ProvinceRegistry, work: Callable[[asyncpg.Pool], Awaitable[T]]) -> T:
    """Run one async job against a small asyncpg pool on the registry's database (which reads
    each province on its own server)."""

    async def main() -> T:
        pool = await routed_pool(reg.servers, min_size=1, max_size=2)
        try:
            return await work(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def _province_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--province", "province", required=True, help="Province code, e.g. nghe-an.")


@click.group()
def ledger() -> None:
    """The tamper-evident ledger (sổ cái) of a province: head and verification."""


def _targets(reg: ProvinceRegistry, province: str | None, every: bool) -> list[str]:
    """The provinces a ledger command works on: --province CODE, or --all of them."""
    if (province is None) == (not every):
        raise click.UsageError("name one province with --province CODE, or use --all")
    return [p.code for p in reg.list_provinces()] if every else [str(province)]


_all_option = click.option("--all", "every", is_flag=True, help="Every province of this instance.")
_optional_province = click.option("--province", default=None, help="Province code, e.g. nghe-an.")


@ledger.command("head")
@_optional_province
@_all_option
def ledger_head_command(province: str | None, every: bool) -> None:
    """Print the head as HASH@POSITION: a checkpoint to keep outside this system.

    With --all, one line per province: CODE HASH@POSITION.
    """
    settings = load_settings()
    with registry(settings) as reg:
        codes = _targets(reg, province, every)
        try:
            heads = run_with_pool(reg, lambda pool: _heads(pool, codes))
        except ApplicationError as exc:
            fail(exc)
            return
    for head in heads:
        click.echo(f"{head.province}\t{head.checkpoint}" if every else head.checkpoint)


async def _heads(pool: asyncpg.Pool, codes: list[str]) -> list[LedgerHead]:
    return [await ledger_head(pool, code) for code in codes]


@ledger.command("verify")
@_optional_province
@_all_option
@click.option("--against", default=None, metavar="HASH@POSITION", help="A checkpoint kept earlier.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "--files", "with_files", is_flag=True, help="Also check every stored file against its hash and events."
)
@click.option(
    "--with-predecessors",
    "with_predecessors",
    is_flag=True,
    help="Also verify every predecessor merged into the province (its chain up to the head the merger "
    "recorded, and that head as the successor's ledger and the registry record it).",
)
def ledger_verify_command(
    *,
    province: str | None,
    every: bool,
    against: str | None,
    as_json: bool,
    with_files: bool,
    with_predecessors: bool,
) -> None:
    """Recompute the chain; exit 1 and name the first bad position if history was altered.

    With --files, also recompute the SHA-256 of every stored file (dossier attachments) and check
    that every file an event refers to is stored with the size and type the event recorded.
    With --with-predecessors, verify the province's whole lineage (sáp nhập tỉnh)."""
    settings = load_settings()
    with registry(settings) as reg:
        codes = _targets(reg, province, every)
        if against is not None and every:
            raise click.UsageError("--against checks one province's checkpoint: use --province")
        if with_predecessors and every:
            raise click.UsageError("--with-predecessors verifies one province's lineage: use --province")
        try:
            checkpoint = Checkpoint.parse(against) if against is not None else None
            with progress_bars(*(f"verifying {code}" for code in codes)) as ticks:
                reports = run_with_pool(reg, lambda pool: _verify(pool, codes, checkpoint, ticks))
            files: list[FileReport] = []
            if with_files:
                with progress_bars(*(f"files of {code}" for code in codes)) as ticks:
                    files = run_with_pool(reg, lambda pool: _verify_files(pool, codes, ticks))
            links = _verify_predecessors(reg, codes[0]) if with_predecessors else []
        except (ApplicationError, DomainError) as exc:
            fail(exc)
            return
    if as_json:
        data = [asdict(r) | {"ok": r.ok, "first_bad_position": r.first_bad_position} for r in reports]
        for entry, checked in zip(data, files, strict=False):
            entry["files"] = asdict(checked) | {"ok": checked.ok}
        if with_predecessors:
            data[0]["predecessors"] = [
                asdict(link) | {"ok": link.ok, "report": asdict(link.report) | {"ok": link.report.ok}}
                for link in links
            ]
        click.echo(json.dumps(data if every else data[0], ensure_ascii=False, indent=2, default=str))
    else:
        for report in reports:
            _print_report(report, prefix=f"{report.province}: " if every else "")
        for checked in files:
            _print_files(checked, prefix=f"{checked.province}: " if every else "")
        for link in links:
            _print_link(link)
    ok = all(r.ok for r in reports) and all(f.ok for f in files) and all(link.ok for link in links)
    sys.exit(0 if ok else 1)


def _print_link(link: LineageLink) -> None:
    click.echo(link.summary())
    for problem in link.problems:
        click.echo(f"  {problem}")
    for found in link.report.breaks:
        click.echo(f"  broken link at position {found.position}: {found.reason}")
    if link.report.against_ok is False:
        click.echo(f"  {link.report.against_detail}")


def _verify_predecessors(reg: ProvinceRegistry, code: str) -> list[LineageLink]:
    """The lineage of `code` (registry), each successor's recorded heads (its own ledger), verified."""
    links, _ = lineage(reg, code)
    recorded: dict[tuple[str, str], str] = {}
    for successor in {link.successor for link in links}:
        joined = reg.app(successor).get_lineage()["predecessors"]
        for predecessor, facts in joined.items():
            recorded[successor, predecessor] = f"{facts['head_hash']}@{facts['head_position']}"
    with progress_bars(*(f"verifying {link.predecessor}" for link in links)) as ticks:
        return run_with_pool(reg, lambda pool: _verify_links(pool, links, recorded, ticks))


async def _verify_links(
    pool: asyncpg.Pool,
    links: list[Succession],
    recorded: dict[tuple[str, str], str],
    ticks: list[Tick | None],
) -> list[LineageLink]:
    found: list[LineageLink] = []
    for link, tick in zip(links, ticks, strict=True):
        found.extend(await verify_lineage(pool, [link], recorded, tick))
    return found


async def _verify_files(pool: asyncpg.Pool, codes: list[str], ticks: list[Tick | None]) -> list[FileReport]:
    return [await verify_files(pool, code, tick) for code, tick in zip(codes, ticks, strict=True)]


def _print_files(report: FileReport, prefix: str) -> None:
    click.echo(prefix + report.summary())
    for problem in report.problems:
        where = f" (event at position {problem.position})" if problem.position is not None else ""
        click.echo(f"  file {problem.sha256}: {problem.reason}{where}")
    if report.problem_count > len(report.problems):
        click.echo(f"  ... and {report.problem_count - len(report.problems)} more")


async def _verify(
    pool: asyncpg.Pool, codes: list[str], checkpoint: Checkpoint | None, ticks: list[Tick | None]
) -> list[VerifyReport]:
    return [
        await verify_ledger(pool, code, checkpoint, tick) for code, tick in zip(codes, ticks, strict=True)
    ]


def _print_report(report: VerifyReport, prefix: str) -> None:
    click.echo(prefix + report.summary())
    for found in report.breaks:
        click.echo(
            f"  broken link at position {found.position} "
            f"(checked after position {found.previous_position}): {found.reason}"
        )
    if report.break_count > len(report.breaks):
        click.echo(f"  ... and {report.break_count - len(report.breaks)} more")
    click.echo(f"{prefix}checked {report.events_checked} events in {report.seconds:.2f}s", err=True)


@click.command("export")
@_province_option()
@click.option("--until", default=None, metavar="INSTANT", help="2025-12-31 or ISO date-time.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(province: str, until: str | None, output: Path | None) -> None:
    """Write the province's history as self-describing JSON lines (thidua.history/1)."""
    settings = load_settings()
    with registry(settings) as reg:
        try:
            instant = parse_instant(until) if until is not None else None
            with (
                output.open("wb") if output is not None else _stdout() as out,
                progress_bars(f"exporting {province}") as (tick,),
            ):
                summary = run_with_pool(
                    reg, lambda pool: export_history(pool, province, out, until=instant, progress=tick)
                )
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(
        f"exported {summary.events} events, head {summary.head_hash}@{summary.head_position} "
        f"in {summary.seconds:.1f}s",
        err=True,
    )
    if not summary.chain_ok:
        click.echo(
            f"warning: the ledger is broken at position {summary.first_bad_position}; "
            "this export will be refused on import (run `thidua ledger verify`).",
            err=True,
        )
        sys.exit(1)


@contextmanager
def _stdout() -> Iterator[Any]:
    yield sys.stdout.buffer
    sys.stdout.buffer.flush()


@click.command("import-history")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", default=None, help="Check the file is this province's history.")
def import_history_command(path: Path, province: str | None) -> None:
    """Import an export (thidua export) into an empty province; the head must come out the same."""
    settings = load_settings()
    with registry(settings) as reg:
        try:
            with progress_bars("checking file (bytes)", "writing events") as (checking, tick):
                summary = import_history(reg, path, province=province, checking=checking, progress=tick)
        except ApplicationError as exc:
            fail(exc)
            return
    click.echo(
        f"imported {summary.events} events into {summary.province}, head "
        f"{summary.head_hash}@{summary.head_position} in {summary.seconds:.1f}s"
    )


@click.command("replay")
@_province_option()
@click.option("--until", default=None, metavar="INSTANT", help="2025-12-31 or ISO date-time.")
@click.option("--year", type=int, default=None, help="Only the blocks of this emulation year.")
@click.option("--explain", is_flag=True, help="Under each unit, the events behind its figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the standings as JSON.")
def replay_command(province: str, until: str | None, year: int | None, explain: bool, as_json: bool) -> None:
    """Print each block's standings as they were at INSTANT, checked against the ledger itself.

    The standings are the read model's "as of" answer; every unit's total, rank and band are
    also replayed from the verified event store, and any difference is printed (exit status 1).
    """
    from thidua.services.cli.replay_output import print_replay, read_model_standings
    from thidua.services.history_replay import replay_standings

    settings = load_settings()
    with registry(settings) as reg:
        try:
            instant = parse_instant(until) if until is not None else None
            replay = replay_standings(reg, province, instant, year=year)
            read = run_with_pool(reg, lambda pool: read_model_standings(pool, replay))
        except ApplicationError as exc:
            fail(exc)
            return
    ok = print_replay(replay, read, explain=explain, as_json=as_json)
    sys.exit(0 if ok else 1)
