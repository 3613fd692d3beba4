"""Done-when of issue 16, over real HTTP and PostgreSQL: three provinces with histories merge; a
person with two consecutive CSTĐ cơ sở years in a predecessor earns the third in the successor and
is then eligible for CSTĐ cấp tỉnh; the closed predecessor refuses writes; an auditor verifies the
lineage, and a checkpoint kept before the merger, from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from tests.integration.test_ledger_cli import thidua
from thidua.services.database import ConnectionParams

PROVINCES = {"ha-nam": "Tỉnh Hà Nam", "nam-dinh": "Tỉnh Nam Định", "ninh-binh": "Tỉnh Ninh Bình"}
PERSON, UNIT = "nguyen-van-a", "so-noi-vu"
NATIONAL_ID = "001085012345"
MERGE = """
mutation($input: MergeProvincesInput!) {
  mergeProvinces(input: $input) { ok position errors { code message } }
}
"""
LINEAGE = (
    "{ province { code predecessors { code name mergedOn basis head mergedInto } "
    "successor { code mergedOn } } }"
)


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, PROVINCES) as app:
        yield app


def admin(served: ServedApp, province: str) -> GraphQLClient:
    return GraphQLClient(served, served.token(province, "province_admin", user=f"ban-tdkt-{province}"))


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["ok"], payload["errors"]
    return payload


def decide(client: GraphQLClient, number: str, award: str, year: int, *, historical: bool, on: str) -> None:
    ok(
        client.mutate(
            "decideAward",
            {
                "number": number,
                "signer": "Giám đốc Sở Nội vụ",
                "authority": "head_of_agency",
                "award": award,
                "year": year,
                "recipients": [{"kind": "staff", "key": PERSON}],
                "historical": historical,
                "effectiveOn": on,
            },
        )
    )


def history(client: GraphQLClient, code: str, years: list[int]) -> None:
    """A province's own past: its Sở Nội vụ, a specialist, the titles of the years given."""
    ok(client.mutate("registerUnit", {"key": UNIT, "name": f"Sở Nội vụ {code}", "effectiveOn": "2020-01-02"}))
    staff = {"key": PERSON, "name": "Nguyễn Văn A", "unit": UNIT, "ratingGroup": "specialists"}
    ok(client.mutate("registerStaff", staff | {"effectiveOn": "2020-01-02"}))
    for year in years:
        decide(
            client,
            f"{year}/QĐ-SNV-{code}",
            "chien_si_thi_dua_co_so",
            year,
            historical=True,
            on=f"{year}-12-20",
        )


def initiative(client: GraphQLClient, key: str, scope: str) -> None:
    ok(
        client.mutate(
            "recognizeInitiative",
            {
                "recipientKind": "staff",
                "recipient": PERSON,
                "initiative": key,
                "scope": scope,
                "year": 2025,
                "reference": f"QĐ công nhận {key}",
                "effectiveOn": "2025-11-01",
            },
        )
    )


def propose(client: GraphQLClient, key: str) -> dict[str, Any]:
    done = ok(
        client.mutate(
            "proposeAward",
            {
                "key": key,
                "proposer": UNIT,
                "year": 2025,
                "award": "chien_si_thi_dua_cap_tinh",
                "authority": "provincial_chair",
                "recipient": {"kind": "staff", "key": PERSON},
                "dossier": [],
                "effectiveOn": "2025-12-22",
            },
        )
    )
    found = client.data(
        "query($at: Int) { awardProposals(atLeastPosition: $at) "
        "{ nodes { key prerequisitesMet prerequisitesMissing } } }",
        {"at": done["position"]},
    )["awardProposals"]["nodes"]
    return next(p for p in found if p["key"] == key)


