"""A block's year (khối thi đua trong một năm): members, officers, pledges, reviews.

Real minutes are untidy: a block "has 10 units" and lists 11. `members_claimed` records what the
minutes claim, `members` what they name, and `count_mismatch` flags the difference; nothing is
refused or silently fixed. Officers (Khối trưởng, Khối phó) are chosen for this year, usually
at the previous year-end conference, by a vote or by acclamation, and both are recorded.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, Conflict, MalformedCommand, NotAMember, RuleViolation
from .ids import aggregate_id
from .provenance import Provenance
from .rules import RuleSet

CHOICE_METHODS = ("vote", "acclamation", "unrecorded")  # unrecorded: the source does not say
REVIEW_KINDS = {"mid_year": "sơ kết", "year_end": "tổng kết"}


def block_year_key(block: str, year: int) -> str:
    return f"{block}/{year}"


def check_acclamation(method: str, purpose: str, rules: RuleSet) -> None:
    if method not in CHOICE_METHODS:
        raise MalformedCommand(f"Cách bầu «{method}» không hợp lệ.", method=method)
    if method == "acclamation" and purpose not in rules.acclamation_allowed_for:
        raise AcclamationNotAllowed(f"Không được suy tôn cho «{purpose}»: phải bỏ phiếu.", purpose=purpose)


class BlockYear(LedgerAggregate):
    """Id from f"{block}/{year}"."""

    class Opened(LedgerAggregate.Created):
        province: str
        block: str
        kind: str
        year: int
        members: list[str]
        members_claimed: int | None
        count_mismatch: bool

    class MemberAdded(LedgerAggregate.Event):
        unit: str

    class MemberRemoved(LedgerAggregate.Event):
        unit: str
        reason: str

    class OfficersChosen(LedgerAggregate.Event):
        leader: str
        deputy: str | None
        method: str
        ballot: str | None
        chosen_in_year: int | None

    class PledgeSigned(LedgerAggregate.Event):
        unit: str
        targets: dict[str, str]
        movement: str | None

    class ReviewHeld(LedgerAggregate.Event):
        kind: str
        chaired_by: str | None
        note: str | None

    class LeadingUnitsChosen(LedgerAggregate.Event):
        units: list[str]
        method: str
        ballot: str | None

    def __init__(
        self,
        *,
        province: str,
        block: str,
        kind: str,
        year: int,
        members: list[str],
        members_claimed: int | None,
        count_mismatch: bool,
    ) -> None:
        self.province = province
        self.block = block
        self.kind = kind
        self.year = year
        self.members = list(members)
        self.members_claimed = members_claimed
        self.count_mismatch = count_mismatch
        self.leader: str | None = None
        self.deputy: str | None = None
        self.officers_method: str | None = None
        self.pledges: dict[str, dict[str, Any]] = {}
        self.reviews: dict[str, dict[str, Any]] = {}
        self.leading_units: list[str] = []

    @classmethod
    def open(
        cls,
        *,
        province: str,
        block: str,
        kind: str,
        year: int,
        members: list[str],
        members_claimed: int | None,
        by: Provenance,
    ) -> BlockYear:
        """Open the year; services make each member `Unit.join_block` in the same save."""
        require_year(year)
        if len(set(members)) != len(members):
            raise MalformedCommand("Danh sách thành viên có đơn vị trùng lặp.", block=block)
        if members_claimed is not None and members_claimed < 0:
            raise MalformedCommand("Số thành viên không thể âm.", block=block)
        return cls._start(
            cls.Opened,
            by,
            id=aggregate_id(province, "block-year", block_year_key(block, year)),
            province=province,
            block=require_text(block, "block"),
            kind=kind,
            year=year,
            members=list(members),
            members_claimed=members_claimed,
            count_mismatch=members_claimed is not None and members_claimed != len(members),
        )

    def check_member(self, unit: str) -> None:
        if unit not in self.members:
            raise NotAMember(
                f"«{unit}» không phải thành viên khối «{self.block}» năm {self.year}.",
                unit=unit,
                block=self.block,
                year=self.year,
            )

    def add_member(self, unit: str, by: Provenance) -> None:
        if unit in self.members:
            raise AlreadyRecorded(f"«{unit}» đã là thành viên.", unit=unit)
        self._record(self.MemberAdded, by, unit=require_text(unit, "unit"))

    @event(MemberAdded)
    def _on_member_added(self, unit: str) -> None:
        self.members.append(unit)
        self.count_mismatch = self.members_claimed is not None and self.members_claimed != len(self.members)

    def remove_member(self, unit: str, reason: str, by: Provenance) -> None:
        self.check_member(unit)
        if unit in (self.leader, self.deputy):
            raise OfficerCannotLeave(f"«{unit}» đang là Khối trưởng/Khối phó.", unit=unit)
        self._record(self.MemberRemoved, by, unit=unit, reason=require_text(reason, "reason"))

    @event(MemberRemoved)
    def _on_member_removed(self, unit: str) -> None:
        self.members.remove(unit)
        self.count_mismatch = self.members_claimed is not None and self.members_claimed != len(self.members)

    def choose_officers(
        self,
        *,
        leader: str,
        deputy: str | None,
        method: str,
        ballot: str | None,
        electorate: list[str],
        chosen_in_year: int | None,
        rules: RuleSet,
        by: Provenance,
    ) -> None:
        """Leader and deputy for this year, chosen by the members of `chosen_in_year`.

        `electorate` is that year's member list (services read it from the electing
        block-year); candidates must belong to it, and to this year's list once it is known.
        `chosen_in_year` is None when the source names the officers but not when they were chosen.
        """
        check_acclamation(method, "officers", rules)
        if self.leader is not None:
            raise OfficersAlreadyChosen(
                f"Khối «{self.block}» năm {self.year} đã có Khối trưởng «{self.leader}».",
                block=self.block,
                year=self.year,
            )
        if leader == deputy:
            raise MalformedCommand("Khối trưởng và Khối phó phải là hai đơn vị khác nhau.")
        for unit in (leader, deputy):
            if unit is None:
                continue
            if unit not in electorate:
                raise NotAMember(f"«{unit}» không thuộc khối khi bầu.", unit=unit)
            if self.members:
                self.check_member(unit)
        self._record(
            self.OfficersChosen,
            by,
            leader=leader,
            deputy=deputy,
            method=method,
            ballot=ballot,
            chosen_in_year=chosen_in_year,
        )

    @event(OfficersChosen)
    def _on_officers(self, leader: str, deputy: str | None, method: str) -> None:
        self.leader = leader
        self.deputy = deputy
        self.officers_method = method

    def officers_outside_members(self) -> list[str]:
        """Officers chosen before this year's list was known, whom the list later left out.

        Shown, not refused: the block must then re-elect, which the minutes will record.
        """
        if not self.members:
            return []
        return [u for u in (self.leader, self.deputy) if u is not None and u not in self.members]

    def sign_pledge(self, unit: str, targets: dict[str, str], movement: str | None, by: Provenance) -> None:
        """The block pledge (giao ước thi đua), once per member unit per year."""
        self.check_member(unit)
        if unit in self.pledges:
            raise AlreadyRecorded(f"«{unit}» đã ký giao ước năm {self.year}.", unit=unit)
        if not targets:
            raise MalformedCommand("Giao ước phải có chỉ tiêu.", unit=unit)
        self._record(self.PledgeSigned, by, unit=unit, targets=dict(targets), movement=movement)

    @event(PledgeSigned)
    def _on_pledge(self, unit: str, targets: dict[str, str], movement: str | None) -> None:
        self.pledges[unit] = {"targets": targets, "movement": movement}

    def hold_review(self, kind: str, chaired_by: str | None, note: str | None, by: Provenance) -> None:
        """Mid-year (sơ kết) or year-end (tổng kết) review conference."""
        if kind not in REVIEW_KINDS:
            raise MalformedCommand(f"Loại hội nghị «{kind}» không hợp lệ.", kind=kind)
        if kind in self.reviews:
            raise AlreadyRecorded(f"Hội nghị {REVIEW_KINDS[kind]} năm {self.year} đã ghi nhận.")
        if chaired_by is not None:
            self.check_member(chaired_by)
        self._record(self.ReviewHeld, by, kind=kind, chaired_by=chaired_by, note=note)

    @event(ReviewHeld)
    def _on_review(self, kind: str, chaired_by: str | None, note: str | None) -> None:
        self.reviews[kind] = {"chaired_by": chaired_by, "note": note}

    def choose_leading_units(
        self, units: list[str], method: str, ballot: str | None, rules: RuleSet, by: Provenance
    ) -> None:
        """The unit(s) leading the block this year (suy tôn dẫn đầu), by acclamation or vote."""
        check_acclamation(method, "leading_units", rules)
        if not units or len(set(units)) != len(units):
            raise MalformedCommand("Danh sách đơn vị dẫn đầu rỗng hoặc trùng lặp.")
        for unit in units:
            self.check_member(unit)
        if self.leading_units:
            raise AlreadyRecorded(f"Đơn vị dẫn đầu năm {self.year} đã được chọn.")
        self._record(self.LeadingUnitsChosen, by, units=list(units), method=method, ballot=ballot)

    @event(LeadingUnitsChosen)
    def _on_leading(self, units: list[str]) -> None:
        self.leading_units = list(units)


class AcclamationNotAllowed(RuleViolation):
    code = "ACCLAMATION_NOT_ALLOWED"


class OfficersAlreadyChosen(Conflict):
    code = "OFFICERS_ALREADY_CHOSEN"


class OfficerCannotLeave(Conflict):
    code = "OFFICER_CANNOT_LEAVE"
