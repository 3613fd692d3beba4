"""What `thidua replay` prints: the read model's standings as of an instant, checked against the
standings replayed from the ledger (`services.history_replay`), unit by unit.

When the read model is missing or has not yet reached the instant's position, the ledger's own
replay is printed alone, with a note saying why.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import click

from thidua.projections.catalogue import all_projections
from thidua.projections.routing import pool_for
from thidua.projections.standings.queries import get_standings
from thidua.projections.status import projection_status
from thidua.services.history_replay import Replay, disagreements

ReadModel = dict[tuple[str, int], Any]


async def read_model_standings(pool: asyncpg.Pool, replay: Replay) -> ReadModel | str:
    """The read model's standings of each replayed block-year, or why they cannot be used."""
    try:
        async with (await pool_for(pool, replay.province)).acquire() as conn:
            statuses = await projection_status(conn, [replay.province], all_projections())
    except asyncpg.UndefinedTableError:
        return "the read models have not been built on this database"
    behind = [s for s in statuses if s.position < replay.position]
    if behind:
        slowest = min(behind, key=lambda s: s.position)
        return (
            f"read model «{slowest.projection}» is at position {slowest.position}, "
            f"the instant needs {replay.position}"
        )
    found: ReadModel = {}
    for block in replay.blocks:
        found[(block.block, block.year)] = await get_standings(
            pool, replay.province, block.block, block.year, as_of=replay.until
        )
    return found


def print_replay(replay: Replay, read: ReadModel | str, *, explain: bool, as_json: bool) -> bool:
    """Print the standings; False when the read model and the ledger disagree."""
    problems: list[str] = []
    if not isinstance(read, str):
        for block in replay.blocks:
            problems += disagreements(block, read.get((block.block, block.year)))
    if as_json:
        data = replay.as_dict() | {
            "read_model": "unavailable: " + read if isinstance(read, str) else "checked",
            "disagreements": problems,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return not problems
    moment = replay.until.isoformat() if replay.until else "now"
    click.echo(f"{replay.province}: block standings as of {moment} (ledger position {replay.position})")
    if isinstance(read, str):
        click.echo(f"  (replayed from the ledger only: {read})")
    if not replay.blocks:
        click.echo("  no block had scores recorded by then")
    for block in replay.blocks:
        names = _names(read, block.block, block.year)
        click.echo(f"\n{block.block} ({block.year})")
        for u in block.units:
            label = f"{u.unit} {names[u.unit]}" if u.unit in names else u.unit
            click.echo(f"  {u.rank:>3}  {label:<44} {u.total:>7g}  {u.band_vi or '-'}")
            if explain:
                for cause in u.causes:
                    click.echo(
                        f"         @{cause.position:<8} {cause.recorded_at:%Y-%m-%d %H:%M}"
                        f"  {cause.actor or '-'}: {cause.detail}"
                    )
    if problems:
        click.echo("\nTHE READ MODEL DISAGREES WITH THE LEDGER:", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
    elif not isinstance(read, str):
        click.echo("\nread model and ledger replay agree on every total, rank and band")
    return not problems


def _names(read: ReadModel | str, block: str, year: int) -> dict[str, str]:
    if isinstance(read, str) or read.get((block, year)) is None:
        return {}
    return {u.unit: f"({u.name})" for u in read[(block, year)].units if u.name}
