"""The platform schema's steps, in order (`platform.schema_migrations` records them).

Adding one: append `Step(<next version>, "<what it does>", <function>)` below; never edit a
released step (README, "Adding a schema change").
"""

from __future__ import annotations

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
    ctx.conn.execute(BASELINE_DDL.encode())


PLATFORM_STEPS: list[Step[PlatformContext]] = [
    Step(1, "baseline: provinces and readiness", baseline),
]
check_series(PLATFORM_STEPS)
