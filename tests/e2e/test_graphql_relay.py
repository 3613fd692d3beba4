"""Relay over real HTTP: global IDs and `node(id:)` checked by province, `totalCount` on lists.

Two provinces hold objects under the same keys; a token of one province given the other's IDs
gets null, never its own same-keyed object nor the other's.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.database import ConnectionParams

A, B, C = "nghe-an", "ha-tinh", "thanh-hoa"  # C: the payload tests write there
UNIT, OTHER, BLOCK = "so-noi-vu", "so-tu-phap", "khoi-a"
ROLES = ("province_admin", "block_officer", "council_member", "unit_clerk", "auditor")

NODE = """query($id: ID!) { node(id: $id) { id __typename
  ... on Unit { key name } ... on Block { key blockName: name } ... on Ballot { key }
  ... on AwardProposal { key status } ... on AwardDecision { number } } }"""


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {A: "Tỉnh Nghệ An", B: "Tỉnh Hà Tĩnh", C: "Tỉnh Thanh Hóa"}) as app:
        yield app


def client(served: ServedApp, province: str) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, *ROLES, unit=UNIT, user="m0"))


def seed(c: GraphQLClient, label: str) -> int:
    """The same keys in each province, with names that tell the provinces apart."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("registerUnit", {"key": UNIT, "name": f"Sở Nội vụ {label}"}),
        ("registerUnit", {"key": OTHER, "name": f"Sở Tư pháp {label}"}),
        ("createBlock", {"key": BLOCK, "name": f"Khối {label}"}),
        ("openBlockYear", {"block": BLOCK, "year": 2025, "members": [UNIT, OTHER]}),
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
        payload = c.mutate(name, {**input_, "effectiveOn": "2025-12-20"})
        assert payload["ok"], (name, payload["errors"])
        position = payload["position"]
    return position


@pytest.fixture(scope="module")
def seeded(served: ServedApp) -> dict[str, int]:
    return {A: seed(client(served, A), "A"), B: seed(client(served, B), "B")}


IDS = """query($at: Int) {
  units(atLeastPosition: $at) { nodes { id key } }
  blocks { nodes { id key } }
  ballots { nodes { id key } }
  awardProposals { nodes { id key } }
  awardDecisions { nodes { id number } }
}"""


def ids_of(c: GraphQLClient, at: int) -> dict[str, str]:
    data = c.data(IDS, {"at": at})
    found: dict[str, str] = {}
    for field, rows in data.items():
        for row in rows["nodes"]:
            found[f"{field}:{row.get('key') or row.get('number')}"] = row["id"]
    return found


def test_every_node_type_comes_back_by_its_global_id(served: ServedApp, seeded: dict[str, int]) -> None:
    a = client(served, A)
    ids = ids_of(a, seeded[A])
    assert set(ids) == {
        f"units:{UNIT}",
        f"units:{OTHER}",
        f"blocks:{BLOCK}",
        "ballots:bp-a",
        "awardProposals:ttr-a",
        "awardDecisions:1/QĐ-a",
    }
    assert len(set(ids.values())) == len(ids)  # one ID for one object
    expected = {
        f"units:{UNIT}": ("Unit", {"key": UNIT, "name": "Sở Nội vụ A"}),
        f"blocks:{BLOCK}": ("Block", {"key": BLOCK, "blockName": "Khối A"}),
        "ballots:bp-a": ("Ballot", {"key": "bp-a"}),
        "awardProposals:ttr-a": ("AwardProposal", {"key": "ttr-a", "status": "decided"}),
        "awardDecisions:1/QĐ-a": ("AwardDecision", {"number": "1/QĐ-a"}),
    }
    for name, (typename, fields) in expected.items():
        node = a.data(NODE, {"id": ids[name]})["node"]
        assert node == {"id": ids[name], "__typename": typename, **fields}, name


