"""A dossier's round trip over HTTP and GraphQL: submitted by a unit, received, assigned,
returned with reasons, resubmitted as a new version by the unit's clerk (the old version kept),
appraised, forwarded and decided; the worklist finds it by status, officer and deadline; the
refusals carry typed codes and record nothing; the audit trail tells it in sentences with names.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.test_graphql_whole_year import PROVINCE, Province
from thidua.services.database import ConnectionParams

KEY = "ttr-hs-01"
UNIT, OTHER = "so-noi-vu", "so-tu-phap"

WORKLIST = """query($at: Int, $status: ProposalStatus, $officer: String, $overdue: Boolean, $after: String) {
  dossiers(atLeastPosition: $at, status: $status, assignedTo: $officer, overdue: $overdue, first: 1,
           after: $after) {
    edges { cursor node { key status version assignedTo dueOn overdue returnReasons } }
    pageInfo { hasNextPage endCursor }
  }
}"""

PROPOSAL = """query($at: Int) {
  awardProposals(atLeastPosition: $at, first: 2) { nodes {
    key status version decision group groupClaimedCount groupNamedCount groupCountMismatch
    versions { version items { item reference } }
    dossier { item reference version }
    timeline { status detail }
  } }
}"""

TRAIL = """query($at: Int) {
  auditTrail(atLeastPosition: $at, first: 100) { nodes { eventType summary } }
}"""


@pytest.fixture
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


def _keys(p: Province, **filters: object) -> list[str]:
    """Every key the worklist gives for these filters, one page (of one) at a time."""
    keys: list[str] = []
    after = None
    while True:
        page = p.read(WORKLIST, after=after, **filters)["dossiers"]
        keys += [e["node"]["key"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return keys
        after = page["pageInfo"]["endCursor"]


def test_a_dossier_returned_and_resubmitted_reaches_its_decision(served: ServedApp) -> None:
    p = Province(served)
    for key, name in ((UNIT, "Sở Nội vụ"), (OTHER, "Sở Tư pháp")):
        p.ok(p.admin, "registerUnit", {"key": key, "name": name, "effectiveOn": "2020-01-01"})
    for key, recipient in ((KEY, UNIT), ("ttr-hs-02", OTHER)):
        p.ok(
            p.admin,
            "proposeAward",
            {
                "key": key,
                "proposer": recipient,  # the unit proposes for itself
                "year": 2025,
                "award": "giay_khen",
                "authority": "head_of_agency",
                "recipient": {"kind": "unit", "key": recipient},
                "dossier": [{"name": "minutes", "value": "BB 01/2025"}],
                "group": "TTr-12/2025",  # one list naming two units, claiming three
                "groupClaimedCount": 3,
                "effectiveOn": "2025-11-12",
            },
        )
    p.ok(p.admin, "receiveDossier", {"proposal": KEY, "effectiveOn": "2025-11-14"})
    p.ok(p.admin, "receiveDossier", {"proposal": "ttr-hs-02", "effectiveOn": "2025-11-14"})
    assign = {
        "proposal": KEY,
        "officer": "cv-lan",
        "officerName": "Nguyễn Thị Lan",
        "effectiveOn": "2025-11-17",
    }
    p.ok(p.admin, "assignDossier", assign)
    assert _keys(p, officer="cv-lan") == [KEY]
    assert _keys(p, status="received") == ["ttr-hs-02"]
    assert _keys(p, overdue=True) == [KEY, "ttr-hs-02"]  # deadlines of 2025, read today

    # Refusals: typed codes, nothing recorded.
    clerk, stranger = p.clerk(UNIT), p.clerk(OTHER)
    assert p.refused(p.admin, "returnDossier", {"proposal": KEY, "reasons": []}) == "REASON_REQUIRED"
    assert p.refused(p.admin, "returnDossier", {"proposal": KEY, "reasons": ["  "]}) == "REASON_REQUIRED"
    assert p.refused(p.admin, "resubmitDossier", {"proposal": KEY}) == "PROPOSAL_WRONG_STATE"
    assert p.refused(p.admin, "appraiseDossier", {"proposal": "ttr-hs-02", "finding": "x"}) == (
        "PROPOSAL_WRONG_STATE"
    )
    recall = {"proposal": KEY, "reason": "Rà soát lại"}
    assert stranger.error_code(_mutation("recallDossier"), {"input": recall}) == "FORBIDDEN"
    assert clerk.error_code(_mutation("returnDossier"), {"input": {"proposal": KEY, "reasons": ["x"]}}) == (
        "FORBIDDEN"
    )

    reasons = ["Thiếu báo cáo thành tích", "Biên bản chưa có chữ ký"]
    p.ok(p.admin, "returnDossier", {"proposal": KEY, "reasons": reasons, "effectiveOn": "2025-11-20"})
    returned = p.read(WORKLIST, status="returned")["dossiers"]["edges"][0]["node"]
    assert returned == {
        "key": KEY,
        "status": "returned",
        "version": 1,
        "assignedTo": "cv-lan",
        "dueOn": "2025-12-04",  # 10 working days
        "overdue": True,
        "returnReasons": reasons,
    }
    resubmit = {
        "proposal": KEY,
        "dossier": [
            {"name": "achievement_report", "value": "BC 02/2025"},
            {"name": "minutes", "value": "BB 01/2025 (có chữ ký)"},
        ],
        "note": "Đã bổ sung",
        "effectiveOn": "2025-11-24",
    }
    p.ok(clerk, "resubmitDossier", resubmit)  # the submitting unit's clerk
    p.ok(p.admin, "receiveDossier", {"proposal": KEY, "effectiveOn": "2025-11-25"})
    p.ok(p.admin, "assignDossier", {**assign, "effectiveOn": "2025-11-25"})
    p.ok(p.admin, "appraiseDossier", {"proposal": KEY, "finding": "Đủ hồ sơ", "effectiveOn": "2025-11-26"})
    assert p.refused(clerk, "recallDossier", recall) == "RECALL_AFTER_APPRAISAL"
    p.ok(p.admin, "forwardProposal", {"proposal": KEY, "effectiveOn": "2025-11-27"})
    decide = {
        "number": "15/QĐ-SNV",
        "signer": "Giám đốc Sở Nội vụ",
        "authority": "head_of_agency",
        "award": "giay_khen",
        "year": 2025,
        "recipients": [{"kind": "unit", "key": UNIT}],
        "proposals": [KEY],
        "effectiveOn": "2025-12-01",
    }
    p.ok(p.admin, "decideAward", decide)
    assert p.refused(p.admin, "returnDossier", {"proposal": KEY, "reasons": ["muộn"]}) == "DOSSIER_CLOSED"
    assert p.refused(clerk, "resubmitDossier", {"proposal": KEY}) == "DOSSIER_CLOSED"

    node = next(n for n in p.read(PROPOSAL)["awardProposals"]["nodes"] if n["key"] == KEY)
    assert (node["status"], node["version"], node["decision"]) == ("decided", 2, "15/QĐ-SNV")
    assert (
        node["group"],
        node["groupClaimedCount"],
        node["groupNamedCount"],
        node["groupCountMismatch"],
    ) == (
        "TTr-12/2025",
        3,
        2,
        True,
    )
    assert node["versions"] == [{"version": 1, "items": [{"item": "minutes", "reference": "BB 01/2025"}]}]
    assert [(d["item"], d["version"]) for d in node["dossier"]] == [
        ("minutes", 1),
        ("achievement_report", 2),
        ("minutes", 2),
    ]
    assert [s["status"] for s in node["timeline"]] == [
        "submitted",
        "received",
        "assigned",
        "returned",
        "resubmitted",
        "received",
        "assigned",
        "appraised",
        "forwarded",
        "decided",
    ]
    assert _keys(p, overdue=True) == ["ttr-hs-02"]
    assert _keys(p, overdue=False) == [KEY]

    sentences = [
        e["summary"] for e in p.read(TRAIL)["auditTrail"]["nodes"] if "AwardProposal" in e["eventType"]
    ]
    returned_line = next(s for s in sentences if s.startswith("Trả lại hồ sơ"))
    assert "Sở Nội vụ" in returned_line
    assert "Thiếu báo cáo thành tích" in returned_line
    assert any(s.startswith("Sở Nội vụ nộp lại hồ sơ") and "phiên bản 2" in s for s in sentences)
    assert any("thuộc tờ trình chung «TTr-12/2025», tờ trình chung nêu 3 đối tượng" in s for s in sentences)


def _mutation(name: str) -> str:
    return (
        f"mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) "
        "{ ok errors { code } } }"
    )
