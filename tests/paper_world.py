"""A small province year for the paperwork tests, recorded through the domain's commands.

2024 in "nghe-an": four units, three staff, a block with scores, a rating sheet, two
movements, and decisions of three levels (one revoked, one decided in 2023, one by a head of
agency), so that forms and registers have something to count and something to leave out; and
in 2026 a decision granting two awards whose claimed count differs from the names it lists.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from thidua.domain.provenance import Actor, Provenance
from thidua.services.province_app import ProvinceApplication

PROVINCE, PROVINCE_NAME = "nghe-an", "Tỉnh Nghệ An"
UNITS = {
    "so-noi-vu": "Sở Nội vụ",
    "so-tai-chinh": "Sở Tài chính",
    "cong-an": "Công an tỉnh",
    "ubnd-xa": "UBND xã Đông Sơn",
}
STAFF = {
    "nv-1": ("Nguyễn Thị Hương", "so-noi-vu"),
    "nv-2": ("Trần Văn Bình", "so-noi-vu"),
    "nv-3": ("Lê Thị Ánh", "cong-an"),
}
BLOCK, BLOCK_NAME = "khoi-noi-chinh", "Khối thi đua Nội chính"
BK_TINH = "bang_khen_chu_tich_ubnd_tinh"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"
TWO_GRANTS = "10/QĐ-UBND"
GROUP = "12/TTr-KNC"


def by(day: str) -> Provenance:
    return Provenance(
        Actor("ban-tdkt", "province_admin", None), datetime.now(UTC), date.fromisoformat(day), "world"
    )


def record_world(app: ProvinceApplication) -> None:
    for key, name in UNITS.items():
        app.register_unit(key=key, name=name, by=by("2020-01-01"))
    for key, (name, unit) in STAFF.items():
        app.register_staff(key=key, name=name, unit=unit, rating_group="specialists", by=by("2020-01-01"))
    app.create_block(key=BLOCK, name=BLOCK_NAME, kind="block", by=by("2020-01-01"))
    app.open_block_year(
        block=BLOCK,
        year=2024,
        members=["so-noi-vu", "so-tai-chinh", "cong-an"],
        members_claimed=4,
        by=by("2024-01-05"),
    )
    criteria = [{"code": "c1", "group": "g", "name": "Hoàn thành nhiệm vụ", "max_points": 100}]
    app.adopt_scoring_table(
        block=BLOCK, year=2024, criteria=criteria, bonus_items=[], deduction_items=[], by=by("2024-01-10")
    )
    app.self_assess(
        block=BLOCK,
        year=2024,
        unit="so-noi-vu",
        scores={"c1": 96},
        bonuses=[],
        deductions=[],
        by=by("2024-12-01"),
    )
    app.self_assess(
        block=BLOCK,
        year=2024,
        unit="cong-an",
        scores={"c1": 88},
        bonuses=[],
        deductions=[],
        by=by("2024-12-01"),
    )
    app.submit_rating_sheet(
        unit="so-noi-vu", year=2024, month=1, scores={"nv-1": 82, "nv-2": 75}, by=by("2024-02-02")
    )
    app.launch_movement(
        key="pt-chuyen-doi-so",
        name="Thi đua chuyển đổi số",
        kind="thematic",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 11, 30),
        by=by("2024-02-20"),
    )
    app.launch_movement(
        key="pt-hang-nam",
        name="Thi đua yêu nước",
        kind="regular",
        starts_on=date(2024, 1, 15),
        ends_on=None,
        by=by("2024-01-15"),
    )
    decide(app, ("04/QĐ-UBND", "2023-12-20", BK_TINH, "provincial_chair", 2022), [("unit", "so-tai-chinh")])
    decide(
        app,
        ("01/QĐ-UBND", "2024-01-20", BK_TINH, "provincial_chair", 2023),
        [("unit", "so-noi-vu"), ("staff", "nv-1"), ("staff", "nv-3")],
    )
    decide(app, ("02/QĐ-UBND", "2024-02-10", BK_TINH, "provincial_chair", 2023), [("unit", "cong-an")])
    decide(
        app,
        ("03/QĐ-TTg", "2024-06-01", "bang_khen_thu_tuong", "prime_minister", 2024),
        [("unit", "so-noi-vu"), ("staff", "nv-1")],
    )
    decide(app, ("07/QĐ-SNV", "2024-12-25", "giay_khen", "head_of_agency", 2024), [("unit", "ubnd-xa")])
    for kind, key in (("unit", "so-tai-chinh"), ("staff", "nv-2")):
        app.submit_proposal(
            key=f"{BLOCK}/2024/{BK_TINH}/{key}",
            proposer=BLOCK,
            year=2024,
            award=BK_TINH,
            authority="provincial_chair",
            recipient_kind=kind,
            recipient=key,
            achievement=None,
            dossier={},
            by=by("2024-12-10"),
        )
    # One decision, two grants: a Bằng khen to two collectives the text counts as three, and the
    # provincial Chiến sĩ thi đua to one person (achievement year 2025, decided in 2026).
    app.record_decision(
        number=TWO_GRANTS,
        signer="Nguyễn Văn Đức",
        authority="provincial_chair",
        award=None,
        year=2025,
        recipients=[],
        claimed_count=None,
        proposals=[],
        historical=True,
        by=by("2026-01-15"),
        grants=[
            (BK_TINH, [("unit", "so-noi-vu"), ("unit", "cong-an")], 3),
            (CSTD_TINH, [("staff", "nv-2")], None),
        ],
    )
    # A grouped proposal (tờ trình) claiming three collectives and listing two.
    for key in ("ubnd-xa", "so-tai-chinh"):
        app.submit_proposal(
            key=f"{BLOCK}/2025/{BK_TINH}/{key}",
            proposer=BLOCK,
            year=2025,
            award=BK_TINH,
            authority="provincial_chair",
            recipient_kind="unit",
            recipient=key,
            achievement=None,
            dossier={},
            by=by("2025-12-10"),
            group=GROUP,
            group_claimed_count=3,
        )
    app.revoke_decision(
        number="02/QĐ-UBND",
        revoking_decision="05/QĐ-UBND",
        ground="false_documents",
        recipients=None,
        recover_object=True,
        reason="Hồ sơ giả mạo",
        by=by("2024-09-09"),
    )


Decided = tuple[str, str, str, str, int]  # number, date, award, authority, achievement year


def decide(app: ProvinceApplication, what: Decided, recipients: list[tuple[str, str]]) -> None:
    number, on, award, authority, year = what
    app.record_decision(
        number=number,
        signer="Nguyễn Văn Đức",
        authority=authority,
        award=award,
        year=year,
        recipients=recipients,
        claimed_count=None,
        proposals=[],
        historical=True,
        by=by(on),
    )
