"""A province's rule book (bộ quy tắc của tỉnh): stricter versions layered on national defaults.

A province adopts a version with an effective date (`RuleSetAdopted`); the rules in force on a
date are the national defaults in force then, the province rule set built into the ledger (if
any, e.g. Nghệ An's draft scoring bands), and the province's latest adoption in force then.
Directional values keep whichever of national and provincial is stricter, so a province can never
fall below the law even when the law tightens after its adoption; a looser value is refused with
a Vietnamese message and nothing is recorded. Values no legal text was found for are province
settings (`"any"`): a province may set them either way.

The base salary (mức lương cơ sở) after the last one the ledger ships with is adopted by the
platform operator with its decree (`BaseSalaryAdopted`), recorded in every province's rule book.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Literal

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, MalformedCommand, ReasonRequired, RuleViolation, vn_date
from .ids import aggregate_id
from .prizes import BASE_SALARIES, BaseSalary, format_dong
from .provenance import Provenance
from .rule_values import PROVINCE_RULE_SETS
from .rules import RuleSet, UnitBand, national_rules_in_force
from .sources import src

Direction = Literal["higher", "lower", "any"]

# Which values a province may set, and which way is stricter ("any": a province setting).
OVERRIDABLE: dict[str, Direction] = {
    "rating_excellent_min": "higher",
    "rating_good_min": "higher",
    "rating_completed_min": "higher",
    "excellent_cap": "lower",
    "rating_period": "any",
    "year_rating_min_months": "any",
    "year_rating_failed_month_caps": "any",
    "unit_bands": "any",
    "ballot_quorum": "any",  # no text found (practice: 2/3 present)
    "ballot_threshold_default": "any",  # no general text found
    "ballot_threshold_denominator": "any",
    "council_ballot_for_every_provincial_award": "higher",
    "tie_rule": "any",
    "lineage_policy": "any",  # whose years a successor continues: no text settles it
    "disclosure_working_days": "higher",
    "dossier_assign_working_days": "any",
    "dossier_appraise_working_days": "any",
    "dossier_correction_working_days": "any",
    "grassroots_years_for_provincial_fighter": "higher",
    "provincial_years_for_national_fighter": "higher",
    "excellent_collective_advanced_share": "higher",
    "excellent_collective_min_grassroots_fighters": "higher",
    "advanced_collective_advanced_share": "higher",
}
_CHOICES: dict[str, tuple[Any, ...]] = {
    "rating_period": ("month", "quarter"),
    "tie_rule": ("total_score_then_new_round", "new_round"),
    "ballot_threshold_denominator": ("all", "present"),
    "lineage_policy": ("one_to_one", "all_predecessors"),
}


def _bands(raw: Any) -> tuple[UnitBand, ...]:
    """Unit bands from JSON: [{name, min_total, criterion_floor: [num, den]}, ...], top first."""
    if not isinstance(raw, list | tuple) or not raw:
        raise MalformedCommand("«unit_bands» phải là danh sách các bậc xếp loại.", rule="unit_bands")
    bands = []
    for item in raw:
        if isinstance(item, UnitBand):
            bands.append(item)
            continue
        try:
            num, den = item["criterion_floor"]
            band = UnitBand(str(item["name"]), int(item["min_total"]), (int(num), int(den)))
        except (KeyError, TypeError, ValueError):
            raise MalformedCommand(
                "Mỗi bậc cần name, min_total, criterion_floor [tử số, mẫu số].", rule="unit_bands"
            ) from None
        if band.name not in ("excellent", "good", "completed") or band.criterion_floor[1] <= 0:
            raise MalformedCommand(f"Bậc xếp loại «{band.name}» không hợp lệ.", rule="unit_bands")
        bands.append(band)
    return tuple(bands)


def _value(name: str, raw: Any) -> Any:
    """Ratios arrive as lists after a JSON round trip; the rule set holds tuples."""
    if name == "unit_bands":
        return _bands(raw)
    return tuple(raw) if isinstance(raw, list) else raw


def _stored(value: Any) -> Any:
    """A value as JSON data for the event (tuples as lists, bands as objects)."""
    if isinstance(value, UnitBand):
        return {
            "name": value.name,
            "min_total": value.min_total,
            "criterion_floor": list(value.criterion_floor),
        }
    if isinstance(value, tuple):
        return [_stored(v) for v in value]
    return value


def _key(value: Any) -> float:
    if isinstance(value, tuple):
        return float(value[0]) / float(value[1])
    return float(value)


def _stricter(direction: Direction, national: Any, provincial: Any) -> Any:
    if direction == "any":
        return provincial
    pick_higher = direction == "higher"
    higher = provincial if _key(provincial) >= _key(national) else national
    lower = national if higher is provincial else provincial
    return higher if pick_higher else lower


def apply_overrides(
    base: RuleSet, version: str, overrides: dict[str, Any], legal_basis: str = "", verified: bool = True
) -> RuleSet:
    """`base` with the province's values, keeping the stricter side of each."""
    changes = {
        name: _stricter(OVERRIDABLE[name], getattr(base, name), _value(name, raw))
        for name, raw in overrides.items()
    }
    own = tuple(s for s in base.province_sources if s[0] not in changes)
    own += tuple((name, legal_basis, verified) for name in changes)
    return replace(base, version=f"{base.version}+{version}", province_sources=own, **changes)


