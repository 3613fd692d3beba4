"""An invented province with a whole emulation year, so that every screen of the demo has data.

INVENTED SAMPLE DATA. Nothing here happened: the province «tinh-mau», its units, staff, scores,
ratings, votes, proposals and decisions are made up to show the API. The province's name says so
(`SAMPLE_NAME`, which every frontend shows), and it is kept apart from the real Nghệ An records
(deploy/demo/nghe-an.json, facts from provincial news articles) in its own province.

The year is recorded as the API records any year: GraphQL mutations executed by the real schema
with the callers who may send them (a province admin, a block officer, each unit's clerk, the
council members), so the permissions, the law's checks and the events are the real ones. It shows
the 2025 year of one block: scoring with a cross-check, classification and ranks; twelve monthly
ratings of one unit's staff, with a correction; a secret ballot electing next year's officers
and an open one acclaiming the leading unit; the council's secret vote; two decided awards, one
of them later revoked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog

from thidua.services.auth import Principal, Role
from thidua.services.runtime import Runtime

log = structlog.get_logger()

SAMPLE_PROVINCE = "tinh-mau"
SAMPLE_NAME = "Tỉnh Mẫu (dữ liệu bịa để minh họa, không có thật)"
YEAR = 2025
BLOCK = "khoi-kinh-te"
UNITS = {
    "so-ke-hoach": "Sở Kế hoạch và Đầu tư (mẫu)",
    "so-tai-chinh": "Sở Tài chính (mẫu)",
    "so-cong-thuong": "Sở Công Thương (mẫu)",
    "so-nong-nghiep": "Sở Nông nghiệp và Môi trường (mẫu)",
    "so-xay-dung": "Sở Xây dựng (mẫu)",
}
SELF_SCORES = {  # criterion c1 (max 60), c2 (max 40), bonuses
    "so-ke-hoach": (58, 37, ["co_tinh"]),
    "so-tai-chinh": (55, 36, []),
    "so-cong-thuong": (52, 33, []),
    "so-nong-nghiep": (49, 34, []),
    "so-xay-dung": (46, 30, []),
}
RATED_UNIT = "so-ke-hoach"
STAFF = [f"cb-{i}" for i in range(8)]  # cb-0 leads the unit; the others are specialists
COUNCIL = [f"tv-{i}" for i in range(9)]


class SampleRefused(RuntimeError):
    """A step of the sample year was refused: the sample no longer fits the rules it shows."""


class Caller:
    """One caller of the sample province, sending GraphQL documents to the real schema."""

    def __init__(self, runtime: Runtime, role: str, *, user: str, unit: str | None = None) -> None:
        blocks = frozenset({BLOCK}) if role == "block_officer" else None
        self.runtime = runtime
        self.principal = Principal(
            subject=user, province=SAMPLE_PROVINCE, roles=frozenset({Role(role)}), unit=unit, blocks=blocks
        )

    async def mutate(self, name: str, input_: Mapping[str, Any], fields: str = "") -> dict[str, Any]:
        # An entry point like the app factory, above every layer: the year goes through the API.
        from thidua.graphql.context import GraphQLContext  # noqa: PLC0415 - loaded for the demo only
        from thidua.graphql.schema import schema  # noqa: PLC0415

        document = (
            f"mutation($input: {name[0].upper() + name[1:]}Input!) "
            f"{{ {name}(input: $input) {{ ok position errors {{ code message }} {fields} }} }}"
        )
        context = GraphQLContext(
            runtime=self.runtime,
            principal=self.principal,
            auth_error=None,
            request_id=f"sample-{name}",
            loaders={},
        )
        result = await schema.execute(
            document, variable_values={"input": dict(input_)}, context_value=context
        )
        payload = (result.data or {}).get(name)
        if result.errors or not payload or not payload["ok"]:
            raise SampleRefused(f"{name}: {result.errors or (payload or {}).get('errors')}")
        return dict(payload)


class SampleYear:
    """The callers of the sample province."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.admin = Caller(runtime, "province_admin", user="ban-tdkt-mau")
        self.officer = Caller(runtime, "block_officer", user="khoi-truong-mau", unit="so-ke-hoach")

    def clerk(self, unit: str) -> Caller:
        return Caller(self.runtime, "unit_clerk", user=f"van-thu-{unit}", unit=unit)

    def member(self, member: str) -> Caller:
        return Caller(self.runtime, "council_member", user=member)


async def sample_year_demo(runtime: Runtime) -> str:
    """The sample province as a demo province (`services.demo`): loaded, and named as invented."""
    await load_sample_year(runtime)
    return f"{SAMPLE_PROVINCE} (invented sample year)"


