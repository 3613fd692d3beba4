"""Benchmark results (kết quả đo): one row per case, written as JSON and shown as a table.

Every case reports the product's figure next to a floor measured in the same run on the same
machine, so `ratio` (product / floor, higher is better for rates, lower-is-worse for times) stays
meaningful on a noisy machine. `latest.json` is git-ignored; `README-table.md` is what the README
shows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile_ms(seconds: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile of latencies given in seconds, in milliseconds."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return round(ordered[rank - 1] * 1000, 2)


@dataclass
class CaseResult:
    """One case: the product's figure, its same-run floor, and the latency percentiles.

    `value` and `floor` are rates (`unit`, e.g. events/s) except for latency-only cases such
    as freshness, where `value` is the p99 in ms and `floor` is None. `goal` says what the issue
    asks; `goal_met` is None when a case could not judge it (e.g. it did not run).
    """

    name: str
    value: float | None
    unit: str
    floor: float | None = None
    floor_name: str | None = None
    ratio: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    params: dict[str, Any] = field(default_factory=dict)
    goal: str = ""
    goal_met: bool | None = None
    note: str = ""
    status: str = "ok"  # ok | skipped | failed

    def __post_init__(self) -> None:
        if self.ratio is None and self.value is not None and self.floor:
            self.ratio = round(self.value / self.floor, 3)

    @classmethod
    def skipped(cls, name: str, unit: str, reason: str, goal: str = "") -> CaseResult:
        return cls(name=name, value=None, unit=unit, goal=goal, note=reason, status="skipped")

    @classmethod
    def failed(cls, name: str, unit: str, error: str, goal: str = "") -> CaseResult:
        return cls(name=name, value=None, unit=unit, goal=goal, note=error[:500], status="failed")


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _goal_cell(result: CaseResult) -> str:
    mark = {True: "met", False: "NOT met", None: "–"}[result.goal_met]
    return f"{result.goal} ({mark})" if result.goal else mark


def write_results(
    results: Sequence[CaseResult], machine: dict[str, Any], directory: Path = RESULTS_DIR
) -> Path:
    """Write `latest.json` (cases + machine facts) and `README-table.md`; return the JSON path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "latest.json"
    document = {"machine": machine, "cases": [asdict(r) for r in results]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    (directory / "README-table.md").write_text(markdown_table(results, machine))
    return path


HOW_TO_READ = (
    "How to read it: `value` is the product's figure over real HTTP and PostgreSQL; `floor` is the "
    "same work done the fastest way PostgreSQL allows (named in brackets), measured in the same run "
    "on the same machine; `ratio` = value / floor, so it holds on a busy machine where the raw "
    "figures do not. p50/p99 are request latencies seen by the clients (for freshness: the delay "
    "until a write shows in `standings`). `make bench` regenerates this table; "
    "`bench/results/latest.json` has every parameter."
)


def markdown_table(results: Sequence[CaseResult], machine: dict[str, Any]) -> str:
    """The table the README shows, with the facts needed to read it."""
    lines = [
        "| case | value | floor | ratio | p50 ms | p99 ms | goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        value = f"{_fmt(r.value)} {r.unit}" if r.value is not None else r.status
        floor = f"{_fmt(r.floor)} ({r.floor_name})" if r.floor is not None else "–"
        lines.append(
            f"| `{r.name}` | {value} | {floor} | {_fmt(r.ratio, 2)} | {_fmt(r.p50_ms)} | "
            f"{_fmt(r.p99_ms)} | {_goal_cell(r)} |"
        )
    notes = [f"- `{r.name}`: {r.note}" for r in results if r.note]
    facts = (
        f"Measured {machine.get('date', '?')} on {machine.get('cores', '?')} cores "
        f"({machine.get('cpu', '?')}), PostgreSQL {machine.get('postgres_version', '?')} "
        f"({machine.get('postgres', '?')}), Python {machine.get('python', '?')}, commit "
        f"`{str(machine.get('commit', '?'))[:12]}`, load average {machine.get('load_before', '?')} "
        f"before / {machine.get('load_after', '?')} after; the product served by "
        f"{machine.get('options', {}).get('server_workers', '1')} process(es) (`thidua serve --workers`)."
    )
    variant = f"\n\nProduct variant: {machine['variant']}." if machine.get("variant") else ""
    return "\n".join([*lines, "", facts + variant, *(["", *notes] if notes else []), "", HOW_TO_READ, ""])


def print_table(results: Sequence[CaseResult], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Thi Đua Ledger benchmarks (ratio = product / same-run floor)")
    for column in ("case", "value", "floor", "ratio", "p50 ms", "p99 ms", "goal"):
        table.add_column(column, justify="left" if column in ("case", "goal") else "right")
    for r in results:
        value = f"{_fmt(r.value)} {r.unit}" if r.value is not None else f"[yellow]{r.status}[/]"
        floor = f"{_fmt(r.floor)} ({r.floor_name})" if r.floor is not None else "–"
        goal = _goal_cell(r)
        style = "green" if r.goal_met is True else "red" if r.goal_met is False else None
        table.add_row(
            r.name, value, floor, _fmt(r.ratio, 2), _fmt(r.p50_ms), _fmt(r.p99_ms),
            f"[{style}]{goal}[/]" if style else goal,
        )
    console.print(table)
    for r in results:
        if r.note:
            console.print(f"[dim]{r.name}:[/] {r.note}")
