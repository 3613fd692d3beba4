"""Issue 16 over real HTTP and PostgreSQL: a successor reads its predecessors where asked
(`includePredecessors` on the audit trail, standings, the awards register and the look-up, each
item naming its `originProvince`), never an unrelated province, and a predecessor never reads its
successor; after the merger the successor's competent authority revokes a predecessor's decision,
recorded with both authorities."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from tests.paperwork_files import sheet_values
from thidua.services.database import ConnectionParams
from thidua.services.paperwork.excel_out.sheets import REGISTER_HEADERS

PROVINCES = {
    "ha-nam": "Tỉnh Hà Nam",
    "nam-dinh": "Tỉnh Nam Định",
    "ninh-binh": "Tỉnh Ninh Bình",
    "thai-binh": "Tỉnh Thái Bình",  # unrelated: merged into nobody here
}
UNIT, BLOCK = "so-noi-vu", "khoi-noi-chinh"
DECISION = "15/QĐ-UBND-HN"
MERGE = "mutation($input: MergeProvincesInput!) { mergeProvinces(input: $input) { ok errors { code } } }"
AUDIT = """
query($first: Int, $after: String, $with: Boolean!) {
  auditTrail(first: $first, after: $after, includePredecessors: $with) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { position eventType summary originProvince { code name } }
  }
}
"""
STANDINGS = """
query($with: Boolean!) {
  standings(key: "khoi-noi-chinh", year: 2024, includePredecessors: $with) {
    block members originProvince { code name }
  }
}
"""
REVOKE = {
    "recipientKind": "unit",
    "recipient": UNIT,
    "province": "ha-nam",
    "number": DECISION,
    "revokingDecision": "120/QĐ-UBND-NB",
    "revokingAuthority": "provincial_chair",
    "revokingSigner": "Chủ tịch UBND tỉnh Ninh Bình",
    "ground": "fraudulent_achievements",
    "reason": "Thanh tra phát hiện khai man thành tích năm 2024.",
    "effectiveOn": "2025-09-15",
}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, PROVINCES) as app:
        yield app


def caller(served: ServedApp, province: str, role: str = "province_admin") -> GraphQLClient:
    return GraphQLClient(served, served.token(province, role, user=f"{role}-{province}"))


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["ok"], payload["errors"]
    return payload


def refused(client: GraphQLClient, name: str, input_: dict[str, Any]) -> str:
    payload = client.mutate(name, input_, fields="ok position errors { code message }")
    assert payload["ok"] is False, payload
    assert payload["position"] is None
    assert payload["errors"][0]["message"]
    return str(payload["errors"][0]["code"])


def history(client: GraphQLClient, code: str) -> int:
    """A province's own past: its Sở Nội vụ in a block in 2024, and a Bằng khen of its chair."""
    client.mutate("registerUnit", {"key": UNIT, "name": f"Sở Nội vụ {code}", "effectiveOn": "2020-01-02"})
    ok(
        client.mutate(
            "createBlock", {"key": BLOCK, "name": f"Khối Nội chính {code}", "effectiveOn": "2024-01-02"}
        )
    )
    ok(
        client.mutate(
            "openBlockYear", {"block": BLOCK, "year": 2024, "members": [UNIT], "effectiveOn": "2024-01-05"}
        )
    )
    return int(
        ok(
            client.mutate(
                "decideAward",
                {
                    "number": f"15/QĐ-UBND-{code}" if code != "ha-nam" else DECISION,
                    "signer": f"Chủ tịch UBND {PROVINCES[code]}",
                    "authority": "provincial_chair",
                    "award": "tap_the_lao_dong_xuat_sac",
                    "year": 2024,
                    "recipients": [{"kind": "unit", "key": UNIT}],
                    "historical": True,
                    "effectiveOn": "2024-12-20",
                },
            )
        )["position"]
    )


