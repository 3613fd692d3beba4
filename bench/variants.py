"""Product variants for what-if measurements (`--variant NAME`): the product as served by
`thidua serve`, with one proposed change patched in at start-up, so a suggestion to another
engineer comes with its measured effect. Never used for the reported product figures unless
asked; the results record which variant ran.

    python -m bench.variants graphql-caches serve --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

VARIANTS: dict[str, str] = {
    "graphql-caches": "strawberry ParserCache + ValidationCache on the schema (graphql/schema.py)",
}


def _graphql_caches() -> None:
    from strawberry.extensions import ParserCache, ValidationCache  # noqa: PLC0415

    from thidua.graphql import schema as module  # noqa: PLC0415

    original: Callable[..., Any] = module.build_schema

    def build_schema(*args: Any, **kwargs: Any) -> Any:
        schema = original(*args, **kwargs)
        schema.extensions = [
            *schema.extensions,
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ]
        return schema

    module.build_schema = build_schema


PATCHES: dict[str, Callable[[], None]] = {"graphql-caches": _graphql_caches}


def main() -> None:
    name = sys.argv[1]
    PATCHES[name]()  # before the app factory imports build_schema
    sys.argv = ["thidua", *sys.argv[2:]]
    from thidua.services.cli.main import cli  # noqa: PLC0415

    cli()


if __name__ == "__main__":
    main()
