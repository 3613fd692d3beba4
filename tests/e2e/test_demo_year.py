"""The demo `make run` loads: every screen has data, and the invented year is marked as invented.

The database is prepared as `thidua serve --demo` prepares it (`prepare_database` with the demo
on), then served over HTTP and read through GraphQL: the invented province's standings have
totals and ranks, its staff have twelve monthly ratings, its ballots were tallied (one of them
secret), one award is decided and another revoked; the real Nghệ An records stay in their own
province, untouched by the sample.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from thidua.app.sample_year import BLOCK, SAMPLE_DEMO, SAMPLE_NAME, SAMPLE_PROVINCE, UNITS, YEAR
from thidua.services.database import ConnectionParams
from thidua.services.serving import prepare_database

STANDINGS = """query($block: String!, $year: Int!) {
  standings(blockId: $block, year: $year, atLeastPosition: 1) {
    members leadingUnits
    lines { unit name selfTotal total classification rank adjustments leading }
    ballots { key secret status cast winner }
  }
}"""


@pytest.fixture(scope="module")
def demo(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    params = create_database(pg_server)
    settings = conftest.test_settings()
    asyncio.run(prepare_database(dataclasses.replace(settings, load_demo=True), params, demo=SAMPLE_DEMO))
    served = ServedApp(settings, params)
    served.start()
    try:
        yield served
    finally:
        served.stop()
        drop_database(pg_server, params)


def auditor(served: ServedApp, province: str = SAMPLE_PROVINCE) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, "auditor", user="thanh-tra"))


def wait_for(client: GraphQLClient, query: str, variables: dict[str, Any], ready: Any) -> Any:
    """The answer once the projections have caught up with the loaded demo (a few seconds)."""
    deadline = time.monotonic() + 60
    while True:
        data = client.data(query, variables)
        if ready(data) or time.monotonic() > deadline:
            return data
        time.sleep(0.2)


def test_the_sample_years_standings_have_totals_ranks_and_tallied_ballots(demo: ServedApp) -> None:
    client = auditor(demo)
    standings = wait_for(
        client,
        STANDINGS,
        {"block": BLOCK, "year": YEAR},
        lambda d: d["standings"] and d["standings"]["leadingUnits"],
    )["standings"]
    lines = standings["lines"]
    assert [line["unit"] for line in lines] == list(UNITS)
    assert all(line["total"] is not None for line in lines)
    assert [line["rank"] for line in lines] == [1, 2, 3, 4, 5]
    assert lines[0]["total"] == 105  # 58 + 37 + the provincial flag's 10 points
    assert lines[1]["total"] == 89  # cross-checked: 55 -> 53 + 36
    assert lines[1]["adjustments"] == 1
    assert lines[0]["classification"] == "excellent"
    assert standings["leadingUnits"] == ["so-ke-hoach"]
    ballots = {b["key"]: b for b in standings["ballots"]}
    elected = ballots[f"{BLOCK}/{YEAR}/bau-khoi-truong"]
    assert (elected["secret"], elected["status"], elected["cast"], elected["winner"]) == (
        True,
        "tallied",
        5,
        "so-ke-hoach",
    )


def test_the_sample_year_has_twelve_monthly_ratings_and_a_decided_and_a_revoked_award(
    demo: ServedApp,
) -> None:
    client = auditor(demo)
    sheets = wait_for(
        client,
        'query($y: Int!) { ratingSheets(unit: "so-ke-hoach", year: $y, atLeastPosition: 1) '
        "{ nodes { month corrections scopes { scope bands } } } }",
        {"y": YEAR},
        lambda d: len(d["ratingSheets"]["nodes"]) == 12,
    )["ratingSheets"]["nodes"]
    assert [s["month"] for s in sheets] == list(range(1, 13))
    assert sum(len(s["corrections"]) for s in sheets) == 1
    decisions = wait_for(
        client,
        "{ awardDecisions(atLeastPosition: 1) { nodes { number status award revocations { ground } } } }",
        {},
        lambda d: any(n["status"] == "revoked" for n in d["awardDecisions"]["nodes"]),
    )["awardDecisions"]["nodes"]
    statuses = {d["award"]: d["status"] for d in decisions}
    assert statuses == {"co_thi_dua_ubnd_tinh": "in_force", "giay_khen": "revoked"}


def test_the_invented_province_says_so_and_the_real_records_stay_apart(demo: ServedApp) -> None:
    sample = auditor(demo).data("{ province { code name } }")["province"]
    assert sample == {"code": SAMPLE_PROVINCE, "name": SAMPLE_NAME}
    assert "bịa" in SAMPLE_NAME  # "invented", in the name every screen shows
    real = auditor(demo, "nghe-an").data("{ province { name } }")["province"]
    assert real["name"] == "Tỉnh Nghệ An"
    real_units = auditor(demo, "nghe-an").data("{ units(first: 200) { nodes { key } } }")["units"]["nodes"]
    assert not {u["key"] for u in real_units} & set(UNITS)