# What the composition root loads after the demo's records.
SAMPLE_DEMO = (sample_year_demo,)


async def load_sample_year(runtime: Runtime) -> None:
    """Create the sample province and record its year (into a database without it)."""
    await runtime.run_sync(
        lambda: runtime.registry.create_province(SAMPLE_PROVINCE, SAMPLE_NAME, created_by="demo")
    )
    year = SampleYear(runtime)
    await _organise(year)
    await _pledge(year)
    await _score(year)
    await _rate(year)
    await _vote(year)
    await _award(year)
    log.info("sample_year_loaded", province=SAMPLE_PROVINCE, year=YEAR)


async def _organise(y: SampleYear) -> None:
    # No national law scores units into bands: a province adopts its own (as Nghệ An's draft).
    bands = [
        {"name": "excellent", "min_total": 90, "criterion_floor": [85, 100]},
        {"name": "good", "min_total": 80, "criterion_floor": [80, 100]},
        {"name": "completed", "min_total": 70, "criterion_floor": [0, 1]},
    ]
    await y.admin.mutate(
        "adoptRules",
        {
            "version": "tinh-mau-2025",
            "effectiveFrom": f"{YEAR}-01-02",
            "legalBasis": "15/QĐ-UBND (mẫu)",
            "overrides": {"unit_bands": bands},
            "effectiveOn": f"{YEAR}-01-02",
        },
    )
    for key, name in UNITS.items():
        await y.admin.mutate("registerUnit", {"key": key, "name": name, "effectiveOn": f"{YEAR}-01-02"})
    await y.admin.mutate(
        "createBlock", {"key": BLOCK, "name": "Khối thi đua Kinh tế (mẫu)", "effectiveOn": f"{YEAR}-01-02"}
    )
    await y.admin.mutate(
        "openBlockYear",
        {"block": BLOCK, "year": YEAR, "members": list(UNITS), "effectiveOn": f"{YEAR}-01-05"},
    )
    await y.admin.mutate(
        "launchMovement",
        {
            "key": "chuyen-doi-so",
            "name": "Chuyển đổi số (mẫu)",
            "kind": "thematic",
            "startsOn": f"{YEAR}-01-01",
            "endsOn": f"{YEAR}-12-31",
            "effectiveOn": f"{YEAR}-01-05",
        },
    )
    clerk = y.clerk(RATED_UNIT)
    for i, key in enumerate(STAFF):
        group = "unit_leadership" if i == 0 else "specialists"
        await clerk.mutate(
            "registerStaff",
            {"key": key, "name": f"Cán bộ mẫu {i}", "unit": RATED_UNIT, "ratingGroup": group},
        )


async def _pledge(y: SampleYear) -> None:
    for unit in UNITS:
        await y.clerk(unit).mutate(
            "signPledge",
            {
                "block": BLOCK,
                "year": YEAR,
                "unit": unit,
                "targets": [{"name": "ho-so-dien-tu", "value": "100%"}],
                "movement": "chuyen-doi-so",
                "effectiveOn": f"{YEAR}-01-15",
            },
        )
    await y.clerk(RATED_UNIT).mutate(
        "registerTitle",
        {
            "registrantKind": "unit",
            "registrant": RATED_UNIT,
            "year": YEAR,
            "award": "tap_the_lao_dong_xuat_sac",
        },
    )


async def _score(y: SampleYear) -> None:
    await y.officer.mutate(
        "adoptScoringTable",
        {
            "block": BLOCK,
            "year": YEAR,
            "criteria": [
                {"code": "c1", "group": "Nhiệm vụ chuyên môn", "name": "Kết quả nhiệm vụ", "maxPoints": 60},
                {"code": "c2", "group": "Xây dựng Đảng", "name": "Công tác Đảng", "maxPoints": 40},
            ],
            "bonusItems": [{"code": "co_tinh", "name": "Cờ thi đua tỉnh", "points": 10}],
            "deductionItems": [{"code": "vi_pham", "name": "Vi phạm kỷ luật", "points": 5}],
            "effectiveOn": f"{YEAR}-02-03",
        },
    )
    for unit, (c1, c2, bonuses) in SELF_SCORES.items():
        await y.clerk(unit).mutate(
            "submitSelfAssessment",
            {
                "block": BLOCK,
                "year": YEAR,
                "unit": unit,
                "scores": [{"name": "c1", "points": c1}, {"name": "c2", "points": c2}],
                "bonuses": bonuses,
                "effectiveOn": f"{YEAR}-11-20",
            },
        )
    await y.officer.mutate(
        "crossCheckAssessment",
        {
            "block": BLOCK,
            "year": YEAR,
            "unit": "so-tai-chinh",
            "item": "c1",
            "newPoints": 53,
            "reason": "Thiếu minh chứng cho một chỉ tiêu (mẫu)",
            "effectiveOn": f"{YEAR}-12-01",
        },
    )
    for unit in UNITS:
        await y.officer.mutate(
            "classifyUnit", {"block": BLOCK, "year": YEAR, "unit": unit, "effectiveOn": f"{YEAR}-12-10"}
        )


