"""The schema is a contract: exported SDL in step, every type and field described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from thidua.graphql.core.permissions import MATRIX
from thidua.graphql.schema import schema

ROOT = Path(__file__).resolve().parents[2]
SDL = ROOT / "graphql" / "schema.graphql"


def test_exported_sdl_matches_the_schema() -> None:
    # Regenerate with: thidua graphql export-schema > graphql/schema.graphql
    assert SDL.read_text(encoding="utf-8").strip() == schema.as_str().strip(), (
        "graphql/schema.graphql is out of date: run `thidua graphql export-schema > graphql/schema.graphql`"
    )


def test_every_type_field_and_argument_has_a_description() -> None:
    missing: list[str] = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{v}" for v, value in type_.values.items() if not value.description)
    assert not missing, f"described nowhere: {missing}"


def test_every_root_field_is_in_the_permission_matrix() -> None:
    roots = [schema._schema.query_type, schema._schema.mutation_type, schema._schema.subscription_type]
    names = {f for root in roots if root is not None for f in root.fields}
    assert names - {"viewer"} <= set(MATRIX), sorted(names - {"viewer"} - set(MATRIX))


def test_published_permission_matrix_is_the_enforced_one() -> None:
    from thidua.graphql.core.permissions_doc import render

    published = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert published == render(), (
        "docs/permissions.md is out of date: run "
        "`python -m thidua.graphql.core.permissions_doc > docs/permissions.md`"
    )


async def test_introspection_is_off_when_graphiql_is_off_as_in_production() -> None:
    from thidua.graphql.schema import build_schema
    from thidua.services.settings import Settings

    secret = "q8Zr1vXk3NwT5yLb7PdC9fHj2sGm4AeU"  # random-looking, as production needs
    production = Settings.from_env(
        {"THIDUA_ENV": "production", "DATABASE_URL": "postgresql://x@h/db", "THIDUA_JWT_SECRET": secret}
    )
    assert production.http.graphiql is False
    closed = await build_schema(introspection=production.http.graphiql).execute(
        "{ __schema { types { name } } }"
    )
    assert closed.errors
    opened = await build_schema(introspection=True).execute("{ __schema { queryType { name } } }")
    assert opened.errors is None