@pytest.fixture(scope="module")
def merged(served: ServedApp) -> dict[str, int]:
    heads = {code: history(caller(served, code), code) for code in ("ha-nam", "nam-dinh", "thai-binh")}
    # Hà Nam's Sở Nội vụ is in its block in 2025 too, until the merger closes its ledger.
    ok(
        caller(served, "ha-nam").mutate(
            "openBlockYear", {"block": BLOCK, "year": 2025, "members": [UNIT], "effectiveOn": "2025-01-05"}
        )
    )
    ok(
        caller(served, "ninh-binh").mutate(
            "registerUnit", {"key": UNIT, "name": "Sở Nội vụ", "effectiveOn": "2020-01-02"}
        )
    )
    operator = GraphQLClient(served, served.token(None, "platform_operator", user="van-hanh"))
    merger = {
        "into": "ninh-binh",
        "predecessors": ["ha-nam", "nam-dinh"],
        "basis": "Nghị quyết 202/2025/QH15",
        "effectiveOn": "2025-07-01",
    }
    assert operator.post(MERGE, {"input": merger})["data"]["mergeProvinces"]["ok"]
    return heads


def audit_pages(client: GraphQLClient, *, with_predecessors: bool, first: int = 7) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        page = client.data(AUDIT, {"first": first, "after": after, "with": with_predecessors})["auditTrail"]
        entries += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(entries) == page["totalCount"]
            return entries
        after = page["pageInfo"]["endCursor"]


def test_the_audit_trail_runs_on_into_the_predecessors_and_no_further(
    served: ServedApp, merged: dict[str, int]
) -> None:
    auditor = caller(served, "ninh-binh", "auditor")
    own = audit_pages(auditor, with_predecessors=False)
    assert {e["originProvince"]["code"] for e in own} == {"ninh-binh"}
    assert own[0]["originProvince"]["name"] == "Tỉnh Ninh Bình"
    every = audit_pages(auditor, with_predecessors=True)  # pages of 7 cross the provinces
    origins = [e["originProvince"]["code"] for e in every]
    assert origins == sorted(origins, key=["ninh-binh", "ha-nam", "nam-dinh"].index)  # own first
    assert set(origins) == {"ninh-binh", "ha-nam", "nam-dinh"}  # never thai-binh
    assert [e for e in every if e["originProvince"]["code"] == "ninh-binh"] == own
    names = {e["originProvince"]["code"]: e["originProvince"]["name"] for e in every}
    assert names == {"ninh-binh": "Tỉnh Ninh Bình", "ha-nam": "Tỉnh Hà Nam", "nam-dinh": "Tỉnh Nam Định"}
    ha_nam = [e for e in every if e["originProvince"]["code"] == "ha-nam"]
    assert ha_nam == sorted(ha_nam, key=lambda e: e["position"])
    assert ha_nam[-1]["eventType"] == "ProvinceLineage.Closed"

    # A predecessor's token reads its own trail only: the lineage is walked backwards, never on.
    closed = audit_pages(caller(served, "ha-nam", "auditor"), with_predecessors=True)
    assert {e["originProvince"]["code"] for e in closed} == {"ha-nam"}
    # An unrelated province reads its own trail only.
    other = audit_pages(caller(served, "thai-binh", "auditor"), with_predecessors=True)
    assert {e["originProvince"]["code"] for e in other} == {"thai-binh"}

    # A cursor naming a province beyond the lineage read is refused, not followed.
    bogus = "WzMsIDFd"  # [3, 1]: a fourth province in a lineage of three
    assert auditor.error_code(AUDIT, {"first": 5, "after": bogus, "with": True}) == "INVALID_CURSOR"


def test_standings_of_a_predecessor_block_name_their_origin(
    served: ServedApp, merged: dict[str, int]
) -> None:
    auditor = caller(served, "ninh-binh", "auditor")
    assert auditor.data(STANDINGS, {"with": False})["standings"] is None  # not the successor's block
    found = auditor.data(STANDINGS, {"with": True})["standings"]
    assert found["originProvince"] == {"code": "ha-nam", "name": "Tỉnh Hà Nam"}  # the nearest first
    assert found["members"] == [UNIT]
    # The unrelated province holds the same block key: it reads its own, and never the merged ones'.
    other = caller(served, "thai-binh", "auditor").data(STANDINGS, {"with": True})["standings"]
    assert other["originProvince"]["code"] == "thai-binh"
    # A predecessor reads its own block; asking for predecessors adds none.
    closed = caller(served, "ha-nam", "auditor").data(STANDINGS, {"with": True})["standings"]
    assert closed["originProvince"]["code"] == "ha-nam"