def check_overrides(overrides: dict[str, Any], national: RuleSet) -> None:
    """Refuse unknown names, wrong shapes, and anything looser than national law."""
    for name, raw in overrides.items():
        if name not in OVERRIDABLE:
            raise UnknownRule(f"Không có quy tắc «{name}» mà tỉnh được phép quy định.", rule=name)
        value, current = _value(name, raw), getattr(national, name)
        if name != "unit_bands" and (
            type(value) is not type(current)
            or (isinstance(value, tuple) and (len(value) != 2 or value[1] <= 0))
            or (name in _CHOICES and value not in _CHOICES[name])
        ):
            raise MalformedCommand(f"Giá trị của «{name}» không đúng dạng.", rule=name)
        if _stricter(OVERRIDABLE[name], current, value) != value:
            raise RuleLooserThanNational(
                f"Quy tắc «{name}» = {_stored(value)} lỏng hơn quy định của Nhà nước ({_stored(current)}); "
                "tỉnh chỉ được quy định chặt hơn.",
                rule=name,
            )


class RuleBook(LedgerAggregate):
    """The province's adopted rule versions (one aggregate per province)."""

    class Opened(LedgerAggregate.Created):
        province: str

    class RuleSetAdopted(LedgerAggregate.Event):
        version: str
        effective_from: date
        legal_basis: str
        overrides: dict[str, Any]

    class PublicHolidaysDeclared(LedgerAggregate.Event):
        year: int
        days: list[date]
        legal_basis: str
        reason: str | None

    class BaseSalaryAdopted(LedgerAggregate.Event):
        """The platform operator records a new base salary (mức lương cơ sở) with its decree."""

        amount: int
        effective_from: date
        legal_basis: str
        article: str

    def __init__(self, province: str) -> None:
        self.province = province
        self.adoptions: list[dict[str, Any]] = []
        self.public_holidays: dict[int, list[date]] = {}
        self.base_salaries: list[dict[str, Any]] = []

    @classmethod
    def open(cls, province: str, by: Provenance) -> RuleBook:
        return cls._start(cls.Opened, by, id=aggregate_id(province, "rulebook", province), province=province)

    def adopt(
        self,
        version: str,
        effective_from: date,
        legal_basis: str,
        overrides: dict[str, Any],
        by: Provenance,
    ) -> None:
        """Adopt a stricter version from `effective_from` (never before the decision's date)."""
        version = require_text(version, "version")
        if any(a["version"] == version for a in self.adoptions):
            raise AlreadyRecorded(f"Phiên bản quy tắc «{version}» đã được ban hành.")
        if effective_from < by.effective_on:
            raise RuleRetroactive(
                f"Quy tắc không được áp dụng hồi tố trước ngày {vn_date(by.effective_on)}.",
                effective_from=effective_from.isoformat(),
            )
        check_overrides(overrides, self._beneath_adoptions(effective_from))
        self._record(
            self.RuleSetAdopted,
            by,
            version=version,
            effective_from=effective_from,
            legal_basis=require_text(legal_basis, "legal_basis"),
            overrides={k: _stored(_value(k, v)) for k, v in overrides.items()},
        )

    @event(RuleSetAdopted)
    def _on_adopted(
        self, version: str, effective_from: date, legal_basis: str, overrides: dict[str, Any]
    ) -> None:
        self.adoptions.append(
            {
                "version": version,
                "effective_from": effective_from,
                "legal_basis": legal_basis,
                "overrides": overrides,
            }
        )
        self.adoptions.sort(key=lambda a: a["effective_from"])

    def declare_public_holidays(
        self, year: int, days: list[date], legal_basis: str, reason: str | None, by: Provenance
    ) -> None:
        """Record the official days off of `year` (nghỉ lễ, Tết, compensatory days) that are not
        weekends. Tết and the Hùng Kings' day follow the lunar calendar and the compensatory days
        are fixed each year by a government notice, so they are recorded from that notice rather
        than computed. A later declaration for the same year replaces the list and must say why.
        """
        year = require_year(year)
        chosen = sorted(set(days))
        if not chosen:
            raise MalformedCommand("Phải nêu ít nhất một ngày nghỉ lễ.", field="days")
        outside = [d for d in chosen if d.year != year]
        if outside:
            raise HolidayOutsideYear(
                f"Ngày {vn_date(outside[0])} không thuộc năm {year}.", day=outside[0].isoformat()
            )
        if year in self.public_holidays:
            if self.public_holidays[year] == chosen:
                raise AlreadyRecorded(f"Ngày nghỉ lễ năm {year} đã được ghi nhận như vậy.")
            if reason is None or not reason.strip():
                raise ReasonRequired(f"Ngày nghỉ lễ năm {year} đã có; sửa đổi phải nêu lý do.", year=year)
        self._record(
            self.PublicHolidaysDeclared,
            by,
            year=year,
            days=chosen,
            legal_basis=require_text(legal_basis, "legal_basis"),
            reason=reason.strip() if reason and reason.strip() else None,
        )

    @event(PublicHolidaysDeclared)
    def _on_holidays(self, year: int, days: list[date], legal_basis: str, reason: str | None) -> None:
        self.public_holidays[year] = list(days)

    def holidays(self) -> frozenset[date]:
        """Every declared day off, all years (what a working-day count skips)."""
        return frozenset(d for days in self.public_holidays.values() for d in days)

    def adopt_base_salary(
        self, amount: int, effective_from: date, legal_basis: str, article: str, by: Provenance
    ) -> None:
        """Record a base salary decreed after the ledger's own table (platform operator only);
        a date already priced by another amount is refused, the same one again is a no-op error."""
        if not 0 < amount < 10**10:
            raise MalformedCommand("Mức lương cơ sở phải là số đồng dương.", field="amount")
        known = {s.effective_from: s.amount for s in BASE_SALARIES + self.adopted_salaries()}
        if effective_from in known:
            if known[effective_from] == amount:
                raise AlreadyRecorded(f"Mức lương cơ sở từ {vn_date(effective_from)} đã được ghi nhận.")
            raise BaseSalaryConflict(
                f"Từ {vn_date(effective_from)} đã có mức lương cơ sở {format_dong(known[effective_from])} "
                "đồng; không thể ghi một mức khác cho cùng ngày.",
                effective_from=effective_from.isoformat(),
            )
        self._record(
            self.BaseSalaryAdopted,
            by,
            amount=amount,
            effective_from=effective_from,
            legal_basis=require_text(legal_basis, "legal_basis"),
            article=article.strip(),
        )

    @event(BaseSalaryAdopted)
    def _on_base_salary(
        self, amount: int, effective_from: date, legal_basis: str, article: str, actor_user: str
    ) -> None:
        self.base_salaries.append(
            {
                "amount": amount,
                "effective_from": effective_from,
                "legal_basis": legal_basis,
                "article": article,
                "by": actor_user,
            }
        )

    def adopted_salaries(self) -> tuple[BaseSalary, ...]:
        return tuple(
            BaseSalary(s["effective_from"], s["amount"], src(s["legal_basis"], s["article"]), s["by"])
            for s in self.base_salaries
        )

    def _beneath_adoptions(self, on: date) -> RuleSet:
        """National rules on `on` with the province rule set built into the ledger."""
        return with_province_rule_set(national_rules_in_force(on, self.adopted_salaries()), self.province)

    def rules_in_force(self, on: date) -> RuleSet:
        """National defaults in force on `on`, the province's built-in rule set, and the
        province's latest adoption by then."""
        base = self._beneath_adoptions(on)
        in_force = [a for a in self.adoptions if a["effective_from"] <= on]
        if not in_force:
            return base
        latest = in_force[-1]
        return apply_overrides(base, latest["version"], latest["overrides"], latest["legal_basis"])


