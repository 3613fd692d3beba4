"""The vendored GraphiQL files are exactly the pinned packages' files, each with its licence."""

from __future__ import annotations

import base64
import hashlib

from thidua.graphql.graphiql import ASSETS_DIR, assets, graphiql_page


def test_every_vendored_file_matches_its_pinned_digest_and_ships_its_licence() -> None:
    listed = assets()
    assert {a.package for a in listed} == {"react", "react-dom", "graphiql", "@graphiql/plugin-explorer"}
    for asset in listed:
        data = (ASSETS_DIR / asset.path).read_bytes()
        digest = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        assert digest == asset.integrity, f"{asset.path} is not the pinned file"
        assert asset.version in asset.path  # versioned paths: a browser may keep them
        assert "MIT License" in (ASSETS_DIR / asset.license_file).read_text(encoding="utf-8")


def test_the_page_loads_react_before_graphiql_and_the_explorer_last() -> None:
    page = graphiql_page()
    names = ("react.production", "react-dom.production", "graphiql.min.js", "index.umd.js")
    order = [page.index(name) for name in names]
    assert order == sorted(order)
