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
    "no-pre-ping": "POSTGRES_PRE_PING off for the province pools (services/registry.py)",
    "both": "graphql-caches and no-pre-ping together",
    "no-kept-answers": "standings answers never kept (graphql/controller.py): every query executes",
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


def _no_pre_ping() -> None:
    from thidua.services import province_app  # noqa: PLC0415

    cls = province_app.ProvinceApplication
    original = cls.__init__

    def without_pre_ping(self: Any, province: str, env: Any = None) -> None:
        original(self, province, env={**(env or {}), "POSTGRES_PRE_PING": "n"})

    cls.__init__ = without_pre_ping  # type: ignore[method-assign]


def _no_kept_answers() -> None:
    from thidua.graphql import controller  # noqa: PLC0415

    async def never(self: Any, request: Any) -> None:
        return None

    controller.KeptAnswers.before_request = never  # type: ignore[method-assign]


def _both() -> None:
    _graphql_caches()
    _no_pre_ping()


PATCHES: dict[str, Callable[[], None]] = {
    "graphql-caches": _graphql_caches,
    "no-pre-ping": _no_pre_ping,
    "both": _both,
    "no-kept-answers": _no_kept_answers,
}


def main() -> None:
    name = sys.argv[1]
    PATCHES[name]()  # before the app factory imports build_schema
    sys.argv = ["thidua", *sys.argv[2:]]
    from thidua.app.cli import cli  # noqa: PLC0415

    cli()


if __name__ == "__main__":
    main()
