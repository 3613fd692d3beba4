"""The README's shell snippets run as written against the served app with the demo province:
the first call (the token assigned, then used) and the "First queries" section (queries, a
mutation with an idempotency key, a read of its own write with atLeastPosition)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import conftest
from tests.conftest import ServedApp
from thidua.services.database import ConnectionParams
from thidua.services.importer import import_records
from thidua.services.registry import ProvinceRegistry

ROOT = Path(__file__).resolve().parents[2]


def snippet(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- readme-test: {name} -->\n```sh\n(.*?)```", text, re.S)
    assert found, f"README.md has no {name} snippet"
    return found.group(1)


def answers(output: str) -> list[dict[str, Any]]:
    """Every JSON document the snippet printed, in order."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (start := output.find("{", at)) != -1:
        value, at = decoder.raw_decode(output, start)
        found.append(value)
    return found


@pytest.fixture
def demo_app(database: ConnectionParams) -> Iterator[ServedApp]:
    registry = ProvinceRegistry(database)
    registry.ensure_platform_schema()
    import_records(registry, ROOT / "deploy" / "demo" / "nghe-an.json")
    registry.close()
    app = ServedApp(conftest.test_settings(), database)
    app.start()
    try:
        yield app
    finally:
        app.stop()


def run(script: str, app: ServedApp, cwd: Path) -> str:
    """The snippet with the served app's address for localhost:8000 and this venv's thidua."""
    script = script.replace("localhost:8000", f"127.0.0.1:{app.port}")
    script = script.replace(".venv/bin/thidua", str(Path(sys.executable).parent / "thidua"))
    # The command line reaches the served app's database, as `thidua token issue` beside `make
    # run` reaches the same ./var (it refuses a province it cannot find there).
    env = {
        **os.environ,
        "THIDUA_LOG_FORMAT": "json",
        "THIDUA_LOG_LEVEL": "WARNING",
        "DATABASE_URL": app.params.to_url(),
    }
    env.pop("THIDUA_JWT_SECRET", None)  # the development secret, as on a fresh clone
    bash = shutil.which("bash") or "/bin/bash"
    done = subprocess.run(
        [bash, "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_first_call_assigns_the_token_it_sends(demo_app: ServedApp, tmp_path: Path) -> None:
    (viewer,) = answers(run(snippet("first-call"), demo_app, tmp_path))
    expected = {"subject": "thanh-tra-1", "province": "nghe-an", "roles": ["auditor"]}
    assert viewer == {"data": {"viewer": expected}}


def test_the_first_queries_answer_as_the_readme_says(demo_app: ServedApp, tmp_path: Path) -> None:
    viewer, units, standings, mutation, own_write, node = answers(
        run(snippet("first-queries"), demo_app, tmp_path)
    )
    for answer in (viewer, units, standings, mutation, own_write, node):
        assert "errors" not in answer, answer
    assert viewer["data"]["viewer"]["roles"] == ["province_admin"]
    assert "registerUnit" in viewer["data"]["viewer"]["allowedOperations"]
    assert len(units["data"]["units"]["edges"]) == 3
    assert units["data"]["units"]["pageInfo"]["hasNextPage"] is True
    assert "ban-to-chuc" in standings["data"]["standings"]["members"]
    registered = mutation["data"]["registerUnit"]
    assert registered["ok"] is True
    assert registered["position"] > 0
    assert own_write["data"]["unit"] == {"key": "so-khcn", "name": "Sở Khoa học và Công nghệ"}
    assert units["data"]["units"]["totalCount"] > 3
    assert registered["unit"]["name"] == "Sở Khoa học và Công nghệ"
    assert node["data"]["node"] == {"id": registered["unit"]["id"], **own_write["data"]["unit"]}
