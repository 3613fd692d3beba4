"""Blocks, reviews, pledges and votes as the minutes record them, over real HTTP and GraphQL.

Nghệ An's block of Party agencies (scenarios/nghe-an.json), its 2021 year as the news reports
give it: a block formed by a decision, a launch meeting, pledges signed without targets in the
minutes, the year-end review with its figures, a classification vote without figures recorded by
the block's leader, next year's officers chosen "by vote" (open or secret not said); then 2022
opened by that choice with the members carried over, and the refusals that say what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.database import ConnectionParams

PROVINCE = "nghe-an"
BLOCK = "khoi-co-quan-dang"
UNITS = {
    "ban-to-chuc": "Ban Tổ chức Tỉnh ủy",
    "ban-tuyen-giao": "Ban Tuyên giáo Tỉnh ủy",
    "dang-uy-khoi-dn": "Đảng ủy Khối Doanh nghiệp tỉnh Nghệ An",
    "truong-chinh-tri": "Trường Chính trị tỉnh",
    "bao-nghe-an": "Báo Nghệ An",
    "ban-giai-the": "Ban Giải thể",  # dissolved before 2022: not carried over
}
FOUNDED = {"number": "123/QĐ-UBND", "signedOn": "2020-12-20", "issuer": "UBND tỉnh Nghệ An"}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


class Board:
    def __init__(self, served: ServedApp) -> None:
        self.served = served
        self.admin = self.caller("province_admin", user="ban-tdkt")
        # The 2021 leader's own officer token: scoped by the record (it leads 2021), no claim.
        self.leader = self.caller("block_officer", unit="dang-uy-khoi-dn", user="khoi-truong")
        self.not_leader = self.caller("block_officer", unit="ban-tuyen-giao", user="khong-phai")
        self.auditor = self.caller("auditor", user="thanh-tra")
        self.last = 0

    def caller(self, role: str, *, unit: str | None = None, user: str = "tester") -> GraphQLClient:
        return GraphQLClient(self.served, self.served.token(PROVINCE, role, unit=unit, user=user))

    def clerk(self, unit: str) -> GraphQLClient:
        return self.caller("unit_clerk", unit=unit, user=f"clerk-{unit}")

    def ok(self, who: GraphQLClient, name: str, input_: dict[str, Any]) -> None:
        payload = who.mutate(name, input_)
        assert payload["ok"], (name, payload["errors"])
        self.last = max(self.last, payload["position"] or 0)

    def refused(self, who: GraphQLClient, name: str, input_: dict[str, Any]) -> dict[str, Any]:
        payload = who.mutate(name, input_)
        assert payload["ok"] is False, payload
        assert payload["position"] is None
        error: dict[str, Any] = payload["errors"][0]
        assert error["message"]
        return error

    @staticmethod
    def refusal(who: GraphQLClient, name: str, input_: dict[str, Any]) -> str:
        """The code of a call refused before it runs (a top-level error: FORBIDDEN)."""
        query = f"mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) {{ ok }} }}"
        body = who.post(query, {"input": input_})
        assert body.get("errors"), body
        return str(body["errors"][0]["extensions"]["code"])

    def read(self, query: str) -> Any:
        return self.auditor.data(query.replace("AT", str(self.last)))


@pytest.fixture(scope="module")
def board(served: ServedApp) -> Board:
    b = Board(served)
    for key, name in UNITS.items():
        b.ok(b.admin, "registerUnit", {"key": key, "name": name, "effectiveOn": "2021-01-02"})
    b.ok(
        b.admin,
        "createBlock",
        {
            "key": BLOCK,
            "name": "Khối thi đua các cơ quan Đảng cấp tỉnh",
            "decision": FOUNDED,
            "effectiveOn": "2021-01-02",
        },
    )
    b.ok(
        b.admin,
        "openBlockYear",
        {
            "block": BLOCK,
            "year": 2021,
            "members": list(UNITS),
            "membersClaimed": 10,
            "decision": {"number": "45/QĐ-BTĐKT", "signedOn": "2021-01-04", "issuer": "Ban Thi đua"},
            "effectiveOn": "2021-01-05",
        },
    )
    # The article names the 2021 leader, not how it was chosen.
    b.ok(
        b.admin,
        "chooseOfficers",
        {"block": BLOCK, "year": 2021, "leader": "dang-uy-khoi-dn", "method": "unrecorded"},
    )
    return b


def test_launch_meeting_pledges_without_targets_and_the_review_with_figures(board: Board) -> None:
    b = board
    b.ok(
        b.leader,
        "holdBlockMeeting",
        {
            "block": BLOCK,
            "year": 2021,
            "kind": "launch",
            "heldOn": "2021-03-17",
            "host": "dang-uy-khoi-dn",
            "adopted": ["pledge", "regulation"],
            "note": "Ký kết giao ước thi đua năm 2021",
        },
    )
    meeting = {"block": BLOCK, "year": 2021, "heldOn": "2021-03-18", "kind": "plan"}
    assert b.refused(b.leader, "holdBlockMeeting", meeting | {"kind": "tiec"})["code"] == "MALFORMED_COMMAND"
    bad_item = b.refused(b.leader, "holdBlockMeeting", meeting | {"adopted": ["ngan-sach"]})
    assert bad_item["code"] == "MALFORMED_COMMAND"
    assert bad_item["field"] == "adopted[0]"
    assert b.refusal(b.not_leader, "holdBlockMeeting", meeting) == "FORBIDDEN"

    clerk = b.clerk("ban-to-chuc")
    pledge = {"block": BLOCK, "year": 2021, "unit": "ban-to-chuc"}
    missing = b.refused(clerk, "signPledge", pledge)
    assert missing["code"] == "MALFORMED_COMMAND"
    assert "không ghi chỉ tiêu" in missing["message"]
    both = pledge | {"targets": [{"name": "t", "value": "v"}], "targetsUnrecorded": True}
    assert b.refused(clerk, "signPledge", both)["code"] == "MALFORMED_COMMAND"
    b.ok(clerk, "signPledge", pledge | {"targetsUnrecorded": True, "effectiveOn": "2021-03-17"})

    review = {"block": BLOCK, "year": 2021, "kind": "year_end", "heldOn": "2021-11-12"}
    too_much = b.refused(b.leader, "holdReview", review | {"completionRate": "120"})
    assert (too_much["code"], too_much["field"]) == ("MALFORMED_COMMAND", "figures.completionRate")
    words = b.refused(b.leader, "holdReview", review | {"completionRate": "gần hết"})
    assert (words["code"], words["field"]) == ("MALFORMED_COMMAND", "figures.completionRate")
    negative = b.refused(b.leader, "holdReview", review | {"counts": [{"name": "x", "count": -1}]})
    assert negative["code"] == "MALFORMED_COMMAND"
    b.ok(
        b.leader,
        "holdReview",
        review
        | {
            "chairedBy": "dang-uy-khoi-dn",
            "completionRate": "98,5",
            "counts": [{"name": "don-vi-hoan-thanh-xuat-sac", "count": 3}],
            "effectiveOn": "2021-11-12",
        },
    )

    year = b.read(
        '{ block(key: "khoi-co-quan-dang", atLeastPosition: AT) { decision { number signedOn issuer } '
        "years(year: 2021) { decision { number } officersChoice { method label } "
        "reviews { kind label heldOn chairedBy completionRate counts { name count } } "
        "meetings { kind label heldOn host adopted note } } } }"
    )["block"]
    assert year["decision"] == {
        "number": "123/QĐ-UBND",
        "signedOn": "2020-12-20",
        "issuer": "UBND tỉnh Nghệ An",
    }
    (y2021,) = year["years"]
    assert y2021["decision"] == {"number": "45/QĐ-BTĐKT"}
    assert y2021["officersChoice"]["method"] == "unrecorded"
    assert "bỏ phiếu" not in y2021["officersChoice"]["label"]
    assert y2021["reviews"] == [
        {
            "kind": "year_end",
            "label": "tổng kết",
            "heldOn": "2021-11-12",
            "chairedBy": "dang-uy-khoi-dn",
            "completionRate": "98.5",
            "counts": [{"name": "don-vi-hoan-thanh-xuat-sac", "count": 3}],
        }
    ]
    assert y2021["meetings"] == [
        {
            "kind": "launch",
            "label": "hội nghị phát động thi đua, ký kết giao ước",
            "heldOn": "2021-03-17",
            "host": "dang-uy-khoi-dn",
            "adopted": ["pledge", "regulation"],
            "note": "Ký kết giao ước thi đua năm 2021",
        }
    ]


def test_the_leader_records_a_vote_without_figures_saying_its_form(board: Board) -> None:
    b = board
    ballot = {
        "key": "khoi-co-quan-dang/2021/xep-loai",
        "purpose": "classification",
        "note": "Các đơn vị bỏ phiếu xếp loại năm 2021; bài báo không nêu số phiếu.",
        "block": BLOCK,
        "year": 2021,
    }
    assert b.refusal(b.not_leader, "recordBallotWithoutFigures", ballot) == "FORBIDDEN"
    no_block = {k: v for k, v in ballot.items() if k not in ("block", "year")}
    assert b.refusal(b.leader, "recordBallotWithoutFigures", no_block) == "FORBIDDEN"
    bad_form = b.refused(b.leader, "recordBallotWithoutFigures", ballot | {"form": "giơ-tay"})
    assert (bad_form["code"], bad_form["field"]) == ("MALFORMED_COMMAND", "form")
    b.ok(b.leader, "recordBallotWithoutFigures", ballot | {"effectiveOn": "2021-11-12"})
    b.ok(
        b.admin,
        "recordBallotWithoutFigures",
        ballot | {"key": "khoi-co-quan-dang/2021/suy-ton", "purpose": "acclamation", "form": "secret"},
    )
    found = b.read("{ ballots(atLeastPosition: AT) { nodes { key form tally { status secret } } } }")[
        "ballots"
    ]["nodes"]
    forms = {n["key"]: (n["form"], n["tally"]["status"]) for n in found}
    assert forms["khoi-co-quan-dang/2021/xep-loai"] == ("unrecorded", "recorded_without_figures")
    assert forms["khoi-co-quan-dang/2021/suy-ton"] == ("secret", "recorded_without_figures")


def test_next_years_officers_carry_the_members_over(board: Board) -> None:
    b = board
    b.ok(
        b.admin,
        "dissolveUnit",
        {"key": "ban-giai-the", "decisionRef": "9/QĐ-UBND", "effectiveOn": "2021-10-01"},
    )
    choice = {"block": BLOCK, "year": 2022, "leader": "bao-nghe-an", "deputy": "ban-to-chuc"}
    # The minutes' own refusals: a ballot with acclamation, an assignment with no decision.
    for wrong, field in (
        ({"method": "acclamation", "ballot": "khoi-co-quan-dang/2021/xep-loai"}, "ballot"),
        ({"method": "assignment"}, "decision"),
        ({"method": "bau-cu"}, "method"),
    ):
        error = b.refused(b.leader, "chooseOfficers", choice | {"chosenInYear": 2021} | wrong)
        assert (error["code"], error["field"]) == ("MALFORMED_COMMAND", field)
    # No year to carry members from, and the serving year is not open: say what to do first.
    not_open = b.refused(b.admin, "chooseOfficers", choice | {"year": 2023, "method": "vote"})
    assert not_open["code"] == "BLOCK_YEAR_NOT_OPEN"
    assert "openBlockYear" in not_open["message"]

    b.ok(
        b.leader,
        "chooseOfficers",
        choice | {"method": "vote", "chosenInYear": 2021, "effectiveOn": "2021-11-12"},
    )
    already = b.refused(b.admin, "openBlockYear", {"block": BLOCK, "year": 2022, "members": ["bao-nghe-an"]})
    assert already["code"] == "ALREADY_EXISTS"
    assert "addBlockMember" in already["message"]
    assert "mang 5 đơn vị thành viên năm 2021 sang" in already["message"]
    b.ok(b.admin, "openBlockYear", {"block": BLOCK, "year": 2030, "members": []})
    empty = b.refused(b.admin, "openBlockYear", {"block": BLOCK, "year": 2030, "members": ["bao-nghe-an"]})
    assert "chưa có đơn vị thành viên; thêm từng đơn vị bằng addBlockMember" in empty["message"]
    # Members carried over: the 2022 pledge is accepted, not NOT_A_MEMBER.
    b.ok(
        b.clerk("truong-chinh-tri"),
        "signPledge",
        {
            "block": BLOCK,
            "year": 2022,
            "unit": "truong-chinh-tri",
            "targets": [{"name": "ho-so-dien-tu", "value": "100%"}],
            "effectiveOn": "2022-02-10",
        },
    )
    # A change of members by decision; a block re-formed by another.
    b.ok(
        b.admin,
        "removeBlockMember",
        {
            "block": BLOCK,
            "year": 2022,
            "unit": "ban-tuyen-giao",
            "reason": "Chuyển sang khối khác",
            "decision": {"number": "7/QĐ-UBND", "signedOn": "2022-01-20", "issuer": "UBND tỉnh"},
            "effectiveOn": "2022-01-20",
        },
    )
    bad_decision = b.refused(
        b.admin,
        "reformBlock",
        {"key": BLOCK, "decision": {"number": " ", "signedOn": "2022-03-01", "issuer": "UBND tỉnh"}},
    )
    assert (bad_decision["code"], bad_decision["field"]) == ("MALFORMED_COMMAND", "decision.number")
    b.ok(
        b.admin,
        "reformBlock",
        {
            "key": BLOCK,
            "decision": {"number": "300/QĐ-UBND", "signedOn": "2022-03-01", "issuer": "UBND tỉnh Nghệ An"},
            "name": "Khối thi đua các cơ quan Đảng tỉnh",
            "effectiveOn": "2022-03-01",
        },
    )

    block = b.read(
        '{ block(key: "khoi-co-quan-dang", atLeastPosition: AT) { name decision { number } '
        "years(year: 2022) { memberKeys leader deputy carriedFrom "
        "officersChoice { method label chosenInYear } "
        "memberChanges { unit change on reason decision { number signedOn issuer } } } } }"
    )["block"]
    assert block["name"] == "Khối thi đua các cơ quan Đảng tỉnh"
    assert block["decision"] == {"number": "300/QĐ-UBND"}
    (y2022,) = block["years"]
    assert y2022["carriedFrom"] == 2021
    assert sorted(y2022["memberKeys"]) == [
        "ban-to-chuc",
        "bao-nghe-an",
        "dang-uy-khoi-dn",
        "truong-chinh-tri",
    ]
    assert (y2022["leader"], y2022["deputy"]) == ("bao-nghe-an", "ban-to-chuc")
    assert y2022["memberChanges"] == [
        {
            "unit": "ban-tuyen-giao",
            "change": "left",
            "on": "2022-01-20",
            "reason": "Chuyển sang khối khác",
            "decision": {"number": "7/QĐ-UBND", "signedOn": "2022-01-20", "issuer": "UBND tỉnh"},
        }
    ]
    assert y2022["officersChoice"] == {
        "method": "vote",
        "label": "bỏ phiếu (nguồn không ghi kín hay công khai)",
        "chosenInYear": 2021,
    }

    said = {
        n["eventType"] + "/" + str(n["position"]): n["summary"]
        for n in b.read(
            "{ auditTrail(atLeastPosition: AT, first: 200) { nodes { position eventType summary } } }"
        )["auditTrail"]["nodes"]
    }
    text = "\n".join(said.values())
    officers = [s for k, s in said.items() if k.startswith("BlockYear.OfficersChosen")]
    assert "nguồn không ghi cách chọn" in officers[0]
    assert "bỏ phiếu" not in officers[0]
    assert "bỏ phiếu (nguồn không ghi kín hay công khai)" in officers[1]
    assert (
        "Thành lập khối thi đua «Khối thi đua các cơ quan Đảng cấp tỉnh», theo quyết định «123/QĐ-UBND»"
        in text
    )
    assert "khi chọn Khối trưởng, Khối phó: mang sang 5 đơn vị thành viên năm 2021" in text
    assert "không mang sang Ban Giải thể (đã giải thể)" in text
    assert "(biên bản không ghi chỉ tiêu)" in text
    assert (
        "ngày 17/03/2021, Đảng ủy Khối Doanh nghiệp tỉnh Nghệ An chủ trì; thông qua, ký kết: giao ước" in text
    )
    assert "tỷ lệ hoàn thành 98,5%" in text
    assert "không rõ hình thức bỏ phiếu" in text
    assert "bỏ phiếu kín; ghi chú" in text
    assert "theo quyết định «7/QĐ-UBND» ngày 20/01/2022 của UBND tỉnh" in text
    assert "Kiện toàn, thành lập lại" in text
