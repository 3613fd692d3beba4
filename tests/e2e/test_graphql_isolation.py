"""A token of one province never reads or changes another's data, through any root field.

Province A (nghe-an) holds a small year of data written through the API. A caller of province B
(ha-tinh), holding every role, then calls every query, every mutation (with A's keys) and both
subscriptions. Each list below must name every root field of its kind, so a new field cannot be
added without its isolation check.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.graphql.schema import schema
from thidua.services.database import ConnectionParams

A, B = "nghe-an", "ha-tinh"
UNIT, OTHER, BLOCK, STAFF = "so-noi-vu", "so-tu-phap", "khoi-a", "cb-a"
LIVE_BLOCK = "khoi-truc-tiep"
EVERY_ROLE = ("province_admin", "block_officer", "council_member", "unit_clerk", "auditor")


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {A: "Tỉnh Nghệ An", B: "Tỉnh Hà Tĩnh"}) as app:
        yield app


def everyone(served: ServedApp, province: str) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, *EVERY_ROLE, unit=UNIT, user="m0"))


def seed(a: GraphQLClient) -> int:
    """A's data, written through the API; returns the last position."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("registerUnit", {"key": UNIT, "name": "Sở Nội vụ"}),
        ("registerUnit", {"key": OTHER, "name": "Sở Tư pháp"}),
        ("createBlock", {"key": BLOCK, "name": "Khối A"}),
        (
            "openBlockYear",
            {"block": BLOCK, "year": 2025, "members": [UNIT, OTHER], "effectiveOn": "2025-01-05"},
        ),
        ("registerStaff", {"key": STAFF, "name": "Cán bộ A", "unit": UNIT, "ratingGroup": "specialists"}),
        (  # A's own rule (its legal basis names a-2025): B's ruleSet must not show it
            "adoptRules",
            {
                "version": "a-2025",
                "effectiveFrom": "2025-02-01",
                "legalBasis": "QĐ a-2025",
                "overrides": {"disclosure_working_days": 12},
                "effectiveOn": "2025-01-10",
            },
        ),
        (
            "recordMonthlyRatings",
            {"unit": UNIT, "year": 2025, "month": 6, "scores": [{"staff": STAFF, "score": 80}]},
        ),
        (
            "openBallot",
            {
                "key": "bp-a",
                "purpose": "classification",
                "subject": f"{BLOCK}/2025",
                "question": "approve",
                "electorate": "block_members",
                "block": BLOCK,
                "year": 2025,
                "options": ["approve", "reject"],
            },
        ),
        ("castVote", {"ballot": "bp-a", "voter": UNIT, "choice": "approve"}),
        (
            "proposeAward",
            {
                "key": "ttr-a",
                "proposer": BLOCK,
                "year": 2025,
                "award": "giay_khen",
                "authority": "head_of_agency",
                "recipient": {"kind": "unit", "key": UNIT},
                "achievement": "a-2025",
                "dossier": [
                    {"name": "minutes", "value": "BB"},
                    {"name": "achievement_report", "value": "BC"},
                ],
            },
        ),
        ("forwardProposal", {"proposal": "ttr-a"}),
        (
            "decideAward",
            {
                "number": "1/QĐ-a",
                "signer": "Giám đốc",
                "authority": "head_of_agency",
                "award": "giay_khen",
                "year": 2025,
                "recipients": [{"kind": "unit", "key": UNIT}],
                "proposals": ["ttr-a"],
            },
        ),
    ]
    position = 0
    for name, input_ in steps:
        payload = a.mutate(name, {**input_, "effectiveOn": input_.get("effectiveOn", "2025-12-20")})
        assert payload["ok"], (name, payload["errors"])
        position = payload["position"]
    return position


