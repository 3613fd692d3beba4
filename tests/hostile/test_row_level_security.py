"""Row-level defence in the database (bảo vệ theo dòng): a read-model query that forgets its
province filter returns nothing, tested directly with asyncpg on every read-model table."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from tests.hostile import figures
from tests.hostile.world import MARK, A, B, World
from thidua.projections.access import province_reader
from thidua.projections.catalogue import all_projections
from thidua.projections.ddl import READER_ROLE, SCHEMA
from thidua.projections.lookup.projection import SEARCH_FUNCTION
from thidua.projections.lookup.projection import TABLE as LOOKUP
from thidua.services.runtime import keep_session
from thidua.services.tenancy import schema_for


@pytest.fixture
async def conn(world: World) -> AsyncIterator[Any]:
    connection = await asyncpg.connect(**world.params.asyncpg_kwargs())
    try:
        yield connection
    finally:
        await connection.close()


async def _tables(conn: Any) -> list[str]:
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        SCHEMA,
    )
    return [r["relname"] for r in rows]


async def _count_as_reader(conn: Any, table: str, province: str | None, where: str = "") -> int:
    async with conn.transaction():
        await conn.execute(f"SET LOCAL ROLE {READER_ROLE}")
        if province is not None:
            await conn.execute("SELECT set_config('thidua.province', $1, true)", province)
        return int(await conn.fetchval(f'SELECT count(*) FROM {SCHEMA}."{table}" {where}'))


async def test_every_read_model_table_has_row_level_security_and_the_province_policy(conn: Any) -> None:
    tables = await _tables(conn)
    assert len(tables) >= 4, tables
    rows = await conn.fetch(
        "SELECT c.relname, c.relrowsecurity, "
        "  EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = $1 AND p.tablename = c.relname "
        "          AND p.qual LIKE '%current_setting(''thidua.province''%') AS has_policy "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')",
        SCHEMA,
    )
    unprotected = [r["relname"] for r in rows if not (r["relrowsecurity"] and r["has_policy"])]
    assert not unprotected
    bypass = await conn.fetchval(
        "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = $1", READER_ROLE
    )
    assert bypass is False


async def test_a_query_without_a_province_setting_returns_nothing_from_any_table(conn: Any) -> None:
    tables = await _tables(conn)
    seen_as_owner = 0
    for table in tables:
        owner_rows = int(await conn.fetchval(f'SELECT count(*) FROM {SCHEMA}."{table}"'))
        seen_as_owner += owner_rows > 0
        assert await _count_as_reader(conn, table, None) == 0, table
        # An empty or forged setting is no better than none.
        assert await _count_as_reader(conn, table, "") == 0, table
        assert await _count_as_reader(conn, table, f"{B}' OR '1'='1") == 0, table
        figures.add("rls_tables_checked")
        figures.add("hostile_cases", 3)
    assert seen_as_owner >= 2, "the seeded provinces should have filled some read models"


async def test_every_projections_tables_are_covered_and_the_look_up_holds_rows_of_a(conn: Any) -> None:
    tables = set(await _tables(conn))
    expected = {spec.name for p in all_projections() for spec in p.tables}
    assert expected <= tables, expected - tables
    assert await _count_as_reader(conn, LOOKUP, A) > 0  # the seeded decision of A
    assert await _count_as_reader(conn, LOOKUP, B, f"WHERE province = '{A}'") == 0


async def _search_as_reader(conn: Any, province: str | None, words: str) -> list[str]:
    """The provinces of the rows the look-up's search function gives a reader (a search for
    everything A's seeded decision names)."""
    async with conn.transaction():
        await conn.execute(f"SET LOCAL ROLE {READER_ROLE}")
        if province is not None:
            await conn.execute("SELECT set_config('thidua.province', $1, true)", province)
        rows = await conn.fetch(
            f"SELECT province FROM {SCHEMA}.{SEARCH_FUNCTION}($1::tsquery, NULL, NULL, NULL, NULL, "
            "NULL, NULL, NULL, NULL, NULL, NULL, 1000)",
            words,
        )
    return [r["province"] for r in rows]


