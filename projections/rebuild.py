"""Rebuild from zero (dựng lại) beside the live tables, then swap or compare.

A build writes one province's rows into `readmodel_build.<table>__<province>` in batches, without
touching the live tables, so queries keep answering from them meanwhile. The final step runs in
one transaction that holds the live tracking row `FOR UPDATE` (the live runner waits on it):
- `rebuild` applies the few events recorded since the build began, then replaces the province's
  live rows (or, where the province is alone in a live table, the table itself: projections/swap.py)
  and sets the tracking position: readers see the old rows, then the new, never a mix;
- `verify` brings the build to exactly the live position and compares checksums table by table.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from thidua.projections.base import Projection, create_tables
from thidua.projections.ddl import LIVE, Target, build_target
from thidua.projections.envelope import Decode
from thidua.projections.runner import Batch, fetch_batch, head_position, relax_commit
from thidua.projections.swap import alone, can_rename, index_build, rename_into_live
from thidua.projections.tracking import ensure_tracking, lock_position, read_position, set_position

log = structlog.get_logger()

Progress = Callable[[int, int], None]  # (position reached, target position)

# Events per batch of a build. Larger than the live runner's: a batch rewrites every document
# it touches whole (a month's sheets touch every staff member's year), so a build with ten times
# fewer batches writes those documents ten times less often (ratings: 2.4k -> 5k+ events/s).
BUILD_BATCH = 20_000
# Connections a full rebuild writes its projections through during the pass (see `_build`).
LANES = 2


@dataclass(frozen=True)
class Checksum:
    table: str
    rows: int
    digest: str


@dataclass(frozen=True)
class BuildResult:
    province: str
    projection: str
    position: int
    events: int
    seconds: float
    live: tuple[Checksum, ...] = ()
    rebuilt: tuple[Checksum, ...] = ()

    @property
    def identical(self) -> bool:
        return self.live == self.rebuilt


async def _build(
    conn: Any,
    reader: Any,
    province: str,
    built: Sequence[tuple[Projection, Target]],
    decode: Decode,
    *,
    start: int,
    upto: int,
    batch_size: int,
    progress: Progress | None = None,
    lz4: bool = False,
    writers: Sequence[Any] = (),
) -> tuple[int, int]:
    """Apply events (start, upto] to each projection's target, fetching and decoding each batch
    once for all of them; returns (position reached, events applied).

    `reader` (another connection) fetches and decodes the next batch while `conn` writes this
    one, so PostgreSQL's share of a batch overlaps Python's. With `writers` (more connections),
    the projections are dealt in turn to `conn` and them, each lane in a transaction of its own
    a batch, so one lane's statements run in PostgreSQL while another's Python folds.
    """
    position, applied = start, 0
    lanes = _lanes([conn, *writers], built)

    def fetch(after: int) -> asyncio.Task[Batch | None]:
        return asyncio.ensure_future(fetch_batch(reader, province, after, batch_size, decode, upto=upto))

    pending = fetch(position) if position < upto else None
    try:
        while pending is not None:
            batch = await pending
            pending = None
            if batch is None:
                break
            if batch.last < upto:
                pending = fetch(batch.last)
            await _apply(lanes, province, batch.envelopes, lz4=lz4)
            position, applied = batch.last, applied + len(batch.envelopes)
            if progress is not None:
                progress(position, upto)
            log.debug(
                "projection_build_progress",
                province=province,
                projections=[p.name for p, _ in built],
                position=position,
                target=upto,
            )
    finally:
        if pending is not None:
            # Let the fetch finish rather than cancel it: a query cancelled half-way leaves the
            # connection mid-message for whoever uses it next.
            with contextlib.suppress(Exception):
                await asyncio.shield(pending)
    return position, applied


Lane = tuple[Any, list[tuple[Projection, Target]]]  # a connection and the projections it writes


def _lanes(conns: Sequence[Any], built: Sequence[tuple[Projection, Target]]) -> list[Lane]:
    """The projections dealt in turn to the connections (catalogue order: the costly audit trail
    and ratings land in different lanes when there are two)."""
    lanes: list[Lane] = [(c, []) for c in conns[: max(1, len(built))]]
    for i, pair in enumerate(built):
        lanes[i % len(lanes)][1].append(pair)
    return lanes


async def _apply_lane(
    conn: Any, lane: list[tuple[Projection, Target]], province: str, envelopes: Any, *, lz4: bool
) -> None:
    async with conn.transaction():
        await relax_commit(conn)
        if lz4:
            # Documents and payloads too large to store inline are compressed: lz4
            # compresses several times faster than the default pglz (ratings write
            # 13 -> 9 s for 300k events), and the swap copies those values as they are,
            # so live rows written by a rebuild are lz4 too (read transparently).
            await conn.execute("SET LOCAL default_toast_compression = lz4")
        for projection, target in lane:
            await projection.apply(conn, target, province, envelopes)


async def _apply(lanes: Sequence[Lane], province: str, envelopes: Any, *, lz4: bool) -> None:
    """One batch applied by every lane; an error is raised once every lane has stopped (none is
    left writing while the caller cleans up)."""
    if len(lanes) == 1:
        ((conn, lane),) = lanes
        await _apply_lane(conn, lane, province, envelopes, lz4=lz4)
        return
    outcomes = await asyncio.gather(
        *(_apply_lane(conn, lane, province, envelopes, lz4=lz4) for conn, lane in lanes),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


def _spare(pool: Any, wanted: int) -> int:
    """How many more connections the pool can give now without waiting (at most `wanted`)."""
    try:
        in_use = int(pool.get_size()) - int(pool.get_idle_size())
        return max(0, min(wanted, int(pool.get_max_size()) - in_use))
    except AttributeError:
        return 0


async def has_lz4(conn: Any) -> bool:
    """Whether this server can compress values with lz4 (built with it; PostgreSQL 14+)."""
    return bool(
        await conn.fetchval(
            "SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
    )


async def _finish(conn: Any, province: str, built: Sequence[tuple[Projection, Target]]) -> None:
    """Let projections that keep a build in memory (document projections) write it out."""
    for projection, target in built:
        finish = getattr(projection, "finish", None)
        if finish is not None:
            await finish(conn, target, province)


def _forget(province: str, projection: Projection, target: Target) -> None:
    forget = getattr(projection, "forget", None)
    if forget is not None:
        forget(target, province)


async def _fresh_target(conn: Any, province: str, projection: Projection) -> Target:
    target = build_target(province)
    _forget(province, projection, target)
    for spec in projection.tables:
        await conn.execute(f"DROP TABLE IF EXISTS {target.table(spec.name)}")
    await create_tables(conn, projection, target)
    return target


async def _drop_target(conn: Any, projection: Projection, target: Target) -> None:
    for spec in projection.tables:
        await conn.execute(f"DROP TABLE IF EXISTS {target.table(spec.name)}")


async def checksums(conn: Any, province: str, projection: Projection, target: Target) -> tuple[Checksum, ...]:
    """Order-independent digest of a province's rows in each table (count and sum of row hashes)."""
    result = []
    for spec in projection.tables:
        row = await conn.fetchrow(
            "SELECT count(*) AS n, "  # noqa: S608 - table names from our own specs
            "coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS digest "
            f"FROM {target.table(spec.name)} t WHERE province = $1",
            province,
        )
        result.append(Checksum(spec.name, int(row["n"]), str(row["digest"])))
    return tuple(result)


