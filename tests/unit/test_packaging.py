"""The repository's folders map into one `thidua` namespace without hiding graphql-core."""

from __future__ import annotations

import tomllib
from pathlib import Path

import graphql

ROOT = Path(__file__).resolve().parents[2]


def test_graphql_core_is_not_shadowed_by_our_graphql_folder() -> None:
    assert "site-packages" in (graphql.__file__ or "")
    assert not (ROOT / "graphql" / "__init__.py").exists()


def test_our_graphql_package_imports_under_the_namespace() -> None:
    import thidua.graphql.schema

    assert Path(thidua.graphql.schema.__file__).parent == ROOT / "graphql"


def test_every_layer_loads_from_its_own_folder_not_from_the_tools_symlink_tree() -> None:
    import thidua.app
    import thidua.domain
    import thidua.projections
    import thidua.services

    for package, folder in (
        (thidua.app, "app"),
        (thidua.domain, "domain"),
        (thidua.projections, "projections"),
        (thidua.services, "services"),
    ):
        assert Path(package.__file__ or "").parent == ROOT / folder


def test_every_python_folder_is_listed_as_a_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    mapping = config["tool"]["setuptools"]["package-dir"]
    expected = set()
    for package, folder in mapping.items():
        for path in (ROOT / folder).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            relative = path.parent.relative_to(ROOT / folder)
            expected.add(".".join([package, *relative.parts]))
    assert expected <= listed, f"add to [tool.setuptools] packages: {sorted(expected - listed)}"
