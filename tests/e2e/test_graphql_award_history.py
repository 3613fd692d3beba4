"""The look-up of awards (tra cứu khen thưởng) over HTTP: search with and without diacritics,
filters, consecutive years, revocation and renaming, Relay pages, and bad input refused."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from thidua.graphql.core.pagination import encode_cursor
from thidua.projections.lookup.queries import HistoryCriteria, iter_award_history
from thidua.services.database import ConnectionParams

PROVINCE = "nghe-an"
UNITS = {
    "truong-chinh-tri": "Trường Chính trị tỉnh",
    "so-noi-vu": "Sở Nội vụ",
    "dang-uy-khoi": "Đảng ủy Khối các cơ quan tỉnh",
}
STAFF = {
    "nv-duc": ("Nguyễn Văn Đức", "so-noi-vu"),
    "nv-hoa": ("Đặng Thị Hoa", "so-noi-vu"),
    "nv-truong": ("Trương Văn Chính", "truong-chinh-tri"),
}
ENTRY = (
    "recipientKind recipient name currentName award awardName year decision decidedOn signer "
    "authority historical prizeMultiple prizeAmount revokedBy revokedOn revocationGround consecutiveYears"
)
HISTORY = (
    "query($search: String, $recipient: String, $kind: String, $award: String, $from: Int, "
    "$to: Int, $decision: String, $first: Int, $after: String, $at: Int) { awardHistory("
    "search: $search, recipient: $recipient, recipientKind: $kind, award: $award, fromYear: $from, "
    "toYear: $to, decision: $decision, first: $first, after: $after, atLeastPosition: $at) { "
    f"totalCount edges {{ cursor node {{ {ENTRY} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
)


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An"}) as app:
        yield app


class Board:
    def __init__(self, served: ServedApp) -> None:
        self.served = served
        self.admin = GraphQLClient(served, served.token(PROVINCE, "province_admin", user="ban-tdkt"))
        self.last = 0

    def ok(self, name: str, input_: dict[str, Any]) -> None:
        payload = self.admin.mutate(name, input_)
        assert payload["ok"], (name, payload["errors"])
        self.last = max(self.last, payload["position"])

    def decide(self, number: str, year: int, *recipients: tuple[str, str]) -> None:
        self.ok(
            "decideAward",
            {
                "number": number,
                "signer": "Giám đốc Sở Nội vụ",
                "authority": "head_of_agency",
                "award": "giay_khen",
                "year": year,
                "recipients": [{"kind": kind, "key": key} for kind, key in recipients],
                "effectiveOn": f"{year + 1}-01-15",
            },
        )

    def history(self, who: GraphQLClient | None = None, **variables: Any) -> Any:
        return (who or self.admin).data(HISTORY, {"at": self.last, **variables})["awardHistory"]

    def names(self, **variables: Any) -> list[tuple[str, int]]:
        return [(e["node"]["name"], e["node"]["year"]) for e in self.history(**variables)["edges"]]

    def code(self, **variables: Any) -> str:
        return self.admin.error_code(HISTORY, {"at": self.last, **variables})


@pytest.fixture(scope="module")
def board(served: ServedApp) -> Board:
    b = Board(served)
    for key, name in UNITS.items():
        b.ok("registerUnit", {"key": key, "name": name, "effectiveOn": "2020-01-02"})
    for key, (name, unit) in STAFF.items():
        b.ok(
            "registerStaff",
            {
                "key": key,
                "name": name,
                "unit": unit,
                "ratingGroup": "specialists",
                "effectiveOn": "2020-01-02",
            },
        )
    for year in (2021, 2022, 2023):
        b.decide(f"{year - 2000}/QĐ-SNV", year, ("staff", "nv-duc"), ("unit", "truong-chinh-tri"))
    b.decide("30/QĐ-SNV", 2023, ("staff", "nv-hoa"), ("staff", "nv-truong"), ("unit", "dang-uy-khoi"))
    return b


def test_a_name_is_found_with_and_without_diacritics(board: Board) -> None:
    found = board.names(search="truong chinh tri")
    assert found == [
        ("Trường Chính trị tỉnh", 2023),
        ("Trường Chính trị tỉnh", 2022),
        ("Trường Chính trị tỉnh", 2021),
    ]
    assert board.names(search="Trường Chính trị") == found
    # Typed decomposed (NFD), in capitals, in another order: the same records.
    assert board.names(search=unicodedata.normalize("NFD", "CHÍNH TRỊ trường")) == found
    # đ/Đ fold to d: "dang" finds "Đặng Thị Hoa" and "Đảng ủy Khối", "duc" finds "Đức".
    assert {n for n, _ in board.names(search="dang")} == {"Đặng Thị Hoa", "Đảng ủy Khối các cơ quan tỉnh"}
    assert board.names(search="nguyen van duc") == [("Nguyễn Văn Đức", y) for y in (2023, 2022, 2021)]
    # Each word begins a word of the name: "chinh" alone also finds "Trương Văn Chính".
    assert ("Trương Văn Chính", 2023) in board.names(search="chinh")
    assert board.names(search="khong co ai") == []


def test_each_record_carries_its_decision_prize_and_consecutive_years(board: Board) -> None:
    edges = board.history(search="duc")["edges"]
    latest = edges[0]["node"]
    assert latest["decision"] == "23/QĐ-SNV"
    assert latest["decidedOn"] == "2024-01-15"
    assert (latest["signer"], latest["authority"], latest["award"]) == (
        "Giám đốc Sở Nội vụ",
        "head_of_agency",
        "giay_khen",
    )
    assert latest["awardName"] == "Giấy khen"
    # Giấy khen: 0.3 × the base salary of the decision's date (1,800,000 đồng from 1 Jul 2023)
    # for a person; twice that for a collective.
    assert (latest["prizeMultiple"], latest["prizeAmount"]) == ("0.3", 540_000)
    school = board.history(search="truong chinh tri", first=1)["edges"][0]["node"]
    assert (school["prizeMultiple"], school["prizeAmount"]) == ("0.6", 1_080_000)
    assert [e["node"]["consecutiveYears"] for e in edges] == [3, 2, 1]


def test_filters_by_recipient_award_years_and_decision(board: Board) -> None:
    assert board.names(recipient="nv-duc", **{"from": 2022}) == [
        ("Nguyễn Văn Đức", 2023),
        ("Nguyễn Văn Đức", 2022),
    ]
    assert board.names(decision="30/QĐ-SNV", kind="staff") == [
        ("Đặng Thị Hoa", 2023),
        ("Trương Văn Chính", 2023),
    ]
    assert board.names(award="giay_khen", to=2021) == [
        ("Nguyễn Văn Đức", 2021),
        ("Trường Chính trị tỉnh", 2021),
    ]
    assert board.names(award="co_thi_dua_chinh_phu") == []


def test_pages_follow_each_other_and_a_cursor_stays_valid_while_records_are_added(board: Board) -> None:
    every = board.names(first=200)
    first = board.history(first=3)
    assert first["pageInfo"]["hasNextPage"] is True
    # A decision recorded between two pages: the next page starts exactly after the last row seen.
    board.decide("5/QĐ-SNV", 2019, ("staff", "nv-hoa"))
    rest, after = [], first["pageInfo"]["endCursor"]
    while after is not None:
        page = board.history(first=3, after=after)
        rest += [(e["node"]["name"], e["node"]["year"]) for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    seen = [(e["node"]["name"], e["node"]["year"]) for e in first["edges"]] + rest
    assert seen == [*every, ("Đặng Thị Hoa", 2019)]


def test_total_count_counts_every_page_of_the_matches(board: Board) -> None:
    everything = board.history(first=2)
    assert len(everything["edges"]) == 2
    assert everything["totalCount"] == len(board.names(first=200))
    # A search counts through the search function, every match and not one page of them.
    assert board.history(search="duc", first=1)["totalCount"] == 3
    assert board.history(decision="30/QĐ-SNV", kind="staff", first=1)["totalCount"] == 2
    assert board.history(search="khong co ai")["totalCount"] == 0
    assert board.history(search="truong chinh tri", first=0)["totalCount"] == 3


def test_a_revocation_and_a_rename_show_in_the_look_up(board: Board) -> None:
    board.ok(
        "revokeAward",
        {
            "number": "22/QĐ-SNV",
            "revokingDecision": "40/QĐ-SNV",
            "ground": "false_documents",
            "reason": "Hồ sơ thành tích không đúng sự thật",
            "recipients": ["nv-duc"],
            "effectiveOn": "2024-06-01",
        },
    )
    board.ok("renameUnit", {"key": "truong-chinh-tri", "name": "Trường Chính trị Nguyễn Thị Minh Khai"})
    duc = {e["node"]["year"]: e["node"] for e in board.history(recipient="nv-duc")["edges"]}
    assert (duc[2022]["revokedBy"], duc[2022]["revokedOn"], duc[2022]["revocationGround"]) == (
        "40/QĐ-SNV",
        "2024-06-01",
        "false_documents",
    )
    assert [duc[y]["consecutiveYears"] for y in (2023, 2022, 2021)] == [1, 0, 1]
    school = board.history(search="minh khai")["edges"]
    assert [e["node"]["name"] for e in school] == ["Trường Chính trị tỉnh"] * 3
    assert school[0]["node"]["currentName"] == "Trường Chính trị Nguyễn Thị Minh Khai"
    assert len(board.history(search="truong chinh tri tinh")["edges"]) == 3


def test_every_role_of_the_province_reads_it_and_a_clerk_sees_every_unit(
    board: Board, served: ServedApp
) -> None:
    for role in ("council_member", "block_officer", "auditor", "unit_clerk"):
        who = GraphQLClient(served, served.token(PROVINCE, role, unit="dang-uy-khoi"))
        names = {e["node"]["name"] for e in board.history(who, first=200)["edges"]}
        assert "Nguyễn Văn Đức" in names, role  # another unit's staff: decisions are public
    operator = GraphQLClient(served, served.token(None, "platform_operator"))
    assert operator.error_code(HISTORY) == "FORBIDDEN"


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"search": "a" * 1000}, "SEARCH_TOO_LONG"),
        ({"search": "truong\x07chinh"}, "INVALID_TEXT"),
        ({"search": "\x00"}, "INVALID_TEXT"),
        ({"search": " -- !!! "}, "SEARCH_EMPTY"),
        ({"search": " ".join(["a"] * 13)}, "SEARCH_TOO_LONG"),
        ({"from": 2024, "to": 2020}, "INVALID_LOOKUP"),
        ({"kind": "người"}, "INVALID_LOOKUP"),
        ({"after": encode_cursor("so-noi-vu")}, "INVALID_CURSOR"),  # a cursor of `units`
        ({"after": encode_cursor(["awardDecisions", 1, "x", 1, 1])}, "INVALID_CURSOR"),
        ({"after": "%%%not-base64"}, "INVALID_CURSOR"),
        ({"first": 5000}, "INVALID_ARGUMENT"),
    ],
)
def test_bad_input_is_refused_with_a_typed_code_and_records_nothing(
    board: Board, variables: dict[str, Any], code: str
) -> None:
    before = board.admin.data("{ ledger { headPosition } }")["ledger"]["headPosition"]
    body = board.admin.post(HISTORY, {"at": board.last, **variables})
    error = body["errors"][0]
    assert error["extensions"]["code"] == code, body
    assert error["message"]
    assert not error["message"].startswith("Traceback")
    assert board.admin.data("{ ledger { headPosition } }")["ledger"]["headPosition"] == before


def test_the_plain_query_function_an_export_reads_gives_the_same_records_page_after_page(
    board: Board, served: ServedApp
) -> None:
    async def every() -> list[tuple[str, int, str]]:
        pool = await asyncpg.create_pool(min_size=1, max_size=2, **served._params.asyncpg_kwargs())
        try:
            criteria = HistoryCriteria(search="truong")
            return [
                (e.name, e.year, e.decision)
                async for e in iter_award_history(pool, PROVINCE, criteria, page=2)
            ]
        finally:
            await pool.close()

    shown = [
        (e["node"]["name"], e["node"]["year"], e["node"]["decision"])
        for e in board.history(search="truong", first=200)["edges"]
    ]
    assert len(shown) >= 4
    assert asyncio.run(every()) == shown