def test_the_register_and_the_look_up_name_the_origin_province(
    served: ServedApp, merged: dict[str, int]
) -> None:
    auditor = caller(served, "ninh-binh", "auditor")
    decisions = auditor.data(
        "{ awardDecisions(includePredecessors: true) "
        "{ nodes { number province originProvince { code name } } } }"
    )["awardDecisions"]["nodes"]
    assert [(d["province"], d["originProvince"]["code"]) for d in decisions] == [
        ("ha-nam", "ha-nam"),
        ("nam-dinh", "nam-dinh"),
    ]
    assert decisions[0]["originProvince"]["name"] == "Tỉnh Hà Nam"
    looked = auditor.data(
        "{ awardHistory(includePredecessors: true) { nodes { decision originProvince { code name } } } }"
    )["awardHistory"]["nodes"]
    assert {e["originProvince"]["code"] for e in looked} == {"ha-nam", "nam-dinh"}
    alone = caller(served, "thai-binh", "auditor").data(
        "{ awardHistory(includePredecessors: true) { nodes { originProvince { code } } } }"
    )["awardHistory"]["nodes"]
    assert {e["originProvince"]["code"] for e in alone} == {"thai-binh"}


def test_a_statistical_form_counts_the_predecessors_when_asked(
    served: ServedApp, merged: dict[str, int], tmp_path: Path
) -> None:
    auditor = caller(served, "ninh-binh", "auditor")
    # Tập thể lao động xuất sắc has no column of its own in 0603: the form's note counts it.
    assert "Tập thể lao động xuất sắc" not in report_text(auditor, tmp_path)
    assert "Tập thể lao động xuất sắc: 2" in report_text(auditor, tmp_path, includePredecessors="true")
    other = caller(served, "thai-binh", "auditor")
    assert "Tập thể lao động xuất sắc: 1" in report_text(other, tmp_path, includePredecessors="true")


