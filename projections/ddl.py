"""The read-model schema (`readmodel`), its tracking table, and row-level isolation per province.

Every read-model row carries `province`. Reads go through `access.province_reader`, which runs
as the NOLOGIN role `thidua_reader` with `thidua.province` set for the transaction; the policy
below then shows that province's rows and nothing else (a forgotten filter returns nothing).
Writers connect as the owning user, which row-level security does not restrict.
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.projections.names import quote_ident

SCHEMA = "readmodel"
BUILD_SCHEMA = "readmodel_build"
READER_ROLE = "thidua_reader"
DDL_LOCK = 7302  # advisory lock: two processes must not race on CREATE SCHEMA / ROLE

BASE_DDL = [
    # Roles are cluster-wide: tests create many databases at once, so a concurrent creation is
    # expected and harmless.
    f"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
            CREATE ROLE {READER_ROLE} NOLOGIN;
        END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$
    """,
    # A non-superuser owner must be a member to SET ROLE; superusers already may.
    f"""
    DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            EXECUTE format('GRANT {READER_ROLE} TO %I', current_user);
        END IF;
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$
    """,  # noqa: S608 - the role name is our constant
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"CREATE SCHEMA IF NOT EXISTS {BUILD_SCHEMA}",
    f"GRANT USAGE ON SCHEMA {SCHEMA} TO {READER_ROLE}",
    f"""
    CREATE TABLE IF NOT EXISTS {SCHEMA}.tracking (
        province   text   NOT NULL,
        projection text   NOT NULL,
        version    int    NOT NULL,
        position   bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province, projection, version)
    )
    """,
]


@dataclass(frozen=True)
class Target:
    """Where a projection writes: the live tables, or a build beside them for one province."""

    schema: str = SCHEMA
    suffix: str = ""

    def table(self, name: str) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(name + self.suffix)}"

    @property
    def live(self) -> bool:
        return self.schema == SCHEMA and not self.suffix


LIVE = Target()


def build_target(province: str) -> Target:
    return Target(BUILD_SCHEMA, "__" + province.replace("-", "_"))


def isolate(table: str) -> list[str]:
    """Statements that make `readmodel.<table>` readable by the reader role for one province."""
    qualified = f"{SCHEMA}.{quote_ident(table)}"
    return [
        f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY",
        f"GRANT SELECT ON {qualified} TO {READER_ROLE}",
        f"DROP POLICY IF EXISTS province_isolation ON {qualified}",
        f"""CREATE POLICY province_isolation ON {qualified} FOR SELECT TO {READER_ROLE}
            USING (province = current_setting('thidua.province', true))""",
    ]


TRACKING_ISOLATION = isolate("tracking")
