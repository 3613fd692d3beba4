"""Each role within its scope, whatever else a token holds (issue 12, "Permissions must hold for
every combination of roles"): a vote is cast by its voter only, a clerk token must name a
registered unit of its province, a block officer acts for the blocks they serve.

Over real HTTP against one seeded province (tests/hostile/scoped_province.py); every refusal is
a FORBIDDEN or UNAUTHENTICATED error that recorded nothing.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from tests.hostile.judge import judge
from tests.hostile.schema_walk import post
from tests.hostile.scoped_province import (
    B1,
    B2,
    BALLOT_B1,
    BALLOT_B2,
    BALLOT_COUNCIL,
    M0,
    M1,
    MEMBERS,
    NOT_REGISTERED,
    P1,
    P2,
    S1,
    S2,
    U1,
    U2,
    U3,
    U5,
    YEAR,
    raw_token,
    seed_scoped_province,
)
from tests.hostile.world import A_UNITS, World
from thidua.services.tenancy import schema_for

PROVINCE = "thai-binh"
OTHER_ROLES = ("province_admin", "block_officer", "unit_clerk", "auditor", "platform_operator")


@pytest.fixture(scope="module")
def seeded(world: World) -> World:
    seed_scoped_province(world, PROVINCE, "Tỉnh Thái Bình")
    return world


def token(*roles: str, sub: str = M0, **claims: Any) -> str:
    return raw_token({"sub": sub, "province": PROVINCE, "roles": list(roles), **claims})


def call(world: World, auth: str, name: str, input_: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(the refusal code, or None when let through; the mutation's payload or the error)."""
    kind = name[0].upper() + name[1:]
    query = f"mutation($i: {kind}Input!) {{ {name}(input: $i) {{ ok position errors {{ code }} }} }}"
    body = judge(post(world.served.url, query, {"i": input_}, authorization=auth))
    errors = body.get("errors") or []
    if errors:
        return str(errors[0]["extensions"]["code"]), errors[0]
    return None, body["data"][name]


def read(world: World, auth: str, query: str) -> str | None:
    body = judge(post(world.served.url, query, authorization=auth))
    errors = body.get("errors") or []
    return str(errors[0]["extensions"]["code"]) if errors else None


def head(world: World) -> int:
    return world.head(PROVINCE)


def recorded(world: World, position: int) -> dict[str, Any]:
    with psycopg.connect(world.params.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(
            f"SELECT state FROM {schema_for(PROVINCE)}.ledger_events WHERE notification_id = %s",
            (position,),
        ).fetchone()
    assert row is not None
    state: dict[str, Any] = json.loads(bytes(row[0]))
    return state


# 1. A vote is cast only by its voter --------------------------------------------------------


def test_a_council_member_holding_any_other_role_votes_as_no_one_else(seeded: World) -> None:
    before = head(seeded)
    for other in OTHER_ROLES:
        member_and = token("council_member", other, unit=U1)
        for input_ in (
            {"ballot": BALLOT_COUNCIL, "voter": M1, "choice": "approve"},  # another member
            {"ballot": BALLOT_B1, "voter": U2, "choice": "approve"},  # a unit not the token's
            {"ballot": BALLOT_B2, "voter": U3, "choice": "approve"},
        ):
            code, error = call(seeded, member_and, "castVote", input_)
            assert code == "FORBIDDEN", (other, input_, error)
    assert head(seeded) == before, "a refused vote was recorded"
    # The real voters are not locked out (they used to get DUPLICATE_VOTE).
    member = token("council_member", sub=M1)
    code, paper = call(
        seeded, member, "castVote", {"ballot": BALLOT_COUNCIL, "voter": M1, "choice": "approve"}
    )
    assert code is None, paper
    assert paper["ok"], paper
    clerk = token("unit_clerk", sub="clerk-2", unit=U2)
    code, paper = call(seeded, clerk, "castVote", {"ballot": BALLOT_B1, "voter": U2, "choice": "approve"})
    assert code is None, paper
    assert paper["ok"], paper


def test_a_clerk_votes_only_for_the_unit_and_never_in_the_council(seeded: World) -> None:
    before = head(seeded)
    clerk_and_admin = token("unit_clerk", "province_admin", "block_officer", unit=U1, sub=M0)
    for input_ in (
        {"ballot": BALLOT_B1, "voter": U2, "choice": "approve"},
        {"ballot": BALLOT_COUNCIL, "voter": U1, "choice": "approve"},
        {"ballot": BALLOT_COUNCIL, "voter": M0, "choice": "approve"},  # the token's sub, but no member role
    ):
        code, error = call(seeded, clerk_and_admin, "castVote", input_)
        assert code == "FORBIDDEN", (input_, error)
    assert head(seeded) == before


def test_a_vote_records_the_role_that_votes_for_that_electorate(seeded: World) -> None:
    both = token("unit_clerk", "council_member", "province_admin", unit=U1, sub=M0)
    code, council = call(
        seeded, both, "castVote", {"ballot": BALLOT_COUNCIL, "voter": M0, "choice": "reject"}
    )
    assert code is None, council
    assert council["ok"], council
    code, block = call(seeded, both, "castVote", {"ballot": BALLOT_B1, "voter": U1, "choice": "reject"})
    assert code is None, block
    assert block["ok"], block
    as_member = recorded(seeded, council["position"])
    assert (as_member["voter"], as_member["actor_role"], as_member["actor_unit"]) == (
        M0,
        "council_member",
        None,
    )
    as_clerk = recorded(seeded, block["position"])
    assert (as_clerk["voter"], as_clerk["actor_role"], as_clerk["actor_unit"]) == (U1, "unit_clerk", U1)


# 2. A clerk token names a registered unit of its province ----------------------------------

STAFF_OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    ("changeRatingGroup", {"staff": S2, "ratingGroup": "heads_of_department"}),
    (
        "registerTitle",
        {"registrantKind": "staff", "registrant": S2, "year": YEAR, "award": "lao_dong_tien_tien"},
    ),
    (
        "registerExemplary",
        {
            "registrantKind": "staff",
            "registrant": S2,
            "year": YEAR,
            "theme": "t",
            "counts": [{"name": "models", "count": 1}],
        },
    ),
    ("deriveYearRating", {"staff": S2, "year": YEAR}),
    ("registerStaff", {"key": "can-bo-moi", "name": "Cán bộ mới", "unit": U2, "ratingGroup": "specialists"}),
    ("signPledge", {"block": B1, "year": YEAR, "unit": U2, "targets": [{"name": "t", "value": "v"}]}),
]
UNUSABLE = {"UNIT_CLAIM_MISSING", "UNIT_NOT_REGISTERED", "NOT_OWN_UNIT"}
UNUSABLE_UNITS: list[dict[str, Any]] = [
    {},
    {"unit": None},
    {"unit": ""},
    {"unit": NOT_REGISTERED},
    {"unit": next(iter(A_UNITS))},
]


