"""A block year worth showing (bảng xếp hạng khối): `--block-units` member units (20 by
default) with a 100-point scoring table, every unit self-assessed, some cross-check adjustments,
each unit classified, officers chosen and a vote on the leading unit tallied; all through the
services commands. The standings cases query it; `freshness` adjusts its scores."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bench.workloads import head_position, open_registry, provenance
from thidua.domain.rule_values import NGHE_AN_BANDS, plain
from thidua.services.database import ConnectionParams

BLOCK = "khoi-xep-hang"
CRITERIA = [
    {"code": f"tc{n}", "group": f"Nhóm {n}", "name": f"Tiêu chí {n}", "max_points": 20} for n in range(1, 6)
]
BONUS = [
    {"code": "co-tinh", "name": "Cờ thi đua của UBND tỉnh", "points": 10},
    {"code": "co-chinh-phu", "name": "Cờ thi đua của Chính phủ", "points": 15},
]
DEDUCTIONS = [{"code": "cham-bao-cao", "name": "Chậm báo cáo", "points": 2}]


@dataclass(frozen=True)
class StandingsBlock:
    province: str
    block: str
    year: int
    units: list[str]
    position: int


def seed_standings(params: ConnectionParams, province: str, units: int, *, blocks: int = 1) -> StandingsBlock:
    """`blocks` block years of `units` units each (freshness spreads its writes over several);
    the first is the one queried. Returns the first block's description."""
    rng = random.Random(11)
    year = datetime.now(UTC).year
    registry = open_registry(params, [province])
    try:
        app = registry.app(province)
        admin = provenance("board", "province_admin", None, date(year, 1, 5))
        # Unit score bands are a province's rule, not national law: the bench province adopts
        # Nghệ An's (its draft) before classifying.
        app.adopt_rules(version="bench-bands", effective_from=date(year, 1, 5),
                        legal_basis="Thang điểm đo tải (theo dự thảo của Nghệ An)",
                        overrides={"unit_bands": plain(NGHE_AN_BANDS)}, by=admin)
        first: list[str] = []
        for b in range(blocks):
            block = BLOCK if b == 0 else f"{BLOCK}-{b}"
            members = [f"{block}-dv{n:02d}" for n in range(units)]
            first = first or members
            for unit in members:
                app.register_unit(key=unit, name=f"Đơn vị {unit}", by=admin)
            app.create_block(key=block, name=f"Khối thi đua {b}", kind="block", by=admin)
            app.open_block_year(block=block, year=year, members=members, members_claimed=units, by=admin)
            app.adopt_scoring_table(block=block, year=year, criteria=CRITERIA, bonus_items=BONUS,
                                    deduction_items=DEDUCTIONS, by=admin)
            app.choose_officers(block=block, year=year, leader=members[0], deputy=members[1],
                                method="acclamation", ballot=None, chosen_in_year=year, by=admin)
            for unit in members:
                clerk = provenance(f"clerk-{unit}", "unit_clerk", unit, date(year, 11, 20))
                scores = {str(c["code"]): float(rng.randint(14, 20)) for c in CRITERIA}
                bonuses = ["co-tinh"] if rng.random() < 0.3 else []
                app.self_assess(block=block, year=year, unit=unit, scores=scores, bonuses=bonuses,
                                deductions=[], by=clerk)
            for unit in members[::4]:
                app.adjust_score(block=block, year=year, unit=unit, item_kind="criterion", item="tc1",
                                 new_points=13.0, reason="Thẩm định chéo: thiếu minh chứng", by=admin)
            for unit in members:
                app.classify_unit(block=block, year=year, unit=unit, by=admin)
            ballot = f"{block}/{year}/dan-dau"
            app.open_ballot(key=ballot, purpose="leading_units", subject=None, award=None, secret=False,
                            question="elect", electorate="block_members", block=block, year=year,
                            options=members[:3], by=admin)
            for unit in members:
                voter = provenance(f"clerk-{unit}", "unit_clerk", unit, date(year, 12, 20))
                app.cast_open_vote(key=ballot, voter=unit, choice=members[rng.randrange(3)], by=voter)
            app.close_ballot(key=ballot, present=None, by=admin)
            app.tally_ballot(key=ballot, tie_break_scores=None, by=admin)
            app.choose_leading_units(block=block, year=year, units=[members[0]], method="vote",
                                     ballot=ballot, by=admin)
        position = head_position(params, province)
    finally:
        registry.close()
    return StandingsBlock(province, BLOCK, year, first, position)