def with_province_rule_set(rules: RuleSet, province: str) -> RuleSet:
    """`rules` with the province rule set the ledger ships for `province`, flagged as the
    province's own and unverified (e.g. Nghệ An's draft unit scoring bands)."""
    own = PROVINCE_RULE_SETS.get(province)
    if own is None:
        return rules
    basis = "; ".join(s.cite() for s in own.basis.sources)
    return apply_overrides(rules, own.version, dict(own.overrides), basis, own.basis.verified)


def rules_in_force(book: RuleBook | None, on: date, province: str | None = None) -> RuleSet:
    """Rules for a province that may not have opened a rule book yet."""
    if book is not None:
        return book.rules_in_force(on)
    national = national_rules_in_force(on)
    return with_province_rule_set(national, province) if province else national


class UnknownRule(MalformedCommand):
    code = "UNKNOWN_RULE"


class RuleLooserThanNational(RuleViolation):
    code = "RULE_LOOSER_THAN_NATIONAL"


class RuleRetroactive(RuleViolation):
    code = "RULE_RETROACTIVE"


class HolidayOutsideYear(MalformedCommand):
    code = "HOLIDAY_OUTSIDE_YEAR"


class BaseSalaryConflict(RuleViolation):
    code = "BASE_SALARY_CONFLICT"