def test_the_successor_revokes_a_predecessor_decision_with_both_authorities(
    served: ServedApp, merged: dict[str, int], tmp_path: Path
) -> None:
    board = caller(served, "ninh-binh")
    succeeded = ok(
        board.mutate(
            "recordSuccession",
            {
                "recipientKind": "unit",
                "recipient": UNIT,
                "predecessors": [{"province": "ha-nam", "key": UNIT}],
                "succession": "rename",
                "document": "Quyết định 01/QĐ-UBND hợp nhất Sở Nội vụ",
                "effectiveOn": "2025-07-01",
            },
        )
    )
    auditor = caller(served, "ninh-binh", "auditor")
    count = "query($at: Int) { auditTrail(atLeastPosition: $at) { totalCount } }"
    before = auditor.data(count, {"at": succeeded["position"]})["auditTrail"]["totalCount"]

    # Refusals record nothing: before the merger, a lesser authority, a province outside the lineage,
    # a decision the predecessor never recorded.
    assert refused(board, "revokePredecessorAward", REVOKE | {"effectiveOn": "2025-06-30"}) == (
        "REVOCATION_BEFORE_MERGER"
    )
    assert refused(board, "revokePredecessorAward", REVOKE | {"revokingAuthority": "head_of_agency"}) == (
        "REVOKING_AUTHORITY_NOT_COMPETENT"
    )
    assert refused(board, "revokePredecessorAward", REVOKE | {"province": "thai-binh"}) == (
        "PROVINCE_NOT_IN_LINEAGE"
    )
    assert refused(board, "revokePredecessorAward", REVOKE | {"number": "99/QĐ-UBND"}) == "DECISION_NOT_FOUND"
    assert refused(caller(served, "thai-binh"), "revokePredecessorAward", REVOKE) == "PROVINCE_NOT_IN_LINEAGE"
    assert auditor.data(count, {"at": succeeded["position"]})["auditTrail"]["totalCount"] == before

    done = ok(board.mutate("revokePredecessorAward", REVOKE))
    entry = auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, filter: {eventType: "
        '"AwardRecord.InheritedTitleRevoked"}) { nodes { effectiveOn summary payload } } }',
        {"at": done["position"]},
    )["auditTrail"]["nodes"]
    assert len(entry) == 1
    payload = entry[0]["payload"]
    assert payload["decision_province"] == "ha-nam"
    assert payload["decision_authority"] == "provincial_chair"
    assert payload["decision_signer"] == "Chủ tịch UBND Tỉnh Hà Nam"
    assert payload["revoking_authority"] == "provincial_chair"
    assert payload["revoking_signer"] == "Chủ tịch UBND tỉnh Ninh Bình"
    assert entry[0]["effectiveOn"] == "2025-09-15"
    summary = entry[0]["summary"]
    assert "Chủ tịch UBND Tỉnh Hà Nam" in summary
    assert "Chủ tịch UBND tỉnh Ninh Bình" in summary
    # Revoked once: a second time is refused.
    assert refused(board, "revokePredecessorAward", REVOKE) == "RECORD_ENTRY_NOT_FOUND"
    # The successor's look-up shows the predecessor's award revoked, and where; Hà Nam's own look-up
    # (its closed ledger) still reads as it was closed.
    looked = auditor.data(
        "query($at: Int) { awardHistory(includePredecessors: true, atLeastPosition: $at) "
        "{ nodes { decision revokedBy revokedOn revokedIn consecutiveYears originProvince { code } } } }",
        {"at": done["position"]},
    )["awardHistory"]["nodes"]
    assert next(e for e in looked if e["decision"] == DECISION) == {
        "decision": DECISION,
        "revokedBy": "120/QĐ-UBND-NB",
        "revokedOn": "2025-09-15",
        "revokedIn": "ninh-binh",
        "consecutiveYears": 0,
        "originProvince": {"code": "ha-nam"},
    }
    assert next(e for e in looked if e["originProvince"]["code"] == "nam-dinh")["revokedBy"] is None
    own = caller(served, "ha-nam", "auditor").data("{ awardHistory { nodes { revokedBy revokedIn } } }")
    assert own["awardHistory"]["nodes"] == [{"revokedBy": None, "revokedIn": None}]
    # The successor's register shows it revoked too, by which decision, authority and signer of the
    # successor, and when; Nam Định's decision stays in force.
    register = auditor.data(
        "query($at: Int) { awardDecisions(includePredecessors: true, atLeastPosition: $at) { nodes { number "
        "status revocations { revokingDecision revokingAuthority recordedIn effectiveOn "
        "ground recipients position } } } }",
        {"at": done["position"]},
    )["awardDecisions"]["nodes"]
    revoked = next(d for d in register if d["number"] == DECISION)
    assert revoked["status"] == "revoked"
    assert revoked["revocations"] == [
        {
            "revokingDecision": "120/QĐ-UBND-NB",
            "revokingAuthority": "provincial_chair",
            "recordedIn": "ninh-binh",
            "effectiveOn": "2025-09-15",
            "ground": "fraudulent_achievements",
            "recipients": [UNIT],
            "position": done["position"],
        }
    ]
    assert next(d for d in register if d["number"] != DECISION)["status"] == "in_force"
    closed = caller(served, "ha-nam", "auditor").data(
        "{ awardDecisions { nodes { status revocations { recordedIn } } } }"
    )
    assert closed["awardDecisions"]["nodes"] == [{"status": "in_force", "revocations": []}]
    # Its export says the same, as does the look-up's.
    status = REGISTER_HEADERS.index("Tình trạng")
    said = "Đã hủy bỏ (120/QĐ-UBND-NB, Chủ tịch UBND tỉnh, Tỉnh Ninh Bình, ngày 15/09/2025)"
    rows = export_rows(auditor, "awards-register", tmp_path, includePredecessors="true")
    body = [r for r in rows if r and isinstance(r[0], int)]
    assert [(r[1], r[status]) for r in body] == [(DECISION, said), ("15/QĐ-UBND-nam-dinh", "Còn hiệu lực")]
    looked_rows = export_rows(auditor, "award-history", tmp_path, includePredecessors="true")
    assert {(r[7], r[11], r[12]) for r in looked_rows if r and isinstance(r[0], int)} == {
        (DECISION, 0, said),
        ("15/QĐ-UBND-nam-dinh", 1, "Còn hiệu lực"),
    }
    # The statistical forms with the predecessors no longer count it as in force.
    assert "Tập thể lao động xuất sắc: 1" in report_text(auditor, tmp_path, includePredecessors="true")


