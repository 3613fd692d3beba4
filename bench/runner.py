"""Runs the chosen cases against one PostgreSQL server, prints the table, writes the results.

Each case lives in `bench/case_<name>.py` and exposes `async def run(ctx) -> list[CaseResult]`.
A case that cannot run (a piece of the product it measures is missing) or fails is reported as
such in the table; the other cases still run.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import cast

import structlog
from rich.console import Console

from bench.context import BenchContext, CaseUnavailable
from bench.environment import BenchServer, load_average, machine_facts
from bench.options import Options, parse
from bench.results import RESULTS_DIR, CaseResult, print_table, write_results
from bench.variants import VARIANTS
from thidua.services.logging import configure_logging

log = structlog.get_logger()

CaseRunner = Callable[[BenchContext], Awaitable[list[CaseResult]]]


def case_runner(name: str) -> CaseRunner:
    module = importlib.import_module(f"bench.case_{name}")
    return cast(CaseRunner, module.run)


async def run_case(ctx: BenchContext, name: str) -> list[CaseResult]:
    started = time.monotonic()
    log.info("bench_case_started", case=name, load=load_average())
    try:
        results = await case_runner(name)(ctx)
    except CaseUnavailable as exc:
        log.warning("bench_case_unavailable", case=name, reason=str(exc))
        return [CaseResult.skipped(name, "", str(exc))]
    except Exception as exc:
        log.exception("bench_case_failed", case=name)
        traceback.print_exc()
        return [CaseResult.failed(name, "", f"{type(exc).__name__}: {exc}")]
    log.info("bench_case_finished", case=name, seconds=round(time.monotonic() - started, 1))
    return results


def judge_relations(results: list[CaseResult]) -> None:
    """Goals stated against another case: write_many_provinces ≥ 1.5 × write_single_province."""
    by_name = {r.name: r for r in results}
    single, many = by_name.get("write_single_province"), by_name.get("write_many_provinces")
    if many is None or many.value is None:
        return
    if single is None or not single.value:
        many.note = (many.note + " " if many.note else "") + "run write_single_province too to judge"
        return
    times = many.value / single.value
    many.params["vs_single"] = round(times, 2)
    many.goal_met = times >= 1.5


async def run_all(options: Options, console: Console) -> tuple[list[CaseResult], dict[str, object]]:
    server = await asyncio.to_thread(BenchServer.start, options.data_dir)
    try:
        machine = await asyncio.to_thread(machine_facts, server)
        ctx = BenchContext(options, server, console)
        results: list[CaseResult] = []
        for name in options.only:
            results.extend(await run_case(ctx, name))
        judge_relations(results)
        if options.variant:
            machine["variant"] = f"{options.variant}: {VARIANTS[options.variant]}"
        machine["load_after"] = load_average()
        machine["options"] = {
            k: str(v) for k, v in vars(options).items() if k not in ("only", "extra")
        }
        return results, machine
    finally:
        await asyncio.to_thread(server.close)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    console = Console()
    configure_logging("console" if console.is_terminal else "json", "INFO")
    results, machine = asyncio.run(run_all(options, console))
    print_table(results, console)
    path = write_results(results, machine, options.results_dir or RESULTS_DIR)
    console.print(f"results: {path}")
    return 0 if all(r.status != "failed" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