def test_another_provinces_ids_give_null_never_data(served: ServedApp, seeded: dict[str, int]) -> None:
    a, b = client(served, A), client(served, B)
    a_ids, b_ids = ids_of(a, seeded[A]), ids_of(b, seeded[B])
    assert set(a_ids) == set(b_ids)  # the same keys in both provinces...
    for name, id_ in b_ids.items():
        assert id_ != a_ids[name]  # ...but not the same IDs
        assert a.data(NODE, {"id": id_}) == {"node": None}, name  # B's ID read by A: nothing
        assert b.data(NODE, {"id": id_})["node"]["id"] == id_  # B itself reads it
    # An ID forged with A's province and a key A does not have is null as well.
    forged = base64.urlsafe_b64encode(f"Unit:{A}:khong-co".encode()).decode().rstrip("=")
    assert a.data(NODE, {"id": forged}) == {"node": None}
    unknown_type = base64.urlsafe_b64encode(f"Staff:{A}:cb-1".encode()).decode().rstrip("=")
    assert a.data(NODE, {"id": unknown_type}) == {"node": None}


def test_an_id_this_api_never_gave_is_null(served: ServedApp, seeded: dict[str, int]) -> None:
    a = client(served, A)
    for bad in ("!!!", base64.urlsafe_b64encode(b"Unit-only").decode(), "x" * 2000, "AA", ""):
        assert a.data(NODE, {"id": bad}) == {"node": None}, bad


def test_node_needs_a_token(served: ServedApp, seeded: dict[str, int]) -> None:
    anonymous = GraphQLClient(served, None)
    assert anonymous.error_code(NODE, {"id": "eA"}) == "UNAUTHENTICATED"


def test_total_count_counts_every_page(served: ServedApp, seeded: dict[str, int]) -> None:
    a = client(served, A)
    data = a.data(
        """query($at: Int) {
          units(first: 1, atLeastPosition: $at) { totalCount nodes { key } pageInfo { hasNextPage } }
          blocks(first: 0) { totalCount }
          ballots(first: 1) { totalCount }
          open: ballots(status: "closed") { totalCount }
          awardProposals(first: 1) { totalCount }
          decided: awardProposals(status: decided) { totalCount }
          withdrawn: awardProposals(status: withdrawn) { totalCount }
          thisYear: awardDecisions(year: 2025) { totalCount }
          otherYear: awardDecisions(year: 2024) { totalCount }
          auditTrail(first: 1) { totalCount }
          yearEvents: auditTrail(filter: { subject: "block-year:khoi-a/2025" }) { totalCount }
          awardHistory(search: "so noi vu") { totalCount }
        }""",
        {"at": seeded[A]},
    )
    assert data["units"] == {"totalCount": 2, "nodes": [{"key": UNIT}], "pageInfo": {"hasNextPage": True}}
    assert data["blocks"] == {"totalCount": 1}
    assert data["ballots"] == {"totalCount": 1}
    assert data["open"] == {"totalCount": 0}
    assert data["awardProposals"] == {"totalCount": 1}
    assert data["decided"] == {"totalCount": 1}
    assert data["withdrawn"] == {"totalCount": 0}
    assert data["thisYear"] == {"totalCount": 1}
    assert data["otherYear"] == {"totalCount": 0}
    assert data["auditTrail"]["totalCount"] == seeded[A]  # every event of A, A's own positions
    assert 0 < data["yearEvents"]["totalCount"] < seeded[A]
    assert data["awardHistory"] == {"totalCount": 1}  # the one decided award of A