def period(block: str, starts_on: str, ends_on: str, **more: Any) -> dict[str, Any]:
    return {"block": block, "year": 2025, "unit": UNIT, "startsOn": starts_on, "endsOn": ends_on} | more


def test_a_unit_is_a_member_for_its_period_after_the_merger(
    served: ServedApp, merged: dict[str, int]
) -> None:
    board = caller(served, "ninh-binh")
    for key, name in ((BLOCK, "Khối Nội chính"), ("khoi-kinh-te", "Khối Kinh tế")):
        ok(board.mutate("createBlock", {"key": key, "name": name, "effectiveOn": "2025-07-01"}))
        ok(
            board.mutate(
                "openBlockYear", {"block": key, "year": 2025, "members": [], "effectiveOn": "2025-07-01"}
            )
        )
    # July to December in the successor's block; January to June was Hà Nam's (its closed ledger).
    joined = ok(
        board.mutate(
            "addBlockMemberForPeriod",
            period(
                BLOCK, "2025-07-01", "2025-12-31", earlier="ha-nam/khoi-noi-chinh", effectiveOn="2025-07-01"
            ),
        )
    )
    auditor = caller(served, "ninh-binh", "auditor")
    count = "query($at: Int) { auditTrail(atLeastPosition: $at) { totalCount } }"
    before = auditor.data(count, {"at": joined["position"]})["auditTrail"]["totalCount"]
    # Overlapping periods are refused, in the same block or another of the kind, and a whole-year
    # membership overlaps every period; nothing is recorded.
    overlap = "MEMBERSHIP_PERIOD_OVERLAP"
    assert refused(board, "addBlockMemberForPeriod", period(BLOCK, "2025-10-01", "2025-12-31")) == overlap
    assert (
        refused(board, "addBlockMemberForPeriod", period("khoi-kinh-te", "2025-06-15", "2025-07-15"))
        == overlap
    )
    whole = {"block": "khoi-kinh-te", "year": 2025, "unit": UNIT}
    assert refused(board, "addBlockMember", whole) == overlap
    assert refused(board, "addBlockMemberForPeriod", period(BLOCK, "2025-12-01", "2026-01-31")) == (
        "MALFORMED_COMMAND"
    )
    # `earlier` is read from the predecessor's ledger: its block-year must hold the unit, the
    # period must not start while the unit was still a member there, the province must be a
    # predecessor.
    before_merger = period("khoi-kinh-te", "2025-06-01", "2025-06-30", earlier="ha-nam/khoi-noi-chinh")
    assert refused(board, "addBlockMemberForPeriod", before_merger) == overlap
    elsewhere = period("khoi-kinh-te", "2025-01-01", "2025-06-30", earlier="nam-dinh/khoi-noi-chinh")
    assert refused(board, "addBlockMemberForPeriod", elsewhere) == "EARLIER_MEMBERSHIP_NOT_FOUND"
    unknown = period("khoi-kinh-te", "2025-01-01", "2025-06-30", earlier="ha-nam/khoi-khac")
    assert refused(board, "addBlockMemberForPeriod", unknown) == "EARLIER_MEMBERSHIP_NOT_FOUND"
    unrelated = period("khoi-kinh-te", "2025-01-01", "2025-06-30", earlier="thai-binh/khoi-noi-chinh")
    assert refused(board, "addBlockMemberForPeriod", unrelated) == "PROVINCE_NOT_IN_LINEAGE"
    assert auditor.data(count, {"at": joined["position"]})["auditTrail"]["totalCount"] == before
    # A period that overlaps nothing is taken.
    ok(board.mutate("addBlockMemberForPeriod", period("khoi-kinh-te", "2025-01-01", "2025-06-30")))

    found = auditor.data(
        'query($at: Int) { standings(key: "khoi-noi-chinh", year: 2025, atLeastPosition: $at) '
        "{ members originProvince { code } lines { unit periods { startsOn endsOn } daysCounted } } }",
        {"at": joined["position"]},
    )["standings"]
    assert found["originProvince"] == {"code": "ninh-binh"}
    assert found["members"] == [UNIT]
    assert found["lines"] == [
        {"unit": UNIT, "periods": [{"startsOn": "2025-07-01", "endsOn": "2025-12-31"}], "daysCounted": 184}
    ]
    said = auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, filter: {eventType: "
        '"BlockYear.MemberJoinedForPeriod"}) { nodes { summary } } }',
        {"at": joined["position"]},
    )["auditTrail"]["nodes"]
    assert "từ 01/07/2025 đến 31/12/2025" in said[0]["summary"]
    assert "ha-nam/khoi-noi-chinh" in said[0]["summary"]


