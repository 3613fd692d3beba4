"""A province with rows in every connection (đơn vị, khối, bỏ phiếu, đề nghị, quyết định, phiếu
xếp loại), seeded once per session through the services, for the cursor and query sweeps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tests.hostile.world import World, wait_projected_at
from thidua.domain.provenance import Actor, Provenance
from thidua.services.registry import ProvinceRegistry

UNITS = ["dv-a", "dv-b", "dv-c"]
STAFF = "cb-a"
YEAR = 2025


@dataclass
class Paged:
    """The province the connections page through, and the arguments each one needs."""

    province: str
    token: str
    values: dict[str, Any]  # arguments a connection needs to have rows (ratingSheets: a unit, a year)
    keys: list[str]  # keys of its records, for strategies that should sometimes hit one


def _by(on: date) -> Provenance:
    return Provenance(Actor("cursor-seed", "province_admin", None), datetime.now(UTC), on, "cursor-seed")


def seed_paged(world: World) -> Paged:
    """A province where every connection has rows: units, blocks, ballots, proposals, a decision,
    three months of ratings, and their audit trail."""
    province = f"cursors-{uuid.uuid4().hex[:6]}"
    registry = ProvinceRegistry(world.params)
    try:
        registry.create_province(province, "Tỉnh thử con trỏ", created_by="hostile-test")
        app = registry.app(province)
        start = _by(date(YEAR, 1, 2))
        for unit in UNITS:
            app.register_unit(key=unit, name=f"Đơn vị {unit}", by=start)
        for block in ("khoi-1", "khoi-2"):
            app.create_block(key=block, name=f"Khối {block}", kind="block", by=start)
        app.open_block_year(block="khoi-1", year=YEAR, members=UNITS, members_claimed=None, by=start)
        for n in (1, 2):
            app.record_ballot_without_figures(
                key=f"khoi-1/{YEAR}/phieu-{n}",
                purpose="classification",
                subject=f"khoi-1/{YEAR}",
                note="Không có số liệu.",
                by=start,
            )
        for unit in UNITS[:2]:
            app.submit_proposal(
                key=f"ttr-{unit}",
                proposer="khoi-1",
                year=YEAR,
                award="giay_khen",
                authority="head_of_agency",
                recipient_kind="unit",
                recipient=unit,
                achievement=None,
                dossier={},
                by=_by(date(YEAR, 12, 1)),
            )
        app.record_decision(
            number="1/QĐ-UBND",
            signer="Chủ tịch",
            authority="head_of_agency",
            award="giay_khen",
            year=YEAR,
            recipients=[("unit", UNITS[2])],
            claimed_count=None,
            proposals=[],
            historical=True,
            by=_by(date(YEAR, 1, 3)),
        )
        app.register_staff(key=STAFF, name="Cán bộ A", unit=UNITS[0], rating_group="specialists", by=start)
        last = 0
        for month in (1, 2, 3):
            last = app.submit_rating_sheet(
                unit=UNITS[0], year=YEAR, month=month, scores={STAFF: 80}, by=_by(date(YEAR, month + 1, 2))
            )
    finally:
        registry.close()
    wait_projected_at(world.served, province, last)
    token = world.bearer(province, "province_admin", "auditor")
    keys = [*UNITS, STAFF, "khoi-1", "khoi-2", f"khoi-1/{YEAR}/phieu-1", "ttr-dv-a", "1/QĐ-UBND"]
    return Paged(province, token, {"year": YEAR, "unit": UNITS[0]}, keys)
