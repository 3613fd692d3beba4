"""One case per row of law.md (the review of `domain/` against the legal texts, issue 14).

Each row of law.md's tables is a `Row` below: its section and words, and a check of what the
code does now. The table is the test: a row law.md marks wrong or missing fails here if the old
behaviour comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.secret_ballots import SEALING
from thidua.domain.ballots import Ballot
from thidua.domain.catalogue import CATALOGUE, award
from thidua.domain.classification import UnitBandsNotAdopted, classify
from thidua.domain.decisions import record_decision
from thidua.domain.discipline import DisciplinaryFile
from thidua.domain.errors import MalformedCommand, PrerequisiteMissing, WrongAuthority
from thidua.domain.members import MemberFacts, derive
from thidua.domain.prerequisites import evaluate
from thidua.domain.proposal_checks import (
    ProposalWrongState,
    SecretBallotRequired,
    WrittenOpinionNotAllowed,
    check_recipient_and_authority,
)
from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.rating_rules import band_for, year_rating
from thidua.domain.ratings import RatingCapExceeded, RatingSheet
from thidua.domain.recipients import RecipientFacts, staff_facts, unit_facts
from thidua.domain.records import AwardRecord
from thidua.domain.rule_values import describe
from thidua.domain.rulebook import RuleBook, RuleLooserThanNational, rules_in_force
from thidua.domain.rules import RuleSet
from thidua.domain.staff import StaffMember
from thidua.domain.units import Unit


def at(day: str) -> Provenance:
    return Provenance(
        Actor("ban-tdkt", "province_admin", None),
        datetime(2026, 3, 1, tzinfo=UTC),
        date.fromisoformat(day),
        "law",
    )


def member(day: str, voter: str) -> Provenance:
    """A council member casting their own paper."""
    return Provenance(
        Actor(voter, "council_member", None), datetime(2026, 3, 1, tzinfo=UTC), date.fromisoformat(day), "law"
    )


def rules(day: str, province: str = "ha-tinh") -> RuleSet:
    return rules_in_force(None, date.fromisoformat(day), province)


def person(key: str = "nguyen-van-a") -> AwardRecord:
    return AwardRecord.open("ha-tinh", "staff", key, at("2015-01-01"))


def unit_record(key: str = "so-noi-vu") -> AwardRecord:
    return AwardRecord.open("ha-tinh", "unit", key, at("2015-01-01"))


def titles(record: AwardRecord, code: str, years: list[int]) -> None:
    for y in years:
        record.enter_title(year=y, award=code, decision=f"{code}-{y}", by=at(f"{y}-12-20"))


def unit_recipient(key: str = "so-noi-vu", members: dict[int, object] | None = None) -> RecipientFacts:
    u = Unit.register("ha-tinh", key, f"Đơn vị {key}", at("2015-01-01"))
    return unit_facts(u, None, unit_record(key), members)  # type: ignore[arg-type]


def staff_recipient(key: str = "nguyen-van-a", bands: dict[int, str] | None = None) -> RecipientFacts:
    s = StaffMember.register(
        province="ha-tinh",
        key=key,
        name="Nguyễn Văn A",
        unit="so-noi-vu",
        rating_group="specialists",
        by=at("2015-01-01"),
    )
    facts = staff_facts(s, None, person(key))
    return replace(facts, year_bands=bands or {})


def amount(code: str, day: str, collective: bool, authority: str | None = None) -> int | None:
    return rules(day).prize(code, collective, authority)


def multiple(code: str, day: str, collective: bool, authority: str | None = None) -> Decimal | None:
    return rules(day).prize_multiple(code, collective, authority)


# Prize money -------------------------------------------------------------------------------------


def titles_as_listed() -> None:
    listed = {
        "lao_dong_tien_tien": ("0.3", None),
        "chien_si_thi_dua_co_so": ("1.0", None),
        "chien_si_thi_dua_cap_tinh": ("3.0", None),
        "chien_si_thi_dua_toan_quoc": ("4.5", None),
        "tap_the_lao_dong_tien_tien": (None, "0.8"),
        "tap_the_lao_dong_xuat_sac": (None, "1.5"),
        "co_thi_dua_ubnd_tinh": (None, "8.0"),
        "co_thi_dua_chinh_phu": (None, "12.0"),
    }
    for day in ("2021-12-28", "2024-06-01", "2025-07-01"):
        for code, (individual, collective) in listed.items():
            got = (multiple(code, day, False), multiple(code, day, True))
            want = (
                None if individual is None else Decimal(individual),
                None if collective is None else Decimal(collective),
            )
            assert got == want, (code, day)


def prime_ministers_certificate() -> None:
    for day in ("2021-12-28", "2024-06-01", "2025-07-01"):
        assert (multiple("bang_khen_thu_tuong", day, False), multiple("bang_khen_thu_tuong", day, True)) == (
            Decimal("3.5"),
            Decimal("7.0"),
        )


def provincial_certificate_by_date() -> None:
    assert multiple("bang_khen_chu_tich_ubnd_tinh", "2025-06-30", False) == Decimal("1.0")
    assert multiple("bang_khen_chu_tich_ubnd_tinh", "2025-06-30", True) == Decimal("2.0")
    assert multiple("bang_khen_chu_tich_ubnd_tinh", "2025-07-01", False) == Decimal("1.5")
    assert multiple("bang_khen_chu_tich_ubnd_tinh", "2025-07-01", True) == Decimal("3.0")


def certificate_of_commendation() -> None:
    assert multiple("giay_khen", "2024-03-01", False) == Decimal("0.3")
    assert multiple("giay_khen", "2024-03-01", True) == Decimal("0.6")
    # A commune chair's Giấy khen under Decree 91 (imported history): 0.15, a collective 0.30;
    # 0.15 × 1,490,000 = 223,500 → rounded *up* to 230,000.
    assert multiple("giay_khen", "2021-05-01", False, "commune_chair") == Decimal("0.15")
    assert amount("giay_khen", "2021-05-01", False, "commune_chair") == 230_000
    assert amount("giay_khen", "2021-05-01", True, "commune_chair") == 450_000


def amount_in_dong() -> None:
    # 1.5 × 2,340,000 = 3,510,000; 3.0 × 2,340,000 = 7,020,000 (Decree 152, base salary of 2024).
    assert amount("bang_khen_chu_tich_ubnd_tinh", "2025-07-01", False) == 3_510_000
    assert amount("bang_khen_chu_tich_ubnd_tinh", "2025-07-01", True) == 7_020_000
    # 0.3 × 1,800,000 = 540,000 (base salary from 1 Jul 2023); 0.8 × 1,490,000 = 1,192,000 → 1,200,000.
    assert amount("lao_dong_tien_tien", "2023-07-01", False) == 540_000
    assert amount("tap_the_lao_dong_tien_tien", "2023-06-30", True) == 1_200_000
    # No base salary known before 1 Jul 2019: no amount is invented.
    assert amount("giay_khen", "2019-06-30", False) is None
    # Priced on the decision and each recipient, totalled per decision (many recipients add up).
    named = [unit_recipient(f"u{i}") for i in range(3)]
    d = record_decision(
        province="ha-tinh",
        number="12/QĐ-UBND",
        signer="Chủ tịch UBND tỉnh",
        authority="provincial_chair",
        award_code="bang_khen_chu_tich_ubnd_tinh",
        year=2025,
        recipients=named,
        claimed_count=None,
        proposals=[],
        historical=True,
        rules=replace(rules("2025-07-10"), council_ballot_for_every_provincial_award=False),
        by=at("2025-07-10"),
        award_type="chuyen_de",
    )
    assert [p["amount"] for p in d.prizes] == [7_020_000] * 3


# Titles and prerequisites ------------------------------------------------------------------------


def grassroots_fighter() -> None:
    r = person()
    found = evaluate("chien_si_thi_dua_co_so", 2024, r, rules("2024-12-01"))
    assert found.missing == ("same_year:lao_dong_tien_tien", "initiative:grassroots")
    titles(r, "lao_dong_tien_tien", [2024])
    r.recognize_initiative(
        initiative="sk", scope="grassroots", year=2024, reference="QĐ", by=at("2024-11-01")
    )
    assert evaluate("chien_si_thi_dua_co_so", 2024, r, rules("2024-12-01")).complete


def provincial_fighter() -> None:
    r = person()
    titles(r, "chien_si_thi_dua_co_so", [2022, 2023, 2024])
    r.recognize_initiative(initiative="sk", scope="province", year=2023, reference="QĐ", by=at("2023-11-01"))
    found = evaluate("chien_si_thi_dua_cap_tinh", 2024, r, rules("2024-12-01"))
    assert found.met == ("consecutive:chien_si_thi_dua_co_so:3", "initiative:province")


def national_fighter() -> None:
    r = person()
    titles(r, "chien_si_thi_dua_cap_tinh", [2022, 2025])
    r.recognize_initiative(initiative="sk", scope="national", year=2025, reference="QĐ", by=at("2025-11-01"))
    assert evaluate("chien_si_thi_dua_toan_quoc", 2025, r, rules("2025-12-01")).complete
    adjacent_only_once = person("b")
    titles(adjacent_only_once, "chien_si_thi_dua_cap_tinh", [2025])
    assert (
        "successive:chien_si_thi_dua_cap_tinh:2"
        in evaluate("chien_si_thi_dua_toan_quoc", 2025, adjacent_only_once, rules("2025-12-01")).missing
    )


def members(
    n: int, *, advanced: int, completed: int, fighters: int = 0, warned: int = 0
) -> list[MemberFacts]:
    rows = []
    for i in range(n):
        held = set()
        if i < advanced:
            held.add("lao_dong_tien_tien")
        if i < fighters:
            held.add("chien_si_thi_dua_co_so")
        rows.append(
            MemberFacts(
                f"m{i}",
                "HTTNV" if i < completed else "KHTNV",
                frozenset(held),
                ("cảnh cáo",) if i < warned else (),
            )
        )
    return rows


def excellent_collective() -> None:
    good = derive(members(10, advanced=7, completed=10, fighters=1))
    assert (good.source, good.complete) == ("derived", True)
    ok = evaluate(
        "tap_the_lao_dong_xuat_sac",
        2025,
        unit_record(),
        rules("2025-12-01"),
        kind="collective",
        members={2025: good},
    )
    assert ok.complete, ok
    warned = derive(members(10, advanced=7, completed=10, fighters=1, warned=1))
    found = evaluate(
        "tap_the_lao_dong_xuat_sac",
        2025,
        unit_record(),
        rules("2025-12-01"),
        kind="collective",
        members={2025: warned},
    )
    assert found.missing == ("excellent_collective_no_discipline:canh_cao",)


def advanced_collective() -> None:
    def verdict(figures: list[MemberFacts]) -> tuple[str, ...]:
        return evaluate(
            "tap_the_lao_dong_tien_tien",
            2025,
            unit_record(),
            rules("2025-12-01"),
            kind="collective",
            members={2025: derive(figures)},
        ).missing

    assert verdict(members(10, advanced=6, completed=10)) == ()
    assert verdict(members(10, advanced=5, completed=10)) == ("members_majority_advanced",)  # not "trên 50%"
    assert verdict(members(10, advanced=6, completed=10, warned=1)) == ("members_no_discipline:canh_cao",)
    # A reprimand (khiển trách) is below cảnh cáo: it does not bar the collective.
    reprimanded = members(10, advanced=6, completed=10)
    reprimanded[0] = replace(reprimanded[0], discipline_forms=("khiển trách",))
    assert verdict(reprimanded) == ()


def advanced_worker() -> None:
    def missing(bands: dict[int, str]) -> tuple[str, ...]:
        facts = staff_recipient(bands=bands)
        return evaluate(
            "lao_dong_tien_tien", 2025, facts.record, rules("2025-12-01"), kind="individual", year_bands=bands
        ).missing

    assert missing({}) == ("year_rating:HTTNV",)
    assert missing({2025: "HTNV"}) == ("year_rating:HTTNV",)
    assert missing({2025: "HTTNV"}) == ()
    assert missing({2025: "HTXSNV"}) == ()


def provincial_flag() -> None:
    r = unit_record()
    assert evaluate("co_thi_dua_ubnd_tinh", 2025, r, rules("2025-12-01")).missing == ("leading_unit",)
    r.note_fact(year=2025, fact="leading_unit", value="khoi-1", source="bb", by=at("2025-12-15"))
    assert evaluate("co_thi_dua_ubnd_tinh", 2025, r, rules("2025-12-01")).complete


def government_flag() -> None:
    r = unit_record()
    r.note_fact(year=2025, fact="block_leader", value="khoi-1", source="bb", by=at("2025-01-05"))
    r.note_fact(year=2025, fact="classification", value="good", source="s", by=at("2025-12-01"))
    # The Khối trưởng office is not the leading unit; no "excellent" band is required.
    assert evaluate("co_thi_dua_chinh_phu", 2025, r, rules("2025-12-01")).missing == ("leading_unit",)
    r.note_fact(year=2025, fact="leading_unit", value="khoi-1", source="bb", by=at("2025-12-15"))
    assert evaluate("co_thi_dua_chinh_phu", 2025, r, rules("2025-12-01")).complete


def provincial_certificate_chain() -> None:
    r = person()
    assert evaluate("bang_khen_chu_tich_ubnd_tinh", 2025, r, rules("2025-12-01")).missing == (
        "bang_khen_tinh:individual",
    )
    titles(r, "chien_si_thi_dua_co_so", [2024, 2025])
    assert evaluate("bang_khen_chu_tich_ubnd_tinh", 2025, r, rules("2025-12-01")).complete
    other = person("c")  # or two years HTXSNV with two grassroots initiatives
    for y in (2024, 2025):
        other.recognize_initiative(
            initiative=f"sk{y}", scope="grassroots", year=y, reference="QĐ", by=at(f"{y}-11-01")
        )
    bands = {2024: "HTXSNV", 2025: "HTXSNV"}
    assert evaluate(
        "bang_khen_chu_tich_ubnd_tinh", 2025, other, rules("2025-12-01"), year_bands=bands
    ).complete
    # A chuyên đề / đột xuất award rests on the achievement named, not on the chain.
    assert evaluate(
        "bang_khen_chu_tich_ubnd_tinh", 2025, person("d"), rules("2025-12-01"), award_type="dot_xuat"
    ).complete


def prime_ministers_certificate_chain() -> None:
    r = person()
    titles(r, "bang_khen_chu_tich_ubnd_tinh", [2020])
    titles(r, "chien_si_thi_dua_co_so", [2021, 2023, 2025])
    bands = dict.fromkeys(range(2021, 2026), "HTTNV")
    found = evaluate("bang_khen_thu_tuong", 2025, r, rules("2025-12-01"), year_bands=bands)
    assert found.complete, found
    bands[2022] = "HTNV"
    found = evaluate("bang_khen_thu_tuong", 2025, r, rules("2025-12-01"), year_bands=bands)
    assert found.missing == ("rated_years:HTTNV:5",)
    # Imported history keeps its era's chain: before 2024 (Decree 65/2014 Art. 23(1)(c)) five years
    # HTXSNV with five grassroots initiatives after the provincial certificate.
    old = person("h")
    titles(old, "bang_khen_chu_tich_ubnd_tinh", [2016])
    excellent = dict.fromkeys(range(2017, 2022), "HTXSNV")
    assert evaluate("bang_khen_thu_tuong", 2021, old, rules("2021-12-01"), year_bands=excellent).missing == (
        "excellent_years_initiatives:5:5",
    )
    for y in range(2017, 2022):
        old.recognize_initiative(
            initiative=f"sk{y}", scope="grassroots", year=y, reference="QĐ", by=at(f"{y}-11-01")
        )
    assert evaluate("bang_khen_thu_tuong", 2021, old, rules("2021-12-01"), year_bands=excellent).complete


def authorities() -> None:
    check_recipient_and_authority("huan_chuong_lao_dong_hang_nhat", "president", "staff")
    check_recipient_and_authority("lao_dong_tien_tien", "commune_chair", "staff")
    check_recipient_and_authority("giay_khen", "commune_chair", "unit")
    with pytest.raises(WrongAuthority):
        check_recipient_and_authority("huan_chuong_lao_dong_hang_ba", "prime_minister", "staff")
    medals = [c for c in CATALOGUE if c.startswith("huan_chuong_lao_dong_hang_")]
    assert sorted(medals) == [
        "huan_chuong_lao_dong_hang_ba",
        "huan_chuong_lao_dong_hang_nhat",
        "huan_chuong_lao_dong_hang_nhi",
    ]
    assert amount("huan_chuong_lao_dong_hang_nhat", "2025-07-01", False) == 21_060_000  # 9.0 × 2,340,000
    assert multiple("huan_chuong_lao_dong_hang_ba", "2025-07-01", True) == Decimal("9.0")


# Procedure ---------------------------------------------------------------------------------------


def proposal(code: str, authority: str, facts: RecipientFacts, day: str, **extra: object) -> AwardProposal:
    return AwardProposal.submit(
        province="ha-tinh",
        key=f"{code}/{facts.key}",
        proposer="khoi-1",
        year=int(day[:4]),
        award_code=code,
        authority=authority,
        recipient=facts,
        achievement=extra.pop("achievement", None),  # type: ignore[arg-type]
        dossier={"minutes": "BB", "achievement_report": "BC"},
        rules=rules(day),
        by=at(day),
        **extra,  # type: ignore[arg-type]
    )


def disclosure() -> None:
    day = "2025-10-01"
    assert proposal("huan_chuong_lao_dong_hang_ba", "president", unit_recipient(), day).disclosure_required
    assert proposal(
        "chien_si_thi_dua_toan_quoc", "prime_minister", staff_recipient(), day
    ).disclosure_required
    assert not proposal(
        "co_thi_dua_chinh_phu", "prime_minister", unit_recipient("u2"), day
    ).disclosure_required
    assert not proposal(
        "bang_khen_thu_tuong", "prime_minister", staff_recipient("b"), day
    ).disclosure_required
    assert rules(day).disclosure_working_days == 10


def council_ballot(p: AwardProposal, day: str, *, secret: bool, approvals: int, members: int = 10) -> Ballot:
    b = Ballot.open(
        province="ha-tinh",
        key=f"hd/{p.key}",
        purpose="council",
        subject=p.key,
        award=p.award,
        secret=secret,
        question="approve",
        electorate="council_members",
        voters=[f"m{i}" for i in range(members)],
        options=["approve", "reject"],
        rules=rules(day),
        by=at(day),
        **(SEALING if secret else {}),
    )
    present = members - 1  # m9 is absent
    for i in range(present):
        b.cast_sealed_paper(
            voter=f"m{i}", sealed=f"s{i}", by=member(day, f"m{i}")
        ) if secret else b.cast_open_vote(
            voter=f"m{i}", choice="approve" if i < approvals else "reject", by=member(day, f"m{i}")
        )
    b.close(present=None, by=at(day))
    papers = [
        {"paper_id": f"p{i}", "choice": "approve" if i < approvals else "reject"} for i in range(present)
    ]
    b.tally(opened_papers=papers if secret else None, tie_break_scores=None, by=at(day))
    return b


def council() -> None:
    day = "2025-11-20"
    r = rules(day)
    assert (
        r.threshold_for("chien_si_thi_dua_cap_tinh")
        == r.threshold_for("chien_si_thi_dua_toan_quoc")
        == (9, 10)
    )
    assert r.ballot_threshold_denominator == "all"
    # 9 of 10 members approve in the room: 90 % of all members.
    p = proposal("chien_si_thi_dua_cap_tinh", "provincial_chair", staff_recipient(), day)
    assert p.record_council_vote(ballot=council_ballot(p, day, secret=True, approvals=9), by=at(day), rules=r)
    # 8 in the room and the absent member's written opinion: 9 of 10.
    p = proposal("chien_si_thi_dua_cap_tinh", "provincial_chair", staff_recipient("b"), day)
    opinion = [{"member": "m9", "choice": "approve", "reference": "VB 12/HĐ"}]
    assert p.record_council_vote(
        ballot=council_ballot(p, day, secret=True, approvals=8), by=at(day), rules=r, written_opinions=opinion
    )
    p = proposal("chien_si_thi_dua_cap_tinh", "provincial_chair", staff_recipient("c"), day)
    assert not p.record_council_vote(
        ballot=council_ballot(p, day, secret=True, approvals=8), by=at(day), rules=r
    )
    p = proposal("chien_si_thi_dua_cap_tinh", "provincial_chair", staff_recipient("d"), day)
    with pytest.raises(SecretBallotRequired):
        p.record_council_vote(ballot=council_ballot(p, day, secret=False, approvals=9), by=at(day), rules=r)
    q = proposal(
        "bang_khen_chu_tich_ubnd_tinh",
        "provincial_chair",
        staff_recipient("e"),
        day,
        award_type="dot_xuat",
        achievement="cuu-nguoi",
    )
    with pytest.raises(WrittenOpinionNotAllowed):
        q.record_council_vote(
            ballot=council_ballot(q, day, secret=True, approvals=9),
            by=at(day),
            rules=r,
            written_opinions=opinion,
        )
    # Forcing a ballot for every provincial award is a province's setting, not law.
    bk = proposal(
        "bang_khen_chu_tich_ubnd_tinh",
        "provincial_chair",
        staff_recipient("f"),
        day,
        award_type="dot_xuat",
        achievement="x",
    )
    strict = replace(r, council_ballot_for_every_provincial_award=True)
    with pytest.raises(ProposalWrongState):
        bk.forward(recipient=staff_recipient("f"), rules=strict, by=at(day))
    bk.forward(recipient=staff_recipient("f"), rules=r, by=at(day))


def one_decision_many_recipients() -> None:
    # Remodelled by issue 15; here: a grouped decision prices every recipient and totals them.
    named = [staff_recipient(f"s{i}", {2024: "HTTNV"}) for i in range(4)]
    d = record_decision(
        province="ha-tinh",
        number="5/QĐ-SNV",
        signer="Giám đốc Sở",
        authority="head_of_agency",
        award_code="lao_dong_tien_tien",
        year=2024,
        recipients=named,
        claimed_count=5,
        proposals=[],
        historical=False,
        rules=rules("2024-12-30"),
        by=at("2024-12-30"),
    )
    assert [p["amount"] for p in d.prizes] == [710_000] * 4  # 0.3 × 2,340,000 = 702,000 → 710,000
    assert d.count_mismatch


def discipline_and_revocation() -> None:
    f = DisciplinaryFile.open("ha-tinh", "staff", "a", at("2024-01-01"))
    f.impose("khiển trách", "QĐ KL", date(2025, 3, 1), at("2024-06-01"))
    assert f.status_on(date(2025, 3, 1)).counts_from == date(2025, 3, 1)
    named = [staff_recipient("a", {2024: "HTTNV"})]
    d = record_decision(
        province="ha-tinh",
        number="6/QĐ",
        signer="GĐ",
        authority="head_of_agency",
        award_code="lao_dong_tien_tien",
        year=2024,
        recipients=named,
        claimed_count=None,
        proposals=[],
        historical=False,
        rules=rules("2024-12-30"),
        by=at("2024-12-30"),
    )
    records = {"a": named[0].record}
    d.revoke(
        revoking_decision="9/QĐ",
        ground="false_documents",
        recipients=None,
        recover_object=True,
        reason="Hồ sơ giả",
        records=records,  # type: ignore[arg-type]
        by=at("2025-02-01"),
    )
    assert d.pending_events[-1].recover_amount == 710_000  # type: ignore[attr-defined]


# Staff quality ratings ---------------------------------------------------------------------------


def bands() -> None:
    r = rules("2026-01-01")
    assert [band_for(s, r) for s in (90, 89, 70, 69, 50, 49)] == [
        "HTXSNV",
        "HTTNV",
        "HTTNV",
        "HTNV",
        "HTNV",
        "KHTNV",
    ]


def discipline_fails_the_year() -> None:
    r = rules("2026-12-31")
    assert year_rating([95] * 12, r) == (95.0, "HTXSNV")
    assert year_rating([95] * 12, r, discipline=["khiển trách"]) == (95.0, "KHTNV")
    assert year_rating([95] * 12, r, discipline=["Cảnh cáo"]) == (95.0, "KHTNV")


def sheet(day: str, scores: dict[str, int], kinds: Mapping[str, str | None], **extra: object) -> RatingSheet:
    return RatingSheet.submit(
        province="ha-tinh",
        unit="so-noi-vu",
        year=int(day[:4]),
        month=int(day[5:7]),
        scores=scores,
        roster=dict.fromkeys(scores, "specialists"),
        rules=rules(day),
        by=at(day),
        kinds=kinds,
        **extra,  # type: ignore[arg-type]
    )


SCORES = {"a": 95, "b": 95, "c": 80, "d": 80, "e": 80, "f": 80, "g": 80}


def cap_for_civil_servants() -> None:
    with pytest.raises(RatingCapExceeded):
        sheet("2026-01-01", SCORES, dict.fromkeys(SCORES, "cong_chuc"))
    sheet("2026-01-01", SCORES, dict.fromkeys(SCORES, "vien_chuc"))  # viên chức are not capped
    mixed = dict.fromkeys(SCORES, "cong_chuc") | {"b": "nguoi_lao_dong"}
    sheet("2026-01-01", SCORES, mixed)  # one capped HTXSNV for five HTTNV
    exempt = sheet("2026-01-01", SCORES, dict.fromkeys(SCORES, "cong_chuc"), cap_exception="QĐ 77/QĐ-UBND")
    assert exempt.cap_exception == "QĐ 77/QĐ-UBND"


def cap_before_2026() -> None:
    with pytest.raises(RatingCapExceeded):
        sheet("2025-06-01", SCORES, dict.fromkeys(SCORES, "vien_chuc"))  # Decree 48/2023: viên chức too
    sheet("2025-06-01", SCORES, dict.fromkeys(SCORES, "nguoi_lao_dong"))
    sheet("2023-06-01", SCORES, dict.fromkeys(SCORES, "cong_chuc"))  # before Decree 48/2023


def quarterly_and_year_end_cap() -> None:
    quarterly = replace(rules("2026-01-01"), rating_period="quarter")
    with pytest.raises(MalformedCommand):
        RatingSheet.submit(
            province="ha-tinh",
            unit="u",
            year=2026,
            month=1,
            scores={"a": 80},
            roster={"a": "specialists"},
            rules=quarterly,
            by=at("2026-04-01"),
        )
    q = RatingSheet.submit(
        province="ha-tinh",
        unit="u",
        year=2026,
        month=None,
        quarter=1,
        scores={"a": 80},
        roster={"a": "specialists"},
        rules=quarterly,
        by=at("2026-04-01"),
    )
    assert q.period == "Q1"
    person_ = StaffMember.register(
        province="ha-tinh",
        key="a",
        name="A",
        unit="u",
        rating_group="specialists",
        by=at("2025-01-01"),
        staff_kind="cong_chuc",
    )
    colleagues = [
        {"staff": f"g{i}", "group": "specialists", "kind": "cong_chuc", "band": "HTTNV"} for i in range(5)
    ]
    person_.derive_year_rating(
        2026, {"Q1": 92, "Q2": 93}, rules("2026-12-31"), at("2027-01-05"), peers=colleagues
    )
    assert person_.year_ratings["2026"]["band"] == "HTXSNV"
    other = StaffMember.register(
        province="ha-tinh",
        key="b",
        name="B",
        unit="u",
        rating_group="specialists",
        by=at("2025-01-01"),
        staff_kind="cong_chuc",
    )
    peers = [{"staff": "a", "group": "specialists", "kind": "cong_chuc", "band": "HTXSNV"}] + [
        {"staff": f"g{i}", "group": "specialists", "kind": "cong_chuc", "band": "HTTNV"} for i in range(5)
    ]
    with pytest.raises(RatingCapExceeded):  # the year-end classification is capped too
        other.derive_year_rating(
            2026, {f"{m:02d}": 95 for m in range(1, 13)}, rules("2026-12-31"), at("2027-01-05"), peers=peers
        )


def year_end_rule_and_transfer() -> None:
    values = {v.name: v for v in describe(rules("2026-06-01"), date(2026, 6, 1))}
    for name in ("year_rating_min_months", "year_rating_failed_month_caps"):
        assert (values[name].scope, values[name].basis.verified) == ("province_setting", False)
    book = RuleBook.open("ha-tinh", at("2026-01-01"))
    book.adopt(
        "ht-2026", date(2026, 2, 1), "QĐ 3/2026/QĐ-UBND", {"year_rating_min_months": 4}, at("2026-01-10")
    )
    assert book.rules_in_force(date(2026, 6, 1)).year_rating_min_months == 4  # either way: a setting
    moved = StaffMember.register(
        province="ha-tinh", key="t", name="T", unit="so-a", rating_group="specialists", by=at("2025-01-01")
    )
    moved.transfer("so-b", "specialists", at("2026-07-01"))
    assert moved.units_in(2026) == ["so-a", "so-b"]
    assert moved.units_in(2027) == ["so-b"]


def unit_bands_are_nghe_an_rules() -> None:
    scores, maxima = {"c1": 55, "c2": 37}, {"c1": 60, "c2": 40}
    with pytest.raises(UnitBandsNotAdopted):
        classify(scores, maxima, {}, {}, rules("2025-12-01", "ha-tinh"))
    nghe_an = rules("2025-12-01", "nghe-an")
    assert classify(scores, maxima, {}, {}, nghe_an).band == "excellent"
    value = {v.name: v for v in describe(nghe_an, date(2025, 12, 1))}["unit_bands"]
    assert (value.scope, value.basis.verified) == ("province", False)


def stricter_only() -> None:
    book = RuleBook.open("ha-tinh", at("2025-01-01"))
    with pytest.raises(RuleLooserThanNational) as refused:
        book.adopt("x", date(2025, 6, 1), "QĐ", {"disclosure_working_days": 5}, at("2025-01-02"))
    assert "lỏng hơn" in refused.value.message_vi
    assert len(book.pending_events) == 1  # only the book's opening: nothing recorded
    book.adopt(
        "y", date(2025, 6, 1), "QĐ", {"council_ballot_for_every_provincial_award": True}, at("2025-01-02")
    )
    assert book.rules_in_force(date(2025, 6, 1)).council_ballot_for_every_provincial_award


@dataclass(frozen=True)
class Row:
    section: str
    law_md: str  # the row's words in law.md
    check: Callable[[], None]


ROWS = [
    Row(
        "prize",
        "LĐTT 0.3; CSTĐ cơ sở 1.0; CSTĐ tỉnh 3.0; CSTĐ toàn quốc 4.5; TT LĐTT 0.8; TT LĐXS 1.5; "
        "Cờ tỉnh 8.0; Cờ CP 12.0",
        titles_as_listed,
    ),
    Row("prize", "Bằng khen của Thủ tướng Chính phủ 3.5 / 7.0", prime_ministers_certificate),
    Row(
        "prize",
        "Bằng khen của Chủ tịch UBND tỉnh 1.0 / 2.0 until 30 Jun 2025; 1.5 / 3.0 from 1 Jul 2025",
        provincial_certificate_by_date,
    ),
    Row("prize", "Giấy khen 0.3 / 0.6 (commune chair's under Decree 91: 0.15)", certificate_of_commendation),
    Row(
        "prize",
        "amount in đồng: multiple × base salary on the decision date, rounded up to 10,000",
        amount_in_dong,
    ),
    Row("titles", "CSTĐ cơ sở: LĐTT the same year + a grassroots initiative", grassroots_fighter),
    Row(
        "titles", "CSTĐ cấp tỉnh: 3 consecutive CSTĐ cơ sở + a province-level initiative", provincial_fighter
    ),
    Row(
        "titles",
        "CSTĐ toàn quốc: 02 lần liên tục CSTĐ cấp tỉnh (successive titles, not adjacent years)",
        national_fighter,
    ),
    Row(
        "titles",
        "Tập thể LĐXS: 100 % complete, ≥ 70 % LĐTT, ≥ 1 CSTĐCS, none disciplined from cảnh cáo",
        excellent_collective,
    ),
    Row(
        "titles",
        "Tập thể LĐTT: > 50 % of members LĐTT, none disciplined at cảnh cáo or above",
        advanced_collective,
    ),
    Row("titles", "Lao động tiên tiến: at least Hoàn thành tốt nhiệm vụ in the year", advanced_worker),
    Row("titles", "Cờ thi đua UBND tỉnh: a leading unit chosen through its block", provincial_flag),
    Row("titles", "Cờ thi đua Chính phủ: the collective that led the emulation", government_flag),
    Row("titles", "Bằng khen tỉnh (Law Art. 74): e.g. 2 years of CSTĐ cơ sở", provincial_certificate_chain),
    Row(
        "titles",
        "Bằng khen Thủ tướng: earlier Bằng khen tỉnh + 5 years HTTNV incl. 3 CSTĐCS",
        prime_ministers_certificate_chain,
    ),
    Row("titles", "Deciding authorities: Chủ tịch nước (Huân chương), Chủ tịch UBND xã", authorities),
    Row(
        "procedure",
        "Public disclosure of 10 working days for Huân chương, state honorary titles, CSTĐ toàn quốc",
        disclosure,
    ),
    Row(
        "procedure",
        "Council: 90 % of all members by secret ballot; written opinions; forced ballot a setting",
        council,
    ),
    Row(
        "procedure",
        "One decision may grant awards to hundreds of recipients (issue 15; priced here)",
        one_decision_many_recipients,
    ),
    Row(
        "procedure",
        "Discipline blocks commendation; achievements count after it; revocation recovers the prize",
        discipline_and_revocation,
    ),
    Row("ratings", "Bands 90 / 70 / 50 (Decree 335/2025)", bands),
    Row(
        "ratings",
        "Discipline at khiển trách or above in the year → Không hoàn thành nhiệm vụ",
        discipline_fails_the_year,
    ),
    Row(
        "ratings",
        "20 % cap on HTXSNV applies to công chức, exception for outstanding organisations",
        cap_for_civil_servants,
    ),
    Row("ratings", "a cap existed before 2026 (Decree 90/2020 amended by 48/2023)", cap_before_2026),
    Row(
        "ratings",
        "quarterly rating option; the cap on the year-end classification",
        quarterly_and_year_end_cap,
    ),
    Row(
        "ratings",
        "year-end rule a marked province setting; a mid-year transfer keeps the months",
        year_end_rule_and_transfer,
    ),
    Row(
        "ratings",
        "unit score bands 90/85 %, 80/80 %, 70: a Nghệ An rule set, not national",
        unit_bands_are_nghe_an_rules,
    ),
    Row(
        "rules",
        "a province may adopt stricter values; a looser one is refused, nothing recorded",
        stricter_only,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.section}:{r.check.__name__}" for r in ROWS])
def test_law_md_row(row: Row) -> None:
    row.check()


def test_every_award_has_sources_and_decided_prerequisite_descriptions() -> None:
    for entry in CATALOGUE.values():
        assert entry.basis.sources, entry.code
        assert award(entry.code) is entry


def test_a_decision_refuses_a_missing_prerequisite_of_its_date_and_an_archived_one_records_it() -> None:
    def decide(historical: bool, number: str) -> object:
        return record_decision(
            province="ha-tinh",
            number=number,
            signer="GĐ",
            authority="head_of_agency",
            award_code="lao_dong_tien_tien",
            year=2024,
            recipients=[staff_recipient("z")],
            claimed_count=None,
            proposals=[],
            historical=historical,
            rules=rules("2024-12-30"),
            by=at("2024-12-30"),
        )

    with pytest.raises(PrerequisiteMissing):
        decide(False, "7/QĐ")
    archived = decide(True, "8/QĐ")
    assert archived.pending_events[0].prerequisites_missing == {"z": ["year_rating:HTTNV"]}  # type: ignore[attr-defined]


def test_a_council_vote_over_those_present_counts_the_written_opinions_with_them() -> None:
    """A province may count its default threshold over the members present (a setting)."""
    day = "2025-11-20"
    present_rules = replace(rules(day), ballot_threshold_denominator="present")
    p = proposal(
        "bang_khen_chu_tich_ubnd_tinh",
        "provincial_chair",
        staff_recipient("g"),
        day,
        award_type="dot_xuat",
        achievement="cuu-ho",
    )
    b = Ballot.open(
        province="ha-tinh",
        key="hd/g",
        purpose="council",
        subject=p.key,
        award=p.award,
        secret=False,
        question="approve",
        electorate="council_members",
        voters=[f"m{i}" for i in range(10)],
        options=["approve", "reject"],
        rules=present_rules,
        by=at(day),
    )
    for i in range(7):  # seven present: four approve
        b.cast_open_vote(voter=f"m{i}", choice="approve" if i < 4 else "reject", by=member(day, f"m{i}"))
    b.close(present=None, by=at(day))
    b.tally(opened_papers=None, tie_break_scores=None, by=at(day))
    assert p.record_council_vote(ballot=b, by=at(day), rules=present_rules)  # 4 of 7 present