def test_three_provinces_merge_and_consecutive_years_carry_into_the_successor(served: ServedApp) -> None:
    ha_nam, nam_dinh, ninh_binh = (admin(served, code) for code in PROVINCES)
    history(ha_nam, "ha-nam", [2023, 2024])
    ok(
        ha_nam.mutate(
            "linkPersonIdentity", {"staff": PERSON, "nationalId": NATIONAL_ID, "effectiveOn": "2025-06-01"}
        )
    )
    history(nam_dinh, "nam-dinh", [2024])
    ok(
        ninh_binh.mutate(
            "registerUnit", {"key": UNIT, "name": "Sở Nội vụ Ninh Bình", "effectiveOn": "2020-01-02"}
        )
    )
    auditor = GraphQLClient(served, served.token("ha-nam", "auditor", user="thanh-tra"))
    kept = auditor.data("{ ledger { checkpoint } }")["ledger"]["checkpoint"]

    operator = GraphQLClient(served, served.token(None, "platform_operator", user="van-hanh"))
    merger = {
        "into": "ninh-binh",
        "predecessors": ["ha-nam", "nam-dinh"],
        "basis": "Nghị quyết 202/2025/QH15",
        "effectiveOn": "2025-07-01",
    }
    refused = operator.post(MERGE, {"input": merger | {"predecessors": ["ninh-binh"]}})["data"][
        "mergeProvinces"
    ]
    assert [e["code"] for e in refused["errors"]] == ["MERGE_INTO_ITSELF"]
    assert admin(served, "ninh-binh").error_code(MERGE, {"input": merger}) == "FORBIDDEN"
    ok(operator.post(MERGE, {"input": merger})["data"]["mergeProvinces"])
    again = operator.post(MERGE, {"input": merger})["data"]["mergeProvinces"]
    assert [e["code"] for e in again["errors"]] == ["PROVINCE_ALREADY_MERGED"]

    province = ninh_binh.data(LINEAGE)["province"]
    assert [p["code"] for p in province["predecessors"]] == ["ha-nam", "nam-dinh"]
    assert {p["mergedOn"] for p in province["predecessors"]} == {"2025-07-01"}
    assert province["successor"] is None
    closed = ha_nam.data(LINEAGE)["province"]
    assert closed["successor"] == {"code": "ninh-binh", "mergedOn": "2025-07-01"}

    # The closed predecessor refuses writes; its reads stay.
    late = ha_nam.mutate("registerUnit", {"key": "so-moi", "name": "Sở mới", "effectiveOn": "2025-07-02"})
    assert [e["code"] for e in late["errors"]] == ["PROVINCE_MERGED"]
    assert auditor.data("{ ledger { verify { ok } } }")["ledger"]["verify"]["ok"] is True

    # The person moves to the successor; before the succession, two years are missing.
    staff = {"key": PERSON, "name": "Nguyễn Văn A", "unit": UNIT, "ratingGroup": "specialists"}
    ok(ninh_binh.mutate("registerStaff", staff | {"effectiveOn": "2025-07-01"}))
    decide(ninh_binh, "2025/QĐ-LĐTT", "lao_dong_tien_tien", 2025, historical=True, on="2025-12-15")
    initiative(ninh_binh, "sk-co-so", "grassroots")
    initiative(ninh_binh, "sk-cap-tinh", "province")
    decide(ninh_binh, "2025/QĐ-CSTĐCS", "chien_si_thi_dua_co_so", 2025, historical=False, on="2025-12-20")
    alone = propose(ninh_binh, "tt-truoc")
    assert "consecutive:chien_si_thi_dua_co_so:3" in alone["prerequisitesMissing"]

    succession = {
        "recipientKind": "staff",
        "recipient": PERSON,
        "predecessors": [{"province": "ha-nam", "nationalId": NATIONAL_ID}],  # the same person
        "succession": "transfer",
        "document": "Quyết định 15/QĐ-UBND điều động cán bộ",
        "effectiveOn": "2025-07-01",
    }
    ok(ninh_binh.mutate("recordSuccession", succession))
    sibling = admin(served, "nam-dinh").mutate("recordSuccession", succession)  # not its lineage
    assert [e["code"] for e in sibling["errors"]] == ["PROVINCE_NOT_IN_LINEAGE"]

    eligible = propose(ninh_binh, "tt-sau")
    assert eligible["prerequisitesMissing"] == []
    assert "consecutive:chien_si_thi_dua_co_so:3" in eligible["prerequisitesMet"]
    assert "lineage_policy:one_to_one" in eligible["prerequisitesMet"]

    # The national ID number is in no ledger, only its keyed hash.
    with psycopg.connect(served.params.psycopg_conninfo()) as conn:
        for code in PROVINCES:
            schema = "p_" + code.replace("-", "_")
            found = conn.execute(
                f"SELECT count(*) FROM {schema}.ledger_events "
                "WHERE position(%s in convert_from(state, 'UTF8')) > 0",
                (NATIONAL_ID,),
            ).fetchone()
            assert found == (0,), code

    # The successor's auditor checks the closed ledger over GraphQL against the kept checkpoint.
    successor_auditor = GraphQLClient(served, served.token("ninh-binh", "auditor", user="thanh-tra-nb"))
    closed_ledgers = successor_auditor.data(
        "query($kept: String) { province { predecessors { code ledger { checkpoint "
        "verify(against: $kept) { ok againstOk } } } } }",
        {"kept": kept},
    )["province"]["predecessors"]
    assert closed_ledgers[0]["code"] == "ha-nam"
    assert closed_ledgers[0]["ledger"]["verify"] == {"ok": True, "againstOk": True}
    clerk = GraphQLClient(served, served.token("ninh-binh", "unit_clerk", unit=UNIT, user="van-thu"))
    assert clerk.error_code("{ province { predecessors { ledger { checkpoint } } } }") == "FORBIDDEN"

    # The auditor: the whole lineage from the successor, and the checkpoint kept before the merger.
    lineage = thidua(served.params, "ledger", "verify", "--province", "ninh-binh", "--with-predecessors")
    assert lineage.returncode == 0, lineage.stdout + lineage.stderr
    assert lineage.stdout.count(": ok, closed at ") == 2
    before = thidua(served.params, "ledger", "verify", "--province", "ha-nam", "--against", kept)
    assert before.returncode == 0, before.stdout + before.stderr
