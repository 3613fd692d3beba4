"""The per-request GraphQL context: the runtime, the verified caller, the request id, loaders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar.datastructures import State
from litestar.types import Scope
from strawberry.litestar import BaseContext

from thidua.services.auth import AuthError, Principal
from thidua.services.http import REQUEST_ID_KEY, principal_of
from thidua.services.runtime import Runtime

L = TypeVar("L")


class GraphQLContext(BaseContext, kw_only=True):
    """What every resolver sees. `loaders` holds this request's DataLoaders, so batching and
    caching never leak between requests (or between provinces)."""

    runtime: Runtime
    principal: Principal | None
    auth_error: AuthError | None
    request_id: str
    loaders: dict[str, Any]
    # Set by the WebSocket transport from the `connection_init` payload.
    connection_params: dict[str, Any] | None = None
    # The standings position read for this request on its arrival (a cacheable standings
    # request, graphql/controller.py): (province, position), read once per request.
    standings_position: tuple[str, int] | None = None

    def standings_position_of(self, province: str) -> int | None:
        """The position read on arrival for `province`, when there is one."""
        known = self.standings_position
        return known[1] if known is not None and known[0] == province else None

    def loader(self, name: str, factory: Callable[[], L]) -> L:
        """This request's loader called `name`, built on first use."""
        existing = self.loaders.get(name)
        if existing is None:
            existing = factory()
            self.loaders[name] = existing
        return existing


STANDINGS_POSITION_KEY = "thidua_standings_position"


async def get_context(state: State, scope: Scope) -> GraphQLContext:
    scope_state: dict[str, Any] = scope.get("state", {})
    principal, auth_error = principal_of(scope_state)
    return GraphQLContext(
        runtime=state.runtime,
        principal=principal,
        auth_error=auth_error,
        request_id=str(scope_state.get(REQUEST_ID_KEY, "")),
        loaders={},
        standings_position=scope_state.get(STANDINGS_POSITION_KEY),
    )
