"""The per-request GraphQL context: the runtime, the verified caller, the request id."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import State
from litestar.types import Scope
from strawberry.litestar import BaseContext

from thidua.services.auth import AuthError, Principal
from thidua.services.http import REQUEST_ID_KEY, principal_of
from thidua.services.runtime import Runtime


class GraphQLContext(BaseContext, kw_only=True):
    runtime: Runtime
    principal: Principal | None
    auth_error: AuthError | None
    request_id: str
    loaders: dict[str, Any]


async def get_context(state: State, scope: Scope) -> GraphQLContext:
    scope_state: dict[str, Any] = scope.get("state", {})  # type: ignore[assignment]
    principal, auth_error = principal_of(scope_state)
    return GraphQLContext(
        runtime=state.runtime,
        principal=principal,
        auth_error=auth_error,
        request_id=str(scope_state.get(REQUEST_ID_KEY, "")),
        loaders={},
    )
