"""A province seeded for the role-scope tests: two blocks with officers on the record, staff in
two units, open ballots of each block and of the council, a proposal by each block.

Everything a scope decision reads is fixed here and named by a constant, so a test (and the
permission matrix's oracle) can say what the answer must be without asking the product.

    block B1 (2025): members U1, U2, U4; Khối trưởng U1, Khối phó U4; ballot BALLOT_B1; proposal P1
    block B2 (2025): members U3, U6;     Khối trưởng U3, Khối phó U6; ballot BALLOT_B2; proposal P2
    units U1 and U2 each submit a proposal of their own: P3 and P4 (the submitting unit's clerk
    resubmits and recalls it)
    U5 belongs to no block; staff S1 in U1, S2 in U2, S3 in U3 (and S9 in U3, only ever transferred)
    council: M0, M1, M2; ballot BALLOT_COUNCIL
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import jwt

from tests.conftest import TEST_SECRET
from tests.hostile.world import World
from thidua.domain.provenance import Actor, Provenance
from thidua.services.registry import ProvinceRegistry

YEAR = 2025
U1, U2, U3, U4, U5, U6 = (f"don-vi-{n}" for n in ("mot", "hai", "ba", "bon", "nam", "sau"))
UNITS = (U1, U2, U3, U4, U5, U6)
B1, B2 = "khoi-mot", "khoi-hai"
MEMBERS = {B1: (U1, U2, U4), B2: (U3, U6)}
OFFICERS = {B1: (U1, U4), B2: (U3, U6)}  # (Khối trưởng, Khối phó) in YEAR
S1, S2, S3, S9 = "can-bo-mot", "can-bo-hai", "can-bo-ba", "can-bo-chin"
STAFF_UNIT = {S1: U1, S2: U2, S3: U3, S9: U3}
M0, M1, M2 = "m0", "m1", "m2"
BALLOT_B1, BALLOT_B2, BALLOT_COUNCIL = "phieu-khoi-mot", "phieu-khoi-hai", "phieu-hoi-dong"
BALLOT_BLOCK = {BALLOT_B1: B1, BALLOT_B2: B2}
P1, P2 = "ttr-mot", "ttr-hai"
PROPOSAL_BLOCK = {P1: B1, P2: B2}
P3, P4 = "ttr-ba", "ttr-bon"
PROPOSAL_UNIT = {P3: U1, P4: U2}
MOVEMENT = "phong-trao"
NOT_REGISTERED = "don-vi-khong-co"


def _by(role: str = "province_admin", user: str = "seed", unit: str | None = None) -> Provenance:
    return Provenance(Actor(user, role, unit), datetime.now(UTC), date(YEAR, 12, 10), f"seed-{uuid.uuid4()}")


def seed_scoped_province(world: World, code: str, name: str) -> int:
    """Create and seed province `code` in the world's database (through the services layer);
    returns its head position."""
    registry = ProvinceRegistry(world.params)
    try:
        registry.create_province(code, name, created_by="op")
        app = registry.app(code)
        admin = _by()
        for unit in UNITS:
            app.register_unit(key=unit, name=f"Đơn vị {unit}", by=admin)
        for staff, unit in STAFF_UNIT.items():
            app.register_staff(
                key=staff, name=f"Cán bộ {staff}", unit=unit, rating_group="specialists", by=admin
            )
        app.launch_movement(
            key=MOVEMENT,
            name="Phong trào",
            kind="regular",
            starts_on=date(YEAR, 1, 1),
            ends_on=None,
            by=admin,
        )
        criteria = [{"code": "c1", "group": "g", "name": "Tiêu chí", "max_points": 100}]
        for block, members in MEMBERS.items():
            app.create_block(key=block, name=f"Khối {block}", kind="block", by=admin)
            app.open_block_year(block=block, year=YEAR, members=list(members), members_claimed=None, by=admin)
            leader, deputy = OFFICERS[block]
            app.choose_officers(
                block=block,
                year=YEAR,
                leader=leader,
                deputy=deputy,
                method="unrecorded",
                ballot=None,
                chosen_in_year=None,
                by=admin,
            )
            app.adopt_scoring_table(
                block=block, year=YEAR, criteria=criteria, bonus_items=[], deduction_items=[], by=admin
            )
        app.constitute_council(decision_ref="QĐ 1", by=admin)
        for member in (M0, M1, M2):
            app.appoint_council_member(member=member, name=f"Thành viên {member}", role="member", by=admin)
        for key, block in BALLOT_BLOCK.items():
            _open_ballot(app, key, "block_members", block)
        _open_ballot(app, BALLOT_COUNCIL, "council_members", None)
        position = 0
        for key, block in PROPOSAL_BLOCK.items():
            position = app.submit_proposal(
                key=key,
                proposer=block,
                year=YEAR,
                award="giay_khen",
                authority="head_of_agency",
                recipient_kind="unit",
                recipient=MEMBERS[block][0],
                achievement=f"thanh-tich-{key}",
                dossier={"minutes": "BB 1"},
                by=admin,
            )
        for key, unit in PROPOSAL_UNIT.items():
            position = app.submit_proposal(
                key=key,
                proposer=unit,
                year=YEAR,
                award="giay_khen",
                authority="head_of_agency",
                recipient_kind="unit",
                recipient=unit,
                achievement=f"thanh-tich-{key}",
                dossier={"minutes": "BB 2"},
                by=admin,
            )
        return position
    finally:
        registry.close()


def _open_ballot(app: Any, key: str, electorate: str, block: str | None) -> None:
    app.open_ballot(
        key=key,
        purpose="classification",
        subject=None,
        award=None,
        secret=False,
        question="approve",
        electorate=electorate,
        block=block,
        year=YEAR if block else None,
        options=["approve", "reject"],
        by=_by(),
    )


def raw_token(claims: dict[str, Any]) -> str:
    """A signed token with exactly these claims (plus `exp`, `iat`): odd shapes included."""
    now = int(datetime.now(UTC).timestamp())
    return "Bearer " + jwt.encode({"iat": now, "exp": now + 3600, **claims}, TEST_SECRET, algorithm="HS256")