def test_a_board_ends_a_period_membership_early(served: ServedApp, merged: dict[str, int]) -> None:
    board = caller(served, "ninh-binh")
    auditor = caller(served, "ninh-binh", "auditor")
    ok(
        board.mutate(
            "registerUnit", {"key": "so-tai-chinh", "name": "Sở Tài chính", "effectiveOn": "2020-01-02"}
        )
    )
    for key, name in ((BLOCK, "Khối Nội chính"), ("khoi-kinh-te", "Khối Kinh tế")):
        board.mutate("createBlock", {"key": key, "name": name, "effectiveOn": "2025-07-01"})
        board.mutate(
            "openBlockYear", {"block": key, "year": 2025, "members": [], "effectiveOn": "2025-07-01"}
        )
    board.mutate(
        "addBlockMemberForPeriod", period(BLOCK, "2025-07-01", "2025-12-31", effectiveOn="2025-07-01")
    )
    whole = ok(
        board.mutate("addBlockMember", {"block": "khoi-kinh-te", "year": 2025, "unit": "so-tai-chinh"})
    )
    count = "query($at: Int) { auditTrail(atLeastPosition: $at) { totalCount } }"
    before = auditor.data(count, {"at": whole["position"]})["auditTrail"]["totalCount"]

    def end(block: str, ends_on: str, unit: str = UNIT) -> dict[str, Any]:
        return {"block": block, "year": 2025, "unit": unit, "endsOn": ends_on, "reason": "Chuyển khối"}

    # Refusals record nothing: a day outside the period or not before its end, a unit with no period
    # in the block, a whole-year member (removed by removeBlockMember).
    outside = "MEMBERSHIP_PERIOD_END_OUTSIDE"
    assert refused(board, "endBlockMemberPeriod", end(BLOCK, "2025-06-30")) == outside
    assert refused(board, "endBlockMemberPeriod", end(BLOCK, "2025-12-31")) == outside
    assert refused(board, "endBlockMemberPeriod", end(BLOCK, "2025-09-30", "so-tai-chinh")) == "NOT_A_MEMBER"
    assert refused(board, "endBlockMemberPeriod", end("khoi-kinh-te", "2025-09-30", "so-tai-chinh")) == (
        "MEMBERSHIP_NOT_FOR_A_PERIOD"
    )
    removal = {"block": BLOCK, "year": 2025, "unit": UNIT, "reason": "r"}
    assert refused(board, "removeBlockMember", removal) == "MEMBERSHIP_FOR_A_PERIOD"
    assert auditor.data(count, {"at": whole["position"]})["auditTrail"]["totalCount"] == before

    ended = ok(board.mutate("endBlockMemberPeriod", end(BLOCK, "2025-10-31") | {"effectiveOn": "2025-10-31"}))
    found = auditor.data(
        'query($at: Int) { standings(key: "khoi-noi-chinh", year: 2025, atLeastPosition: $at) '
        "{ members lines { unit periods { startsOn endsOn } daysCounted } } }",
        {"at": ended["position"]},
    )["standings"]
    assert found["members"] == [UNIT]  # a member for part of the year still
    assert found["lines"] == [
        {"unit": UNIT, "periods": [{"startsOn": "2025-07-01", "endsOn": "2025-10-31"}], "daysCounted": 123}
    ]
    said = auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, filter: {eventType: "
        '"BlockYear.MemberPeriodEnded"}) { nodes { summary } } }',
        {"at": ended["position"]},
    )["auditTrail"]["nodes"]
    assert "từ 01/07/2025 đến 31/10/2025 (trước đó đến 31/12/2025)" in said[0]["summary"]
    # The unit's own periods end too: November and December in another block of the kind are free.
    ok(board.mutate("addBlockMemberForPeriod", period("khoi-kinh-te", "2025-11-01", "2025-12-31")))
    assert refused(board, "addBlockMemberForPeriod", period("khoi-kinh-te", "2025-10-31", "2025-12-31")) == (
        "MEMBERSHIP_PERIOD_OVERLAP"
    )


