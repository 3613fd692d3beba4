"""What a proposal or decision needs to know about its recipient (đối tượng khen thưởng).

Services build `RecipientFacts` from the Unit or StaffMember, their DisciplinaryFile and their
AwardRecord; the domain judges. Hard blockers (dissolved, under discipline) refuse at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .discipline import DisciplinaryFile, DisciplineStatus, check_not_under_discipline
from .errors import UnitDissolved, vn_date
from .members import MemberFigures
from .records import AwardRecord
from .staff import StaffMember
from .units import Unit


@dataclass(frozen=True)
class RecipientFacts:
    kind: str  # unit | staff
    key: str
    name: str
    dissolved_on: date | None
    discipline_file: DisciplinaryFile | None
    record: AwardRecord | None
    year_bands: Mapping[int, str] = field(default_factory=dict)  # a person's year-end ratings
    member_figures: Mapping[int, MemberFigures] = field(default_factory=dict)  # a unit's, derived

    @property
    def collective(self) -> bool:
        return self.kind == "unit"

    @property
    def recipient_kind(self) -> str:
        """individual | collective (the catalogue's words)."""
        return "collective" if self.collective else "individual"

    def check_can_receive(self, on: date) -> DisciplineStatus:
        """Refuse a dissolved body or someone under discipline on `on`; return the status."""
        if self.dissolved_on is not None and self.dissolved_on <= on:
            raise UnitDissolved(
                f"Đơn vị «{self.name}» đã giải thể từ {vn_date(self.dissolved_on)}; "
                "không thể đề nghị khen thưởng.",
                unit=self.key,
                dissolved_on=self.dissolved_on.isoformat(),
            )
        return check_not_under_discipline(self.discipline_file, self.name, on)


def unit_facts(
    unit: Unit,
    discipline: DisciplinaryFile | None,
    record: AwardRecord | None,
    member_figures: Mapping[int, MemberFigures] | None = None,
) -> RecipientFacts:
    return RecipientFacts(
        "unit", unit.key, unit.name, unit.dissolved_on, discipline, record, {}, dict(member_figures or {})
    )


def staff_facts(
    staff: StaffMember, discipline: DisciplinaryFile | None, record: AwardRecord | None
) -> RecipientFacts:
    """A person is never dissolved, even when their unit was."""
    bands = {int(year): str(rating["band"]) for year, rating in staff.year_ratings.items()}
    return RecipientFacts("staff", staff.key, staff.name, None, discipline, record, bands)
