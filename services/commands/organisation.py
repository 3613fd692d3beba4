"""Commands on the province's organisation: rule book, units, staff, discipline, the council."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua.domain.council import Council
from thidua.domain.discipline import DisciplinaryFile
from thidua.domain.provenance import Provenance
from thidua.domain.rulebook import RuleBook
from thidua.domain.staff import StaffMember
from thidua.domain.units import Unit
from thidua.services.commands.base import CommandsBase


class OrganisationCommands(CommandsBase):
    """Đơn vị, cán bộ, kỷ luật, Hội đồng, bộ quy tắc."""

    def adopt_rules(
        self,
        *,
        version: str,
        effective_from: date,
        legal_basis: str,
        overrides: dict[str, Any],
        by: Provenance,
    ) -> int:
        """The province adopts a stricter rule version from `effective_from`."""
        book: RuleBook = self._find("rulebook", self.province) or RuleBook.open(self.province, by)
        book.adopt(version, effective_from, legal_basis, overrides, by)
        return self._commit(book)

    def declare_public_holidays(
        self, *, year: int, days: list[date], legal_basis: str, reason: str | None, by: Provenance
    ) -> int:
        """The year's official days off, from the government's notice (skipped by working-day counts)."""
        book: RuleBook = self._find("rulebook", self.province) or RuleBook.open(self.province, by)
        book.declare_public_holidays(year, days, legal_basis, reason, by)
        return self._commit(book)

    def register_unit(self, *, key: str, name: str, by: Provenance) -> int:
        self._refuse_existing("unit", key)
        return self._commit(Unit.register(self.province, key, name, by))

    def rename_unit(self, *, key: str, name: str, by: Provenance) -> int:
        unit: Unit = self._get("unit", key)
        unit.rename(name, by)
        return self._commit(unit)

    def dissolve_unit(self, *, key: str, decision_ref: str, successor: str | None, by: Provenance) -> int:
        """Dissolved (giải thể) or merged into `successor` from `by.effective_on`."""
        unit: Unit = self._get("unit", key)
        if successor is not None:
            self._get("unit", successor)
        unit.dissolve(decision_ref, successor, by)
        return self._commit(unit)

    def register_staff(
        self,
        *,
        key: str,
        name: str,
        unit: str,
        rating_group: str,
        by: Provenance,
        staff_kind: str | None = None,
    ) -> int:
        """A staff member joins a unit; `staff_kind`: cong_chuc, vien_chuc or nguoi_lao_dong."""
        self._refuse_existing("staff", key)
        owner: Unit = self._get("unit", unit)
        owner.check_active(by.effective_on, "tiếp nhận cán bộ")
        return self._commit(
            StaffMember.register(
                province=self.province,
                key=key,
                name=name,
                unit=unit,
                rating_group=rating_group,
                by=by,
                staff_kind=staff_kind,
            )
        )

    def change_staff_kind(self, *, staff: str, staff_kind: str, reason: str, by: Provenance) -> int:
        """Công chức, viên chức or người lao động: changed or corrected, with a reason."""
        person: StaffMember = self._get("staff", staff)
        person.change_kind(staff_kind, reason, by)
        return self._commit(person)

    def adopt_base_salary(
        self, *, amount: int, effective_from: date, legal_basis: str, article: str, by: Provenance
    ) -> int:
        """The platform operator records a base salary decreed later (mức lương cơ sở)."""
        book: RuleBook = self._find("rulebook", self.province) or RuleBook.open(self.province, by)
        book.adopt_base_salary(amount, effective_from, legal_basis, article, by)
        return self._commit(book)

    def get_staff(self, key: str) -> dict[str, Any]:
        """A staff member as it stands now (read DTO): key, name, unit, rating group."""
        person: StaffMember = self._get("staff", key)
        return {"key": key, "name": person.name, "unit": person.unit, "rating_group": person.rating_group}

    def change_rating_group(self, *, staff: str, rating_group: str, by: Provenance) -> int:
        person: StaffMember = self._get("staff", staff)
        person.change_rating_group(rating_group, by)
        return self._commit(person)

    def transfer_staff(self, *, staff: str, unit: str, rating_group: str, by: Provenance) -> int:
        person: StaffMember = self._get("staff", staff)
        target: Unit = self._get("unit", unit)
        target.check_active(by.effective_on, "tiếp nhận cán bộ")
        person.transfer(unit, rating_group, by)
        return self._commit(person)

    def _discipline_file(self, subject_kind: str, subject_key: str, by: Provenance) -> DisciplinaryFile:
        self._get("unit" if subject_kind == "unit" else "staff", subject_key)
        found: DisciplinaryFile | None = self._find("discipline", f"{subject_kind}:{subject_key}")
        return found or DisciplinaryFile.open(self.province, subject_kind, subject_key, by)

    def open_disciplinary_case(
        self, *, subject_kind: str, subject_key: str, case: str, kind: str, reference: str, by: Provenance
    ) -> int:
        """Review, investigation, inspection or complaint verification begins: proposals wait."""
        file = self._discipline_file(subject_kind, subject_key, by)
        file.open_case(case, kind, reference, by)
        return self._commit(file)

    def close_disciplinary_case(
        self, *, subject_kind: str, subject_key: str, case: str, outcome: str, reference: str, by: Provenance
    ) -> int:
        file: DisciplinaryFile = self._get("discipline", f"{subject_kind}:{subject_key}")
        file.close_case(case, outcome, reference, by)
        return self._commit(file)

    def impose_discipline(
        self, *, subject_kind: str, subject_key: str, form: str, reference: str, until: date, by: Provenance
    ) -> int:
        file = self._discipline_file(subject_kind, subject_key, by)
        file.impose(form, reference, until, by)
        return self._commit(file)

    def constitute_council(self, *, decision_ref: str, by: Provenance) -> int:
        self._refuse_existing("council", self.province)
        return self._commit(Council.constitute(self.province, decision_ref, by))

    def appoint_council_member(self, *, member: str, name: str, role: str, by: Provenance) -> int:
        council: Council = self._get("council", self.province)
        council.appoint(member=member, name=name, role=role, by=by)
        return self._commit(council)

    def release_council_member(self, *, member: str, reason: str, by: Provenance) -> int:
        council: Council = self._get("council", self.province)
        council.release(member=member, reason=reason, by=by)
        return self._commit(council)