def _monthly_scores(month: int) -> list[dict[str, Any]]:
    """Most staff complete their work well (70-89); one specialist a month excels (>= 90, within
    the cap of 20% of those rated well), and one month a specialist only completes it (60)."""
    scores = {"cb-0": 86, "cb-1": 80, "cb-2": 78, "cb-3": 82, "cb-4": 75, "cb-5": 84, "cb-6": 72, "cb-7": 79}
    scores[STAFF[1 + month % 7]] = 92
    if month == 7:
        scores["cb-6"] = 60
    return [{"staff": staff, "score": score} for staff, score in scores.items()]


async def _rate(y: SampleYear) -> None:
    clerk = y.clerk(RATED_UNIT)
    for month in range(1, 13):
        on = f"{YEAR + month // 12}-{month % 12 + 1:02d}-03"  # early in the next month
        await clerk.mutate(
            "recordMonthlyRatings",
            {
                "unit": RATED_UNIT,
                "year": YEAR,
                "month": month,
                "scores": _monthly_scores(month),
                "effectiveOn": on,
            },
        )
    await clerk.mutate(
        "correctRating",
        {
            "unit": RATED_UNIT,
            "year": YEAR,
            "month": 7,
            "staff": "cb-6",
            "newScore": 70,
            "reason": "Đính chính sau khi bổ sung minh chứng (mẫu)",
            "effectiveOn": f"{YEAR}-08-10",
        },
    )


async def _vote(y: SampleYear) -> None:
    elect = f"{BLOCK}/{YEAR}/bau-khoi-truong"
    opened = await y.officer.mutate(
        "openBallot",
        {
            "key": elect,
            "purpose": "officers",
            "subject": f"{BLOCK}/{YEAR}",
            "question": "elect",
            "electorate": "block_members",
            "block": BLOCK,
            "year": YEAR,
            "options": ["so-ke-hoach", "so-tai-chinh"],
            "secret": True,
            "tellers": ["Kiểm phiếu viên A (mẫu)", "Kiểm phiếu viên B (mẫu)", "Kiểm phiếu viên C (mẫu)"],
            "effectiveOn": f"{YEAR}-12-15",
        },
        "tellerShares { share }",
    )
    shares = [s["share"] for s in opened["tellerShares"]]
    choices = ["so-ke-hoach", "so-ke-hoach", "so-tai-chinh", "so-ke-hoach", "so-tai-chinh"]
    for unit, choice in zip(UNITS, choices, strict=True):
        await y.clerk(unit).mutate("castVote", {"ballot": elect, "voter": unit, "choice": choice})
    await y.officer.mutate("closeBallot", {"ballot": elect, "shares": shares[:2]})
    await y.officer.mutate(
        "chooseOfficers",
        {
            "block": BLOCK,
            "year": YEAR + 1,
            "leader": "so-ke-hoach",
            "deputy": "so-tai-chinh",
            "method": "vote",
            "ballot": elect,
            "chosenInYear": YEAR,
            "effectiveOn": f"{YEAR}-12-15",
        },
    )
    acclaim = f"{BLOCK}/{YEAR}/suy-ton"
    await y.officer.mutate(
        "openBallot",
        {
            "key": acclaim,
            "purpose": "acclamation",
            "subject": f"{BLOCK}/{YEAR}/so-ke-hoach",
            "question": "approve",
            "electorate": "block_members",
            "block": BLOCK,
            "year": YEAR,
            "options": ["approve", "reject"],
            "effectiveOn": f"{YEAR}-12-15",
        },
    )
    for unit in UNITS:
        await y.clerk(unit).mutate("castVote", {"ballot": acclaim, "voter": unit, "choice": "approve"})
    await y.officer.mutate("closeBallot", {"ballot": acclaim})
    await y.officer.mutate(
        "chooseLeadingUnits",
        {
            "block": BLOCK,
            "year": YEAR,
            "units": ["so-ke-hoach"],
            "method": "vote",
            "ballot": acclaim,
            "effectiveOn": f"{YEAR}-12-15",
        },
    )
    await y.officer.mutate(
        "holdReview",
        {
            "block": BLOCK,
            "year": YEAR,
            "kind": "year_end",
            "chairedBy": "so-ke-hoach",
            "effectiveOn": f"{YEAR}-12-18",
        },
    )


