"""import_excel_staff (nhập danh sách cán bộ từ Excel): a 10,000-row staff list (`--excel-rows`)
imported into a province with 20 units, as `thidua import-excel` does it: every row checked
against a rehearsal of the domain, then recorded through `register_staff`, one command a row.
Figure: rows per second over the whole import, and the peak resident memory of the process.

Floor: openpyxl reading the same file in read-only mode, nothing else (same run, own process).
`--excel-memory-rows N` adds a check-only (dry) run of N rows for the memory figure alone
(100,000 rows take minutes: the rehearsal asks the store about each row).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import date
from typing import Any

from bench.context import BenchContext
from bench.paperwork_seed import UNITS, write_staff_file
from bench.results import CaseResult
from bench.workloads import open_registry, provenance
from thidua.services.database import ConnectionParams

PROVINCE = "bench-x1"
GOAL = "bounded memory: peak RSS growth far below the file's rows"


def child(*args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own module, our own arguments
        [sys.executable, "-m", "bench.paperwork_child", *args], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _seed(params: ConnectionParams) -> None:
    registry = open_registry(params, [PROVINCE])
    try:
        app = registry.app(PROVINCE)
        for u in range(UNITS):
            app.register_unit(
                key=f"don-vi-{u:02d}",
                name=f"Đơn vị {u}",
                by=provenance("bench", "province_admin", None, date(2020, 1, 1)),
            )
    finally:
        registry.close()


async def run(ctx: BenchContext) -> list[CaseResult]:
    options = ctx.options
    rows = options.excel_rows
    params = await asyncio.to_thread(ctx.server.fresh, "bench_import_excel")
    await asyncio.to_thread(_seed, params)
    directory = options.data_dir / "paperwork"
    directory.mkdir(parents=True, exist_ok=True)
    file = await asyncio.to_thread(write_staff_file, directory / f"staff-{rows}.xlsx", rows)
    url = params.to_url()
    floor = await asyncio.to_thread(child, "read", str(file))
    product = await asyncio.to_thread(child, "import", url, PROVINCE, str(file))
    again = await asyncio.to_thread(child, "import", url, PROVINCE, str(file))  # idempotent re-import
    extra: dict[str, Any] = {}
    if options.excel_memory_rows:
        big = await asyncio.to_thread(
            write_staff_file, directory / f"staff-{options.excel_memory_rows}.xlsx", options.excel_memory_rows
        )
        memory = await asyncio.to_thread(child, "import", url, PROVINCE, str(big), "--dry-run")
        extra = {
            "memory_rows": memory["rows"],
            "memory_check_seconds": round(memory["seconds"], 1),
            "memory_rss_start_mib": round(memory["rss_start_mib"], 1),
            "memory_rss_peak_mib": round(memory["rss_peak_mib"], 1),
        }
    rate = product["rows"] / product["seconds"]
    growth = product["rss_peak_mib"] - product["rss_start_mib"]
    return [
        CaseResult(
            name="import_excel_staff",
            value=round(rate, 1),
            unit="rows/s",
            floor=round(floor["rows"] / floor["seconds"]),
            floor_name="openpyxl read-only pass over the same file",
            params={
                "rows": rows,
                "recorded": product["recorded"],
                "seconds": round(product["seconds"], 1),
                "rss_start_mib": round(product["rss_start_mib"], 1),
                "rss_peak_mib": round(product["rss_peak_mib"], 1),
                "floor_rss_peak_mib": round(floor["rss_peak_mib"], 1),
                "reimport_recorded": again["recorded"],
                "reimport_seconds": round(again["seconds"], 1),
                **extra,
            },
            goal=GOAL,
            goal_met=growth < 200 and again["recorded"] == 0,
            note=f"peak RSS {product['rss_peak_mib']:.0f} MiB (+{growth:.0f} during the import)",
        )
    ]
