"""Staff members (cán bộ, công chức, viên chức, người lao động) and their rating group.

Rating groups (nhóm xếp loại) gather staff with similar tasks so that excellent ratings do not
pile up on leaders. The year-end rating is derived here from the monthly scores services read
from the unit's rating sheets.
"""

from __future__ import annotations

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, MalformedCommand, ReasonRequired, RuleViolation
from .ids import aggregate_id
from .provenance import Provenance
from .rating_rules import MAX_SCORE, year_rating
from .rules import RuleSet

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
        province: str
        key: str
        name: str
        unit: str
        rating_group: str

    class RatingGroupChanged(LedgerAggregate.Event):
        rating_group: str

    class Transferred(LedgerAggregate.Event):
        unit: str
        rating_group: str

    class YearRatingDerived(LedgerAggregate.Event):
        year: int
        monthly_scores: dict[str, int]
        average: float
        band: str
        rule_version: str
        reason: str | None

    def __init__(self, province: str, key: str, name: str, unit: str, rating_group: str) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.unit = unit
        self.rating_group = rating_group
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
        )

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
    def _on_transferred(self, unit: str, rating_group: str) -> None:
        self.unit = unit
        self.rating_group = rating_group

    def derive_year_rating(
        self,
        year: int,
        monthly_scores: dict[str, int],
        rules: RuleSet,
        by: Provenance,
        reason: str | None = None,
    ) -> None:
        """Year-end rating from the months ("01".."12" -> score); re-deriving needs a reason."""
        require_year(year)
        if any(m not in {f"{i:02d}" for i in range(1, 13)} for m in monthly_scores):
            raise MalformedCommand("Tháng phải có dạng 01..12.", year=year)
        if any(not 0 <= s <= MAX_SCORE for s in monthly_scores.values()):
            raise MalformedCommand("Điểm phải từ 0 đến 100.", year=year)
        if str(year) in self.year_ratings and not (reason and reason.strip()):
            raise ReasonRequired(f"Xếp loại năm {year} đã có; sửa đổi phải nêu lý do.")
        derived = year_rating(monthly_scores.values(), rules)
        if derived is None:
            raise TooFewMonths(
                f"Chưa đủ {rules.year_rating_min_months} tháng được xếp loại trong năm {year}.",
                year=year,
                months=len(monthly_scores),
            )
        self._record(
            self.YearRatingDerived,
            by,
            year=year,
            monthly_scores=dict(sorted(monthly_scores.items())),
            average=derived[0],
            band=derived[1],
            rule_version=rules.version,
            reason=reason,
        )

    @event(YearRatingDerived)
    def _on_year_rating(self, year: int, average: float, band: str) -> None:
        self.year_ratings[str(year)] = {"average": average, "band": band}


class TooFewMonths(RuleViolation):
    code = "TOO_FEW_MONTHS_RATED"
