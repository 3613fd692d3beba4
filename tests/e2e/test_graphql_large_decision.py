"""A decision (quyết định) with 300 recipients over HTTP and GraphQL: each with its award and prize,
the decision's total, the count the decision claims kept beside the names it gives; a decision
granting two awards; a recipient named twice refused with a typed code and nothing recorded."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.test_graphql_whole_year import PROVINCE, Province
from thidua.services.database import ConnectionParams

UNITS = [f"dv-{i:03}" for i in range(200)]
STAFF = [f"cb-{i:03}" for i in range(100)]
GIAY_KHEN_UNIT, GIAY_KHEN_PERSON = 1_410_000, 710_000  # 0.6 / 0.3 × 2,340,000, rounded up

DECISIONS = """query($at: Int) {
  awardDecisions(atLeastPosition: $at, first: 2) { nodes {
    number award claimedCount countMismatch namedCount prizeTotal
    grants { award named claimedCount countMismatch }
    recipients { kind key name award prizeAmount }
  } }
}"""

HISTORY = """query($at: Int, $recipient: String) {
  awardHistory(atLeastPosition: $at, recipient: $recipient, first: 5) { nodes { award decision prizeAmount } }
}"""

TRAIL = """query($at: Int) {
  auditTrail(atLeastPosition: $at, filter: {eventType: "AwardDecision.Recorded"}, first: 5) {
    nodes { summary }
  }
}"""


@pytest.fixture
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


def test_a_decision_with_three_hundred_recipients(served: ServedApp) -> None:
    p = Province(served)
    for key in UNITS:
        p.ok(p.admin, "registerUnit", {"key": key, "name": f"Đơn vị {key}", "effectiveOn": "2020-01-02"})
    for key in STAFF:
        staff = {"key": key, "name": f"Cán bộ {key}", "unit": UNITS[0], "ratingGroup": "specialists"}
        p.ok(p.admin, "registerStaff", {**staff, "effectiveOn": "2020-01-02"})
    recipients = [{"kind": "unit", "key": k} for k in UNITS] + [{"kind": "staff", "key": k} for k in STAFF]
    decide = {
        "number": "300/QĐ-SNV",
        "signer": "Giám đốc Sở Nội vụ",
        "authority": "head_of_agency",
        "award": "giay_khen",
        "year": 2025,
        "recipients": recipients,
        "claimedCount": 306,
        "effectiveOn": "2025-12-20",
    }
    twice = {**decide, "number": "301/QĐ-SNV", "recipients": [*recipients, recipients[7]]}
    head = p.last
    assert p.refused(p.admin, "decideAward", twice) == "DUPLICATE_RECIPIENT"
    started = time.monotonic()
    p.ok(p.admin, "decideAward", decide)
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed  # one transaction for 300 records and the decision
    assert p.last > head

    archive = {
        "number": "07/QĐ-SNV",
        "signer": "Giám đốc Sở Nội vụ",
        "authority": "head_of_agency",
        "year": 2024,
        "historical": True,
        "grants": [
            {"award": "giay_khen", "recipients": recipients[:5], "claimedCount": 6},
            {"award": "lao_dong_tien_tien", "recipients": [{"kind": "staff", "key": STAFF[0]}]},
        ],
        "effectiveOn": "2024-12-20",
    }
    p.ok(p.admin, "decideAward", archive)

    nodes = {d["number"]: d for d in p.read(DECISIONS)["awardDecisions"]["nodes"]}
    big = nodes["300/QĐ-SNV"]
    assert (big["namedCount"], big["claimedCount"], big["countMismatch"]) == (300, 306, True)
    assert len(big["recipients"]) == 300
    assert {r["award"] for r in big["recipients"]} == {"giay_khen"}
    amounts = {r["kind"]: r["prizeAmount"] for r in big["recipients"]}
    assert amounts == {"unit": GIAY_KHEN_UNIT, "staff": GIAY_KHEN_PERSON}
    assert big["prizeTotal"] == 200 * GIAY_KHEN_UNIT + 100 * GIAY_KHEN_PERSON
    old = nodes["07/QĐ-SNV"]
    assert old["grants"] == [
        {"award": "giay_khen", "named": 5, "claimedCount": 6, "countMismatch": True},
        {"award": "lao_dong_tien_tien", "named": 1, "claimedCount": None, "countMismatch": False},
    ]
    assert [r["award"] for r in old["recipients"]] == ["giay_khen"] * 5 + ["lao_dong_tien_tien"]

    looked_up = p.read(HISTORY, recipient=STAFF[0])["awardHistory"]["nodes"]
    assert sorted((n["award"], n["decision"]) for n in looked_up) == [
        ("giay_khen", "300/QĐ-SNV"),
        ("lao_dong_tien_tien", "07/QĐ-SNV"),
    ]
    sentences = [n["summary"] for n in p.read(TRAIL)["auditTrail"]["nodes"]]
    assert any("quyết định nêu 306 đối tượng, ghi tên 300" in s for s in sentences)
    assert any("Giấy khen cho 5 đối tượng (văn bản nêu 6)" in s for s in sentences)
