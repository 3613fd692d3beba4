"""The law over the API (issue 14): the award catalogue of a date with its prize money in đồng, the
rule set with its sources, stricter-only adoptions, amounts on decisions and per year, and a base
salary adopted by the platform operator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from tests.e2e.test_graphql_whole_year import Province
from thidua.services.base_salary import adopt_everywhere
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"
CATALOGUE = """query($on: Date!) {
  awardCatalogue(on: $on) {
    code name isTitle recipients authority
    prize { individualMultiple collectiveMultiple baseSalary individualAmount collectiveAmount }
    disclosureRequired
    councilThreshold { numerator denominator base secretBallot ballotRequired writtenOpinionsAllowed }
    prerequisites { code description }
    sources { document article }
    verified
  }
}"""
RULE_SET = """query($on: Date!) {
  ruleSet(on: $on) {
    version legalBasis prizeTable
    baseSalary { amount effectiveFrom source { document article } adoptedBy }
    values { name label value scope sources { document article } verified note }
  }
}"""
ROLES = ("province_admin", "council_member", "block_officer", "unit_clerk", "auditor")


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {PROVINCE: "Tỉnh Nghệ An", "ha-tinh": "Tỉnh Hà Tĩnh"}) as app:
        for province in (PROVINCE, "ha-tinh"):  # a clerk's token names a registered unit
            admin = caller(app, "province_admin", province)
            payload = admin.mutate(
                "registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ", "effectiveOn": "2020-01-01"}
            )
            assert payload["ok"], payload
        yield app


def caller(served: ServedApp, role: str, province: str | None = PROVINCE) -> GraphQLClient:
    return GraphQLClient(
        served, served.token(province, role, unit="so-noi-vu" if role == "unit_clerk" else None)
    )


def catalogue(client: GraphQLClient, on: str) -> dict[str, dict[str, Any]]:
    return {e["code"]: e for e in client.data(CATALOGUE, {"on": on})["awardCatalogue"]}


def test_the_catalogue_of_30_june_and_1_july_2025_for_every_role(served: ServedApp) -> None:
    for role in ROLES:
        before, after = (catalogue(caller(served, role), day) for day in ("2025-06-30", "2025-07-01"))
        provincial = "bang_khen_chu_tich_ubnd_tinh"
        assert before[provincial]["prize"] == {
            "individualMultiple": "1.0",
            "collectiveMultiple": "2.0",
            "baseSalary": 2_340_000,
            "individualAmount": 2_340_000,
            "collectiveAmount": 4_680_000,
        }
        assert after[provincial]["prize"] == {
            "individualMultiple": "1.5",
            "collectiveMultiple": "3.0",
            "baseSalary": 2_340_000,
            "individualAmount": 3_510_000,
            "collectiveAmount": 7_020_000,
        }
        assert after["bang_khen_thu_tuong"]["prize"]["individualAmount"] == 8_190_000  # 3.5 × 2,340,000
        assert after["lao_dong_tien_tien"]["prize"]["collectiveAmount"] is None  # individuals only
        assert after["co_thi_dua_chinh_phu"]["prize"]["individualMultiple"] is None
        assert after["co_thi_dua_chinh_phu"]["prize"]["collectiveMultiple"] == "12.0"
        assert all(entry["sources"] for entry in after.values())
        assert {c for c, e in after.items() if e["disclosureRequired"]} == {
            "chien_si_thi_dua_toan_quoc",
            "huan_chuong_lao_dong_hang_nhat",
            "huan_chuong_lao_dong_hang_nhi",
            "huan_chuong_lao_dong_hang_ba",
        }
    fighter = after["chien_si_thi_dua_cap_tinh"]
    assert fighter["councilThreshold"] == {
        "numerator": 9,
        "denominator": 10,
        "base": "all",
        "secretBallot": True,
        "ballotRequired": True,
        "writtenOpinionsAllowed": True,
    }
    assert after["giay_khen"]["councilThreshold"] is None  # decided below the province
    assert after["huan_chuong_lao_dong_hang_nhat"]["authority"] == "president"
    assert [p["code"] for p in after["chien_si_thi_dua_toan_quoc"]["prerequisites"]] == [
        "successive:chien_si_thi_dua_cap_tinh",
        "initiative:national",
    ]
    assert not after["tap_the_lao_dong_xuat_sac"]["verified"]  # its discipline condition is unverified
    assert after["co_thi_dua_ubnd_tinh"]["verified"]


def test_the_rule_set_shows_sources_flags_and_the_provinces_own_rules(served: ServedApp) -> None:
    values = {
        v["name"]: v
        for v in caller(served, "auditor").data(RULE_SET, {"on": "2026-01-05"})["ruleSet"]["values"]
    }
    assert values["excellent_cap_applies_to"]["value"] == ["cong_chuc"]
    assert values["excellent_cap_applies_to"]["sources"][0]["document"] == "Nghị định 335/2025/NĐ-CP"
    assert values["unit_bands"]["scope"] == "province"  # Nghệ An's draft, not national law
    assert values["unit_bands"]["verified"] is False
    assert values["year_rating_min_months"]["scope"] == "province_setting"
    assert all(v["sources"] or not v["verified"] for v in values.values())
    other = caller(served, "auditor", "ha-tinh").data(RULE_SET, {"on": "2026-01-05"})["ruleSet"]
    bands = {v["name"]: v for v in other["values"]}["unit_bands"]
    assert (bands["value"], bands["scope"]) == ([], "province_setting")


def test_a_looser_rule_is_refused_in_vietnamese_and_nothing_is_recorded(served: ServedApp) -> None:
    p = Province(served)
    adopt = {
        "version": "na-2026",
        "effectiveFrom": "2026-02-01",
        "legalBasis": "QĐ 12/2026/QĐ-UBND",
        "overrides": {"disclosure_working_days": 5},
        "effectiveOn": "2026-01-10",
    }
    payload = p.admin.mutate("adoptRules", adopt, fields="ok position errors { code message }")
    assert payload["ok"] is False
    assert payload["position"] is None
    assert payload["errors"][0]["code"] == "RULE_LOOSER_THAN_NATIONAL"
    assert "lỏng hơn" in payload["errors"][0]["message"]
    p.ok(p.admin, "adoptRules", {**adopt, "overrides": {"disclosure_working_days": 12}})
    values = {v["name"]: v for v in p.auditor.data(RULE_SET, {"on": "2026-03-01"})["ruleSet"]["values"]}
    assert values["disclosure_working_days"]["value"] == 12
    assert values["disclosure_working_days"]["scope"] == "province"
    assert values["disclosure_working_days"]["sources"] == [{"document": "QĐ 12/2026/QĐ-UBND", "article": ""}]


DECISIONS = """query($at: Int) {
  awardDecisions(atLeastPosition: $at) { edges { node {
    number prizeTotal baseSalary baseSalarySource prizeTable prizeMultipleTotal
    recipients { key prizeMultiple prizeAmount }
    revocations { recoverAmount }
  } } }
}"""
TOTALS = """query($at: Int, $year: Int!) {
  awardTotals(year: $year, atLeastPosition: $at) { year decisions recipients amount recovered net unpriced }
}"""


def test_amounts_on_decisions_recipients_and_the_year(served: ServedApp) -> None:
    p = Province(served)
    for key in ("so-tai-chinh", "so-y-te"):
        p.ok(p.admin, "registerUnit", {"key": key, "name": key, "effectiveOn": "2020-01-01"})
    decide = {
        "number": "88/QĐ-UBND",
        "signer": "Chủ tịch UBND tỉnh",
        "authority": "provincial_chair",
        "award": "bang_khen_chu_tich_ubnd_tinh",
        "year": 2025,
        "recipients": [{"kind": "unit", "key": "so-tai-chinh"}, {"kind": "unit", "key": "so-y-te"}],
        "historical": True,
        "awardType": "chuyen_de",
        "effectiveOn": "2025-07-15",
    }
    p.ok(p.admin, "decideAward", decide)
    p.ok(
        p.admin,
        "revokeAward",
        {
            "number": "88/QĐ-UBND",
            "revokingDecision": "99/QĐ-UBND",
            "ground": "false_documents",
            "reason": "Hồ sơ giả mạo",
            "recipients": ["so-y-te"],
            "effectiveOn": "2025-09-01",
        },
    )
    node = p.read(DECISIONS)["awardDecisions"]["edges"][0]["node"]
    assert node["prizeTotal"] == 14_040_000  # 2 × 3.0 × 2,340,000
    assert node["baseSalary"] == 2_340_000
    assert node["baseSalarySource"] == "Nghị định 73/2024/NĐ-CP, Điều 3"
    assert node["prizeTable"] == "nd-152-2025"
    assert node["prizeMultipleTotal"] == "6.0"
    assert [r["prizeAmount"] for r in node["recipients"]] == [7_020_000, 7_020_000]
    assert node["revocations"] == [{"recoverAmount": 7_020_000}]
    totals = p.read(TOTALS, year=2025)["awardTotals"]
    assert totals == {
        "year": 2025,
        "decisions": 1,
        "recipients": 2,
        "amount": 14_040_000,
        "recovered": 7_020_000,
        "net": 7_020_000,
        "unpriced": 0,
    }


def test_a_base_salary_adopted_by_the_operator_prices_from_its_date(served: ServedApp) -> None:
    registry = ProvinceRegistry(served._params)
    try:
        done = adopt_everywhere(
            registry,
            amount=2_600_000,
            effective_from=date(2026, 7, 1),
            legal_basis="Nghị định 999/2026/NĐ-CP (ví dụ trong kiểm thử)",
            article="Điều 3",
            operator="van-hanh",
        )
        assert sorted(a.province for a in done) == ["ha-tinh", PROVINCE]
        again = adopt_everywhere(
            registry,
            amount=2_600_000,
            effective_from=date(2026, 7, 1),
            legal_basis="Nghị định 999/2026/NĐ-CP (ví dụ trong kiểm thử)",
            article="Điều 3",
            operator="van-hanh",
        )
        assert all(a.position is None for a in again)  # recorded once
        registry.create_province("ninh-binh", "Tỉnh Ninh Bình", created_by="van-hanh")  # created later
    finally:
        registry.close()
    operator = caller(served, "platform_operator", None)
    query = CATALOGUE.replace("awardCatalogue(on: $on)", 'awardCatalogue(on: $on, province: "ninh-binh")')
    entries = {e["code"]: e for e in operator.data(query, {"on": "2026-07-01"})["awardCatalogue"]}
    assert entries["chien_si_thi_dua_co_so"]["prize"]["individualAmount"] == 2_600_000
    before = catalogue(caller(served, "auditor"), "2026-06-30")
    assert before["chien_si_thi_dua_co_so"]["prize"]["individualAmount"] == 2_340_000
    salary = caller(served, "auditor").data(RULE_SET, {"on": "2026-07-01"})["ruleSet"]["baseSalary"]
    assert salary["amount"] == 2_600_000
    assert salary["adoptedBy"] == "van-hanh"
