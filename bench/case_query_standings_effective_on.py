"""query_standings_effective_on (bảng xếp hạng theo ngày có hiệu lực): see `bench.asof_standings`."""

from __future__ import annotations

from bench.asof_standings import run_then
from bench.context import BenchContext
from bench.results import CaseResult


async def run(ctx: BenchContext) -> list[CaseResult]:
    return await run_then(ctx, "effective_on")