# Every mutation, with the keys of A's data: run by B's caller, each must act in B only.
SAMPLES: dict[str, dict[str, Any]] = {
    "adoptRules": {"version": "v", "effectiveFrom": "2025-01-01", "legalBasis": "QĐ", "overrides": {}},
    "declarePublicHolidays": {"year": 2026, "days": ["2026-04-30"], "legalBasis": "TB", "reason": "x"},
    "registerUnit": {"key": UNIT, "name": "Sở Nội vụ Hà Tĩnh"},
    "renameUnit": {"key": OTHER, "name": "X"},
    "dissolveUnit": {"key": OTHER, "decisionRef": "NQ"},
    "registerStaff": {"key": STAFF, "name": "X", "unit": UNIT, "ratingGroup": "specialists"},
    "changeRatingGroup": {"staff": STAFF, "ratingGroup": "unit_leadership"},
    "changeStaffKind": {
        "staff": STAFF,
        "staffKind": "vien_chuc",
        "reason": "Quyết định tuyển dụng viên chức",
    },
    "transferStaff": {"staff": STAFF, "unit": OTHER, "ratingGroup": "specialists"},
    "openDisciplinaryCase": {
        "subjectKind": "unit",
        "subjectKey": OTHER,
        "case": "c",
        "kind": "inspection",
        "reference": "r",
    },
    "closeDisciplinaryCase": {
        "subjectKind": "unit",
        "subjectKey": OTHER,
        "case": "c",
        "outcome": "cleared",
        "reference": "r",
    },
    "imposeDiscipline": {
        "subjectKind": "unit",
        "subjectKey": OTHER,
        "form": "reprimand",
        "reference": "r",
        "until": "2026-01-01",
    },
    "constituteCouncil": {"decisionRef": "QĐ"},
    "appointCouncilMember": {"member": "m9", "name": "X", "role": "member"},
    "releaseCouncilMember": {"member": "m9", "reason": "r"},
    "createBlock": {"key": BLOCK, "name": "Khối B"},
    "renameBlock": {"key": BLOCK, "name": "X"},
    "reformBlock": {"key": BLOCK, "decision": {"number": "1/QĐ", "signedOn": "2025-01-01", "issuer": "UBND"}},
    "disbandBlock": {"key": BLOCK, "decisionRef": "r"},
    "openBlockYear": {"block": BLOCK, "year": 2025, "members": [OTHER]},
    "addBlockMember": {"block": BLOCK, "year": 2025, "unit": UNIT},
    "addBlockMemberForPeriod": {
        "block": BLOCK,
        "year": 2025,
        "unit": UNIT,
        "startsOn": "2025-07-01",
        "endsOn": "2025-12-31",
    },
    "removeBlockMember": {"block": BLOCK, "year": 2025, "unit": OTHER, "reason": "r"},
    "endBlockMemberPeriod": {
        "block": BLOCK,
        "year": 2025,
        "unit": UNIT,
        "endsOn": "2025-09-30",
        "reason": "r",
    },
    "chooseOfficers": {"block": BLOCK, "year": 2025, "leader": UNIT, "method": "acclamation"},
    "signPledge": {"block": BLOCK, "year": 2025, "unit": UNIT, "targets": []},
    "holdReview": {"block": BLOCK, "year": 2025, "kind": "mid_year"},
    "holdBlockMeeting": {"block": BLOCK, "year": 2025, "kind": "launch", "heldOn": "2025-02-01"},
    "chooseLeadingUnits": {"block": BLOCK, "year": 2025, "units": [UNIT], "method": "acclamation"},
    "launchMovement": {"key": "pt", "name": "X", "kind": "regular", "startsOn": "2025-01-01"},
    "endMovement": {"key": "pt-a", "summary": "x"},
    "registerTitle": {"registrantKind": "unit", "registrant": UNIT, "year": 2025, "award": "giay_khen"},
    "registerExemplary": {
        "registrantKind": "unit",
        "registrant": UNIT,
        "year": 2025,
        "theme": "t",
        "counts": [],
    },
    "adoptScoringTable": {
        "block": BLOCK,
        "year": 2025,
        "criteria": [{"code": "c1", "group": "g", "name": "n", "maxPoints": 100}],
    },
    "submitSelfAssessment": {
        "block": BLOCK,
        "year": 2025,
        "unit": UNIT,
        "scores": [{"name": "c1", "points": 90}],
    },
    "crossCheckAssessment": {
        "block": BLOCK,
        "year": 2025,
        "unit": UNIT,
        "item": "c1",
        "newPoints": 1,
        "reason": "r",
    },
    "classifyUnit": {"block": BLOCK, "year": 2025, "unit": UNIT},
    "recordMonthlyRatings": {
        "unit": UNIT,
        "year": 2025,
        "month": 6,
        "scores": [{"staff": STAFF, "score": 99}],
    },
    "correctRating": {"unit": UNIT, "year": 2025, "month": 6, "staff": STAFF, "newScore": 1, "reason": "r"},
    "deriveYearRating": {"staff": STAFF, "year": 2025},
    "openBallot": {
        "key": "bp-a",
        "purpose": "classification",
        "question": "approve",
        "electorate": "block_members",
        "block": BLOCK,
        "year": 2025,
        "options": ["approve", "reject"],
    },
    "castVote": {"ballot": "bp-a", "voter": UNIT, "choice": "reject"},
    "closeBallot": {"ballot": "bp-a"},
    "recordBallotWithoutFigures": {
        "key": "bp-b",
        "purpose": "acclamation",
        "note": "n",
        "block": BLOCK,
        "year": 2025,
    },
    "destroyBallotKey": {"ballot": "bp-a"},
    "declareBallotUnopenable": {"ballot": "bp-a", "reason": "mất mảnh khóa"},
    "proposeAward": {
        "key": "ttr-a",
        "proposer": BLOCK,
        "year": 2025,
        "award": "giay_khen",
        "authority": "head_of_agency",
        "recipient": {"kind": "unit", "key": UNIT},
    },
    "attachDocument": {"proposal": "ttr-a", "item": "minutes", "reference": "x"},
    "openDisclosure": {"proposal": "ttr-a", "channel": "web"},
    "recordComment": {"proposal": "ttr-a", "author": "x", "text": "x", "objection": True},
    "recordCouncilVote": {"proposal": "ttr-a", "ballot": "bp-a"},
    "forwardProposal": {"proposal": "ttr-a"},
    "withdrawProposal": {"proposal": "ttr-a", "reason": "r"},
    "receiveDossier": {"proposal": "ttr-a"},
    "assignDossier": {"proposal": "ttr-a", "officer": "cv-a", "officerName": "x"},
    "appraiseDossier": {"proposal": "ttr-a", "finding": "x"},
    "returnDossier": {"proposal": "ttr-a", "reasons": ["x"]},
    # The submitting block's officers or unit's clerk: a proposal no province holds, so that
    # neither role's scope can refuse it before the record answers PROPOSAL_NOT_FOUND.
    "resubmitDossier": {"proposal": "ttr-khong-co"},
    "recallDossier": {"proposal": "ttr-khong-co", "reason": "r"},
    "decideAward": {
        "number": "2/QĐ-b",
        "signer": "x",
        "authority": "head_of_agency",
        "award": "giay_khen",
        "year": 2025,
        "recipients": [{"kind": "unit", "key": UNIT}],
    },
    "revokeAward": {"number": "1/QĐ-a", "revokingDecision": "x", "ground": "false_documents", "reason": "r"},
    "recognizeInitiative": {
        "recipientKind": "unit",
        "recipient": UNIT,
        "initiative": "i",
        "scope": "grassroots",
        "year": 2025,
        "reference": "r",
    },
    "noteMemberStats": {"unit": UNIT, "year": 2025, "stats": [{"name": "members", "count": 1}]},
    "absorbRecord": {"recipientKind": "unit", "recipient": UNIT, "predecessor": OTHER},
    # B's roles are no operator's; and A is in no lineage of B's
    "mergeProvinces": {"into": B, "predecessors": [A], "basis": "x"},
    "linkPersonIdentity": {"staff": STAFF, "nationalId": "001085012345"},
    "recordSuccession": {
        "recipientKind": "unit",
        "recipient": UNIT,
        "predecessors": [{"key": UNIT, "province": A}],
        "succession": "merge",
        "document": "d",
    },
    "revokePredecessorAward": {
        "recipientKind": "unit",
        "recipient": UNIT,
        "province": A,
        "number": "1/QĐ",
        "revokingDecision": "2/QĐ",
        "revokingAuthority": "provincial_chair",
        "revokingSigner": "x",
        "ground": "fraudulent_achievements",
        "reason": "r",
    },
}

