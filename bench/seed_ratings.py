"""Units with large staffs for `write_bulk_ratings` (xếp loại hàng tháng theo lô): each request
submits one unit's month, `--ratings-per-request` ratings (500 by default), so the seed needs
units × months × years ≥ the requests a run can send. Staff are registered through the services
command methods; scores stay inside the HTXSNV cap so no request is refused for the law's sake.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.datagen import GROUPS
from bench.load import RequestFactory
from bench.served import auth_headers, token
from bench.workloads import head_position, open_registry, provenance
from thidua.services.database import ConnectionParams

FIRST_YEAR = 2000
MAX_RATINGS_PER_S = 40_000  # what we provision for; more requests than that finds sheets taken


@dataclass(frozen=True)
class RatingsSeed:
    province: str
    units: list[str]
    staff: dict[str, list[str]]  # unit -> staff keys
    years: int
    position: int

    def months(self) -> int:
        return len(self.units) * 12 * self.years

    def request_factory(
        self, clients: int, document: str, variables: Callable[[str, int, int, dict[str, int]], Any]
    ) -> RequestFactory:
        """Client c takes sheets c, c + clients, ...: (unit, year, month) never repeats."""
        headers = {
            u: auth_headers(token(self.province, "unit_clerk", unit=u, user=f"clerk-{u}")) for u in self.units
        }
        rng = random.Random(5)

        def make(client: int, n: int) -> tuple[str, dict[str, str], bytes]:
            slot = (n * clients + client) % self.months()
            unit = self.units[slot % len(self.units)]
            month = 1 + (slot // len(self.units)) % 12
            year = FIRST_YEAR + slot // (len(self.units) * 12)
            scores = scores_within_cap(rng, self.staff[unit])
            body = {"query": document, "variables": variables(unit, year, month, scores)}
            return "/graphql", headers[unit], json.dumps(body).encode()

        return make


def group_of(index: int) -> str:
    return GROUPS[0] if index < 3 else GROUPS[1] if index < 9 else GROUPS[2]


def scores_within_cap(rng: random.Random, staff: list[str]) -> dict[str, int]:
    """Mostly HTTNV (70–89); HTXSNV only among specialists, under 20% of the HTTNV count."""
    scores = {key: rng.randint(70, 89) for key in staff}
    specialists = [key for i, key in enumerate(staff) if group_of(i) == GROUPS[2]]
    for key in rng.sample(specialists, k=min(len(specialists) // 6, len(staff) // 8)):
        scores[key] = rng.randint(90, 98)
    return scores


def seed_ratings(params: ConnectionParams, province: str, *, per_request: int, seconds: float) -> RatingsSeed:
    requests = math.ceil(MAX_RATINGS_PER_S * seconds / per_request)
    units_count = 4
    years = max(1, math.ceil(requests / (units_count * 12)))
    registry = open_registry(params, [province])
    staff: dict[str, list[str]] = {}
    try:
        app = registry.app(province)
        admin = provenance("board", "province_admin", None, date(FIRST_YEAR - 1, 12, 1))
        for u in range(units_count):
            unit = f"dv-lon-{u}"
            app.register_unit(key=unit, name=f"Đơn vị lớn {u}", by=admin)
            staff[unit] = []
            for i in range(per_request):
                key = f"{unit}-cb{i:04d}"
                app.register_staff(
                    key=key, name=f"Cán bộ {key}", unit=unit, rating_group=group_of(i), by=admin
                )
                staff[unit].append(key)
        position = head_position(params, province)
    finally:
        registry.close()
    return RatingsSeed(province, list(staff), staff, years, position)
