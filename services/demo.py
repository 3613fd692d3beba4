"""The demo loaded by `make run` into an empty database: the real records of deploy/demo/*.json
(Nghệ An, from provincial news articles), then an invented province with a whole year of data
(`services.sample_year`, its name marked as invented), so that every screen has something."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import structlog

from thidua.services.runtime import Runtime

log = structlog.get_logger()

DEMO_DIR = Path(__file__).resolve().parent.parent / "deploy" / "demo"


async def load_demo_if_empty(runtime: Runtime, demo_dir: Path = DEMO_DIR) -> list[str]:
    """Import every demo records file when no province exists yet; return the files loaded."""
    provinces = await anyio.to_thread.run_sync(runtime.registry.list_provinces)
    if provinces:
        log.info("demo_skipped", reason="database not empty", provinces=len(provinces))
        return []
    files = sorted(demo_dir.glob("*.json"))  # noqa: ASYNC240 - a handful of files, once at start
    if not files:
        log.warning("demo_missing", directory=str(demo_dir))
        return []
    from thidua.services.importer import import_records  # noqa: PLC0415 - only for an empty database
    from thidua.services.sample_year import SAMPLE_PROVINCE, load_sample_year  # noqa: PLC0415

    loaded = []
    for path in files:
        log.info("demo_loading", file=path.name)
        await anyio.to_thread.run_sync(import_records, runtime.registry, path)
        loaded.append(path.name)
    await load_sample_year(runtime)
    loaded.append(f"{SAMPLE_PROVINCE} (invented sample year)")
    log.info("demo_loaded", files=loaded)
    return loaded