async def rebuild(
    pool: Any,
    province: str,
    projection: Projection,
    decode: Decode,
    *,
    batch_size: int = BUILD_BATCH,
    progress: Progress | None = None,
) -> BuildResult:
    """Recompute `projection` for `province` from zero and switch the live rows to the result."""
    (result,) = await rebuild_all(
        pool, province, [projection], decode, batch_size=batch_size, progress=progress
    )
    return result


async def rebuild_all(
    pool: Any,
    province: str,
    projections: Sequence[Projection],
    decode: Decode,
    *,
    batch_size: int = BUILD_BATCH,
    progress: Progress | None = None,
    lanes: int = LANES,
) -> list[BuildResult]:
    """Recompute `projections` for `province` from zero in one pass over the events (each batch
    fetched and decoded once for all, and applied in up to `lanes` connections, as many as the
    pool can spare beside the two it needs anyway), then switch all their live rows in one
    transaction."""
    started = time.perf_counter()
    names = [p.name for p in projections]
    log.info("projection_rebuild_started", province=province, projections=names)
    async with pool.acquire() as conn, pool.acquire() as reader, contextlib.AsyncExitStack() as held:
        writers = [await held.enter_async_context(pool.acquire()) for _ in range(_spare(pool, lanes - 1))]
        built = await _prepare(conn, province, projections)
        lz4 = await has_lz4(conn)
        try:
            head = await head_position(conn, province)
            reached, events = await _build(
                conn,
                reader,
                province,
                built,
                decode,
                start=0,
                upto=head,
                batch_size=batch_size,
                progress=progress,
                lz4=lz4,
                writers=writers,
            )
            renamable = await _index_renamable(conn, province, built)
            async with conn.transaction():
                await relax_commit(conn)
                for p in projections:
                    await lock_position(conn, province, p.name, p.version)
                final = await head_position(conn, province)
                reached, more = await _build(
                    conn,
                    reader,
                    province,
                    built,
                    decode,
                    start=reached,
                    upto=final,
                    batch_size=batch_size,
                    lz4=lz4,
                )
                await _finish(conn, province, built)
                for projection, target in built:
                    for spec in projection.tables:
                        if spec.name in renamable and await rename_into_live(conn, spec, target, province):
                            continue
                        live, rows = LIVE.table(spec.name), target.table(spec.name)
                        renamable.discard(spec.name)
                        await conn.execute(f"DELETE FROM {live} WHERE province = $1", province)  # noqa: S608
                        await conn.execute(f"INSERT INTO {live} SELECT * FROM {rows}")  # noqa: S608
                    await set_position(conn, province, projection.name, projection.version, reached)
            for name in sorted(renamable):
                # A new table has no planner statistics until autovacuum comes by.
                await conn.execute(f"ANALYZE {LIVE.table(name)}")
        finally:
            for projection, target in built:
                _forget(province, projection, target)
                await _drop_target(conn, projection, target)
    seconds = time.perf_counter() - started
    log.info(
        "projection_rebuilt",
        province=province,
        projections=names,
        position=reached,
        events=events + more,
        seconds=round(seconds, 3),
    )
    return [BuildResult(province, n, reached, events + more, seconds) for n in names]


