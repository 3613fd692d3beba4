"""Prize money (tiền thưởng): multiples of the base salary, versioned by date, and the amount.

- The amount of an award is its multiple × the base salary (mức lương cơ sở) in force on the
  decision date, rounded *up* to the next 10,000 đồng (Decree 91/2017 Art. 68(2); kept by Decree
  98/2023). Integer arithmetic on `Decimal` multiples: never a float.
- A form given to individuals and collectives lists the individual's multiple; the collective
  gets twice it (Decree 91 Art. 70(2), 73(2)(b); Decree 98/152 likewise). A collective-only title
  (Cờ thi đua, Tập thể lao động xuất sắc / tiên tiến) lists the collective's multiple.
- The table changes with the decrees: Decree 91/2017 (imported history), Decree 98/2023 from
  1 Jan 2024, Decree 152/2025 from 1 Jul 2025. A decision is priced by the table of its date.
- The base salary changes by decree too; later changes are adopted by the platform operator
  (`RuleBook.adopt_base_salary`), recorded as events, not written into code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .catalogue import award as catalogue_award
from .sources import DECREE_91, DECREE_98, DECREE_152, Basis, Source, law, src

ROUNDING_STEP = 10_000  # đồng: "làm tròn số lên hàng chục nghìn đồng"
_ROUNDING = src(DECREE_91, "Điều 68 khoản 2")


def prize_amount(multiple: Decimal, base_salary: int) -> int:
    """multiple × base salary, rounded up to the next 10,000 đồng, exactly (no float)."""
    if multiple < 0 or base_salary < 0:
        raise ValueError("multiple and base salary are never negative")
    numerator, denominator = multiple.as_integer_ratio()
    step = ROUNDING_STEP * denominator
    return -(-numerator * base_salary // step) * ROUNDING_STEP


def format_dong(amount: int) -> str:
    """2340000 -> "2.340.000" (as Vietnamese documents write amounts)."""
    return f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class PrizeRate:
    """One line of a decree's prize table. `authority` narrows a rate to one deciding
    authority (the commune chair's Giấy khen under Decree 91)."""

    award: str
    multiple: Decimal
    listed_for: str  # "individual": a collective gets twice it; "collective": collective-only
    basis: Basis
    authority: str | None = None

    def multiple_for(self, collective: bool) -> Decimal | None:
        if self.listed_for == "collective":
            return self.multiple if collective else None
        return self.multiple * 2 if collective else self.multiple


@dataclass(frozen=True)
class PrizeTable:
    version: str
    effective_from: date
    rates: tuple[PrizeRate, ...]

    def rate(self, award_code: str, authority: str | None = None) -> PrizeRate | None:
        """The rate of `award_code`; one narrowed to `authority` wins over the general one."""
        general = None
        for r in self.rates:
            if r.award != award_code:
                continue
            if r.authority is not None and r.authority == authority:
                return r
            if r.authority is None:
                general = r
        return general

    def multiple(self, award_code: str, collective: bool, authority: str | None = None) -> Decimal | None:
        """The multiple a recipient of that kind gets, or None when it cannot receive it."""
        entry = catalogue_award(award_code)
        if ("collective" if collective else "individual") not in entry.recipients:
            return None
        found = self.rate(award_code, authority)
        return found.multiple_for(collective) if found is not None else None


def _rates(basis_by_group: dict[str, Basis], rows: list[tuple[str, str, str, str]]) -> tuple[PrizeRate, ...]:
    return tuple(
        PrizeRate(code, Decimal(multiple), listed_for, basis_by_group[group])
        for code, multiple, listed_for, group in rows
    )


_TITLES_ROWS = [
    ("chien_si_thi_dua_toan_quoc", "4.5", "individual", "titles"),
    ("chien_si_thi_dua_cap_tinh", "3.0", "individual", "titles"),
    ("chien_si_thi_dua_co_so", "1.0", "individual", "titles"),
    ("lao_dong_tien_tien", "0.3", "individual", "titles"),
    ("tap_the_lao_dong_xuat_sac", "1.5", "collective", "titles"),
    ("tap_the_lao_dong_tien_tien", "0.8", "collective", "titles"),
    ("co_thi_dua_chinh_phu", "12.0", "collective", "titles"),
    ("co_thi_dua_ubnd_tinh", "8.0", "collective", "titles"),
]
_MEDAL_ROWS = [
    ("huan_chuong_lao_dong_hang_nhat", "9.0", "individual", "medal_1"),
    ("huan_chuong_lao_dong_hang_nhi", "7.5", "individual", "medal_2"),
    ("huan_chuong_lao_dong_hang_ba", "4.5", "individual", "medal_3"),
]

_D91_TITLES = law(
    src(DECREE_91, "Mục 2 Chương VII (mức tiền thưởng danh hiệu thi đua)"),
    _ROUNDING,
    note="Hệ số theo các bản trích dẫn công khai năm 2019–2023.",
)
DECREE_91_TABLE = PrizeTable(
    "nd-91-2017",
    date(1900, 1, 1),
    _rates({"titles": _D91_TITLES}, _TITLES_ROWS)
    + _rates(
        {
            "medal_1": law(src(DECREE_91, "Điều 70 khoản 1 điểm e"), src(DECREE_91, "Điều 70 khoản 2")),
            "medal_2": law(src(DECREE_91, "Điều 70 khoản 1 điểm g"), src(DECREE_91, "Điều 70 khoản 2")),
            "medal_3": law(src(DECREE_91, "Điều 70 khoản 1 điểm h"), src(DECREE_91, "Điều 70 khoản 2")),
        },
        _MEDAL_ROWS,
    )
    + (
        PrizeRate(
            "bang_khen_thu_tuong",
            Decimal("3.5"),
            "individual",
            law(src(DECREE_91, "Mục 2 Chương VII (mức tiền thưởng Bằng khen)")),
        ),
        PrizeRate(
            "bang_khen_chu_tich_ubnd_tinh",
            Decimal("1.0"),
            "individual",
            law(src(DECREE_91, "Mục 2 Chương VII (mức tiền thưởng Bằng khen)")),
        ),
        PrizeRate(
            "giay_khen",
            Decimal("0.3"),
            "individual",
            law(src(DECREE_91, "Điều 73 khoản 1"), src(DECREE_91, "Điều 73 khoản 2 điểm b")),
        ),
        PrizeRate(
            "giay_khen",
            Decimal("0.15"),
            "individual",
            law(src(DECREE_91, "Điều 73 khoản 1 điểm d"), src(DECREE_91, "Điều 73 khoản 2 điểm b")),
            authority="commune_chair",
        ),
    ),
)

_D98_FORMS = src(DECREE_98, "điều về mức tiền thưởng Bằng khen, Giấy khen (số điều chưa đối chiếu)")
DECREE_98_TABLE = PrizeTable(
    "nd-98-2023",
    date(2024, 1, 1),
    _rates({"titles": law(src(DECREE_98, "Điều 54"))}, _TITLES_ROWS)
    + _rates(
        {
            "medal_1": law(src(DECREE_98, "Điều 55 khoản 1 điểm e"), src(DECREE_98, "Điều 55 khoản 2")),
            "medal_2": law(src(DECREE_98, "Điều 55 khoản 1 điểm g"), src(DECREE_98, "Điều 55 khoản 2")),
            "medal_3": law(src(DECREE_98, "Điều 55 khoản 1 điểm h"), src(DECREE_98, "Điều 55 khoản 2")),
        },
        _MEDAL_ROWS,
    )
    + (
        PrizeRate(
            "bang_khen_thu_tuong",
            Decimal("3.5"),
            "individual",
            law(_D98_FORMS, note="3,5 lần như Nghị định 91 và Nghị định 152 (law.md)."),
        ),
        PrizeRate("bang_khen_chu_tich_ubnd_tinh", Decimal("1.0"), "individual", law(_D98_FORMS)),
        PrizeRate(
            "giay_khen",
            Decimal("0.3"),
            "individual",
            law(_D98_FORMS, note="Mọi cấp, kể cả Chủ tịch UBND cấp xã (law.md)."),
        ),
    ),
)

_D152_CHANGED = ("bang_khen_thu_tuong", "bang_khen_chu_tich_ubnd_tinh")
DECREE_152_TABLE = PrizeTable(
    "nd-152-2025",
    date(2025, 7, 1),
    (
        *(r for r in DECREE_98_TABLE.rates if r.award not in _D152_CHANGED),
        PrizeRate(
            "bang_khen_thu_tuong",
            Decimal("3.5"),
            "individual",
            law(src(DECREE_152, "Điều 54 khoản 1 điểm a")),
        ),
        PrizeRate(
            "bang_khen_chu_tich_ubnd_tinh",
            Decimal("1.5"),
            "individual",
            law(src(DECREE_152, "Điều 54 khoản 1 điểm b")),
        ),
    ),
)
PRIZE_TABLES: tuple[PrizeTable, ...] = (DECREE_91_TABLE, DECREE_98_TABLE, DECREE_152_TABLE)


def prize_table_on(on: date) -> PrizeTable:
    return [t for t in PRIZE_TABLES if t.effective_from <= on][-1]


@dataclass(frozen=True)
class BaseSalary:
    """Mức lương cơ sở from a date, with the decree that set it."""

    effective_from: date
    amount: int  # đồng per month
    source: Source
    adopted_by: str | None = None  # the platform operator who recorded a later change


BASE_SALARIES: tuple[BaseSalary, ...] = (
    BaseSalary(date(2019, 7, 1), 1_490_000, src("Nghị định 38/2019/NĐ-CP", "Điều 3")),
    BaseSalary(date(2023, 7, 1), 1_800_000, src("Nghị định 24/2023/NĐ-CP", "Điều 3")),
    BaseSalary(date(2024, 7, 1), 2_340_000, src("Nghị định 73/2024/NĐ-CP", "Điều 3")),
)


def base_salary_on(on: date, adopted: tuple[BaseSalary, ...] = ()) -> BaseSalary | None:
    """The base salary in force on `on` (national table plus the operator's adoptions), or None
    before the first one the ledger knows (1 Jul 2019): no amount is invented for such a date."""
    in_force = sorted(
        (s for s in BASE_SALARIES + adopted if s.effective_from <= on), key=lambda s: s.effective_from
    )
    return in_force[-1] if in_force else None
