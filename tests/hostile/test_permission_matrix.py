"""The permission matrix for tokens with several roles and with odd claims, over real HTTP.

Every root field (queries, mutations, the subscription) × every single role and every pair of
roles, plus odd-claim variants (a clerk token without a unit, with an unregistered one or another
province's; a block officer scoped by a `blocks` claim, or by a unit that is no officer; claims of
the wrong shape; duplicated and unknown roles), each aimed at targets inside and outside the
token's scope, against one seeded province (tests/hostile/scoped_province.py).

Each answer is compared with `expected()`, an oracle written from the README's rules and the
seeded record, independently of the code that enforces them (it imports neither the matrix nor
services/access.py): a call is either refused (FORBIDDEN, or UNAUTHENTICATED for a malformed
token) or let through (any other answer: data, or a domain refusal in the payload). All calls
the oracle refuses run first, and the ledger head must not move while they do.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.hostile import figures
from tests.hostile.judge import STABLE_CODE, UNMASKED
from tests.hostile.schema_walk import RootField, operation, post
from tests.hostile.scoped_province import (
    B1,
    B2,
    BALLOT_B1,
    BALLOT_B2,
    BALLOT_COUNCIL,
    M0,
    M1,
    NOT_REGISTERED,
    OFFICERS,
    P1,
    P2,
    PROPOSAL_BLOCK,
    PROPOSAL_UNIT,
    S1,
    S2,
    STAFF_UNIT,
    U1,
    U2,
    U3,
    UNITS,
    YEAR,
    raw_token,
    seed_scoped_province,
)
from tests.hostile.test_role_scopes import block_operations
from tests.hostile.world import A_UNITS, World

PROVINCE = "hai-duong"
ADMIN, COUNCIL, OFFICER, CLERK, AUDITOR, OPERATOR = (
    "province_admin",
    "council_member",
    "block_officer",
    "unit_clerk",
    "auditor",
    "platform_operator",
)
ROLES = (ADMIN, COUNCIL, OFFICER, CLERK, AUDITOR, OPERATOR)
REFUSALS = {"FORBIDDEN", "UNAUTHENTICATED"}
CLOSED = "CLOSED"  # a WebSocket closed on a refused token (4401/4403) before any subscription


# The callers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """A token as sent (`claims`) and as the oracle reads it."""

    name: str
    claims: dict[str, Any] = field(hash=False)
    roles: frozenset[str] = frozenset()
    unit: str | None = None
    blocks: frozenset[str] | None = None
    sub: str = M0
    malformed: bool = False

    @property
    def bearer(self) -> str:
        return _bearer(self.sub, json.dumps(self.claims, sort_keys=True))


@functools.cache
def _bearer(sub: str, claims: str) -> str:
    return raw_token({"sub": sub, "province": PROVINCE, **json.loads(claims)})


def caller(name: str, roles: tuple[str, ...], **claims: Any) -> Caller:
    """A well-formed token: `roles` plus the given `unit` / `blocks` claims (unit U1 by default)."""
    claims = {"unit": U1, **claims}
    unit = claims["unit"] if isinstance(claims["unit"], str) and claims["unit"] else None
    if claims["unit"] is ...:  # the claim left out altogether
        del claims["unit"]
        unit = None
    blocks = claims.get("blocks")
    return Caller(
        name,
        {"roles": list(roles), **claims},
        frozenset(roles) & set(ROLES),
        unit,
        frozenset(blocks) if blocks is not None else None,
    )


def callers() -> list[Caller]:
    found = [caller(role, (role,)) for role in ROLES]
    found += [caller(f"{a}+{b}", (a, b)) for a, b in combinations(ROLES, 2)]
    others = [r for r in ROLES if r != CLERK]
    for label, unit in (("no-unit", ...), ("unregistered", NOT_REGISTERED)):
        found += [caller(f"{CLERK}[{label}]", (CLERK,), unit=unit)]
        found += [caller(f"{CLERK}+{o}[{label}]", (CLERK, o), unit=unit) for o in others]
    foreign = next(iter(A_UNITS))  # a unit registered in another province
    found += [caller(f"{CLERK}[null-unit]", (CLERK,), unit=None)]
    found += [caller(f"{CLERK}+{OFFICER}[null-unit]", (CLERK, OFFICER), unit=None)]
    found += [caller(f"{CLERK}[foreign-unit]", (CLERK,), unit=foreign)]
    found += [caller(f"{CLERK}+{OFFICER}[foreign-unit]", (CLERK, OFFICER), unit=foreign)]
    found += [caller(f"{OFFICER}[blocks=B2]", (OFFICER,), blocks=[B2])]
    found += [caller(f"{OFFICER}+{o}[blocks=B2]", (OFFICER, o), blocks=[B2]) for o in ROLES if o != OFFICER]
    found += [caller(f"{OFFICER}[blocks=[]]", (OFFICER,), blocks=[])]
    found += [caller(f"{OFFICER}[member-not-officer]", (OFFICER,), unit=U2)]
    found += [caller(f"{OFFICER}[no-unit]", (OFFICER,), unit=...)]
    found += [caller(f"{CLERK}x2", (CLERK, CLERK))]
    found += [
        Caller(
            f"{CLERK}+unknown",
            {"roles": [CLERK, "superuser", "PROVINCE_ADMIN"], "unit": U1},
            frozenset({CLERK}),
            U1,
        ),
        Caller("roles-as-string", {"roles": OFFICER, "unit": U1}, frozenset({OFFICER}), U1),
        Caller("unit-int", {"roles": [CLERK, ADMIN], "unit": 42}, malformed=True),
        Caller("roles-mixed", {"roles": [ADMIN, 1], "unit": U1}, malformed=True),
        Caller("blocks-str", {"roles": [OFFICER], "unit": U1, "blocks": B2}, malformed=True),
    ]
    return found


# The oracle ----------------------------------------------------------------------------------


def clerk(c: Caller) -> bool:
    """A clerk is the clerk of a registered unit of the province, or nobody."""
    return CLERK in c.roles and c.unit in UNITS


def reader(c: Caller) -> bool:
    return bool(c.roles & {ADMIN, COUNCIL, OFFICER, AUDITOR}) or clerk(c)


def officer_of(c: Caller, block: str) -> bool:
    """Officers of `block` in YEAR: the `blocks` claim when there is one, else the record."""
    if OFFICER not in c.roles:
        return False
    if c.blocks is not None:
        return block in c.blocks
    return c.unit in OFFICERS[block]


def has(role: str) -> Rule:
    return lambda c, t: role in c.roles


def any_of(*rules: Rule) -> Rule:
    return lambda c, t: any(rule(c, t) for rule in rules)


Target = dict[str, Any]
Rule = Callable[[Caller, Target], bool]

admin = has(ADMIN)
readers: Rule = lambda c, t: reader(c)  # noqa: E731
own_unit: Rule = lambda c, t: clerk(c) and t["unit"] == c.unit  # noqa: E731
own_staff: Rule = lambda c, t: clerk(c) and STAFF_UNIT[t["staff"]] == c.unit  # noqa: E731
own_block: Rule = lambda c, t: officer_of(c, t["block"])  # noqa: E731


def ballot_rule(c: Caller, t: Target) -> bool:
    if t["block"] is None:
        return ADMIN in c.roles or COUNCIL in c.roles
    return ADMIN in c.roles or officer_of(c, t["block"])


def submitter_rule(c: Caller, t: Target) -> bool:
    if "unit" in t:
        return ADMIN in c.roles or own_unit(c, t)
    return ADMIN in c.roles or own_block(c, t)


def vote_rule(c: Caller, t: Target) -> bool:
    if t["block"] is None:
        return COUNCIL in c.roles and t["voter"] == c.sub
    return clerk(c) and t["voter"] == c.unit


RULES: dict[str, Rule] = {
    # Queries, and the subscription
    **dict.fromkeys(("province", "units", "unit", "blocks", "block"), any_of(readers, has(OPERATOR))),
    **dict.fromkeys(
        ("standings", "ballots", "ballot", "awardProposals", "awardDecisions", "dossiers"), readers
    ),
    "node": readers,  # and the row of the query that reads the object's type
    "awardHistory": readers,  # decisions are public acts: every role of the province
    "awardTotals": readers,
    **dict.fromkeys(("awardCatalogue", "ruleSet"), any_of(readers, has(OPERATOR))),
    "standingsChanged": readers,
    "ratingSheets": any_of(admin, has(AUDITOR), own_unit),
    "auditTrail": any_of(admin, has(AUDITOR)),
    "ledger": any_of(admin, has(AUDITOR), has(OPERATOR)),
    # The board's alone
    **dict.fromkeys(
        (
            "adoptRules",
            "declarePublicHolidays",
            "registerUnit",
            "renameUnit",
            "dissolveUnit",
            "transferStaff",
            "openDisciplinaryCase",
            "closeDisciplinaryCase",
            "imposeDiscipline",
            "constituteCouncil",
            "appointCouncilMember",
            "releaseCouncilMember",
            "createBlock",
            "reformBlock",
            "renameBlock",
            "disbandBlock",
            "openBlockYear",
            "launchMovement",
            "endMovement",
            "destroyBallotKey",
            "openDisclosure",
            "recordComment",
            "decideAward",
            "revokeAward",
            "recognizeInitiative",
            "absorbRecord",
            "receiveDossier",
            "assignDossier",
            "appraiseDossier",
            "returnDossier",
            "recordSuccession",
            "linkPersonIdentity",
            "revokePredecessorAward",
        ),
        admin,
    ),
    "mergeProvinces": has(OPERATOR),  # the platform's act: no role of a province
    **dict.fromkeys(("recordCouncilVote", "forwardProposal"), any_of(admin, has(COUNCIL))),
    # A unit's business: the board, or the unit's clerk
    **dict.fromkeys(
        (
            "registerStaff",
            "signPledge",
            "submitSelfAssessment",
            "recordMonthlyRatings",
            "correctRating",
            "noteMemberStats",
        ),
        any_of(admin, own_unit),
    ),
    **dict.fromkeys(("changeRatingGroup", "changeStaffKind", "deriveYearRating"), any_of(admin, own_staff)),
    **dict.fromkeys(
        ("registerTitle", "registerExemplary"),
        lambda c, t: ADMIN in c.roles or (own_staff(c, t) if "staff" in t else own_unit(c, t)),
    ),
    # A block's business: the board, or the block's officers
    **dict.fromkeys(
        (
            "addBlockMember",
            "addBlockMemberForPeriod",
            "removeBlockMember",
            "endBlockMemberPeriod",
            "chooseOfficers",
            "holdReview",
            "holdBlockMeeting",
            "chooseLeadingUnits",
            "adoptScoringTable",
            "crossCheckAssessment",
            "classifyUnit",
            "proposeAward",
            "attachDocument",
            "withdrawProposal",
        ),
        any_of(admin, own_block),
    ),
    # the board, or the officers of the block-year the vote's minutes name (none named: the board)
    "recordBallotWithoutFigures": lambda c, t: (
        ADMIN in c.roles or (t["block"] is not None and own_block(c, t))
    ),
    "openBallot": ballot_rule,
    "closeBallot": ballot_rule,
    "declareBallotUnopenable": ballot_rule,
    "castVote": vote_rule,
    # The submitting block's officers or unit's clerk (a proposal submitted by a unit)
    **dict.fromkeys(("resubmitDossier", "recallDossier"), submitter_rule),
}


def expected(c: Caller, name: str, target: Target) -> str | None:
    """The refusal code the oracle expects, or None for a call that must be let through."""
    if c.malformed:
        return "UNAUTHENTICATED"
    return None if RULES[name](c, target) else "FORBIDDEN"


# The cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    root: RootField
    target: Target
    input: dict[str, Any] | None = None  # a mutation's input; None: sample arguments


def targeted_inputs() -> dict[str, list[tuple[Target, dict[str, Any]]]]:
    """Inputs aimed inside and outside the scopes (token: unit U1, sub M0, U1 leads B1)."""
    unit_inputs: dict[str, Callable[[str], dict[str, Any]]] = {
        "registerStaff": lambda u: {
            "key": f"moi-{u}",
            "name": "Cán bộ mới",
            "unit": u,
            "ratingGroup": "specialists",
        },
        "signPledge": lambda u: {
            "block": B1,
            "year": YEAR,
            "unit": u,
            "targets": [{"name": "t", "value": "v"}],
        },
        "submitSelfAssessment": lambda u: {
            "block": B1,
            "year": YEAR,
            "unit": u,
            "scores": [{"name": "c1", "points": 500}],
        },
        "recordMonthlyRatings": lambda u: {"unit": u, "year": YEAR, "month": 6, "scores": []},
        "correctRating": lambda u: {
            "unit": u,
            "year": YEAR,
            "month": 6,
            "staff": S1,
            "newScore": 1,
            "reason": "r",
        },
        "noteMemberStats": lambda u: {"unit": u, "year": YEAR, "stats": [{"name": "khong-co", "count": -1}]},
        "registerTitle": lambda u: {
            "registrantKind": "unit",
            "registrant": u,
            "year": YEAR,
            "award": "khong-co",
        },
        "registerExemplary": lambda u: {
            "registrantKind": "unit",
            "registrant": u,
            "year": YEAR,
            "theme": "t",
            "counts": [{"name": "khong-co", "count": 1}],
        },
    }
    staff_inputs: dict[str, Callable[[str], dict[str, Any]]] = {
        "changeRatingGroup": lambda s: {"staff": s, "ratingGroup": "khong-co"},
        "changeStaffKind": lambda s: {"staff": s, "staffKind": "khong-co", "reason": "r"},
        "deriveYearRating": lambda s: {"staff": s, "year": YEAR},
        "registerTitle": lambda s: {
            "registrantKind": "staff",
            "registrant": s,
            "year": YEAR,
            "award": "khong-co",
        },
        "registerExemplary": lambda s: {
            "registrantKind": "staff",
            "registrant": s,
            "year": YEAR,
            "theme": "t",
            "counts": [{"name": "khong-co", "count": 1}],
        },
    }
    inputs: dict[str, list[tuple[Target, dict[str, Any]]]] = {}
    for name, make in unit_inputs.items():
        inputs.setdefault(name, []).extend(({"unit": u}, make(u)) for u in (U1, U2))
    for name, make in staff_inputs.items():
        inputs.setdefault(name, []).extend(({"staff": s}, make(s)) for s in (S1, S2))
    for block, ballot, proposal in ((B1, BALLOT_B1, P1), (B2, BALLOT_B2, P2)):
        for name, input_ in block_operations(block, ballot, proposal):
            inputs.setdefault(name, []).append(({"block": block}, input_))
    inputs["openBallot"].append(
        (
            {"block": None},
            {
                "key": "moi-hd",
                "purpose": "p",
                "question": "approve",
                "electorate": "council_members",
                "options": [],
            },
        )
    )
    inputs["closeBallot"].append(({"block": None}, {"ballot": BALLOT_COUNCIL, "present": ["khong-co"]}))
    inputs["recordBallotWithoutFigures"].append(
        ({"block": None}, {"key": "moi-kp", "purpose": "p", "note": "n", "form": "khong-co"})
    )
    inputs["declareBallotUnopenable"].append(({"block": None}, {"ballot": BALLOT_COUNCIL, "reason": "r"}))
    inputs["castVote"] = [
        ({"block": block, "voter": voter}, {"ballot": ballot, "voter": voter, "choice": "khong-co"})
        for block, ballot, voter in (
            (B1, BALLOT_B1, U1),
            (B1, BALLOT_B1, U2),
            (B2, BALLOT_B2, U3),
            (None, BALLOT_COUNCIL, M0),
            (None, BALLOT_COUNCIL, M1),
        )
    ]
    for proposal, unit in PROPOSAL_UNIT.items():
        for name, input_ in (
            ("resubmitDossier", {"proposal": proposal}),
            ("recallDossier", {"proposal": proposal, "reason": ""}),
        ):
            inputs[name].append(({"unit": unit}, input_))
    assert set(PROPOSAL_BLOCK) == {P1, P2}
    return inputs


def cases(fields: list[RootField]) -> list[Case]:
    inputs = targeted_inputs()
    out: list[Case] = []
    for root in fields:
        if root.name == "viewer":
            continue
        if root.name == "ratingSheets":
            out += [Case(root, {"unit": u}) for u in (U1, U2)]
        elif root.name in inputs:
            out += [Case(root, target, input_) for target, input_ in inputs[root.name]]
        else:
            out.append(Case(root, {}))
    return out


# Running them --------------------------------------------------------------------------------


@dataclass
class Answer:
    case: Case
    caller: Caller
    want: str | None
    got: str | None = None
    problem: str | None = None


def ask(world: World, answer: Answer) -> Answer:
    case, root = answer.case, answer.case.root
    try:
        if root.kind == "subscription":
            answer.got = subscribe(world, root, answer.caller.bearer)
            return answer
        if root.name == "ratingSheets":
            query, variables = operation(root, {"unit": case.target["unit"], "year": YEAR})
        elif case.input is not None:
            query, variables = operation(root, {"input": case.input})
        else:
            query, variables = operation(root)
        response = post(world.served.url, query, variables, authorization=answer.caller.bearer)
        assert response.status_code < 500, response.text
        assert not any(sign in response.text for sign in UNMASKED), response.text
        body = response.json()
        codes = [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]
        assert all(STABLE_CODE.match(code) and code != "INTERNAL_ERROR" for code in codes), codes
        answer.got = next((code for code in codes if code in REFUSALS), None)
    except AssertionError as failed:  # a 5xx, a traceback, an INTERNAL_ERROR
        answer.problem = str(failed)[:300]
    return answer


def subscribe(world: World, root: RootField, bearer: str) -> str | None:
    """The refusal code, or None once a first message arrives or none came in a second (a feed
    of new events stays silent until there is one; a refusal comes at once)."""
    values = {"key": B1, "year": YEAR} if root.name == "standingsChanged" else {}
    query, variables = operation(root, values)
    try:
        with connect(
            world.served.url.replace("http://", "ws://") + "/graphql",
            subprotocols=[Subprotocol("graphql-transport-ws")],
            open_timeout=10,
        ) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": bearer}}))
            ack = json.loads(ws.recv(timeout=10))
            assert ack["type"] == "connection_ack", ack
            payload = {"query": query, "variables": variables}
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            try:
                message = json.loads(ws.recv(timeout=1.0))
            except TimeoutError:
                return None
    except ConnectionClosed as closed:  # refused at connection_init; any other closing is a fault
        code = closed.rcvd.code if closed.rcvd is not None else None
        return CLOSED if code in {4401, 4403} else f"closed with {code}"
    errors = message["payload"] if message["type"] == "error" else message["payload"].get("errors") or []
    codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
    return next((code for code in codes if code in REFUSALS), None)


def agrees(want: str | None, got: str | None) -> bool:
    """Refused as the oracle says (a malformed token: UNAUTHENTICATED, or a closed socket)."""
    if want is None or got is None:
        return want == got
    return got in (want, CLOSED) if want == "UNAUTHENTICATED" else got == want


def run(world: World, answers: list[Answer]) -> list[Answer]:
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(lambda a: ask(world, a), answers))


@pytest.fixture(scope="module")
def seeded(world: World) -> World:
    position = seed_scoped_province(world, PROVINCE, "Tỉnh Hải Dương")
    world.wait_projected(PROVINCE, position)  # the subscription's first message needs the standings
    return world


def test_every_operation_for_every_role_pair_and_odd_claim_matches_the_oracle(seeded: World) -> None:
    started = time.monotonic()
    served = {root.name for root in seeded.fields} - {"viewer"}  # viewer: open to every caller
    assert set(RULES) == served, f"the oracle must say who may call every root field: {set(RULES) ^ served}"
    everything = [
        Answer(case, c, expected(c, case.root.name, case.target))
        for case in cases(seeded.fields)
        for c in callers()
    ]
    refused = [a for a in everything if a.want is not None]
    allowed = [a for a in everything if a.want is None]
    assert refused, "the oracle refuses nothing: it is wrong"
    assert allowed, "the oracle allows nothing: it is wrong"

    log_from = seeded.served.log_offset()
    before = seeded.head(PROVINCE)
    answered = run(seeded, refused)
    moved = seeded.head(PROVINCE) - before
    answered += run(seeded, allowed)

    wrong = [
        f"{a.caller.name} {a.case.root.id} {a.case.target}: expected {a.want or 'let through'}, "
        f"got {a.got or 'let through'} {a.problem or ''}"
        for a in answered
        if a.problem or not agrees(a.want, a.got)
    ]
    figures.add("permission_matrix_calls", len(answered))
    figures.add("permission_matrix_mismatches", len(wrong))
    figures.add("permission_refused_but_recorded", moved)
    figures.measure("permission_matrix_tokens", len(callers()))
    figures.measure("permission_matrix_seconds", round(time.monotonic() - started, 1))
    crashes = [
        str(line["raw"])[-1500:]
        for line in seeded.served.log_lines(log_from)
        if line.get("event") == "graphql_unexpected_error"
    ]
    assert not wrong, f"{len(wrong)} answers differ from the oracle:\n" + "\n".join(wrong[:60] + crashes[:3])
    assert moved == 0, f"{moved} events were recorded while every call was being refused"