def test_standings_take_key_and_still_the_deprecated_block_id(
    served: ServedApp, seeded: dict[str, int]
) -> None:
    a = client(served, A)
    fields = "{ block year members }"
    by_key = a.data(f'{{ standings(key: "{BLOCK}", year: 2025) {fields} }}')["standings"]
    assert by_key == {"block": BLOCK, "year": 2025, "members": [UNIT, OTHER]}
    old = a.data(f'{{ standings(blockId: "{BLOCK}", year: 2025) {fields} }}')["standings"]
    assert old == by_key
    same = a.data(f'{{ standings(key: "{BLOCK}", blockId: "{BLOCK}", year: 2025) {fields} }}')
    assert same["standings"] == by_key
    assert a.error_code(f'{{ standings(key: "{BLOCK}", blockId: "khac", year: 2025) {fields} }}') == (
        "INVALID_ARGUMENT"
    )
    assert a.error_code(f"{{ standings(year: 2025) {fields} }}") == "INVALID_ARGUMENT"
    args = a.data(
        """{ __schema { queryType { fields { name args(includeDeprecated: true) {
             name isDeprecated deprecationReason } } }
           subscriptionType { fields { name args(includeDeprecated: true) { name isDeprecated } } } } }"""
    )["__schema"]
    standings = next(f for f in args["queryType"]["fields"] if f["name"] == "standings")
    flags = {arg["name"]: arg["isDeprecated"] for arg in standings["args"]}
    assert flags == {
        "key": False,
        "blockId": True,
        "year": False,
        "asOf": False,
        "effectiveOn": False,
        "atLeastPosition": False,
        "includePredecessors": False,
    }
    assert "key" in next(arg for arg in standings["args"] if arg["name"] == "blockId")["deprecationReason"]
    live = next(f for f in args["subscriptionType"]["fields"] if f["name"] == "standingsChanged")
    assert {arg["name"]: arg["isDeprecated"] for arg in live["args"]} == {
        "year": False,
        "key": False,
        "blockId": True,
    }
    # Every other root field naming one object already takes `key`, none `blockId`.
    for field in args["queryType"]["fields"]:
        names = {arg["name"] for arg in field["args"]}
        assert field["name"] == "standings" or "blockId" not in names, field["name"]


def test_codes_are_enums_with_vietnamese_labels_and_answers_keep_their_codes(
    served: ServedApp, seeded: dict[str, int]
) -> None:
    a = client(served, A)
    data = a.data(
        """{ viewer { roles }
             block(key: "khoi-a") { kind }
             ballot(key: "bp-a") { tally { status } }
             awardProposals { nodes { award awardCode awardType authority recipientKind } }
             awardDecisions { nodes { award awardCode status authority awardType recipients { kind } } } }"""
    )
    assert data["viewer"]["roles"] == sorted(ROLES)
    assert data["block"] == {"kind": "block"}
    assert data["ballot"] == {"tally": {"status": "open"}}
    assert data["awardProposals"]["nodes"] == [
        {
            "award": "giay_khen",
            "awardCode": "giay_khen",
            "awardType": "thuong_xuyen",
            "authority": "head_of_agency",
            "recipientKind": "unit",
        }
    ]
    assert data["awardDecisions"]["nodes"] == [
        {
            "award": "giay_khen",
            "awardCode": "giay_khen",
            "status": "in_force",
            "authority": "head_of_agency",
            "awardType": "thuong_xuyen",
            "recipients": [{"kind": "unit"}],
        }
    ]
    labels = a.data(
        """{ award: __type(name: "AwardCode") { description enumValues { name description } }
             status: __type(name: "DecisionStatus") { enumValues { name description } }
             method: __type(name: "ChoiceMethod") { enumValues { name description } }
             role: __type(name: "Role") { enumValues { name description } }
             field: __type(name: "BlockOfficers") { fields { name type { name } } } }"""
    )
    award = {v["name"]: v["description"] for v in labels["award"]["enumValues"]}
    assert award["giay_khen"].startswith("Giấy khen")
    assert award["chien_si_thi_dua_co_so"] == "Chiến sĩ thi đua cơ sở"
    assert {v["name"]: v["description"] for v in labels["status"]["enumValues"]} == {
        "in_force": "Đang có hiệu lực",
        "revoked": "Đã bị hủy bỏ",
    }
    assert {v["name"] for v in labels["method"]["enumValues"]} == {"vote", "acclamation", "unrecorded"}
    roles = {v["name"]: v["description"] for v in labels["role"]["enumValues"]}
    assert roles["unit_clerk"] == "Cán bộ thi đua của đơn vị"
    method = next(f for f in labels["field"]["fields"] if f["name"] == "method")
    assert method["type"]["name"] == "OfficerMethod"


