"""Rebuilds on several cores (dựng lại song song): a province's projections split into groups,
each group rebuilt from zero in a process of its own.

A one-pass rebuild of every projection is bound by one Python process (the profile of a
1,000,000-event province: decoding, the ratings and the audit trail's Python, each batch waiting
for the other); PostgreSQL's share is small beside it. Each group here makes its own pass over
the events (a raw read is some 300,000 events/s, so reading them twice costs little) and its own
swap of its projections' live rows: every projection has its own tracking row, and the live
runner resumes each from its own position, so the groups need not switch at the same instant.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import asyncpg
import structlog

from thidua.projections.catalogue import select
from thidua.projections.rebuild import BUILD_BATCH, BuildResult, rebuild_all
from thidua.services.database import ConnectionParams
from thidua.services.logging import configure_logging
from thidua.services.settings import LogFormat

log = structlog.get_logger()

# Relative cost of rebuilding each projection (seconds inside it in the one-pass rebuild of the
# 1,000,000-event bench province: ratings 87 s, audit 49 s, the others a few each); others 1.
COST = {"ratings": 9, "audit": 5}


def groups_of(names: Sequence[str], processes: int) -> list[list[str]]:
    """`names` split into at most `processes` groups of about equal cost (heaviest first, each
    to the lightest group so far); a group keeps the catalogue's order of application."""
    count = max(1, min(processes, len(names)))
    groups: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(names, key=lambda n: -COST.get(n, 1)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += COST.get(name, 1)
    order = {name: i for i, name in enumerate(names)}
    return [sorted(g, key=order.__getitem__) for g in groups if g]


async def _rebuild_group(
    params: ConnectionParams, province: str, names: list[str], batch_size: int
) -> list[BuildResult]:
    # Imported here: the registry pulls in the whole write side, which the parent has already.
    from thidua.services.projection_host import decoder_for  # noqa: PLC0415
    from thidua.services.registry import ProvinceRegistry  # noqa: PLC0415

    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=1)
    # A rebuild's reader and its two writing lanes (projections/rebuild.py).
    pool = await asyncpg.create_pool(min_size=2, max_size=3, **params.asyncpg_kwargs())
    try:
        decode = await asyncio.to_thread(decoder_for, registry, province)
        return await rebuild_all(pool, province, select(names), decode, batch_size=batch_size)
    finally:
        await pool.close()
        await asyncio.to_thread(registry.close)


def _run_group(
    params: ConnectionParams, province: str, names: list[str], batch_size: int, logging: tuple[LogFormat, str]
) -> list[BuildResult]:
    configure_logging(*logging)  # a spawned process starts with nothing configured
    return asyncio.run(_rebuild_group(params, province, names, batch_size))


def rebuild_in_processes(
    params: ConnectionParams,
    province: str,
    names: Sequence[str],
    processes: int,
    *,
    batch_size: int = BUILD_BATCH,
    logging: tuple[LogFormat, str] = ("auto", "INFO"),
) -> list[BuildResult]:
    """Rebuild the projections `names` of `province` from zero, in `processes` processes (each
    one pass and one swap for its group); the results in the order of `names`. The read-model
    schema must exist (`ensure_readmodel`); `logging` is each process's (format, level)."""
    groups = groups_of(list(names), processes)
    log.info("projection_rebuild_parallel", province=province, groups=groups)
    context = multiprocessing.get_context("spawn")  # no forked asyncio loops or pools
    with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as executor:
        futures = [executor.submit(_run_group, params, province, g, batch_size, logging) for g in groups]
        done = {r.projection: r for f in futures for r in f.result()}
    return [done[name] for name in names]
