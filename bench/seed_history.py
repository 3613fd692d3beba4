"""A province with 100,000 award records (lượt khen thưởng) for `search_history`.

Units with staff bearing Vietnamese names drawn with the frequencies of real family names
(Nguyễn about 38 %, so a search for one name finds many people, as it does in a province); each
unit's head decides a Giấy khen every year for the unit and its staff. Everything is made by the
domain's own aggregates (units, staff, award records, decisions) and saved with the province
application's `save`, many aggregates per save, as `bench.datagen` does: the read models are
then built by the product's projections from the product's events.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from eventsourcing.domain import Aggregate

from bench.datagen import Saver, _by, ensure_date_transcoding
from bench.workloads import head_position, open_registry
from thidua.domain.decisions import record_decision
from thidua.domain.recipients import staff_facts, unit_facts
from thidua.domain.records import AwardRecord
from thidua.domain.rules import national_rules_in_force
from thidua.domain.staff import StaffMember
from thidua.domain.units import Unit
from thidua.services.database import ConnectionParams

FIRST_YEAR = 2020
# (family name, weight in %): the common Vietnamese family names and their rough shares.
FAMILY = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 0.5),
    ("Trương", 0.5),
    ("Võ", 0.5),
    ("Cao", 0.3),
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thị Thu", "Xuân", "Công", "Đình")
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hằng",
    "Hiếu",
    "Hòa",
    "Hoa",
    "Hùng",
    "Hương",
    "Huy",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Phong",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thành",
    "Trang",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Yến",
    "Đạt",
    "Dương",
    "Khoa",
    "Loan",
    "Nhung",
)
UNIT_KINDS = (
    "Trường Trung học phổ thông {place}",
    "Ủy ban nhân dân xã {place}",
    "Trạm Y tế xã {place}",
    "Trường Tiểu học {place}",
    "Chi cục Thuế khu vực {place}",
    "Công an xã {place}",
)
PLACES = (
    "Diễn Châu",
    "Quỳnh Lưu",
    "Nghi Lộc",
    "Hưng Nguyên",
    "Nam Đàn",
    "Thanh Chương",
    "Đô Lương",
    "Yên Thành",
    "Anh Sơn",
    "Con Cuông",
    "Tân Kỳ",
    "Nghĩa Đàn",
    "Quỳ Hợp",
    "Quế Phong",
)
FIXED_UNITS = ("Trường Chính trị tỉnh", "Sở Nội vụ", "Đảng ủy Khối các cơ quan tỉnh")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class HistorySeed:
    province: str
    records: int
    person_names: list[str]
    unit_names: list[str]
    position: int


def _person(rng: random.Random) -> str:
    family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
    return f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _unit_names(count: int) -> list[str]:
    names = list(FIXED_UNITS)
    n = 0
    while len(names) < count:
        kind, place = UNIT_KINDS[n % len(UNIT_KINDS)], PLACES[(n // len(UNIT_KINDS)) % len(PLACES)]
        names.append(f"{kind.format(place=place)} số {n // (len(UNIT_KINDS) * len(PLACES)) + 1}")
        n += 1
    return names


def seed_history(
    params: ConnectionParams,
    province: str,
    *,
    records: int = 100_000,
    staff_per_unit: int = 49,
    years: int = 5,
    progress: Progress | None = None,
) -> HistorySeed:
    """At least `records` award records: units × (staff + the unit) × years, one decision per
    unit and year (Giấy khen of the unit's head, no proposal needed)."""
    rng = random.Random(15)
    per_unit = staff_per_unit + 1
    units = -(-records // (per_unit * years))
    registry = open_registry(params, [province])
    try:
        app = registry.app(province)
        ensure_date_transcoding(app)
        saver = Saver(app, units * per_unit * (years + 2), progress)
        admin = _by("board", "province_admin", None, date(FIRST_YEAR, 1, 2), "bench-history")
        people: list[str] = []
        unit_names = _unit_names(units)
        roster: list[tuple[Unit, AwardRecord, list[tuple[StaffMember, AwardRecord]]]] = []
        for u, unit_name in enumerate(unit_names):
            unit = Unit.register(province, f"dv{u:04d}", unit_name, admin)
            unit_record = AwardRecord.open(province, "unit", unit.key, admin)
            staff = []
            for s in range(staff_per_unit):
                name = _person(rng)
                people.append(name)
                member = StaffMember.register(
                    province=province,
                    key=f"{unit.key}-cb{s:02d}",
                    name=name,
                    unit=unit.key,
                    rating_group="specialists",
                    by=admin,
                )
                staff.append((member, AwardRecord.open(province, "staff", member.key, admin)))
            roster.append((unit, unit_record, staff))
            saver.add(unit, unit_record, *[a for pair in staff for a in pair])
        saver.flush()
        written = 0
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            on = date(year + 1, 1, 10)
            rules = national_rules_in_force(on)
            for u, (unit, unit_record, staff) in enumerate(roster):
                by = _by(f"head-{unit.key}", "province_admin", unit.key, on, f"qd-{year}-{u}")
                recipients = [unit_facts(unit, None, unit_record)]
                recipients += [staff_facts(member, None, record) for member, record in staff]
                decision = record_decision(
                    province=province,
                    number=f"{u + 1}/QĐ-GK{year}",
                    signer=f"Thủ trưởng {unit.name}",
                    authority="head_of_agency",
                    award_code="giay_khen",
                    year=year,
                    recipients=recipients,
                    claimed_count=None,
                    proposals=[],
                    historical=False,
                    rules=rules,
                    by=by,
                )
                written += len(recipients)
                touched: list[Aggregate] = [decision, unit_record, *[record for _, record in staff]]
                saver.add(*touched)
        saver.flush()
        position = head_position(params, province)
    finally:
        registry.close()
    return HistorySeed(province, written, people, unit_names, position)
