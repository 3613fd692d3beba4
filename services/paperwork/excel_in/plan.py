"""What a row asks for: a command of the province's application, and who must be allowed it.

A `Command` names one command method of `ProvinceApplication` and its keyword arguments, without
the provenance; `perform` (the one place that calls the write side) adds it. The design step
that routes every command through one dispatcher replaces `perform`'s body, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thidua.domain.provenance import Provenance
from thidua.services.province_app import ProvinceApplication


@dataclass(frozen=True)
class Command:
    """`method` of ProvinceApplication with `args`; `effective_on` becomes the provenance's."""

    method: str
    args: dict[str, Any]
    effective_on: date
    label: str  # how the report names the fact, e.g. "staff:nv-001"


@dataclass(frozen=True)
class Planned:
    """A command for one row (or a group of rows: a decision and its recipients)."""

    rows: tuple[int, ...]
    command: Command
    operation: str  # the permission matrix's name for the equivalent mutation
    unit: str | None = None  # the unit acted for, for roles limited to their own unit
    row_of: dict[str, int] = field(default_factory=dict)  # recipient key -> row, for refusals


def perform(app: ProvinceApplication, command: Command, by: Provenance) -> int:
    """Run one command through the province's command method; its position."""
    method = getattr(app, command.method)
    position = method(**command.args, by=by)
    return int(position)
