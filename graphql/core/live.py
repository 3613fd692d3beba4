"""Live feeds (theo dõi trực tiếp): when a subscription looks at its read model again, and when it
must stop.

A subscription looks once when it starts, then each time its province's read models advance
(the projection signals, services/projection_signals.py, pushed from the runner's transaction),
and at the latest every RECHECK_S. Before each look the caller is checked again: a token that
expired ends the feed with TOKEN_EXPIRED (a subscription otherwise outlives its token by hours),
and the operation's permission is authorized again. While the signals' connection is down the
feed looks every FALLBACK_S instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import structlog

from thidua.graphql.core.permissions import Caller, authorize
from thidua.services.auth import TokenExpired

if TYPE_CHECKING:
    from strawberry.types import Info

    from thidua.graphql.context import GraphQLContext
    from thidua.services.projection_signals import ProjectionSignals

log = structlog.get_logger()

RECHECK_S = 10.0
FALLBACK_S = 1.0


async def live(info: Info[GraphQLContext, Any], operation: str) -> AsyncIterator[Caller]:
    """The caller, authorized afresh: at once, then each time the caller's province's read
    models advance. Ends with TokenExpired at the token's `exp` (to the second, as the verifier
    counts it)."""
    caller = _still_allowed(info, operation)
    signals: ProjectionSignals | None = info.context.runtime.services.get("projection_signals")
    with signals.watch(caller.province) if signals is not None else _never() as advanced:
        try:
            while True:
                advanced.clear()  # before the look: a notice that arrives during it is kept
                yield caller
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(advanced.wait(), _timeout(caller, signals))
                caller = _still_allowed(info, operation)
        except TokenExpired:
            log.info("live_feed_closed", operation=operation, reason="TOKEN_EXPIRED")
            raise


def _still_allowed(info: Info[GraphQLContext, Any], operation: str) -> Caller:
    caller = authorize(info, operation)
    expires = caller.principal.expires_at
    if expires is not None and time.time() >= expires:
        raise TokenExpired("Phiên đăng nhập đã hết hạn; theo dõi trực tiếp đã dừng, vui lòng đăng nhập lại.")
    return caller


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
