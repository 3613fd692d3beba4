"""What a proposal or decision needs to know about its recipient (đối tượng khen thưởng).

Services build `RecipientFacts` from the Unit or StaffMember, their DisciplinaryFile and their
AwardRecord; the domain judges. Hard blockers (dissolved, under discipline) refuse at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .discipline import DisciplinaryFile, DisciplineStatus, check_not_under_discipline
from .errors import UnitDissolved, vn_date
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

    @property
    def collective(self) -> bool:
        return self.kind == "unit"

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


def unit_facts(unit: Unit, discipline: DisciplinaryFile | None, record: AwardRecord | None) -> RecipientFacts:
    return RecipientFacts("unit", unit.key, unit.name, unit.dissolved_on, discipline, record)


def staff_facts(
    staff: StaffMember, discipline: DisciplinaryFile | None, record: AwardRecord | None
) -> RecipientFacts:
    """A person is never dissolved, even when their unit was."""
    return RecipientFacts("staff", staff.key, staff.name, None, discipline, record)