async def _index_renamable(conn: Any, province: str, built: Sequence[tuple[Projection, Target]]) -> set[str]:
    """The tables whose build may replace the live table at the switch (the province is alone in
    it), given their secondary indexes now, in bulk, before the switch; their names."""
    renamable = set()
    for projection, target in built:
        for spec in projection.tables:
            if can_rename(spec) and await alone(conn, spec, province):
                await index_build(conn, spec, target)
                renamable.add(spec.name)
    return renamable


async def _prepare(
    conn: Any, province: str, projections: Sequence[Projection]
) -> list[tuple[Projection, Target]]:
    built = []
    for projection in projections:
        await create_tables(conn, projection, LIVE)
        await ensure_tracking(conn, province, projection.name, projection.version)
        built.append((projection, await _fresh_target(conn, province, projection)))
    return built


async def verify(
    pool: Any,
    province: str,
    projection: Projection,
    decode: Decode,
    *,
    batch_size: int = BUILD_BATCH,
    progress: Progress | None = None,
) -> BuildResult:
    """Rebuild beside the live tables up to the live position and compare checksums."""
    started = time.perf_counter()
    name, version = projection.name, projection.version
    async with pool.acquire() as conn, pool.acquire() as reader:
        ((_, target),) = built = await _prepare(conn, province, [projection])
        try:
            upto = await read_position(conn, province, name, version)
            reached, events = await _build(
                conn,
                reader,
                province,
                built,
                decode,
                start=0,
                upto=upto,
                batch_size=batch_size,
                progress=progress,
            )
            async with conn.transaction():
                live_position = await lock_position(conn, province, name, version)
                reached, more = await _build(
                    conn,
                    reader,
                    province,
                    built,
                    decode,
                    start=reached,
                    upto=live_position,
                    batch_size=batch_size,
                )
                await _finish(conn, province, built)
                live = await checksums(conn, province, projection, LIVE)
                rebuilt = await checksums(conn, province, projection, target)
        finally:
            _forget(province, projection, target)
            await _drop_target(conn, projection, target)
    result = BuildResult(
        province, name, live_position, events + more, time.perf_counter() - started, live, rebuilt
    )
    log.info(
        "projection_verified",
        province=province,
        projection=name,
        position=live_position,
        identical=result.identical,
    )
    return result
