"""A province's rule book (bộ quy tắc của tỉnh): stricter versions layered on national defaults.

A province adopts a version with an effective date (`RuleSetAdopted`); the rules in force on a
date are the national defaults in force then, overridden by the province's latest adoption in
force then. Directional values keep whichever of national and provincial is stricter, so a
province can never fall below the law even when the law tightens after its adoption.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Literal

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, MalformedCommand, ReasonRequired, RuleViolation, vn_date
from .ids import aggregate_id
from .provenance import Provenance
from .rules import RuleSet, national_rules_in_force

Direction = Literal["higher", "lower", "any"]

# Which values a province may set, and which way is stricter.
OVERRIDABLE: dict[str, Direction] = {
    "rating_excellent_min": "higher",
    "rating_good_min": "higher",
    "rating_completed_min": "higher",
    "excellent_cap": "lower",
    "year_rating_min_months": "higher",
    "ballot_quorum": "higher",
    "ballot_threshold_default": "higher",
    "tie_rule": "any",
    "disclosure_working_days": "higher",
    "grassroots_years_for_provincial_fighter": "higher",
    "provincial_years_for_national_fighter": "higher",
    "excellent_collective_advanced_share": "higher",
    "excellent_collective_min_grassroots_fighters": "higher",
}


def _value(raw: Any) -> Any:
    """Ratios arrive as lists after a JSON round trip; the rule set holds tuples."""
    return tuple(raw) if isinstance(raw, list) else raw


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


def apply_overrides(base: RuleSet, version: str, overrides: dict[str, Any]) -> RuleSet:
    """`base` with the province's values, keeping the stricter side of each."""
    changes = {
        name: _stricter(OVERRIDABLE[name], getattr(base, name), _value(raw))
        for name, raw in overrides.items()
    }
    return replace(base, version=f"{base.version}+{version}", **changes)


def check_overrides(overrides: dict[str, Any], national: RuleSet) -> None:
    """Refuse unknown names, wrong shapes, and anything looser than national law."""
    for name, raw in overrides.items():
        if name not in OVERRIDABLE:
            raise UnknownRule(f"Không có quy tắc «{name}» mà tỉnh được phép quy định.", rule=name)
        value, current = _value(raw), getattr(national, name)
        if type(value) is not type(current) or (
            isinstance(value, tuple) and (len(value) != 2 or value[1] <= 0)
        ):
            raise MalformedCommand(f"Giá trị của «{name}» không đúng dạng.", rule=name)
        if _stricter(OVERRIDABLE[name], current, value) != value:
            raise RuleLooserThanNational(
                f"Quy tắc «{name}» = {value} lỏng hơn quy định của Nhà nước ({current}).",
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

    def __init__(self, province: str) -> None:
        self.province = province
        self.adoptions: list[dict[str, Any]] = []
        self.public_holidays: dict[int, list[date]] = {}

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
        check_overrides(overrides, national_rules_in_force(effective_from))
        self._record(
            self.RuleSetAdopted,
            by,
            version=version,
            effective_from=effective_from,
            legal_basis=require_text(legal_basis, "legal_basis"),
            overrides={k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()},
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

    def rules_in_force(self, on: date) -> RuleSet:
        """National defaults in force on `on`, with the province's latest adoption by then."""
        base = national_rules_in_force(on)
        in_force = [a for a in self.adoptions if a["effective_from"] <= on]
        if not in_force:
            return base
        latest = in_force[-1]
        return apply_overrides(base, latest["version"], latest["overrides"])


def rules_in_force(book: RuleBook | None, on: date) -> RuleSet:
    """Rules for a province that may not have opened a rule book yet."""
    return book.rules_in_force(on) if book is not None else national_rules_in_force(on)


class UnknownRule(MalformedCommand):
    code = "UNKNOWN_RULE"


class RuleLooserThanNational(RuleViolation):
    code = "RULE_LOOSER_THAN_NATIONAL"


class RuleRetroactive(RuleViolation):
    code = "RULE_RETROACTIVE"


class HolidayOutsideYear(MalformedCommand):
    code = "HOLIDAY_OUTSIDE_YEAR"
