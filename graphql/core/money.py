"""Amounts of money in đồng as a GraphQL scalar: whole numbers that may exceed GraphQL's 32-bit
`Int` (a decision's total for hundreds of recipients does), serialised as JSON numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, NewType

import strawberry

if TYPE_CHECKING:
    Dong = int  # to the type checker an amount is an int; to the schema, the scalar below
else:
    Dong = strawberry.scalar(
        NewType("Dong", int),
        description="Số tiền bằng đồng Việt Nam (số nguyên, có thể vượt giới hạn 32 bit của Int).",
        serialize=int,
        parse_value=int,
    )