@pytest.mark.parametrize(
    "claims", UNUSABLE_UNITS, ids=["absent", "null", "empty", "unregistered", "other-province"]
)
def test_a_clerk_token_without_a_registered_unit_of_its_province_is_refused(
    seeded: World, claims: dict[str, Any]
) -> None:
    before = head(seeded)
    for roles in (
        ["unit_clerk"],
        ["unit_clerk", "block_officer"],
        ["unit_clerk", "council_member"],
        ["unit_clerk", "auditor"],
    ):
        auth = token(*roles, **claims)
        for name, input_ in STAFF_OPERATIONS:
            code, error = call(seeded, auth, name, input_)
            assert code == "FORBIDDEN", (roles, name, error)
            assert error["extensions"]["details"]["reason"] in UNUSABLE, error
            assert error["message"]  # Vietnamese, for the clerk
        if claims.get("unit"):  # acting for the very unit the token names changes nothing
            mine = {
                "key": "can-bo-moi",
                "name": "Cán bộ mới",
                "unit": claims["unit"],
                "ratingGroup": "specialists",
            }
            code, error = call(seeded, auth, "registerStaff", mine)
            assert code == "FORBIDDEN", error
            assert error["extensions"]["details"]["reason"] == "UNIT_NOT_REGISTERED"
        if "auditor" not in roles:  # (an auditor reads every unit's ratings)
            ratings = f'{{ ratingSheets(unit: "{U2}", year: {YEAR}) {{ nodes {{ month }} }} }}'
            assert read(seeded, auth, ratings) == "FORBIDDEN"
    # A clerk's reads need a usable unit too: the role is the clerk's, and the clerk is nobody.
    assert read(seeded, token("unit_clerk", **claims), "{ units { nodes { key } } }") == "FORBIDDEN"
    # ... which takes nothing from the token's other roles.
    assert read(seeded, token("unit_clerk", "auditor", **claims), "{ units { nodes { key } } }") is None
    assert head(seeded) == before


def test_the_same_clerk_with_a_registered_unit_acts_for_it_only(seeded: World) -> None:
    clerk = token("unit_clerk", unit=U1, sub="clerk-1")
    code, payload = call(
        seeded, clerk, "changeRatingGroup", {"staff": S1, "ratingGroup": "heads_of_department"}
    )
    assert code is None, payload
    assert payload["ok"], payload
    code, error = call(
        seeded, clerk, "changeRatingGroup", {"staff": S2, "ratingGroup": "heads_of_department"}
    )
    assert code == "FORBIDDEN"
    assert error["extensions"]["details"]["reason"] == "NOT_OWN_STAFF"
    code, error = call(seeded, clerk, "deriveYearRating", {"staff": "khong-co-ai", "year": YEAR})
    assert code == "FORBIDDEN"  # a clerk learns nothing of staff that are not theirs


