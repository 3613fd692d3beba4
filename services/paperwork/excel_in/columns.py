"""A column of an import template: its Vietnamese header, how a cell is read, an example."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    """`field` names the value in code; `header` is what the clerk sees in row 1."""

    field: str
    header: str
    read: Callable[[Any], Any]
    required: bool = True
    example: Any = None
    note: str = ""  # shown on the template's instructions sheet