async def _award(y: SampleYear) -> None:
    await y.admin.mutate(
        "constituteCouncil", {"decisionRef": "QĐ 01/QĐ-UBND (mẫu)", "effectiveOn": f"{YEAR}-01-02"}
    )
    for i, member in enumerate(COUNCIL):
        role = "chair" if i == 0 else "member"
        await y.admin.mutate(
            "appointCouncilMember", {"member": member, "name": f"Thành viên hội đồng mẫu {i}", "role": role}
        )
    dossier = [
        {"name": "minutes", "value": "BB 12/2025 (mẫu)"},
        {"name": "achievement_report", "value": "BC 45 (mẫu)"},
    ]
    await y.officer.mutate(
        "proposeAward",
        {
            "key": "ttr-co-tinh",
            "proposer": BLOCK,
            "year": YEAR,
            "award": "co_thi_dua_ubnd_tinh",
            "authority": "provincial_chair",
            "recipient": {"kind": "unit", "key": "so-ke-hoach"},
            "achievement": f"so-ke-hoach-{YEAR}",
            "dossier": dossier,
            "effectiveOn": f"{YEAR}-12-19",
        },
    )
    council = "hd/ttr-co-tinh"
    opened = await y.member(COUNCIL[0]).mutate(
        "openBallot",
        {
            "key": council,
            "purpose": "council",
            "subject": "ttr-co-tinh",
            "award": "co_thi_dua_ubnd_tinh",
            "question": "approve",
            "electorate": "council_members",
            "options": ["approve", "reject"],
            "secret": True,
            "tellers": COUNCIL[6:],
            "tellersNeeded": 2,
            "effectiveOn": f"{YEAR}-12-22",
        },
        "tellerShares { share }",
    )
    for i, member in enumerate(COUNCIL[:8]):
        choice = "reject" if i == 7 else "approve"
        await y.member(member).mutate("castVote", {"ballot": council, "voter": member, "choice": choice})
    shares = [s["share"] for s in opened["tellerShares"]]
    await y.member(COUNCIL[0]).mutate("closeBallot", {"ballot": council, "shares": shares[:2]})
    await y.member(COUNCIL[0]).mutate(
        "recordCouncilVote", {"proposal": "ttr-co-tinh", "ballot": council, "effectiveOn": f"{YEAR}-12-22"}
    )
    await y.member(COUNCIL[0]).mutate(
        "forwardProposal", {"proposal": "ttr-co-tinh", "effectiveOn": f"{YEAR}-12-23"}
    )
    await y.admin.mutate(
        "decideAward",
        {
            "number": "101/QĐ-UBND (mẫu)",
            "signer": "Chủ tịch UBND tỉnh (mẫu)",
            "authority": "provincial_chair",
            "award": "co_thi_dua_ubnd_tinh",
            "year": YEAR,
            "recipients": [{"kind": "unit", "key": "so-ke-hoach"}],
            "proposals": ["ttr-co-tinh"],
            "effectiveOn": f"{YEAR}-12-29",
        },
    )
    await y.officer.mutate(
        "proposeAward",
        {
            "key": "ttr-giay-khen",
            "proposer": BLOCK,
            "year": YEAR,
            "award": "giay_khen",
            "authority": "head_of_agency",
            "recipient": {"kind": "unit", "key": "so-tai-chinh"},
            "achievement": f"so-tai-chinh-{YEAR}",
            "dossier": dossier,
            "effectiveOn": f"{YEAR}-12-19",
        },
    )
    await y.admin.mutate("forwardProposal", {"proposal": "ttr-giay-khen", "effectiveOn": f"{YEAR}-12-22"})
    await y.admin.mutate(
        "decideAward",
        {
            "number": "55/QĐ-STC (mẫu)",
            "signer": "Giám đốc Sở Tài chính (mẫu)",
            "authority": "head_of_agency",
            "award": "giay_khen",
            "year": YEAR,
            "recipients": [{"kind": "unit", "key": "so-tai-chinh"}],
            "proposals": ["ttr-giay-khen"],
            "effectiveOn": f"{YEAR}-12-26",
        },
    )
    await y.admin.mutate(
        "revokeAward",
        {
            "number": "55/QĐ-STC (mẫu)",
            "revokingDecision": "7/QĐ-STC (mẫu)",
            "ground": "false_documents",
            "reason": "Hồ sơ đề nghị không trung thực (mẫu)",
            "effectiveOn": f"{YEAR + 1}-03-02",
        },
    )