@pytest.mark.parametrize(
    "claims",
    [
        {"roles": ["unit_clerk"], "unit": 42},
        {"roles": ["unit_clerk"], "unit": [U2]},
        {"roles": ["unit_clerk"], "unit": {"key": U2}},
        {"roles": ["unit_clerk"], "unit": True},
        {"roles": ["province_admin", 7], "unit": U1},
        {"roles": {"province_admin": True}},
        {"roles": [["province_admin"]]},
        {"roles": ["block_officer"], "unit": U1, "blocks": B2},
        {"roles": ["block_officer"], "unit": U1, "blocks": [B2, 3]},
    ],
    ids=[
        "unit-int",
        "unit-list",
        "unit-object",
        "unit-bool",
        "roles-mixed",
        "roles-object",
        "roles-nested",
        "blocks-str",
        "blocks-mixed",
    ],
)
def test_a_claim_of_the_wrong_shape_refuses_the_whole_token(seeded: World, claims: dict[str, Any]) -> None:
    auth = raw_token({"sub": M0, "province": PROVINCE, **claims})
    before = head(seeded)
    for name, input_ in STAFF_OPERATIONS[:2]:
        assert call(seeded, auth, name, input_)[0] == "UNAUTHENTICATED"
    assert (
        call(seeded, auth, "holdReview", {"block": B2, "year": YEAR, "kind": "mid_year"})[0]
        == "UNAUTHENTICATED"
    )
    assert read(seeded, auth, "{ units { nodes { key } } }") == "UNAUTHENTICATED"
    assert head(seeded) == before


def test_duplicated_or_unknown_roles_widen_nothing(seeded: World) -> None:
    before = head(seeded)
    for roles in (["unit_clerk", "unit_clerk"], ["unit_clerk", "superuser", "PROVINCE_ADMIN"], "unit_clerk"):
        auth = raw_token({"sub": M0, "province": PROVINCE, "roles": roles, "unit": U1})
        for name, input_ in STAFF_OPERATIONS:
            assert call(seeded, auth, name, input_)[0] == "FORBIDDEN", (roles, name)
        assert call(seeded, auth, "registerUnit", {"key": "x", "name": "X"})[0] == "FORBIDDEN"
    assert head(seeded) == before


# 3. A block officer acts for the blocks they serve ------------------------------------------


def block_operations(block: str, ballot: str, proposal: str) -> list[tuple[str, dict[str, Any]]]:
    """Every operation a block officer may run, aimed at `block` (its ballot, its proposal)."""
    by = {"block": block, "year": YEAR}
    return [
        ("addBlockMember", by | {"unit": MEMBERS[block][1]}),  # already a member
        (  # already a member for the whole year: every period overlaps
            "addBlockMemberForPeriod",
            by | {"unit": MEMBERS[block][1], "startsOn": f"{YEAR}-07-01", "endsOn": f"{YEAR}-12-31"},
        ),
        ("removeBlockMember", by | {"unit": U5, "reason": "r"}),
        (  # a member for the whole year: ended by removeBlockMember, not as a period
            "endBlockMemberPeriod",
            by | {"unit": MEMBERS[block][1], "endsOn": f"{YEAR}-09-30", "reason": "r"},
        ),
        ("chooseOfficers", {"block": block, "year": YEAR + 1, "leader": U5, "method": "unrecorded"}),
        ("holdReview", by | {"kind": "khong-co-loai-nay"}),
        ("holdBlockMeeting", by | {"kind": "khong-co-loai-nay", "heldOn": f"{YEAR}-03-01"}),
        (
            "recordBallotWithoutFigures",
            by | {"key": f"moi-kp-{block}", "purpose": "p", "note": "n", "form": "khong-co"},
        ),
        ("chooseLeadingUnits", by | {"units": [U5], "method": "vote"}),
        (
            "adoptScoringTable",
            by | {"criteria": [{"code": "c", "group": "g", "name": "n", "maxPoints": 100}]},
        ),
        ("crossCheckAssessment", by | {"unit": U5, "item": "c1", "newPoints": 1, "reason": "r"}),
        ("classifyUnit", by | {"unit": U5}),
        (
            "openBallot",
            by
            | {
                "key": f"moi-{block}",
                "purpose": "p",
                "question": "approve",
                "electorate": "block_members",
                "options": ["approve", "approve"],
            },
        ),
        ("closeBallot", {"ballot": ballot, "present": ["khong-co"]}),
        ("declareBallotUnopenable", {"ballot": ballot, "reason": "r"}),  # an open ballot: refused
        (
            "proposeAward",
            {
                "key": f"moi-{block}",
                "proposer": block,
                "year": YEAR,
                "award": "khong-co-danh-hieu",
                "authority": "head_of_agency",
                "recipient": {"kind": "unit", "key": U5},
            },
        ),
        ("attachDocument", {"proposal": proposal, "item": "khong-co-loai-nay", "reference": "x"}),
        ("withdrawProposal", {"proposal": proposal, "reason": ""}),
        ("resubmitDossier", {"proposal": proposal}),  # not returned: refused
        ("recallDossier", {"proposal": proposal, "reason": ""}),  # no reason: refused
    ]


