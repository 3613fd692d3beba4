"""Small input shapes shared by many mutations: named values, scores, recipients.

GraphQL has no map type, so a command's `dict[str, ...]` argument arrives as a list of named
entries; the helpers turn them back into dicts, refusing a name given twice (a silent "last one
wins" would record something the user did not see).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, TypeVar

import strawberry

from thidua.graphql.core.errors import InvalidArgument

V = TypeVar("V")

ARG = "Đầu vào của lệnh (một đối tượng)."


@strawberry.input(description="Một cặp tên – giá trị dạng chữ (ví dụ chỉ tiêu giao ước, hồ sơ kèm theo).")
class TextEntry:
    name: str = strawberry.field(description="Tên (mã) của mục.")
    value: str = strawberry.field(description="Giá trị của mục.")


@strawberry.input(description="Điểm của một mục (tiêu chí, điểm thưởng, điểm trừ, phương án).")
class PointsEntry:
    name: str = strawberry.field(description="Mã của mục.")
    points: float = strawberry.field(description="Số điểm.")


@strawberry.input(description="Một số đếm có tên (ví dụ số cá nhân, chi bộ, mô hình nêu gương).")
class CountEntry:
    name: str = strawberry.field(description="Tên (mã) của số đếm.")
    count: int = strawberry.field(description="Giá trị.")


@strawberry.input(description="Người hoặc tập thể được khen (đối tượng khen thưởng).")
class RecipientInput:
    kind: str = strawberry.field(description="unit (tập thể, đơn vị) hoặc staff (cá nhân).")
    key: str = strawberry.field(description="Mã đơn vị hoặc mã cán bộ.")


def _unique(names: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidArgument(f"Mục «{name}» được nêu hai lần.", field=field, name=name)
        seen.add(name)


def texts(entries: list[TextEntry] | None, field: str) -> dict[str, str]:
    entries = entries or []
    _unique((e.name for e in entries), field)
    return {e.name: e.value for e in entries}


def points(entries: list[PointsEntry] | None, field: str) -> dict[str, float]:
    entries = entries or []
    _unique((e.name for e in entries), field)
    return {e.name: e.points for e in entries}


def counts(entries: list[CountEntry] | None, field: str) -> dict[str, int]:
    entries = entries or []
    _unique((e.name for e in entries), field)
    return {e.name: e.count for e in entries}


# `input: InputArg[RenameUnitInput]`: every mutation takes one described `input` object.
InputArg = Annotated[V, strawberry.argument(description=ARG)]
