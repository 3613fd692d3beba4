"""DataLoaders make the cost of a page fixed: 5 units or 50, with their blocks and block names,
cost the same number of SQL statements (counted on every connection of the read pool)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import asyncpg

from thidua.domain.provenance import Actor, Provenance
from thidua.graphql.context import GraphQLContext
from thidua.graphql.schema import schema
from thidua.services.auth import Principal, Role
from thidua.services.projection_host import ProjectionHost
from thidua.services.province_app import ProvinceApplication
from thidua.services.runtime import Runtime

PROVINCE = "nghe-an"
# A literal page size: the cost limit counts a variable `first` as the largest page (200).
PAGE = """query {
  units(first: FIRST) {
    nodes { key name blocks { year leader block { key name kind } } }
    pageInfo { hasNextPage }
  }
}"""


def seed(app: ProvinceApplication) -> int:
    """60 units in 6 blocks of 10, one year each: every unit has a block with a name."""
    by = Provenance(Actor("ban", "province_admin", None), datetime.now(UTC), date(2025, 1, 5), "seed")
    for i in range(60):
        app.register_unit(key=f"u{i:02d}", name=f"Đơn vị {i}", by=by)
    position = 0
    for b in range(6):
        app.create_block(key=f"k{b}", name=f"Khối {b}", kind="block", by=by)
        members = [f"u{i:02d}" for i in range(b * 10, b * 10 + 10)]
        position = app.open_block_year(block=f"k{b}", year=2025, members=members, members_claimed=None, by=by)
    return position


async def test_a_page_of_units_with_their_blocks_costs_a_fixed_number_of_queries(runtime: Runtime) -> None:
    await runtime.run_sync(
        lambda: runtime.registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    )
    head = await runtime.run_command(PROVINCE, seed)
    host = ProjectionHost(runtime.params, runtime.registry, poll_s=0.1)
    await host.start()
    statements: list[str] = []

    async def count_on(conn: Any) -> None:
        conn.add_query_logger(lambda logged: statements.append(logged.query))

    counting = await asyncpg.create_pool(
        min_size=1, max_size=4, init=count_on, **runtime.params.asyncpg_kwargs()
    )
    plain, runtime.read_pool = runtime.read_pool, counting
    try:
        await host.wait_for(PROVINCE, head, 30)
        principal = Principal("thanh-tra", PROVINCE, frozenset({Role.AUDITOR}))

        async def cost(first: int) -> tuple[int, Any]:
            context = GraphQLContext(
                runtime=runtime, principal=principal, auth_error=None, request_id="t", loaders={}
            )
            statements.clear()
            result = await schema.execute(PAGE.replace("FIRST", str(first)), context_value=context)
            assert result.errors is None, result.errors
            return len(statements), result.data

        small, _ = await cost(5)
        large, data = await cost(50)
    finally:
        runtime.read_pool = plain
        await counting.close()
        await host.stop()
    units = data["units"]["nodes"]
    assert len(units) == 50
    assert data["units"]["pageInfo"]["hasNextPage"] is True
    assert units[49]["blocks"] == [
        {"year": 2025, "leader": None, "block": {"key": "k4", "name": "Khối 4", "kind": "block"}}
    ]
    assert large == small  # one query per level (page, block-years, blocks), whatever the page size
    # Three reads, each one transaction of four statements on this counting pool: the opening
    # (BEGIN, the reader role and the province in one simple query), the SELECT, COMMIT, and
    # the plain pool's reset on release (the runtime's own read pool skips that reset).
    assert large == 3 * 4
