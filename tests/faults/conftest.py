"""Fault tests print the shared reliability figures too (once per session)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import figures


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A temporary directory of this test alone. pytest's `tmp_path` lives under a base directory
    shared by every pytest run of the same user, and a run keeps only the 3 newest: with other
    runs going on, a fault test's database directory was deleted under the running server."""
    with tempfile.TemporaryDirectory(prefix="thidua-fault-") as path:
        yield Path(path)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    figures.summary(terminalreporter)
