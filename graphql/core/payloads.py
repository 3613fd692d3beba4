"""Mutation payloads that also return the object the mutation created or changed.

A feature's payload (UnitPayload, ProposalPayload…) is the shared `MutationPayload` plus one
field, the object, read from the read models once they include the payload's `position`
(read-your-writes, the wait bounded as `atLeastPosition` is): what a client would get by
querying it right after, with the same permission row as that query. A refused mutation has
no object (null), and an object not readable in time is a NOT_YET error on that field alone.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from strawberry.types import Info

from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import MutationPayload
from thidua.graphql.core.reads import reader

P = TypeVar("P", bound=MutationPayload)


def as_payload(cls: type[P], base: MutationPayload) -> P:
    """The shared payload as `cls`, a payload type adding the object (a resolved field)."""
    return cls(**{f.name: getattr(base, f.name) for f in fields(MutationPayload)})


async def read_back(info: Info[GraphQLContext, Any], payload: MutationPayload, operation: str) -> str | None:
    """The caller's province once its read models include the payload's position, allowed by the
    `operation` query's row; None when nothing was written (the mutation was refused)."""
    if not payload.ok or payload.key is None:
        return None
    caller = await reader(info, operation, position=payload.position)
    return caller.province