LEDGER = "{ ledger { headPosition headHash } }"


def test_every_mutation_of_another_province_leaves_this_one_untouched(served: ServedApp) -> None:
    a, b = everyone(served, A), everyone(served, B)
    seed(a)
    assert schema._schema.mutation_type is not None
    assert set(SAMPLES) == set(schema._schema.mutation_type.fields), "every mutation needs a sample"
    before = a.data(LEDGER)["ledger"]
    for name, input_ in SAMPLES.items():
        kind = name[0].upper() + name[1:]
        query = f"mutation($input: {kind}Input!) {{ {name}(input: $input) {{ ok errors {{ code }} }} }}"
        body = b.post(query, {"input": input_})
        assert not body.get("errors") or body["errors"][0]["extensions"]["code"] != "INTERNAL_ERROR", (
            name,
            body,
        )
    assert a.data(LEDGER)["ledger"] == before  # not one event, not one changed byte in A
    assert b.data(LEDGER)["ledger"]["headPosition"] > 0  # what B did landed in B


# A's unit as `node(id:)` names it (Type:province:key): B's token must get null, not B's so-noi-vu.
A_UNIT_ID = base64.urlsafe_b64encode(f"Unit:{A}:{UNIT}".encode()).decode().rstrip("=")

# Values only A's data holds: none may appear in anything B reads (B's own unit is "Sở Nội vụ Hà Tĩnh").
A_ONLY = ('"Sở Nội vụ"', '"Sở Tư pháp"', '"Khối A"', "1/QĐ-a", "a-2025", '"Cán bộ A"', '"score": 77')


