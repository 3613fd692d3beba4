"""GraphiQL served from the app itself: government networks are often offline, and a page whose
scripts come from a CDN stays blank ("Loading...") there.

The scripts and styles are the published files of pinned npm packages, byte for byte (their
sha384 digests are in `assets/manifest.json` and in the page's `integrity` attributes, the same
digests strawberry pins for its CDN page), each with its licence beside it; `assets/README.md`
says how to update them.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

ASSETS_DIR = Path(__file__).parent / "assets"
ASSETS_PATH = "/graphiql"


@dataclass(frozen=True)
class Asset:
    """One vendored file: where it came from, and its digest (Subresource Integrity form)."""

    package: str
    version: str
    path: str  # relative to ASSETS_DIR, and to ASSETS_PATH when served
    integrity: str
    license_file: str


@cache
def assets() -> tuple[Asset, ...]:
    manifest = json.loads((ASSETS_DIR / "manifest.json").read_text(encoding="utf-8"))
    return tuple(
        Asset(f["package"], f["version"], f["path"], f["integrity"], f["license_file"])
        for f in manifest["files"]
    )


def assets_router() -> Router:
    """`/graphiql/...`: the vendored files. Their paths carry the package version, so a browser
    may keep them for a long time."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[ASSETS_DIR],
        name="graphiql_assets",
        cache_control=CacheControlHeader(public=True, max_age=7 * 24 * 3600),
        include_in_schema=False,
    )


# The first thing a developer sees in the editor: where the token goes.
EXAMPLE_QUERY = """\
# Thi Đua Ledger: GraphiQL
#
# Mã xác thực (token): mở ô «Headers» ở dưới và dán
#   {"Authorization": "Bearer <mã>"}
# (mã lấy bằng: thidua token issue --province nghe-an --role auditor)
#
# Chạy truy vấn: Ctrl-Enter.

{
  viewer {
    subject
    province
    roles
  }
}
"""

PAGE = """\
<!doctype html>
<html lang="vi">
  <head>
    <meta charset="utf-8">
    <title>Thi Đua Ledger – GraphiQL</title>
    <style>
      body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
      #graphiql {{ height: 100vh; display: flex; }}
    </style>
{styles}
  </head>
  <body>
    <div id="graphiql">Đang tải GraphiQL…</div>
{scripts}
    <script>
      const fetchURL = window.location.href.split("?")[0];
      const socketURL = new URL(fetchURL);
      socketURL.protocol = socketURL.protocol === "https:" ? "wss:" : "ws:";
      socketURL.hash = "";
      const fetcher = GraphiQL.createFetcher({{
        url: fetchURL,
        subscriptionUrl: socketURL.toString(),
      }});
      const explorer = GraphiQLPluginExplorer.explorerPlugin();
      const root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(
        React.createElement(GraphiQL, {{
          fetcher: fetcher,
          defaultQuery: {example},
          plugins: [explorer],
          defaultEditorToolsVisibility: true,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
          inputValueDeprecation: true,
        }}),
      );
    </script>
  </body>
</html>
"""


@cache
def graphiql_page() -> str:
    """The GraphiQL page, loading only the files above from this server."""
    styles, scripts = [], []
    for asset in assets():
        src = html.escape(f"{ASSETS_PATH}/{asset.path}")
        integrity = html.escape(asset.integrity)
        if asset.path.endswith(".css"):
            styles.append(f'    <link rel="stylesheet" href="{src}" integrity="{integrity}">')
        else:
            scripts.append(f'    <script src="{src}" integrity="{integrity}"></script>')
    # json.dumps gives a JavaScript string literal; "</" is escaped so it cannot end the script.
    example = json.dumps(EXAMPLE_QUERY, ensure_ascii=False).replace("</", "<\\/")
    return PAGE.format(styles="\n".join(styles), scripts="\n".join(scripts), example=example)
