"""One served, seeded instance shared by the hostile tests (starting it costs seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import drop_database
from tests.hostile import figures
from tests.hostile.paged import Paged, seed_paged
from tests.hostile.world import World, open_world
from thidua.services.database import ConnectionParams


@pytest.fixture(scope="session")
def world(pg_server: ConnectionParams, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    opened = open_world(pg_server, tmp_path_factory.mktemp("hostile"))
    try:
        yield opened
    finally:
        opened.served.stop()
        drop_database(pg_server, opened.params)


@pytest.fixture(scope="session")
def paged(world: World) -> Paged:
    """A province with rows in every connection (the cursor and query sweeps page through it)."""
    return seed_paged(world)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    figures.summary(terminalreporter)
