"""The demo loaded by `make run` into an empty database: the real records of deploy/demo/*.json
(Nghệ An, from provincial news articles), then what the composition root adds after them (an
invented province with a whole year of data, `thidua.app.sample_year`, recorded through the
GraphQL schema), so that every screen has something."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import anyio.to_thread
import structlog

from thidua.services.runtime import Runtime

log = structlog.get_logger()

DEMO_DIR = Path(__file__).resolve().parent.parent / "deploy" / "demo"

# A further demo province loaded after the records files: it returns what it loaded.
DemoLoader = Callable[[Runtime], Awaitable[str]]


async def load_demo_if_empty(
    runtime: Runtime, demo_dir: Path = DEMO_DIR, *, then: Sequence[DemoLoader] = ()
) -> list[str]:
    """Import every demo records file when no province exists yet, then run each of `then`;
    return what was loaded."""
    provinces = await anyio.to_thread.run_sync(runtime.registry.list_provinces)
    if provinces:
        log.info("demo_skipped", reason="database not empty", provinces=len(provinces))
        return []
    files = sorted(demo_dir.glob("*.json"))  # noqa: ASYNC240 - a handful of files, once at start
    if not files:
        log.warning("demo_missing", directory=str(demo_dir))
        return []
    from thidua.services.importer import import_records  # noqa: PLC0415 - only for an empty database

    loaded = []
    for path in files:
        log.info("demo_loading", file=path.name)
        await anyio.to_thread.run_sync(import_records, runtime.registry, path)
        loaded.append(path.name)
    for load in then:
        loaded.append(await load(runtime))
    log.info("demo_loaded", files=loaded)
    return loaded
