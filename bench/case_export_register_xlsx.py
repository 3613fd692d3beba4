"""export_register_xlsx (xuất sổ khen thưởng): the awards register of 100,000 recipient lines
(`--register-rows`; 1,000 decisions of 100) exported as xlsx as `thidua export-excel
awards-register` does: decisions read a page at a time from the read model, rows streamed into
a write-only workbook. Figure: rows per second and the peak resident memory of the process.

Floor: openpyxl's write-only mode writing the same rows, already computed, without our code
(same run, own process).
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from bench.case_import_excel_staff import child
from bench.context import BenchContext
from bench.paperwork_seed import copy_records
from bench.results import CaseResult
from thidua.projections.awards.projection import DOCS
from thidua.projections.catalogue import all_projections
from thidua.projections.setup import ensure_readmodel
from thidua.services.database import ConnectionParams

PROVINCE = "bench-e1"
GOAL = "≥ 0.5 of floor"
COLUMNS = ["province", "kind", "key", "year", "status", "subject", "position", "doc"]


async def _seed(params: ConnectionParams, rows: int) -> None:
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        await ensure_readmodel(conn, all_projections())
        records: list[tuple[Any, ...]] = list(copy_records(PROVINCE, rows))
        await conn.copy_records_to_table(DOCS.name, schema_name="readmodel", records=records, columns=COLUMNS)
    finally:
        await conn.close()


async def run(ctx: BenchContext) -> list[CaseResult]:
    options = ctx.options
    rows = options.register_rows
    params = await asyncio.to_thread(ctx.server.fresh, "bench_export_register")
    await _seed(params, rows)
    directory = options.data_dir / "paperwork"
    directory.mkdir(parents=True, exist_ok=True)
    floor = await asyncio.to_thread(child, "write", str(rows), str(directory / "floor-register.xlsx"))
    product = await asyncio.to_thread(
        child, "export", params.to_url(), PROVINCE, str(directory / "register.xlsx")
    )
    if product["rows"] != rows:
        raise RuntimeError(f"the export wrote {product['rows']} rows, not {rows}")
    value = product["rows"] / product["seconds"]
    floor_rate = floor["rows"] / floor["seconds"]
    return [
        CaseResult(
            name="export_register_xlsx",
            value=round(value),
            unit="rows/s",
            floor=round(floor_rate),
            floor_name="openpyxl write-only, the same rows precomputed",
            params={
                "rows": rows,
                "seconds": round(product["seconds"], 1),
                "rss_start_mib": round(product["rss_start_mib"], 1),
                "rss_peak_mib": round(product["rss_peak_mib"], 1),
                "floor_seconds": round(floor["seconds"], 1),
                "floor_rss_peak_mib": round(floor["rss_peak_mib"], 1),
            },
            goal=GOAL,
            goal_met=value >= 0.5 * floor_rate,
            note=f"peak RSS {product['rss_peak_mib']:.0f} MiB",
        )
    ]
