"""query_standings_as_of (bảng xếp hạng như đã biết tại một thời điểm): see `bench.asof_standings`."""

from __future__ import annotations

from bench.asof_standings import run_then
from bench.context import BenchContext
from bench.results import CaseResult


async def run(ctx: BenchContext) -> list[CaseResult]:
    return await run_then(ctx, "as_of")
