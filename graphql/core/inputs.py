"""Small input shapes shared by many mutations: named values, scores, recipients.

GraphQL has no map type, so a command's `dict[str, ...]` argument arrives as a list of named
entries; the helpers turn them back into dicts, refusing a name given twice (a silent "last one
wins" would record something the user did not see).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition

from thidua.graphql.core.errors import InvalidArgument

V = TypeVar("V")
InputClass = TypeVar("InputClass", bound=type)

ARG = "Đầu vào của lệnh (một đối tượng)."

LEAVES = (str, int, float, bool)

Convert = Callable[[Any, InputContext, str], Any]

_DIRECT: set[type] = set()  # the classes `direct_input` builds


def direct_input(cls: InputClass) -> InputClass:
    """An input object built straight from the value graphql-core has already coerced, through
    Strawberry's `from_input` hook. Strawberry's general conversion walks each field's type for
    every object, which a list of hundreds of entries (a unit's ratings, a decision's
    recipients) pays for in every request; here the walk is planned once per type: a plain
    scalar is passed through, a list of `direct_input` objects builds them directly, any other
    field is converted as Strawberry would (`InputContext.convert`). The values are the same."""
    definition = get_object_definition(cls, strict=True)
    plan: list[tuple[str, str, Convert]] = []
    # As Strawberry does: a field without a default is None unless the value has it.
    unset = {
        f.python_name: None
        for f in definition.fields
        if f.default_value is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }

    def build(type_: type, value: Mapping[str, Any], context: InputContext) -> Any:
        if not plan:
            plan[:] = [_planned(field, context) for field in definition.fields]
        kwargs = dict(unset)
        for graphql, python, convert in plan:
            if graphql in value:
                kwargs[python] = convert(value[graphql], context, graphql)
        return type_(**kwargs)

    definition.from_input = build
    _DIRECT.add(cls)
    return cls


def _planned(field: Any, context: InputContext) -> tuple[str, str, Convert]:
    graphql = context.config.name_converter.from_field(field)
    kind = field.resolve_type()
    bare = kind.of_type if isinstance(kind, StrawberryOptional) else kind
    if bare in LEAVES:
        return graphql, field.python_name, _as_is
    if isinstance(bare, StrawberryList):
        item_type = bare.of_type
        item = get_object_definition(item_type)
        if isinstance(item_type, type) and item_type in _DIRECT and item and item.from_input:
            return graphql, field.python_name, _items(item_type, item.from_input)
    return graphql, field.python_name, _general(kind)


def _as_is(value: Any, context: InputContext, name: str) -> Any:
    return value


def _items(item_type: type, build: Callable[[type, Mapping[str, Any], InputContext], Any]) -> Convert:
    def convert(values: Any, context: InputContext, name: str) -> Any:
        if values is None:
            return None
        inner = InputContext(context.info, context.config, context.scalar_registry, (*context.path, name))
        return [build(item_type, value, inner) for value in values]

    return convert


def _general(kind: Any) -> Convert:
    def convert(value: Any, context: InputContext, name: str) -> Any:
        return context.convert(value, kind, name)

    return convert


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


@direct_input
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