def test_mutation_payloads_return_the_object_as_read_after_the_write(served: ServedApp) -> None:
    c = client(served, C)
    unit = "id key name dissolvedOn"
    made = c.mutate(
        "registerUnit", {"key": UNIT, "name": "Sở Nội vụ C"}, fields=f"ok position unit {{ {unit} }}"
    )
    assert made["ok"]
    assert made["unit"]["key"] == UNIT
    assert made["unit"]["name"] == "Sở Nội vụ C"
    assert c.data(NODE, {"id": made["unit"]["id"]})["node"]["name"] == "Sở Nội vụ C"
    renamed = c.mutate(
        "renameUnit", {"key": UNIT, "name": "Sở Nội vụ Thanh Hóa"}, fields=f"unit {{ {unit} }}"
    )
    assert renamed["unit"]["name"] == "Sở Nội vụ Thanh Hóa"  # the write, read back
    again = c.mutate("registerUnit", {"key": UNIT, "name": "X"}, fields="ok errors { code } unit { key }")
    assert again["ok"] is False
    assert again["unit"] is None  # refused: nothing to return
    assert c.mutate("registerUnit", {"key": OTHER, "name": "Sở Tư pháp C"})["ok"]

    block = c.mutate("createBlock", {"key": BLOCK, "name": "Khối C"}, fields="block { key name kind }")
    assert block["block"] == {"key": BLOCK, "name": "Khối C", "kind": "block"}
    year = c.mutate(
        "openBlockYear",
        {"block": BLOCK, "year": 2025, "members": [UNIT]},
        fields="blockYear { blockKey year memberKeys }",
    )
    assert year["blockYear"] == {"blockKey": BLOCK, "year": 2025, "memberKeys": [UNIT]}
    added = c.mutate(
        "addBlockMember", {"block": BLOCK, "year": 2025, "unit": OTHER}, fields="blockYear { memberKeys }"
    )
    assert sorted(added["blockYear"]["memberKeys"]) == [UNIT, OTHER]

    ballot = "ballot { id key tally { status cast } }"
    opened = c.mutate(
        "openBallot",
        {
            "key": "bp-c",
            "purpose": "classification",
            "subject": f"{BLOCK}/2025",
            "question": "approve",
            "electorate": "block_members",
            "block": BLOCK,
            "year": 2025,
            "options": ["approve", "reject"],
        },
        fields=f"ok {ballot}",
    )
    assert opened["ballot"]["tally"] == {"status": "open", "cast": 0}
    voted = c.mutate("castVote", {"ballot": "bp-c", "voter": UNIT, "choice": "approve"}, fields=ballot)
    assert voted["ballot"]["tally"] == {"status": "open", "cast": 1}
    closed = c.mutate("closeBallot", {"ballot": "bp-c"}, fields=ballot)
    assert closed["ballot"]["tally"]["status"] == "tallied"
    assert closed["ballot"]["id"] == opened["ballot"]["id"]

    proposal = "proposal { id key status awardCode }"
    proposed = c.mutate(
        "proposeAward",
        {
            "key": "ttr-c",
            "proposer": BLOCK,
            "year": 2025,
            "award": "giay_khen",
            "authority": "head_of_agency",
            "recipient": {"kind": "unit", "key": UNIT},
            "achievement": "c-2025",
            "dossier": [
                {"name": "minutes", "value": "BB"},
                {"name": "achievement_report", "value": "BC"},
            ],
        },
        fields=proposal,
    )
    assert proposed["proposal"]["key"] == "ttr-c"
    assert proposed["proposal"]["awardCode"] == "giay_khen"
    forwarded = c.mutate("forwardProposal", {"proposal": "ttr-c"}, fields=proposal)
    assert forwarded["proposal"]["status"] == "forwarded"
    decision = "decision { id number status recipients { key } }"
    decided = c.mutate(
        "decideAward",
        {
            "number": "9/QĐ-c",
            "signer": "Giám đốc",
            "authority": "head_of_agency",
            "award": "giay_khen",
            "year": 2025,
            "recipients": [{"kind": "unit", "key": UNIT}],
            "proposals": ["ttr-c"],
        },
        fields=decision,
    )
    assert decided["decision"]["status"] == "in_force"
    assert decided["decision"]["recipients"] == [{"key": UNIT}]
    revoked = c.mutate(
        "revokeAward",
        {"number": "9/QĐ-c", "revokingDecision": "10/QĐ-c", "ground": "false_documents", "reason": "r"},
        fields=decision,
    )
    assert revoked["decision"]["status"] == "revoked"
    assert revoked["decision"]["id"] == decided["decision"]["id"]
    assert c.data(NODE, {"id": proposed["proposal"]["id"]})["node"]["status"] == "revoked"
