"""Fault tests print the shared reliability figures too (once per session)."""

from __future__ import annotations

from typing import Any

from tests.hostile import figures


def pytest_terminal_summary(terminalreporter: Any) -> None:
    figures.summary(terminalreporter)
