"""Live feeds (theo dõi trực tiếp): when a subscription looks at its read model again, and when it
must stop.

A subscription looks once when it starts, then each time its province's read models advance
(the projection signals, services/projection_signals.py, pushed from the runner's transaction),
and at the latest every RECHECK_S. Before each look the caller is checked again: a token that
expired ends the feed with TOKEN_EXPIRED (a subscription otherwise outlives its token by hours),
and the token is authorized again for the operation; what the record decides (a clerk's unit
registered in the province) is asked again every RECHECK_S, not at every batch. While the
signals' connection is down the feed looks every FALLBACK_S instead.

Every subscription of a province is woken by each of its projection batches, so the feeds woken
by one notice share one look per key (`SharedLooks`): twenty subscribers of a block under steady
writes would otherwise make twenty identical queries per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import structlog

from thidua.graphql.core.permissions import authenticated, authorize, authorize_read
from thidua.services.access import Caller
from thidua.services.auth import TokenExpired

if TYPE_CHECKING:
    from strawberry.types import Info

    from thidua.graphql.context import GraphQLContext
    from thidua.services.projection_signals import ProjectionSignals
    from thidua.services.runtime import Runtime

log = structlog.get_logger()

RECHECK_S = 10.0
FALLBACK_S = 1.0
SHARED_KEYS = 1024  # looks remembered (the latest per key), least recently used first out
T = TypeVar("T")

_fresh = itertools.count(1)  # generations for feeds without signals: every look is a new one


@dataclass(frozen=True)
class Tick:
    """One look of a feed: the caller, authorized afresh, and the province's generation (the
    feeds that look at the same generation may share what they read)."""

    caller: Caller
    generation: int


async def live(info: Info[GraphQLContext, Any], operation: str) -> AsyncIterator[Tick]:
    """A tick at once, then each time the caller's province's read models advance. Ends with
    TokenExpired at the token's `exp` (to the second, as the verifier counts it)."""
    caller = await _still_allowed(info, operation, record=True)
    asked_record = time.monotonic()
    province = caller.province
    signals: ProjectionSignals | None = info.context.runtime.services.get("projection_signals")
    with signals.watch(province) if signals is not None else _never() as advanced:
        try:
            while True:
                advanced.clear()  # before the look: a notice that arrives during it is kept
                generation = signals.generation(province) if signals is not None else next(_fresh)
                yield Tick(caller, generation)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(advanced.wait(), _timeout(caller, signals))
                if signals is not None and not advanced.is_set():
                    signals.bump(province)  # a look on the timer reads afresh
                record = time.monotonic() - asked_record >= RECHECK_S
                caller = await _still_allowed(info, operation, record=record)
                asked_record = time.monotonic() if record else asked_record
        except TokenExpired:
            log.info("live_feed_closed", operation=operation, reason="TOKEN_EXPIRED")
            raise


class SharedLooks(Generic[T]):
    """The latest look per key, with the generation it was made at: a feed asking for the same
    key at a generation already looked at (or being looked at) gets that answer."""

    def __init__(self) -> None:
        self._looks: OrderedDict[Hashable, tuple[int, asyncio.Future[T]]] = OrderedDict()

    async def get(self, key: Hashable, generation: int, look: Callable[[T | None], Awaitable[T]]) -> T:
        """What `look(previous answer or None)` gives at `generation` (or later), once per key."""
        known = self._looks.get(key)
        if known is not None and known[0] >= generation:
            self._looks.move_to_end(key)
            if not known[1].done() or known[1].exception() is None:
                return await asyncio.shield(known[1])
        previous = None
        if known is not None and known[1].done() and known[1].exception() is None:
            previous = known[1].result()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._looks[key] = (generation, future)
        self._looks.move_to_end(key)
        while len(self._looks) > SHARED_KEYS:
            self._looks.popitem(last=False)
        try:
            answer = await look(previous)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: the feeds waiting on it get it, nobody else must
            if self._looks.get(key, (0, None))[1] is future:
                del self._looks[key]
            raise
        future.set_result(answer)
        return answer


def shared_looks(runtime: Runtime, name: str) -> SharedLooks[Any]:
    """The runtime's shared looks called `name` (one per kind of feed)."""
    key = f"live_looks:{name}"
    looks = runtime.services.get(key)
    if not isinstance(looks, SharedLooks):
        looks = SharedLooks()
        runtime.services[key] = looks
    return looks


async def _still_allowed(info: Info[GraphQLContext, Any], operation: str, *, record: bool) -> Caller:
    """The token's expiry, then the permission: the token's alone, or with the record's word."""
    expires = authenticated(info).expires_at
    if expires is not None and time.time() >= expires:
        raise TokenExpired("Phiên đăng nhập đã hết hạn; theo dõi trực tiếp đã dừng, vui lòng đăng nhập lại.")
    return await authorize_read(info, operation) if record else authorize(info, operation)


def _timeout(caller: Caller, signals: ProjectionSignals | None) -> float:
    pushed = signals is not None and signals.connected
    timeout = RECHECK_S if pushed else FALLBACK_S
    expires = caller.principal.expires_at
    if expires is not None:
        timeout = min(timeout, max(0.0, expires - time.time()) + 0.01)  # wake just past it
    return timeout


@contextlib.contextmanager
def _never() -> Any:
    """No signals in this runtime (a bare runtime in a test): an event nobody sets."""
    yield asyncio.Event()