def _check_queries(b: GraphQLClient, at: int) -> set[str]:
    """Every root query as B: nothing of A comes back; naming A is refused."""
    checked = {"viewer"}
    assert b.data("{ viewer { province } }")["viewer"]["province"] == B
    reads = {
        "province": "{ province { code name } }",
        "node": f'{{ node(id: "{A_UNIT_ID}") {{ id ... on Unit {{ key name }} }} }}',
        "units": "{ units { nodes { key name blocks { blockKey memberKeys block { name } } } } }",
        "unit": f'{{ unit(key: "{UNIT}") {{ key name }} }}',
        "blocks": "{ blocks { nodes { key name years { memberKeys } } } }",
        "block": f'{{ block(key: "{BLOCK}") {{ key name }} }}',
        "standings": f'{{ standings(blockId: "{BLOCK}", year: 2025) {{ members lines {{ name }} }} }}',
        "ballots": "{ ballots { nodes { key tally { subject counts } } } }",
        "ballot": '{ ballot(key: "bp-a") { key tally { subject counts } } }',
        "awardProposals": "{ awardProposals { nodes { key recipientName timeline { detail } } } }",
        "awardDecisions": "{ awardDecisions { nodes { number recipients { name } } } }",
        "dossiers": "{ dossiers { nodes { key recipientName assignedTo returnReasons } } }",
        "awardHistory": '{ awardHistory(search: "so") { nodes { name decision signer } } }',
        "awardTotals": "{ awardTotals(year: 2025) { decisions recipients amount } }",
        "awardCatalogue": '{ awardCatalogue(on: "2025-07-01") { code prize { individualAmount } } }',
        "ruleSet": '{ ruleSet(on: "2026-06-01") { version values { name value scope } } }',
        "ratingSheets": f'{{ ratingSheets(unit: "{UNIT}", year: 2025) {{ nodes {{ month entries }} }} }}',
        "auditTrail": "{ auditTrail(first: 200) { nodes { position summary payload } } }",
        "ledger": "{ ledger { province headPosition } }",
    }
    for field, query in reads.items():
        answer = json.dumps(b.data(query)[field], ensure_ascii=False)
        leaked = [marker for marker in A_ONLY if marker in answer]
        assert not leaked, (field, leaked, answer)
        checked.add(field)
    assert b.data(reads["node"]) == {"node": None}
    own = b.data("{ province { code } ledger { province } }")
    assert own == {"province": {"code": B}, "ledger": {"province": B}}
    for field in ("province", "units", "unit", "blocks", "block", "ledger"):
        args = '(key: "x", province: "nghe-an")' if field in {"unit", "block"} else '(province: "nghe-an")'
        sub = {"province": "code", "ledger": "headPosition", "unit": "key", "block": "key"}.get(
            field, "nodes { key }"
        )
        assert b.error_code(f"{{ {field}{args} {{ {sub} }} }}") == "FORBIDDEN", field
    return checked


