"""One measured paperwork run in a process of its own, so its peak memory is its own.

    python -m bench.paperwork_child import URL PROVINCE FILE [--dry-run]  # the product's import
    python -m bench.paperwork_child read FILE                # floor: openpyxl reads it
    python -m bench.paperwork_child export URL PROVINCE OUT  # the product's register export
    python -m bench.paperwork_child write ROWS OUT           # floor: openpyxl writes the same rows

Prints one JSON line: rows, seconds, and the resident set size when the work started and at
its peak (getrusage's high-water mark), in MiB.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import openpyxl

from bench.paperwork_seed import register_rows
from thidua.domain.provenance import Actor
from thidua.services.database import ConnectionParams
from thidua.services.paperwork.excel_in.run import import_excel
from thidua.services.paperwork.excel_out.sheets import ExportRequest, write_register
from thidua.services.registry import ProvinceRegistry


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _import(url: str, province: str, file: str, dry_run: bool) -> dict[str, Any]:
    registry = ProvinceRegistry(ConnectionParams.from_url(url), pool_size=1, pool_overflow=1)
    try:
        app = registry.app(province)
        started, rss = time.monotonic(), _rss_mib()
        report = import_excel(
            app, Path(file), kind="staff", actor=Actor("bench", "province_admin", None), dry_run=dry_run
        )
        seconds = time.monotonic() - started
    finally:
        registry.close()
    if report.errors:
        raise SystemExit(f"import refused: {report.errors[:3]}")
    return {"rows": report.rows, "recorded": report.recorded, "seconds": seconds, "rss_start_mib": rss}


def _read(file: str) -> dict[str, Any]:
    started, rss = time.monotonic(), _rss_mib()
    book = openpyxl.load_workbook(file, read_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(min_row=2, values_only=True))
    book.close()
    return {"rows": rows, "seconds": time.monotonic() - started, "rss_start_mib": rss}


async def _export(url: str, province: str, out: str) -> dict[str, Any]:
    params = ConnectionParams.from_url(url)
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **params.asyncpg_kwargs())
    try:
        started, rss = time.monotonic(), _rss_mib()
        rows = await write_register(pool, ExportRequest(province, "Tỉnh đo tải"), Path(out), None)
        return {"rows": rows, "seconds": time.monotonic() - started, "rss_start_mib": rss}
    finally:
        await pool.close()


def _write(rows: int, out: str) -> dict[str, Any]:
    prepared = list(register_rows(rows))  # the values ready, as the floor should not pay for them
    started, rss = time.monotonic(), _rss_mib()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sổ khen thưởng")
    for row in prepared:
        sheet.append(row)
    book.save(out)
    return {"rows": len(prepared), "seconds": time.monotonic() - started, "rss_start_mib": rss}


def main(argv: list[str]) -> None:
    command, args = argv[0], argv[1:]
    if command == "import":
        result = _import(args[0], args[1], args[2], "--dry-run" in args)
    elif command == "read":
        result = _read(args[0])
    elif command == "export":
        result = asyncio.run(_export(args[0], args[1], args[2]))
    elif command == "write":
        result = _write(int(args[0]), args[1])
    else:
        raise SystemExit(__doc__)
    result["rss_peak_mib"] = _rss_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