async def test_the_look_up_search_function_keeps_to_the_province_set_like_the_policy(conn: Any) -> None:
    # The function runs as the tables' owner (the GIN index is unusable under RLS), so it must
    # apply the policy's condition itself: nothing without a setting, nothing of A for B.
    everything = f"'{MARK.lower()}':*"
    assert await _search_as_reader(conn, A, everything) == [A]
    for province in (None, "", B, f"{B}' OR '1'='1"):
        assert await _search_as_reader(conn, province, everything) == [], province
        figures.add("hostile_cases")
    public = await conn.fetchval(
        "SELECT has_function_privilege('public', p.oid, 'EXECUTE') FROM pg_proc p WHERE p.proname = $1",
        SEARCH_FUNCTION,
    )
    assert public is False


async def test_another_provinces_setting_never_shows_a_row_of_the_first(conn: Any) -> None:
    for table in await _tables(conn):
        assert await _count_as_reader(conn, table, B, f"WHERE province = '{A}'") == 0, table
        mine = await _count_as_reader(conn, table, B)
        others = await _count_as_reader(conn, table, B, f"WHERE province <> '{B}'")
        assert others == 0, table
        assert mine >= 0, table


async def test_the_province_reader_leaves_nothing_behind_on_a_pooled_connection(conn: Any) -> None:
    async with province_reader(conn, A) as reader:
        assert await reader.fetchval("SELECT current_setting('thidua.province', true)") == A
    assert await conn.fetchval("SELECT current_user") != READER_ROLE
    assert await conn.fetchval("SELECT coalesce(current_setting('thidua.province', true), '')") == ""
    for table in await _tables(conn):
        assert await _count_as_reader(conn, table, None) == 0, table


@pytest.mark.parametrize("code", ["a'; RESET ROLE; SELECT '", "a\\'; RESET ROLE; --", "tỉnh-\\x27"])
async def test_a_province_code_with_quotes_or_backslashes_is_set_verbatim_and_stays_the_reader(
    conn: Any, code: str
) -> None:
    """The role and the province are set in one simple query with the code as a literal: a
    code that tries to end the literal is stored as it is and changes nothing else."""
    async with province_reader(conn, code) as reader:
        assert await reader.fetchval("SELECT current_setting('thidua.province', true)") == code
        assert await reader.fetchval("SELECT current_user") == READER_ROLE


async def test_the_read_pool_without_its_reset_statements_still_hands_out_clean_connections(
    world: World,
) -> None:
    """The read pool skips asyncpg's reset statements on release (`keep_session`): a reader's
    role and province end with its transaction, and one left unfinished is rolled back."""
    pool = await asyncpg.create_pool(
        min_size=1, max_size=1, reset=keep_session, **world.params.asyncpg_kwargs()
    )
    try:
        async with province_reader(pool, A) as reader:
            assert await reader.fetchval("SELECT current_user") == READER_ROLE
        async with pool.acquire() as conn:
            await conn.execute("BEGIN; SET LOCAL ROLE " + READER_ROLE)
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT current_user") != READER_ROLE
            assert await conn.fetchval("SELECT coalesce(current_setting('thidua.province', true), '')") == ""
    finally:
        await pool.close()


async def _fail_inside_a_reader(conn: Any) -> None:
    async with province_reader(conn, A) as reader:
        await reader.fetchval("SELECT 1")
        raise ZeroDivisionError


async def test_a_province_reader_refuses_a_connection_in_a_transaction_and_ends_its_own(conn: Any) -> None:
    async with conn.transaction():
        with pytest.raises(asyncpg.InterfaceError):
            await _fail_inside_a_reader(conn)
    with pytest.raises(ZeroDivisionError):
        await _fail_inside_a_reader(conn)
    assert not conn.is_in_transaction()
    async with province_reader(conn, A) as reader:
        assert await reader.fetchval("SELECT current_setting('thidua.province', true)") == A
    assert not conn.is_in_transaction()


async def test_the_reader_role_can_neither_read_the_ledger_nor_write_read_models(conn: Any) -> None:
    for statement in (
        f"SELECT count(*) FROM {schema_for(A)}.ledger_events",
        "SELECT count(*) FROM platform.provinces",
        f"DELETE FROM {SCHEMA}.tracking",
        f"UPDATE {SCHEMA}.tracking SET position = 0",
    ):
        async with conn.transaction():
            await conn.execute(f"SET LOCAL ROLE {READER_ROLE}")
            await conn.execute("SELECT set_config('thidua.province', $1, true)", A)
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
        figures.add("hostile_cases")