def test_every_query_of_another_province_sees_none_of_this_ones_data(served: ServedApp) -> None:
    a, b = everyone(served, A), everyone(served, B)
    if a.data(LEDGER)["ledger"]["headPosition"] == 0:
        seed(a)
    at = a.data(LEDGER)["ledger"]["headPosition"]
    assert a.data(f'{{ unit(key: "{OTHER}", atLeastPosition: {at}) {{ key }} }}')["unit"] == {"key": OTHER}
    checked = _check_queries(b, at)
    assert schema._schema.query_type is not None
    assert set(schema._schema.query_type.fields) <= checked


def test_subscriptions_of_another_province_see_none_of_this_ones_events(served: ServedApp) -> None:
    a, b = everyone(served, A), everyone(served, B)
    b_head = b.data(LEDGER)["ledger"]["headPosition"]
    url = served.url.replace("http", "ws") + "/graphql"
    token = served.token(B, *EVERY_ROLE, unit=UNIT)
    subscriptions = {
        "1": f"subscription {{ auditTrail(after: {b_head}) {{ position summary aggregateType }} }}",
        "2": f'subscription {{ standingsChanged(blockId: "{LIVE_BLOCK}", year: 2030) '
        "{ block year members } }",
    }
    assert schema._schema.subscription_type is not None
    assert set(schema._schema.subscription_type.fields) == {"auditTrail", "standingsChanged"}
    with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        for sid, query in subscriptions.items():
            ws.send(json.dumps({"id": sid, "type": "subscribe", "payload": {"query": query}}))
        # A writes a block-year with the same key; then B does (the sentinel B must see).
        a.mutate("registerUnit", {"key": UNIT, "name": "Sở Nội vụ"})  # refused if seeded already
        a.mutate("createBlock", {"key": LIVE_BLOCK, "name": "Khối A trực tiếp"})
        assert a.mutate("openBlockYear", {"block": LIVE_BLOCK, "year": 2030, "members": [UNIT]})["ok"]
        b.mutate("registerUnit", {"key": "so-y-te", "name": "Sở Y tế"})
        b.mutate("createBlock", {"key": LIVE_BLOCK, "name": "Khối B trực tiếp"})
        made = b.mutate("openBlockYear", {"block": LIVE_BLOCK, "year": 2030, "members": ["so-y-te"]})
        assert made["ok"], made
        seen: dict[str, list[Any]] = {"1": [], "2": []}
        while not seen["2"] or not any(e["position"] == made["position"] for e in seen["1"]):
            message = json.loads(ws.recv(timeout=30))
            assert message["type"] == "next", message
            seen[message["id"]].append(message["payload"]["data"])
            seen[message["id"]][-1] = next(iter(seen[message["id"]][-1].values()))
        assert seen["2"][-1]["members"] == ["so-y-te"]  # B's block-year, never A's
        assert all(e["position"] > b_head for e in seen["1"])
        assert max(e["position"] for e in seen["1"]) == made["position"]  # B's positions only