def export_rows(client: GraphQLClient, kind: str, tmp: Path, **params: Any) -> list[tuple[Any, ...]]:
    response = client.http.get(
        f"/exports/{kind}.xlsx", params=params, headers={"Authorization": f"Bearer {client.token}"}
    )
    assert response.status_code == 200, response.text
    path = tmp / f"{kind}.xlsx"
    path.write_bytes(response.content)
    return sheet_values(path)


def test_the_register_export_names_each_row_s_province(
    served: ServedApp, merged: dict[str, int], tmp_path: Path
) -> None:
    auditor = caller(served, "ninh-binh", "auditor")
    rows = export_rows(auditor, "awards-register", tmp_path, includePredecessors="true")
    header = next(i for i, r in enumerate(rows) if r and r[0] == REGISTER_HEADERS[0])
    assert rows[header][-1] == "Tỉnh ghi quyết định"
    body = [r for r in rows[header + 1 :] if r and isinstance(r[0], int)]
    assert [r[-1] for r in body] == ["Tỉnh Hà Nam", "Tỉnh Nam Định"]  # never Thái Bình's
    alone = export_rows(auditor, "awards-register", tmp_path)
    assert not [r for r in alone if r and isinstance(r[0], int)]  # its own register: empty
    looked = export_rows(auditor, "award-history", tmp_path, includePredecessors="true")
    assert {r[-1] for r in looked if r and isinstance(r[0], int)} == {"Tỉnh Hà Nam", "Tỉnh Nam Định"}
    # A predecessor's token exports its own register only.
    closed = export_rows(
        caller(served, "ha-nam", "auditor"), "awards-register", tmp_path, includePredecessors="true"
    )
    assert [r[1] for r in closed if r and isinstance(r[0], int)] == [DECISION]
    refused = auditor.http.get(
        "/exports/standings.xlsx",
        params={"includePredecessors": "true", "block": BLOCK, "year": 2024},
        headers={"Authorization": f"Bearer {auditor.token}"},
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "PREDECESSORS_NOT_READ"


def report_text(client: GraphQLClient, tmp: Path, **params: Any) -> str:
    """Form 0603 (the province's awards) for 2024, its cells as one text."""
    response = client.http.get(
        "/reports/0603.xlsx",
        params={"year": 2024, **params},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200, response.text
    path = tmp / "0603.xlsx"
    path.write_bytes(response.content)
    return " ".join(str(v) for row in sheet_values(path) for v in row if v is not None)
