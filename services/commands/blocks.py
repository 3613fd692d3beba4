"""Commands on blocks and their years: membership, officers, pledges, reviews, leading units,
movements and registrations."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua.domain.block_minutes import review_figures
from thidua.domain.block_year import BlockYear, BlockYearNotOpen, block_year_key
from thidua.domain.blocks import EmulationBlock
from thidua.domain.membership_periods import MembershipPeriod
from thidua.domain.movements import Movement
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord
from thidua.domain.registrations import RegistrationBook, registration_key
from thidua.domain.units import Unit
from thidua.services.commands.base import CommandsBase
from thidua.services.commands.errors import AlreadyExists


class BlockCommands(CommandsBase):
    """Khối, cụm thi đua; phong trào; đăng ký thi đua."""

    def create_block(
        self, *, key: str, name: str, kind: str, by: Provenance, decision: dict[str, str] | None = None
    ) -> int:
        """Form a block; `decision`: the decision forming it (thành lập), when the source names it."""
        self._refuse_existing("block", key)
        return self._commit(EmulationBlock.create(self.province, key, name, kind, by, decision=decision))

    def reform_block(self, *, key: str, decision: dict[str, str], name: str | None, by: Provenance) -> int:
        """Re-form a block by a decision (kiện toàn, thành lập lại), possibly under a new name."""
        block: EmulationBlock = self._get("block", key)
        block.reform(decision, name, by)
        return self._commit(block)

    def rename_block(self, *, key: str, name: str, by: Provenance) -> int:
        block: EmulationBlock = self._get("block", key)
        block.rename(name, by)
        return self._commit(block)

    def disband_block(self, *, key: str, decision_ref: str, by: Provenance) -> int:
        block: EmulationBlock = self._get("block", key)
        block.disband(decision_ref, by)
        return self._commit(block)

    def find_block_year(self, block: str, year: int) -> BlockYear | None:
        """A block's year as it stands (None when this province never opened it)."""
        found: BlockYear | None = self._find("block-year", block_year_key(block, year))
        return found

    def _block_year(self, block: str, year: int) -> BlockYear:
        found: BlockYear = self._get("block-year", block_year_key(block, year))
        return found

    def open_block_year(
        self,
        *,
        block: str,
        year: int,
        members: list[str],
        members_claimed: int | None,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> int:
        """Open a block's year; every member joins in the same save (one block per kind a year).
        `decision`: the decision fixing the year's members, when one did."""
        existing: BlockYear | None = self._find("block-year", block_year_key(block, year))
        if existing is not None:
            raise AlreadyExists(
                f"Năm {year} của khối «{block}» đã mở{_how_opened(existing)}.",
                kind="block-year",
                key=block_year_key(block, year),
            )
        standing: EmulationBlock = self._get("block", block)
        standing.check_active(by.effective_on)
        units: list[Unit] = [self._get("unit", key) for key in members]
        opened = BlockYear.open(
            province=self.province,
            block=block,
            kind=standing.kind,
            year=year,
            members=members,
            members_claimed=members_claimed,
            by=by,
            decision=decision,
        )
        for unit in units:
            unit.join_block(block, standing.kind, year, by)
        return self._commit(opened, *units)

    def add_block_member(
        self, *, block: str, year: int, unit: str, by: Provenance, decision: dict[str, str] | None = None
    ) -> int:
        """A unit joins the block's year; `decision` when a decision changed the members."""
        block_year = self._block_year(block, year)
        member: Unit = self._get("unit", unit)
        block_year.add_member(unit, by, decision)
        member.join_block(block, block_year.kind, year, by)
        return self._commit(block_year, member)

    def add_block_member_for_period(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        starts_on: date,
        ends_on: date,
        earlier: str | None,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> int:
        """A unit joins the block's year for a period inside it (`membership_periods`)."""
        block_year = self._block_year(block, year)
        member: Unit = self._get("unit", unit)
        period = MembershipPeriod(block, starts_on, ends_on)
        member.join_block_for_period(period, block_year.kind, year, by)
        block_year.add_member_for_period(unit, period, by, earlier=earlier, decision=decision)
        return self._commit(block_year, member)

    def end_block_member_period(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        ends_on: date,
        reason: str,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> int:
        """A member for a period leaves the block early: its period running on `ends_on` ends
        that day (`membership_periods`); the block-year and the unit record it in one save."""
        block_year = self._block_year(block, year)
        member: Unit = self._get("unit", unit)
        period = block_year.end_member_period(unit, ends_on, reason, by, decision)
        member.end_block_period(period, block_year.kind, year, ends_on, by)
        return self._commit(block_year, member)

    def remove_block_member(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        reason: str,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> int:
        block_year = self._block_year(block, year)
        member: Unit = self._get("unit", unit)
        block_year.remove_member(unit, reason, by, decision)
        member.leave_block(block, block_year.kind, year, by)
        return self._commit(block_year, member)

    def choose_officers(
        self,
        *,
        block: str,
        year: int,
        leader: str,
        deputy: str | None,
        method: str,
        ballot: str | None,
        chosen_in_year: int | None,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> int:
        """Khối trưởng and Khối phó serving in `year`, chosen by the members of `chosen_in_year`.

        When the election precedes the serving year's opening, that year opens in the same save
        with the electing year's members carried over (those dissolved by then left behind), as
        a board expects the block to go on with its units; membership changes afterwards go
        through addBlockMember / removeBlockMember. Each officer's award record notes the office,
        for the Government flag's prerequisite.
        """
        serving: BlockYear | None = self._find("block-year", block_year_key(block, year))
        joining: list[Unit] = []
        if serving is None:
            serving, joining = self._carry_over(block, year, chosen_in_year, by)
        electing = serving
        if chosen_in_year is not None and chosen_in_year != year:
            electing = self._block_year(block, chosen_in_year)
        electorate = electing.members or serving.members
        serving.choose_officers(
            leader=leader,
            deputy=deputy,
            method=method,
            ballot=ballot,
            electorate=electorate,
            chosen_in_year=chosen_in_year,
            rules=self.rules_on(by.effective_on),
            by=by,
            decision=decision,
        )
        records = [self._note(leader, year, "block_leader", block, by)]
        if deputy is not None:
            records.append(self._note(deputy, year, "block_deputy", block, by))
        return self._commit(serving, *joining, *records)

    def _carry_over(
        self, block: str, year: int, chosen_in_year: int | None, by: Provenance
    ) -> tuple[BlockYear, list[Unit]]:
        """The serving year, opened with the members of the electing year (and their joins)."""
        if chosen_in_year is None or chosen_in_year == year:
            raise BlockYearNotOpen(
                f"Năm {year} của khối «{block}» chưa mở: hãy mở năm đó với danh sách thành viên "
                "(openBlockYear) trước, hoặc nêu năm bầu (chosenInYear) để mang thành viên năm bầu sang.",
                block=block,
                year=year,
            )
        standing: EmulationBlock = self._get("block", block)
        standing.check_active(by.effective_on)
        electing = self._block_year(block, chosen_in_year)
        units: dict[str, Unit] = self._get_many("unit", electing.members) if electing.members else {}
        carried = [key for key in electing.members if not units[key].is_dissolved_on(by.effective_on)]
        left_behind = [key for key in electing.members if key not in carried]
        serving = BlockYear.open(
            province=self.province,
            block=block,
            kind=standing.kind,
            year=year,
            members=carried,
            members_claimed=None,
            by=by,
            carried_from=chosen_in_year,
            left_behind=left_behind,
        )
        for key in carried:
            units[key].join_block(block, standing.kind, year, by)
        return serving, [units[key] for key in carried]

    def _note(self, unit: str, year: int, fact: str, value: Any, by: Provenance) -> AwardRecord:
        record = self._award_record("unit", unit, by)
        if record.fact(year, fact) != value:
            record.note_fact(year=year, fact=fact, value=value, source=f"block-year:{value}/{year}", by=by)
        return record

    def sign_pledge(
        self,
        *,
        block: str,
        year: int,
        unit: str,
        targets: dict[str, str],
        movement: str | None,
        by: Provenance,
        targets_unrecorded: bool = False,
    ) -> int:
        block_year = self._block_year(block, year)
        if movement is not None:
            self._get("movement", movement)
        block_year.sign_pledge(unit, targets, movement, by, targets_unrecorded)
        return self._commit(block_year)

    def hold_review(
        self,
        *,
        block: str,
        year: int,
        kind: str,
        chaired_by: str | None,
        note: str | None,
        by: Provenance,
        held_on: date | None = None,
        completion_rate: str | None = None,
        counts: dict[str, int] | None = None,
    ) -> int:
        """Mid-year (sơ kết) or year-end (tổng kết) review conference, with its figures."""
        figures = review_figures(completion_rate, counts or {})
        block_year = self._block_year(block, year)
        block_year.hold_review(kind, chaired_by, note, by, held_on=held_on, figures=figures)
        return self._commit(block_year)

    def hold_block_meeting(
        self,
        *,
        block: str,
        year: int,
        kind: str,
        held_on: date,
        host: str | None,
        adopted: list[str],
        note: str | None,
        by: Provenance,
    ) -> int:
        """A block meeting other than a review (phát động, quy chế, tiêu chí, kế hoạch)."""
        block_year = self._block_year(block, year)
        block_year.hold_meeting(kind=kind, held_on=held_on, host=host, adopted=adopted, note=note, by=by)
        return self._commit(block_year)

    def choose_leading_units(
        self, *, block: str, year: int, units: list[str], method: str, ballot: str | None, by: Provenance
    ) -> int:
        """Units leading the block (suy tôn dẫn đầu); noted on their records for the provincial flag."""
        block_year = self._block_year(block, year)
        block_year.choose_leading_units(units, method, ballot, self.rules_on(by.effective_on), by)
        records = [self._note(unit, year, "leading_unit", block, by) for unit in units]
        return self._commit(block_year, *records)

    def launch_movement(
        self, *, key: str, name: str, kind: str, starts_on: date, ends_on: date | None, by: Provenance
    ) -> int:
        self._refuse_existing("movement", key)
        return self._commit(
            Movement.launch(
                province=self.province,
                key=key,
                name=name,
                kind=kind,
                starts_on=starts_on,
                ends_on=ends_on,
                by=by,
            )
        )

    def end_movement(self, *, key: str, summary: str, by: Provenance) -> int:
        movement: Movement = self._get("movement", key)
        movement.end(summary, by)
        return self._commit(movement)

    def _registration_book(
        self, registrant_kind: str, registrant: str, year: int, by: Provenance
    ) -> RegistrationBook:
        self._get("unit" if registrant_kind == "unit" else "staff", registrant)
        found: RegistrationBook | None = self._find(
            "registration", registration_key(registrant_kind, registrant, year)
        )
        return found or RegistrationBook.open(self.province, registrant_kind, registrant, year, by)

    def register_title(
        self,
        *,
        registrant_kind: str,
        registrant: str,
        year: int,
        award: str,
        movement: str | None,
        by: Provenance,
    ) -> int:
        """Đăng ký thi đua: a unit or person aims for a title this year."""
        book = self._registration_book(registrant_kind, registrant, year, by)
        book.register_title(award, movement, by)
        return self._commit(book)

    def register_exemplary(
        self,
        *,
        registrant_kind: str,
        registrant: str,
        year: int,
        theme: str,
        counts: dict[str, int],
        by: Provenance,
    ) -> int:
        """Đăng ký nêu gương: individuals, party cells and models committing to set an example."""
        book = self._registration_book(registrant_kind, registrant, year, by)
        book.register_exemplary(theme, counts, by)
        return self._commit(book)

    # Read DTO for callers that need a fact back without a projection ---------------------------

    def get_block_year(self, block: str, year: int) -> dict[str, Any]:
        y = self._block_year(block, year)
        return {
            "block": y.block,
            "year": y.year,
            "members": list(y.members),
            "members_claimed": y.members_claimed,
            "count_mismatch": y.count_mismatch,
            "carried_from": y.carried_from,
            "leader": y.leader,
            "deputy": y.deputy,
            "officers_method": y.officers_method,
            "reviews": sorted(y.reviews),
            "leading_units": list(y.leading_units),
        }


def _how_opened(year: BlockYear) -> str:
    """Why a year is already open, and what to do instead of opening it again."""
    if year.carried_from is not None:
        return (
            f" khi chọn Khối trưởng, Khối phó (mang {len(year.members)} đơn vị thành viên năm "
            f"{year.carried_from} sang); thay đổi thành viên bằng addBlockMember / removeBlockMember"
        )
    if not year.members:
        # Years opened empty by an officers' choice recorded before members were carried over.
        return " nhưng chưa có đơn vị thành viên; thêm từng đơn vị bằng addBlockMember"
    return "; thay đổi thành viên bằng addBlockMember / removeBlockMember"
