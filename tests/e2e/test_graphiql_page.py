"""GraphiQL renders without internet: the page loads its scripts and styles from this server.

Headless Chromium (Debian's `chromium`, which `make test` installs) loads `/graphql` with every
host name but 127.0.0.1 made unresolvable, so a page that still reached for a CDN would stay at
its loading text; the test reads the DOM after the scripts ran.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import httpx
import pytest

from tests.conftest import ServedApp
from thidua.graphql.graphiql import ASSETS_PATH, assets

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Offline, as on a government network: nothing resolves but the server under test.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Debian's chromium package is missing (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def rendered_dom(url: str) -> str:
    with tempfile.TemporaryDirectory(prefix="thidua-chromium-") as profile:
        done = subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_graphiql_renders_its_editor_with_no_network_but_this_server(served_app: ServedApp) -> None:
    dom = rendered_dom(f"{served_app.url}/graphql")
    assert "Đang tải GraphiQL" not in dom, "the page never left its loading text"
    assert 'class="graphiql-container' in dom
    assert "graphiql-query-editor" in dom
    assert "CodeMirror-code" in dom  # the editor itself, with the example query in it
    assert re.search(r"cm-property[^>]*>viewer<", dom), "the example query is not in the editor"
    assert ">Headers<" in dom  # where the README says to put the token


def test_the_page_names_no_other_host_and_every_asset_is_served_as_pinned(served_app: ServedApp) -> None:
    page = httpx.get(f"{served_app.url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', page.text), "the page loads from another host"
    for asset in assets():
        link = f"{ASSETS_PATH}/{asset.path}"
        assert f'src="{link}"' in page.text or f'href="{link}"' in page.text
        assert f'integrity="{asset.integrity}"' in page.text
        served = httpx.get(f"{served_app.url}{ASSETS_PATH}/{asset.path}")
        assert served.status_code == 200, asset.path
        assert served.headers["content-type"].startswith(
            "text/css" if asset.path.endswith(".css") else ("text/javascript", "application/javascript")
        )
        licence = httpx.get(f"{served_app.url}{ASSETS_PATH}/{asset.license_file}")
        assert licence.status_code == 200
        assert "Permission is hereby granted" in licence.text
