"""Public holidays over the API: recorded by the province admin, skipped by the disclosure window.

A state-level proposal published on Friday 13 February 2026, just before the Tết days off of the
government's notice (16 to 20 February), has ten working days of disclosure ending on 6 March,
not 27 February; the awards register shows that date, and the audit trail shows the declaration.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.test_graphql_whole_year import PROVINCE, Province
from thidua.services.database import ConnectionParams

TET_2026 = [f"2026-02-{d}" for d in range(16, 21)]

DECLARE = """mutation($input: DeclarePublicHolidaysInput!) {
  declarePublicHolidays(input: $input) { ok }
}"""

PROPOSALS = """query($at: Int) {
  awardProposals(atLeastPosition: $at) { edges { node { key status timeline { status detail } } } }
}"""


@pytest.fixture
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


def test_declared_holidays_lengthen_the_disclosure_window(served: ServedApp) -> None:
    p = Province(served)
    declare = {"year": 2026, "days": TET_2026, "legalBasis": "TB 05/TB-VPCP", "effectiveOn": "2026-01-05"}
    clerk = p.clerk("so-noi-vu")  # only the province admin records the calendar
    assert clerk.error_code(DECLARE, {"input": declare}) == "FORBIDDEN"
    p.ok(p.admin, "declarePublicHolidays", declare)
    # The same year again: a correction, refused without a reason, recorded with one.
    corrected = {**declare, "days": [*TET_2026, "2026-04-27"]}
    assert p.refused(p.admin, "declarePublicHolidays", corrected) == "REASON_REQUIRED"
    assert p.refused(p.admin, "declarePublicHolidays", {**declare, "days": ["2025-12-31"]}) == (
        "HOLIDAY_OUTSIDE_YEAR"
    )
    p.ok(p.admin, "declarePublicHolidays", {**corrected, "reason": "Nghỉ bù Giỗ Tổ Hùng Vương"})
    p.ok(p.admin, "registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ", "effectiveOn": "2020-01-01"})
    p.ok(
        p.officer,
        "proposeAward",
        {
            "key": "ttr-09",
            "proposer": "khoi-noi-chinh",
            "year": 2025,
            "award": "co_thi_dua_chinh_phu",
            "authority": "prime_minister",
            "recipient": {"kind": "unit", "key": "so-noi-vu"},
            "achievement": "so-noi-vu-2025",
            "dossier": [{"name": "minutes", "value": "BB 01/2026"}],
            "effectiveOn": "2026-02-12",
        },
    )
    p.ok(
        p.admin,
        "openDisclosure",
        {"proposal": "ttr-09", "channel": "Cổng thông tin tỉnh", "effectiveOn": "2026-02-13"},
    )
    node = p.read(PROPOSALS)["awardProposals"]["edges"][0]["node"]
    disclosed = [s for s in node["timeline"] if s["status"] == "disclosed"]
    assert disclosed[0]["detail"]["comment_until"] == "2026-03-06"
