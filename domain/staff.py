"""Staff members (cán bộ, công chức, viên chức, người lao động), their kind and rating group.

Rating groups (nhóm xếp loại) gather staff with similar tasks so that excellent ratings do not
pile up on leaders. The kind (công chức, viên chức, người lao động) decides whether the HTXSNV cap
counts them. The year-end rating is derived here from the period scores services read from the
rating sheets of every unit the person belonged to that year (a transfer keeps the months rated
in the former unit), with the discipline decided in the year, and the cap applied to the
year-end classification of the unit's staff too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, MalformedCommand, ReasonRequired, RuleViolation
from .ids import aggregate_id
from .provenance import Provenance
from .rating_rules import EXCELLENT, MAX_SCORE, min_periods, year_rating
from .ratings import check_cap
from .rules import STAFF_KINDS, RuleSet

STAFF_KIND_NAMES: dict[str, str] = {
    "cong_chuc": "Công chức",
    "vien_chuc": "Viên chức",
    "nguoi_lao_dong": "Người lao động",
}
PERIODS = frozenset({f"{i:02d}" for i in range(1, 13)} | {f"Q{i}" for i in range(1, 5)})


def check_staff_kind(kind: str) -> str:
    if kind not in STAFF_KINDS:
        raise MalformedCommand(
            f"Loại cán bộ «{kind}» không hợp lệ; chọn: {', '.join(STAFF_KINDS)}.", field="kind", kind=kind
        )
    return kind


RATING_GROUPS: dict[str, str] = {
    "unit_leadership": "Lãnh đạo đơn vị",
    "heads_of_department": "Lãnh đạo phòng, ban",
    "specialists": "Công chức, viên chức chuyên môn",
}


def check_rating_group(group: str) -> str:
    if group not in RATING_GROUPS:
        raise MalformedCommand(f"Nhóm xếp loại «{group}» không hợp lệ.", group=group)
    return group


class StaffMember(LedgerAggregate):
    """A person on a unit's staff."""

    class Registered(LedgerAggregate.Created):
        class_version = 2  # v1 recorded no kind: such staff stay of unknown kind (counted by the cap)
        province: str
        key: str
        name: str
        unit: str
        rating_group: str
        staff_kind: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["staff_kind"] = None

    class RatingGroupChanged(LedgerAggregate.Event):
        rating_group: str

    class KindChanged(LedgerAggregate.Event):
        """Công chức, viên chức or người lao động, corrected or changed, with a reason."""

        staff_kind: str
        reason: str

    class Transferred(LedgerAggregate.Event):
        unit: str
        rating_group: str

    class YearRatingDerived(LedgerAggregate.Event):
        class_version = 2  # v1 did not look at discipline
        year: int
        monthly_scores: dict[str, int]
        average: float
        band: str
        rule_version: str
        reason: str | None
        discipline: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["discipline"] = []

    def __init__(
        self,
        province: str,
        key: str,
        name: str,
        unit: str,
        rating_group: str,
        *,
        staff_kind: str | None = None,
    ) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.unit = unit
        self.rating_group = rating_group
        self.staff_kind = staff_kind
        # (from date ISO, unit): every unit the person belonged to, in order. Registration is when
        # the ledger learned of the person, not when they joined: the first unit counts from the
        # start (sheets of earlier years imported later still belong to it).
        self.units: list[tuple[str, str]] = [(date(1900, 1, 1).isoformat(), unit)]
        self.year_ratings: dict[str, dict[str, object]] = {}

    @classmethod
    def register(
        cls,
        *,
        province: str,
        key: str,
        name: str,
        unit: str,
        rating_group: str,
        by: Provenance,
        staff_kind: str | None = None,
    ) -> StaffMember:
        key = require_text(key, "key")
        return cls._start(
            cls.Registered,
            by,
            id=aggregate_id(province, "staff", key),
            province=province,
            key=key,
            name=require_text(name, "name"),
            unit=require_text(unit, "unit"),
            rating_group=check_rating_group(rating_group),
            staff_kind=None if staff_kind is None else check_staff_kind(staff_kind),
        )

    def change_kind(self, staff_kind: str, reason: str, by: Provenance) -> None:
        if check_staff_kind(staff_kind) == self.staff_kind:
            raise AlreadyRecorded(
                f"«{self.name}» đã là {STAFF_KIND_NAMES[staff_kind].lower()}.", kind=staff_kind
            )
        self._record(self.KindChanged, by, staff_kind=staff_kind, reason=require_text(reason, "reason"))

    @event(KindChanged)
    def _on_kind_changed(self, staff_kind: str) -> None:
        self.staff_kind = staff_kind

    def change_rating_group(self, rating_group: str, by: Provenance) -> None:
        if check_rating_group(rating_group) == self.rating_group:
            raise AlreadyRecorded(f"«{self.name}» đã thuộc nhóm này.", group=rating_group)
        self._record(self.RatingGroupChanged, by, rating_group=rating_group)

    @event(RatingGroupChanged)
    def _on_group_changed(self, rating_group: str) -> None:
        self.rating_group = rating_group

    def transfer(self, unit: str, rating_group: str, by: Provenance) -> None:
        if require_text(unit, "unit") == self.unit:
            raise AlreadyRecorded(f"«{self.name}» đã thuộc đơn vị này.", unit=unit)
        self._record(self.Transferred, by, unit=unit, rating_group=check_rating_group(rating_group))

    @event(Transferred)
    def _on_transferred(self, unit: str, rating_group: str, effective_on: date) -> None:
        self.unit = unit
        self.rating_group = rating_group
        self.units.append((effective_on.isoformat(), unit))

    def units_in(self, year: int) -> list[str]:
        """Every unit the person belonged to during `year`, in order (each once)."""
        start, end = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        held = []
        for i, (since, unit) in enumerate(self.units):
            until = self.units[i + 1][0] if i + 1 < len(self.units) else "9999-12-31"
            if since <= end and until > start and unit not in held:
                held.append(unit)
        return held

    def derive_year_rating(
        self,
        year: int,
        monthly_scores: dict[str, int],
        rules: RuleSet,
        by: Provenance,
        reason: str | None = None,
        *,
        discipline: list[str] | None = None,
        peers: list[dict[str, Any]] | None = None,
    ) -> None:
        """Year-end rating from the periods ("01".."12" or "Q1".."Q4" -> score); re-deriving
        needs a reason. `discipline`: the forms decided in the year; `peers`: the year-end
        ratings already derived for the unit's other staff ({staff, group, kind, band}), against
        which the HTXSNV cap is checked."""
        require_year(year)
        if any(m not in PERIODS for m in monthly_scores):
            raise MalformedCommand("Kỳ đánh giá phải có dạng 01..12 hoặc Q1..Q4.", year=year)
        quarterly = any(m.startswith("Q") for m in monthly_scores)
        if quarterly and any(not m.startswith("Q") for m in monthly_scores):
            raise MalformedCommand("Không trộn tháng và quý trong một năm.", year=year)
        if any(not 0 <= s <= MAX_SCORE for s in monthly_scores.values()):
            raise MalformedCommand("Điểm phải từ 0 đến 100.", year=year)
        if str(year) in self.year_ratings and not (reason and reason.strip()):
            raise ReasonRequired(f"Xếp loại năm {year} đã có; sửa đổi phải nêu lý do.")
        forms = list(discipline or [])
        derived = year_rating(monthly_scores.values(), rules, quarterly=quarterly, discipline=forms)
        if derived is None:
            needed = min_periods(rules, quarterly)
            raise TooFewMonths(
                f"Chưa đủ {needed} {'quý' if quarterly else 'tháng'} được xếp loại trong năm {year}.",
                year=year,
                months=len(monthly_scores),
            )
        if derived[1] == EXCELLENT and peers is not None:
            me = {"staff": self.key, "group": self.rating_group, "kind": self.staff_kind, "band": EXCELLENT}
            check_cap([p for p in peers if p["staff"] != self.key] + [me], rules)
        self._record(
            self.YearRatingDerived,
            by,
            year=year,
            monthly_scores=dict(sorted(monthly_scores.items())),
            average=derived[0],
            band=derived[1],
            rule_version=rules.version,
            reason=reason,
            discipline=forms,
        )

    @event(YearRatingDerived)
    def _on_year_rating(self, year: int, average: float, band: str) -> None:
        self.year_ratings[str(year)] = {"average": average, "band": band}


class TooFewMonths(RuleViolation):
    code = "TOO_FEW_MONTHS_RATED"
