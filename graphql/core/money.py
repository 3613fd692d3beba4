"""Amounts of money in đồng as a GraphQL scalar: whole numbers that may exceed GraphQL's 32-bit
`Int` (a decision's total for hundreds of recipients does), serialised as JSON numbers. `Dong` is
mapped to its scalar in the schema's config (`SCALARS`)."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

Dong = NewType("Dong", int)


def dong(amount: Any) -> Dong | None:
    """An amount read from a document (an int, or None when not priced) as the scalar."""
    return None if amount is None else Dong(int(amount))


SCALARS: dict[object, ScalarDefinition] = {
    Dong: strawberry.scalar(
        name="Dong",
        description="Số tiền bằng đồng Việt Nam (số nguyên, có thể vượt giới hạn 32 bit của Int).",
        serialize=int,
        parse_value=int,
    )
}
