"""The command layer on the in-memory store: lookups, translated errors, aggregates saved together.

The same ProvinceApplication runs on PostgreSQL in the other integration tests; here the library's
POPO persistence keeps this file fast while exercising every command family.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tests.secret_ballots import open_secret_ballot
from thidua.domain.errors import PrerequisiteMissing, RecipientUnderDiscipline, UnitDissolved
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.ratings import RatingCapExceeded, SheetAlreadySubmitted
from thidua.domain.units import AlreadyInBlock
from thidua.services.commands.errors import AlreadyExists, BlockYearNotFound, UnitNotFound
from thidua.services.province_app import ProvinceApplication

UNITS = ["a", "b", "c", "d"]


def by(day: str = "2026-01-05") -> Provenance:
    return Provenance(Actor("clerk", "province_admin", None), datetime.now(UTC), date.fromisoformat(day), "t")


@pytest.fixture
def app() -> ProvinceApplication:
    app = ProvinceApplication("nghe-an", env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for key in UNITS:
        app.register_unit(key=key, name=f"Đơn vị {key.upper()}", by=by("2020-01-01"))
    app.create_block(key="k1", name="Khối 1", kind="block", by=by("2020-01-01"))
    app.create_block(key="k2", name="Khối 2", kind="block", by=by("2020-01-01"))
    app.open_block_year(block="k1", year=2026, members=UNITS, members_claimed=5, by=by())
    return app


def test_missing_aggregates_raise_their_own_not_found_codes(app: ProvinceApplication) -> None:
    with pytest.raises(UnitNotFound) as refused:
        app.rename_unit(key="zz", name="X", by=by())
    assert refused.value.code == "UNIT_NOT_FOUND"
    assert "zz" in refused.value.message_vi
    with pytest.raises(BlockYearNotFound):
        app.hold_review(block="k1", year=2020, kind="mid_year", chaired_by=None, note=None, by=by())
    with pytest.raises(AlreadyExists):
        app.register_unit(key="a", name="A", by=by())


def test_a_unit_cannot_be_in_two_blocks_of_a_kind_in_one_year(app: ProvinceApplication) -> None:
    with pytest.raises(AlreadyInBlock):
        app.open_block_year(block="k2", year=2026, members=["a"], members_claimed=None, by=by())
    assert app.get_block_year("k1", 2026)["count_mismatch"] is True


def test_scoring_classification_notes_the_band_on_the_record(app: ProvinceApplication) -> None:
    criteria = [{"code": "c1", "group": "g", "name": "n", "max_points": 100}]
    app.adopt_scoring_table(
        block="k1", year=2026, criteria=criteria, bonus_items=[], deduction_items=[], by=by()
    )
    app.self_assess(block="k1", year=2026, unit="a", scores={"c1": 95}, bonuses=[], deductions=[], by=by())
    app.adjust_score(
        block="k1",
        year=2026,
        unit="a",
        item_kind="criterion",
        item="c1",
        new_points=92,
        reason="thẩm định",
        by=by(),
    )
    app.classify_unit(block="k1", year=2026, unit="a", by=by("2026-12-20"))
    record = app._award_record("unit", "a", by())
    assert record.fact(2026, "classification") == "excellent"


def test_rating_sheets_use_the_roster_and_the_cap_of_the_rated_month(app: ProvinceApplication) -> None:
    """The cap of the month rated: Decree 48/2023 (cán bộ, công chức, viên chức) from 17/07/2023,
    Decree 335/2025 (công chức only) from 2026, none before Decree 48/2023."""
    for i in range(7):
        app.register_staff(
            key=f"s{i}",
            name=f"Cán bộ {i}",
            unit="a",
            rating_group="specialists",
            by=by(),
            staff_kind="cong_chuc",
        )
        app.register_staff(
            key=f"v{i}",
            name=f"Viên chức {i}",
            unit="b",
            rating_group="specialists",
            by=by(),
            staff_kind="vien_chuc",
        )
    scores = {f"s{i}": 80 for i in range(7)} | {"s0": 95, "s1": 95}
    teachers = {f"v{i}": 80 for i in range(7)} | {"v0": 95, "v1": 95}
    with pytest.raises(RatingCapExceeded):
        app.submit_rating_sheet(unit="a", year=2026, month=1, scores=scores, by=by("2026-02-02"))
    with pytest.raises(RatingCapExceeded):
        app.submit_rating_sheet(unit="a", year=2025, month=12, scores=scores, by=by("2026-01-05"))
    with pytest.raises(RatingCapExceeded):
        app.submit_rating_sheet(unit="b", year=2025, month=12, scores=teachers, by=by("2026-01-05"))
    app.submit_rating_sheet(unit="b", year=2026, month=1, scores=teachers, by=by("2026-02-02"))
    app.submit_rating_sheet(unit="a", year=2023, month=6, scores=scores, by=by("2023-07-05"))
    with pytest.raises(SheetAlreadySubmitted):
        app.submit_rating_sheet(unit="a", year=2023, month=6, scores=scores, by=by("2023-07-06"))
    app.correct_rating(unit="a", year=2023, month=6, staff="s1", new_score=85, reason="đính chính", by=by())
    for month in range(1, 6):
        app.submit_rating_sheet(unit="a", year=2023, month=month, scores=scores, by=by("2023-07-05"))
    app.derive_year_rating(staff="s2", year=2023, reason=None, by=by("2024-01-10"))


def test_discipline_and_dissolution_block_proposals(app: ProvinceApplication) -> None:
    app.open_disciplinary_case(
        subject_kind="unit",
        subject_key="b",
        case="tt",
        kind="inspection",
        reference="QĐ TT",
        by=by("2026-03-01"),
    )
    with pytest.raises(RecipientUnderDiscipline):
        app.submit_proposal(
            key="p-b",
            proposer="k1",
            year=2026,
            award="giay_khen",
            authority="head_of_agency",
            recipient_kind="unit",
            recipient="b",
            achievement=None,
            dossier={},
            by=by("2026-04-01"),
        )
    app.dissolve_unit(key="c", decision_ref="NQ sáp nhập", successor="d", by=by("2026-07-01"))
    with pytest.raises(UnitDissolved):
        app.submit_proposal(
            key="p-c",
            proposer="k1",
            year=2026,
            award="giay_khen",
            authority="head_of_agency",
            recipient_kind="unit",
            recipient="c",
            achievement=None,
            dossier={},
            by=by("2026-08-01"),
        )


def test_the_provincial_flag_path_through_the_council(app: ProvinceApplication) -> None:
    app.constitute_council(decision_ref="QĐ HĐ", by=by())
    for i in range(9):
        app.appoint_council_member(member=f"m{i}", name=f"Thành viên {i}", role="member", by=by())
    dossier = {"minutes": "BB", "achievement_report": "BC"}
    app.submit_proposal(
        key="p-a",
        proposer="k1",
        year=2026,
        award="co_thi_dua_ubnd_tinh",
        authority="provincial_chair",
        recipient_kind="unit",
        recipient="a",
        achievement="thanh-tich-2026",
        dossier=dossier,
        by=by("2026-12-10"),
    )
    shares = open_secret_ballot(
        app,
        "hd-p-a",
        by("2026-12-20"),
        options=["approve", "reject"],
        purpose="council",
        subject="p-a",
        award="co_thi_dua_ubnd_tinh",
        electorate="council_members",
        block=None,
        year=None,
    )
    for i in range(8):
        member = replace(by("2026-12-20"), actor=Actor(f"m{i}", "council_member", None))
        app.cast_secret_vote(key="hd-p-a", voter=f"m{i}", choice="approve", by=member)
    app.close_ballot(key="hd-p-a", present=None, by=by("2026-12-20"))
    app.tally_ballot(key="hd-p-a", tie_break_scores=None, shares=shares[1:], by=by("2026-12-20"))
    app.record_council_vote(proposal="p-a", ballot="hd-p-a", by=by("2026-12-20"))
    with pytest.raises(PrerequisiteMissing):
        app.forward_proposal(proposal="p-a", by=by("2026-12-21"))
    app.choose_leading_units(block="k1", year=2026, units=["a"], method="acclamation", ballot=None, by=by())
    app.forward_proposal(proposal="p-a", by=by("2026-12-21"))
    position = app.record_decision(
        number="123/QĐ-UBND",
        signer="Chủ tịch UBND tỉnh",
        authority="provincial_chair",
        award="co_thi_dua_ubnd_tinh",
        year=2026,
        recipients=[("unit", "a")],
        claimed_count=None,
        proposals=["p-a"],
        historical=False,
        by=by("2026-12-28"),
    )
    assert position > 0
    assert app.get_proposal("p-a")["status"] == "decided"
    app.revoke_decision(
        number="123/QĐ-UBND",
        revoking_decision="9/QĐ-UBND",
        ground="false_documents",
        recipients=None,
        recover_object=True,
        reason="Hồ sơ không trung thực",
        by=by("2027-03-01"),
    )
    assert not app._award_record("unit", "a", by()).holds("co_thi_dua_ubnd_tinh", 2026)


def test_officers_elected_for_next_year_open_it_and_note_the_office(app: ProvinceApplication) -> None:
    app.choose_officers(
        block="k1",
        year=2027,
        leader="a",
        deputy="b",
        method="vote",
        ballot=None,
        chosen_in_year=2026,
        by=by("2026-12-15"),
    )
    assert app.get_block_year("k1", 2027)["leader"] == "a"
    assert app._award_record("unit", "a", by()).fact(2027, "block_leader") == "k1"


def test_movements_pledges_and_registrations(app: ProvinceApplication) -> None:
    app.launch_movement(
        key="cds",
        name="Chuyển đổi số",
        kind="thematic",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        by=by(),
    )
    app.sign_pledge(block="k1", year=2026, unit="a", targets={"cds": "100%"}, movement="cds", by=by())
    app.register_title(
        registrant_kind="unit",
        registrant="a",
        year=2026,
        award="tap_the_lao_dong_xuat_sac",
        movement="cds",
        by=by(),
    )
    app.register_exemplary(
        registrant_kind="unit", registrant="a", year=2026, theme="Nêu gương", counts={"models": 3}, by=by()
    )
    app.end_movement(key="cds", summary="Tổng kết", by=by("2026-12-31"))


def test_a_transfer_keeps_the_months_rated_in_the_former_unit(app: ProvinceApplication) -> None:
    app.register_staff(key="t", name="Trần T", unit="a", rating_group="specialists", by=by("2025-01-02"))
    for month in range(1, 7):
        app.submit_rating_sheet(
            unit="a", year=2025, month=month, scores={"t": 80}, by=by(f"2025-{month:02d}-28")
        )
    app.transfer_staff(staff="t", unit="b", rating_group="specialists", by=by("2025-07-01"))
    for month in range(7, 13):
        app.submit_rating_sheet(
            unit="b", year=2025, month=month, scores={"t": 86}, by=by(f"2025-{month:02d}-28")
        )
    app.derive_year_rating(staff="t", year=2025, reason=None, by=by("2026-01-05"))
    rating = app._get("staff", "t").year_ratings["2025"]
    assert rating == {"average": 83.0, "band": "HTTNV"}  # twelve months, six in each unit


def test_discipline_in_the_year_makes_the_year_not_completed(app: ProvinceApplication) -> None:
    app.register_staff(  # người lao động: outside the HTXSNV cap, so 92 every month is recorded
        key="k",
        name="Lê K",
        unit="a",
        rating_group="specialists",
        by=by("2025-01-02"),
        staff_kind="nguoi_lao_dong",
    )
    for month in range(1, 13):
        app.submit_rating_sheet(
            unit="a", year=2025, month=month, scores={"k": 92}, by=by(f"2025-{month:02d}-28")
        )
    app.impose_discipline(
        subject_kind="staff",
        subject_key="k",
        form="Khiển trách",
        reference="QĐ 5/QĐ-KL",
        until=date(2026, 6, 1),
        by=by("2025-09-01"),
    )
    app.derive_year_rating(staff="k", year=2025, reason=None, by=by("2026-01-05"))
    assert app._get("staff", "k").year_ratings["2025"]["band"] == "KHTNV"


def test_a_collectives_member_figures_are_derived_from_the_record(app: ProvinceApplication) -> None:
    keys = [f"m{i}" for i in range(4)]
    for key in keys:
        app.register_staff(key=key, name=key, unit="c", rating_group="specialists", by=by("2025-01-02"))
    for month in range(1, 7):
        app.submit_rating_sheet(
            unit="c", year=2025, month=month, scores=dict.fromkeys(keys, 80), by=by("2025-07-01")
        )
    for key in keys:
        app.derive_year_rating(staff=key, year=2025, reason=None, by=by("2025-12-20"))
    for key in keys[:3]:  # three of four are Lao động tiên tiến: more than 50 %
        app.record_decision(
            number=f"LĐTT-{key}",
            signer="GĐ",
            authority="head_of_agency",
            award="lao_dong_tien_tien",
            year=2025,
            recipients=[("staff", key)],
            claimed_count=None,
            proposals=[],
            historical=False,
            by=by("2025-12-22"),
        )
    app.submit_proposal(
        key="tt-c",
        proposer="k1",
        year=2025,
        award="tap_the_lao_dong_tien_tien",
        authority="head_of_agency",
        recipient_kind="unit",
        recipient="c",
        achievement=None,
        dossier={},
        by=by("2025-12-23"),
    )
    assert app.get_proposal("tt-c")["prerequisites_missing"] == []
    app.impose_discipline(
        subject_kind="staff",
        subject_key="m3",
        form="cảnh cáo",
        reference="QĐ KL",
        until=date(2026, 6, 1),
        by=by("2025-12-24"),
    )
    app.submit_proposal(
        key="tt-c2",
        proposer="k1",
        year=2025,
        award="tap_the_lao_dong_tien_tien",
        authority="head_of_agency",
        recipient_kind="unit",
        recipient="c",
        achievement=None,
        dossier={},
        by=by("2025-12-26"),
    )
    assert app.get_proposal("tt-c2")["prerequisites_missing"] == ["members_no_discipline:canh_cao"]
