"""A whole year of one emulation block, driven over real HTTP through the GraphQL API only.

Units, a block and its year, a pledge and registrations, the scoring table, self-assessments and a
cross-check, monthly ratings (and the 20% cap refusing a month), a secret ballot electing next
year's Khối trưởng and an open one acclaiming the leading unit, the council's secret vote on a
provincial flag, proposals, two decisions and a revocation; then the standings, the awards and the
audit trail are read back and checked figure by figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.database import ConnectionParams

PROVINCE = "nghe-an"
BLOCK = "khoi-noi-chinh"
UNITS = {
    "so-noi-vu": "Sở Nội vụ",
    "so-tu-phap": "Sở Tư pháp",
    "so-tai-chinh": "Sở Tài chính",
    "cong-an-tinh": "Công an tỉnh",
}
SELF_SCORES = {  # c1 (max 60), c2 (max 40), bonuses
    "so-noi-vu": (58, 38, ["co_tinh"]),
    "so-tu-phap": (55, 36, []),
    "so-tai-chinh": (50, 30, []),
    "cong-an-tinh": (45, 30, []),
}
STAFF = [f"nv-{i}" for i in range(7)]


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


class Province:
    """The callers of one province, each with their own token."""

    def __init__(self, served: ServedApp) -> None:
        self.served = served
        self.admin = self.caller("province_admin", user="ban-tdkt")
        # The block's officer, scoped by the identity provider's `blocks` claim (no officers are
        # on the record for 2025: the year's vote elects 2026's).
        self.officer = GraphQLClient(
            served, served.token(PROVINCE, "block_officer", user="khoi-truong", blocks=[BLOCK])
        )
        self.auditor = self.caller("auditor", user="thanh-tra")
        self.last = 0

    def caller(self, role: str, *, unit: str | None = None, user: str = "tester") -> GraphQLClient:
        return GraphQLClient(self.served, self.served.token(PROVINCE, role, unit=unit, user=user))

    def clerk(self, unit: str) -> GraphQLClient:
        return self.caller("unit_clerk", unit=unit, user=f"clerk-{unit}")

    def member(self, i: int) -> GraphQLClient:
        return self.caller("council_member", user=f"m{i}")

    def ok(self, who: GraphQLClient, name: str, input_: dict[str, Any], fields: str = "") -> dict[str, Any]:
        payload: dict[str, Any] = who.mutate(
            name, input_, fields=f"ok position key errors {{ code message }} {fields}"
        )
        assert payload["ok"], (name, payload["errors"])
        self.last = max(self.last, payload["position"] or 0)
        return payload

    def refused(self, who: GraphQLClient, name: str, input_: dict[str, Any]) -> str:
        payload = who.mutate(name, input_)
        assert payload["ok"] is False, payload
        assert payload["position"] is None
        assert payload["errors"][0]["message"]  # Vietnamese, for the user
        return str(payload["errors"][0]["code"])

    def read(self, query: str, **variables: Any) -> Any:
        return self.auditor.data(query, {"at": self.last, **variables})


def organise(p: Province) -> None:
    for key, name in UNITS.items():
        p.ok(p.admin, "registerUnit", {"key": key, "name": name, "effectiveOn": "2025-01-02"})
    p.ok(
        p.admin, "createBlock", {"key": BLOCK, "name": "Khối thi đua Nội chính", "effectiveOn": "2025-01-02"}
    )
    p.ok(
        p.admin,
        "openBlockYear",
        {
            "block": BLOCK,
            "year": 2025,
            "members": list(UNITS),
            "membersClaimed": 5,
            "effectiveOn": "2025-01-05",
        },
    )
    p.ok(
        p.admin,
        "launchMovement",
        {
            "key": "chuyen-doi-so",
            "name": "Chuyển đổi số",
            "kind": "thematic",
            "startsOn": "2025-01-01",
            "endsOn": "2025-12-31",
            "effectiveOn": "2025-01-05",
        },
    )
    clerk = p.clerk("so-noi-vu")
    for i, key in enumerate(STAFF):
        group = "unit_leadership" if i == 0 else "specialists"
        p.ok(
            clerk,
            "registerStaff",
            {"key": key, "name": f"Cán bộ {i}", "unit": "so-noi-vu", "ratingGroup": group},
        )
    # A clerk acts for its own unit only: refused before anything runs, as a FORBIDDEN error.
    other = (
        'mutation { registerStaff(input: {key: "x", name: "X", unit: "so-tu-phap", ratingGroup: "s"}) '
        "{ ok } }"
    )
    assert clerk.error_code(other) == "FORBIDDEN"


def pledge_and_register(p: Province) -> None:
    for unit in UNITS:
        p.ok(
            p.clerk(unit),
            "signPledge",
            {
                "block": BLOCK,
                "year": 2025,
                "unit": unit,
                "targets": [{"name": "ho-so-dien-tu", "value": "100%"}],
                "movement": "chuyen-doi-so",
                "effectiveOn": "2025-01-15",
            },
        )
    clerk = p.clerk("so-noi-vu")
    p.ok(
        clerk,
        "registerTitle",
        {
            "registrantKind": "unit",
            "registrant": "so-noi-vu",
            "year": 2025,
            "award": "tap_the_lao_dong_xuat_sac",
        },
    )
    p.ok(
        clerk,
        "registerExemplary",
        {
            "registrantKind": "unit",
            "registrant": "so-noi-vu",
            "year": 2025,
            "theme": "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
            "counts": [{"name": "individuals", "count": 34}, {"name": "models", "count": 4}],
        },
    )
    # A clerk registers only its own staff: nv-0 is so-noi-vu's, not so-tu-phap's.
    foreign = (
        'mutation { registerTitle(input: {registrantKind: "staff", registrant: "nv-0", year: 2025, '
        'award: "lao_dong_tien_tien"}) { ok } }'
    )
    assert p.clerk("so-tu-phap").error_code(foreign) == "FORBIDDEN"


def score(p: Province) -> int:
    p.ok(
        p.officer,
        "adoptScoringTable",
        {
            "block": BLOCK,
            "year": 2025,
            "criteria": [
                {"code": "c1", "group": "Nhiệm vụ chuyên môn", "name": "Kết quả nhiệm vụ", "maxPoints": 60},
                {"code": "c2", "group": "Xây dựng Đảng", "name": "Công tác Đảng", "maxPoints": 40},
            ],
            "bonusItems": [{"code": "co_tinh", "name": "Cờ thi đua tỉnh", "points": 10}],
            "deductionItems": [{"code": "vi_pham", "name": "Vi phạm kỷ luật", "points": 5}],
            "effectiveOn": "2025-02-01",
        },
    )
    for unit, (c1, c2, bonuses) in SELF_SCORES.items():
        p.ok(
            p.clerk(unit),
            "submitSelfAssessment",
            {
                "block": BLOCK,
                "year": 2025,
                "unit": unit,
                "scores": [{"name": "c1", "points": c1}, {"name": "c2", "points": c2}],
                "bonuses": bonuses,
                "effectiveOn": "2025-11-20",
            },
        )
    before_cross_check = p.last
    p.ok(
        p.officer,
        "crossCheckAssessment",
        {
            "block": BLOCK,
            "year": 2025,
            "unit": "so-noi-vu",
            "item": "c1",
            "newPoints": 56,
            "reason": "Thiếu minh chứng cho một chỉ tiêu",
            "effectiveOn": "2025-12-01",
        },
    )
    for unit in UNITS:
        p.ok(
            p.officer,
            "classifyUnit",
            {"block": BLOCK, "year": 2025, "unit": unit, "effectiveOn": "2025-12-10"},
        )
    return before_cross_check


def rate_staff(p: Province) -> None:
    clerk = p.clerk("so-noi-vu")
    scores = [{"staff": s, "score": 80} for s in STAFF[2:]] + [
        {"staff": "nv-0", "score": 95},
        {"staff": "nv-1", "score": 95},
    ]
    # Before 2026 the cap of Decree 90/2020 as amended by Decree 48/2023 applied too (per unit and
    # rating group): December has no HTXSNV.
    december = [*scores[:-2], {"staff": "nv-0", "score": 88}, {"staff": "nv-1", "score": 88}]
    p.ok(clerk, "recordMonthlyRatings", {"unit": "so-noi-vu", "year": 2025, "month": 12, "scores": december})
    p.ok(
        clerk,
        "correctRating",
        {
            "unit": "so-noi-vu",
            "year": 2025,
            "month": 12,
            "staff": "nv-1",
            "newScore": 85,
            "reason": "Đính chính",
        },
    )
    # From 2026 the HTXSNV cap (20% of HTTNV) applies: two of five is refused, with its code.
    january = {"unit": "so-noi-vu", "year": 2026, "month": 1, "scores": scores, "effectiveOn": "2026-02-02"}
    assert p.refused(clerk, "recordMonthlyRatings", january) == "RATING_CAP_EXCEEDED"


def vote(p: Province) -> None:
    # Next year's Khối trưởng, by secret ballot (bỏ phiếu kín): every voter gets a receipt.
    elect = f"{BLOCK}/2025/bau-khoi-truong"
    opened = p.ok(
        p.officer,
        "openBallot",
        {
            "key": elect,
            "purpose": "officers",
            "subject": f"{BLOCK}/2025",
            "question": "elect",
            "electorate": "block_members",
            "block": BLOCK,
            "year": 2025,
            "options": ["so-noi-vu", "so-tu-phap"],
            "secret": True,
            "tellers": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
            "effectiveOn": "2025-12-20",
        },
        "tellerShares { teller number share }",
    )
    # Each teller (ban kiểm phiếu) is handed one share; any two of the three open the papers.
    shares = [s["share"] for s in opened["tellerShares"]]
    assert [s["teller"] for s in opened["tellerShares"]] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    choices = {
        "so-noi-vu": "so-noi-vu",
        "so-tu-phap": "so-noi-vu",
        "so-tai-chinh": "so-noi-vu",
        "cong-an-tinh": "so-tu-phap",
    }
    receipts = []
    for unit, choice in choices.items():
        cast = p.ok(p.clerk(unit), "castVote", {"ballot": elect, "voter": unit, "choice": choice}, "receipt")
        receipts.append(cast["receipt"])
    assert all(receipts)
    assert len(set(receipts)) == 4  # one paper each, none alike
    again = p.clerk("so-tu-phap").mutate(
        "castVote", {"ballot": elect, "voter": "so-tu-phap", "choice": "so-tu-phap"}
    )
    assert again["errors"][0]["code"] == "DUPLICATE_VOTE"
    assert (
        p.refused(p.officer, "closeBallot", {"ballot": elect, "shares": shares[:1]})
        == "BALLOT_SHARES_TOO_FEW"
    )
    p.ok(p.officer, "closeBallot", {"ballot": elect, "shares": [shares[2], shares[0]]})
    p.ok(
        p.officer,
        "chooseOfficers",
        {
            "block": BLOCK,
            "year": 2026,
            "leader": "so-noi-vu",
            "deputy": "so-tu-phap",
            "method": "vote",
            "ballot": elect,
            "chosenInYear": 2025,
            "effectiveOn": "2025-12-20",
        },
    )
    # The leading unit, acclaimed by an open ballot (suy tôn).
    acclaim = f"{BLOCK}/2025/suy-ton"
    p.ok(
        p.officer,
        "openBallot",
        {
            "key": acclaim,
            "purpose": "acclamation",
            "subject": f"{BLOCK}/2025/so-noi-vu",
            "question": "approve",
            "electorate": "block_members",
            "block": BLOCK,
            "year": 2025,
            "options": ["approve", "reject"],
            "effectiveOn": "2025-12-20",
        },
    )
    for unit in UNITS:
        p.ok(p.clerk(unit), "castVote", {"ballot": acclaim, "voter": unit, "choice": "approve"})
    p.ok(p.officer, "closeBallot", {"ballot": acclaim})
    p.ok(
        p.officer,
        "chooseLeadingUnits",
        {
            "block": BLOCK,
            "year": 2025,
            "units": ["so-noi-vu"],
            "method": "vote",
            "ballot": acclaim,
            "effectiveOn": "2025-12-20",
        },
    )
    p.ok(
        p.officer,
        "holdReview",
        {
            "block": BLOCK,
            "year": 2025,
            "kind": "year_end",
            "chairedBy": "so-noi-vu",
            "effectiveOn": "2025-12-22",
        },
    )


def award(p: Province) -> None:
    p.ok(p.admin, "constituteCouncil", {"decisionRef": "QĐ 01/QĐ-UBND", "effectiveOn": "2025-01-02"})
    for i in range(9):
        p.ok(
            p.admin, "appointCouncilMember", {"member": f"m{i}", "name": f"Thành viên {i}", "role": "member"}
        )
    dossier = [{"name": "minutes", "value": "BB 12/2025"}, {"name": "achievement_report", "value": "BC 45"}]
    p.ok(
        p.officer,
        "proposeAward",
        {
            "key": "ttr-01",
            "proposer": BLOCK,
            "year": 2025,
            "award": "co_thi_dua_ubnd_tinh",
            "authority": "provincial_chair",
            "recipient": {"kind": "unit", "key": "so-noi-vu"},
            "achievement": "so-noi-vu-2025",
            "dossier": dossier,
            "effectiveOn": "2025-12-23",
        },
    )
    council = "hd/ttr-01"
    council_opened = p.ok(
        p.member(0),
        "openBallot",
        {
            "key": council,
            "purpose": "council",
            "subject": "ttr-01",
            "award": "co_thi_dua_ubnd_tinh",
            "question": "approve",
            "electorate": "council_members",
            "options": ["approve", "reject"],
            "secret": True,
            "tellers": ["m6", "m7", "m8"],
            "tellersNeeded": 3,
            "effectiveOn": "2025-12-26",
        },
        "tellerShares { share }",
    )
    for i in range(8):
        p.ok(p.member(i), "castVote", {"ballot": council, "voter": f"m{i}", "choice": "approve"}, "receipt")
    council_shares = [s["share"] for s in council_opened["tellerShares"]]
    p.ok(p.member(0), "closeBallot", {"ballot": council, "shares": council_shares})
    p.ok(
        p.member(0),
        "recordCouncilVote",
        {"proposal": "ttr-01", "ballot": council, "effectiveOn": "2025-12-26"},
    )
    p.ok(p.member(0), "forwardProposal", {"proposal": "ttr-01", "effectiveOn": "2025-12-27"})
    p.ok(
        p.admin,
        "decideAward",
        {
            "number": "123/QĐ-UBND",
            "signer": "Chủ tịch UBND tỉnh",
            "authority": "provincial_chair",
            "award": "co_thi_dua_ubnd_tinh",
            "year": 2025,
            "recipients": [{"kind": "unit", "key": "so-noi-vu"}],
            "proposals": ["ttr-01"],
            "effectiveOn": "2025-12-30",
        },
    )
    # A certificate decided by the head of agency: no council, a proposal forwarded directly.
    p.ok(
        p.officer,
        "proposeAward",
        {
            "key": "ttr-02",
            "proposer": BLOCK,
            "year": 2025,
            "award": "giay_khen",
            "authority": "head_of_agency",
            "recipient": {"kind": "unit", "key": "so-tu-phap"},
            "achievement": "so-tu-phap-2025",
            "dossier": dossier,
            "effectiveOn": "2025-12-23",
        },
    )
    p.ok(p.admin, "forwardProposal", {"proposal": "ttr-02", "effectiveOn": "2025-12-24"})
    p.ok(
        p.admin,
        "decideAward",
        {
            "number": "88/QĐ-STP",
            "signer": "Giám đốc Sở Tư pháp",
            "authority": "head_of_agency",
            "award": "giay_khen",
            "year": 2025,
            "recipients": [{"kind": "unit", "key": "so-tu-phap"}],
            "proposals": ["ttr-02"],
            "effectiveOn": "2025-12-29",
        },
    )
    # Later, the flag is revoked by a new decision (never deleted).
    p.ok(
        p.admin,
        "revokeAward",
        {
            "number": "123/QĐ-UBND",
            "revokingDecision": "9/QĐ-UBND",
            "ground": "false_documents",
            "reason": "Hồ sơ không trung thực",
            "effectiveOn": "2026-03-01",
        },
    )


STANDINGS = """query($at: Int, $asOf: DateTime) {
  standings(blockId: "khoi-noi-chinh", year: 2025, atLeastPosition: $at, asOf: $asOf) {
    members membersClaimed countMismatch leadingUnits leadingMethod position
    lines { unit name selfTotal total classification rank tied adjustments leading checkedScores }
    ballots { key secret status eligible cast counts outcome winner }
  }
}"""


def test_a_whole_year_of_a_block_through_the_api(served: ServedApp) -> None:
    p = Province(served)
    organise(p)
    pledge_and_register(p)
    before_cross_check = score(p)
    rate_staff(p)
    vote(p)
    award(p)

    standings = p.read(STANDINGS)["standings"]
    assert standings["members"] == list(UNITS)
    assert (standings["membersClaimed"], standings["countMismatch"]) == (5, True)
    lines = {line["unit"]: line for line in standings["lines"]}
    assert [line["unit"] for line in standings["lines"]] == [
        "so-noi-vu",
        "so-tu-phap",
        "so-tai-chinh",
        "cong-an-tinh",
    ]
    assert lines["so-noi-vu"]["selfTotal"] == 106
    assert lines["so-noi-vu"]["total"] == 104  # 56 + 38 + 10 after the cross-check
    assert lines["so-noi-vu"]["checkedScores"] == {"c1": 56, "c2": 38}
    assert lines["so-noi-vu"]["adjustments"] == 1
    assert lines["so-noi-vu"]["name"] == "Sở Nội vụ"
    assert [lines[u]["total"] for u in UNITS] == [104, 91, 80, 75]
    assert [lines[u]["rank"] for u in UNITS] == [1, 2, 3, 4]
    assert lines["so-noi-vu"]["classification"] == "excellent"
    assert lines["so-tu-phap"]["classification"] == "excellent"
    assert lines["so-noi-vu"]["leading"]
    assert standings["leadingUnits"] == ["so-noi-vu"]
    ballots = {b["key"]: b for b in standings["ballots"]}
    elected = ballots[f"{BLOCK}/2025/bau-khoi-truong"]
    assert (elected["secret"], elected["status"], elected["cast"]) == (True, "tallied", 4)
    assert elected["counts"] == {"so-noi-vu": 3, "so-tu-phap": 1}
    assert elected["winner"] == "so-noi-vu"
    acclaimed = ballots[f"{BLOCK}/2025/suy-ton"]
    assert acclaimed["counts"] == {"approve": 4, "reject": 0}

    # As the ledger knew it before the cross-check: the self-assessed total.
    earlier = p.read(
        "query($at: Int) { auditTrail(atLeastPosition: $at, "
        'filter: {eventType: "BlockScoring.SelfAssessed"}) { nodes { position recordedAt } } }'
    )["auditTrail"]["nodes"]
    assert max(e["position"] for e in earlier) < before_cross_check + 1
    as_of = max(e["recordedAt"] for e in earlier)
    then = p.read(STANDINGS, asOf=as_of)["standings"]
    assert {line["unit"]: line["total"] for line in then["lines"]}["so-noi-vu"] == 106

    next_year = p.read('{ block(key: "khoi-noi-chinh") { name years(year: 2026) { leader deputy } } }')[
        "block"
    ]
    assert next_year["name"] == "Khối thi đua Nội chính"
    assert next_year["years"] == [{"leader": "so-noi-vu", "deputy": "so-tu-phap"}]

    proposals = p.read(
        "query($at: Int) { awardProposals(atLeastPosition: $at) { nodes { key status decision "
        "prerequisitesMissing timeline { status } } } }"
    )["awardProposals"]["nodes"]
    by_key = {x["key"]: x for x in proposals}
    assert by_key["ttr-01"]["status"] == "revoked"
    assert by_key["ttr-01"]["decision"] == "123/QĐ-UBND"
    assert [s["status"] for s in by_key["ttr-01"]["timeline"]][-1] == "revoked"
    assert by_key["ttr-02"]["status"] == "decided"

    decisions = p.read(
        "query($at: Int) { awardDecisions(atLeastPosition: $at) { nodes { number status award signer "
        "recipients { kind key } revocations { revokingDecision ground } } } }"
    )["awardDecisions"]["nodes"]
    by_number = {d["number"]: d for d in decisions}
    assert by_number["123/QĐ-UBND"]["status"] == "revoked"
    assert by_number["123/QĐ-UBND"]["revocations"] == [
        {"revokingDecision": "9/QĐ-UBND", "ground": "false_documents"}
    ]
    assert by_number["88/QĐ-STP"]["status"] == "in_force"
    assert by_number["88/QĐ-STP"]["recipients"] == [{"kind": "unit", "key": "so-tu-phap"}]

    sheets = p.read(
        'query($at: Int) { ratingSheets(unit: "so-noi-vu", year: 2025, atLeastPosition: $at) '
        "{ nodes { month scopes { scope bands } corrections } } }"
    )["ratingSheets"]["nodes"]
    assert [s["month"] for s in sheets] == [12]
    unit_scope = next(s for s in sheets[0]["scopes"] if s["scope"] == "unit")
    assert sum(unit_scope["bands"].values()) == 7
    assert len(sheets[0]["corrections"]) == 1

    trail = p.read(
        "query($at: Int) { auditTrail(atLeastPosition: $at, first: 200) { nodes { position eventType "
        "actorRole actorUnit payload } pageInfo { hasNextPage } } }"
    )["auditTrail"]
    events = trail["nodes"]
    assert trail["pageInfo"]["hasNextPage"] is False
    assert events[-1]["position"] == p.last
    types = [e["eventType"] for e in events]
    assert types.count("Ballot.SealedPaperCast") == 4 + 8
    assert types.count("BlockScoring.ScoreAdjusted") == 1
    assert "AwardDecision.Revoked" in types
    # A sealed paper carries who cast it, never what they chose.
    sealed = next(e for e in events if e["eventType"] == "Ballot.SealedPaperCast")
    assert "choice" not in sealed["payload"]
    adjusted = next(e for e in events if e["eventType"] == "BlockScoring.ScoreAdjusted")
    assert adjusted["actorRole"] == "block_officer"
    assert adjusted["payload"]["reason"] == "Thiếu minh chứng cho một chỉ tiêu"
