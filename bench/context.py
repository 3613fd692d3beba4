"""What every case receives: the options, the PostgreSQL server, the console."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from bench.environment import BenchServer
from bench.options import Options


class CaseUnavailable(Exception):
    """A case cannot run yet: the product piece it measures is missing (the message says which)."""


@dataclass
class BenchContext:
    options: Options
    server: BenchServer
    console: Console
