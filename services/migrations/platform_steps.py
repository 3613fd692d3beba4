"""The platform schema's steps, in order (`platform.schema_migrations` records them).

Adding one: append `Step(<next version>, "<what it does>", <function>)` below; never edit a
released step (README, "Adding a schema change").
"""

from __future__ import annotations

from thidua.projections.ddl import BASE_DDL, DDL_LOCK, TRACKING_ISOLATION
from thidua.services.migrations.steps import PlatformContext, Step, check_series

# As the release before versioning (cac36b0) created it, statement for statement (idempotent).
BASELINE_DDL = """
CREATE SCHEMA IF NOT EXISTS platform;
CREATE TABLE IF NOT EXISTS platform.provinces (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    schema_name text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL
);
-- One row, rewritten by every /ready: the readiness probe is a real write (services/readiness.py).
CREATE TABLE IF NOT EXISTS platform.readiness (
    id         int PRIMARY KEY CHECK (id = 1),
    checked_at timestamptz NOT NULL
);
"""


def baseline(ctx: PlatformContext) -> None:
    """The platform tables, and what every read model shares: the reader role, the `readmodel`
    schemas and the tracking table with its row-level security (`projections.ddl`, pinned with
    the rest of the baseline). The projections' own tables carry their version in their name
    and are built from the events, not migrated."""
    ctx.conn.execute(BASELINE_DDL.encode())
    # `ensure_readmodel` runs the same statements under its own lock: take it too, so the two
    # never race on CREATE SCHEMA (always after the schema lock, so never the other way round).
    ctx.conn.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK,))
    for statement in [*BASE_DDL, *TRACKING_ISOLATION]:
        ctx.conn.execute(statement.encode())


def successions(ctx: PlatformContext) -> None:
    """The lineage of merged provinces (services/mergers.py): each predecessor, its successor,
    the merger's date and basis, and the head its ledger was closed at."""
    ctx.conn.execute(
        b"""
        CREATE TABLE IF NOT EXISTS platform.successions (
            predecessor   text PRIMARY KEY REFERENCES platform.provinces (code),
            successor     text NOT NULL REFERENCES platform.provinces (code),
            effective_on  date NOT NULL,
            basis         text NOT NULL,
            head_hash     text NOT NULL,
            head_position bigint NOT NULL,
            recorded_at   timestamptz NOT NULL DEFAULT now(),
            recorded_by   text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS successions_successor ON platform.successions (successor);
        """
    )


def province_servers(ctx: PlatformContext) -> None:
    """Each province's database server, by the name the configuration gives it
    (services/servers.py); every province before this step lives on the main server."""
    ctx.conn.execute(
        b"ALTER TABLE platform.provinces ADD COLUMN IF NOT EXISTS server text NOT NULL DEFAULT 'main'"
    )


PLATFORM_STEPS: list[Step[PlatformContext]] = [
    Step(1, "baseline: provinces, readiness, the read model's role, schemas and tracking", baseline),
    Step(2, "successions: the lineage of merged provinces (sáp nhập tỉnh)", successions),
    Step(3, "province servers: the database server each province lives on", province_servers),
]
check_series(PLATFORM_STEPS)