IN_B1 = block_operations(B1, BALLOT_B1, P1)
IN_B2 = block_operations(B2, BALLOT_B2, P2)
COUNCIL_BALLOTS: list[tuple[str, dict[str, Any]]] = [
    (
        "openBallot",
        {
            "key": "moi-hd",
            "purpose": "p",
            "question": "approve",
            "electorate": "council_members",
            "options": ["approve", "approve"],
        },
    ),
    ("closeBallot", {"ballot": BALLOT_COUNCIL, "present": ["khong-co"]}),
    ("declareBallotUnopenable", {"ballot": BALLOT_COUNCIL, "reason": "r"}),
]


# (A token also holding council_member may hear the council's refusal of a block ballot first.)
OUT_OF_SCOPE = {"BLOCK_OUT_OF_SCOPE", "NOT_A_BLOCK_BALLOT", "NOT_A_COUNCIL_BALLOT"}


def assert_refused(world: World, auth: str, operations: list[tuple[str, dict[str, Any]]]) -> None:
    for name, input_ in operations:
        code, error = call(world, auth, name, input_)
        assert code == "FORBIDDEN", (name, error)
        assert error["extensions"]["details"]["reason"] in OUT_OF_SCOPE, error


def assert_let_through(world: World, auth: str, operations: list[tuple[str, dict[str, Any]]]) -> None:
    """Past the permission check: the domain answers (these inputs are all refused by it)."""
    for name, input_ in operations:
        code, payload = call(world, auth, name, input_)
        assert code is None, (name, payload)
        assert payload["ok"] is False, (name, payload)
        assert payload["errors"], (name, payload)


@pytest.mark.parametrize("other", [None, "unit_clerk", "council_member", "auditor", "platform_operator"])
def test_a_block_officer_acts_only_for_the_blocks_whose_officer_their_unit_is(
    seeded: World, other: str | None
) -> None:
    before = head(seeded)
    roles = ["block_officer", *([other] if other else [])]
    leader_of_b1 = token(*roles, unit=U1)
    # (The council's own ballots are a council member's to open and close.)
    assert_refused(seeded, leader_of_b1, IN_B2 + (COUNCIL_BALLOTS if other != "council_member" else []))
    a_member_only = token(*roles, unit=U2)  # a member of B1, but neither its leader nor its deputy
    assert_refused(seeded, a_member_only, IN_B1)
    assert head(seeded) == before, "a refused block command was recorded"
    assert_let_through(seeded, leader_of_b1, IN_B1)
    assert head(seeded) == before


def test_a_blocks_claim_replaces_the_record(seeded: World) -> None:
    before = head(seeded)
    claimed = token("block_officer", unit=U1, blocks=[B2])  # U1 leads B1, but the claim says B2
    assert_refused(seeded, claimed, IN_B1 + COUNCIL_BALLOTS)
    assert_refused(seeded, token("block_officer", unit=U1, blocks=[]), IN_B1)
    assert_refused(seeded, token("block_officer"), IN_B1)  # neither a unit nor blocks: no scope at all
    assert head(seeded) == before
    assert_let_through(seeded, claimed, IN_B2)
    assert head(seeded) == before


def test_next_years_officers_are_chosen_by_this_years_and_then_act_for_their_year(seeded: World) -> None:
    b1_leader, u5_officer = (
        token("block_officer", unit=U1),
        token("block_officer", unit=U5, sub="khoi-truong-moi"),
    )
    choose = {
        "block": B1,
        "year": YEAR + 2,
        "leader": U1,
        "deputy": U2,
        "method": "unrecorded",
        "chosenInYear": YEAR,
    }
    code, _ = call(seeded, token("block_officer", unit=U3), "chooseOfficers", choose)  # B2's leader
    assert code == "FORBIDDEN"
    code, chosen = call(seeded, b1_leader, "chooseOfficers", choose)
    assert code is None, chosen
    assert chosen["ok"], chosen
    review = {"block": B1, "year": YEAR + 2, "kind": "mid_year"}
    code, held = call(seeded, token("block_officer", unit=U2, sub="khoi-pho"), "holdReview", review)
    assert code is None, held
    assert held["ok"], held  # U2 is B1's deputy in that year
    assert call(seeded, u5_officer, "holdReview", review)[0] == "FORBIDDEN"
