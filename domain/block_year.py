"""A block's year (khối thi đua trong một năm): members, officers, pledges, reviews.

Real minutes are untidy: a block "has 10 units" and lists 11. `members_claimed` records what the
minutes claim, `members` what they name, and `count_mismatch` flags the difference; nothing is
refused or silently fixed. Officers (Khối trưởng, Khối phó) are chosen for this year, usually
at the previous year-end conference, by one of the methods the minutes name
(`block_minutes.OFFICER_METHODS`: open or secret vote, acclamation, consensus, rotation,
assignment by the province) or by a method they leave unrecorded; the method is recorded as
given, never guessed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .block_minutes import ADOPTED_ITEMS, MEETING_KINDS, OFFICER_METHODS, VOTE_METHODS, require_code
from .errors import AlreadyRecorded, Conflict, MalformedCommand, NotAMember, RuleViolation
from .ids import aggregate_id
from .membership_periods import (
    MembershipForAPeriod,
    MembershipNotForAPeriod,
    MembershipPeriod,
    check_no_overlap,
    period_to_end,
    whole_year,
)
from .provenance import Provenance
from .rules import RuleSet

# How leading units are chosen (suy tôn dẫn đầu); unrecorded: the source does not say
CHOICE_METHODS = ("vote", "acclamation", "unrecorded")
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
        class_version = 2  # v1 named no decision and carried no members over
        province: str
        block: str
        kind: str
        year: int
        members: list[str]
        members_claimed: int | None
        count_mismatch: bool
        carried_from: int | None  # the members of that year, carried over when officers were chosen
        left_behind: list[str]  # members of `carried_from` not carried: dissolved by then
        decision: dict[str, str] | None  # the decision fixing the members, if a decision did

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(carried_from=None, left_behind=[], decision=None)

    class MemberAdded(LedgerAggregate.Event):
        class_version = 2  # v1: no decision named
        unit: str
        decision: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["decision"] = None

    class MemberRemoved(LedgerAggregate.Event):
        class_version = 2  # v1: no decision named
        unit: str
        reason: str
        decision: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["decision"] = None

    class MemberJoinedForPeriod(LedgerAggregate.Event):
        """A member for a period inside the year (`membership_periods`); `earlier` names the block
        it was in before, `<province>/<block>` in a predecessor province (a merger)."""

        unit: str
        starts_on: date
        ends_on: date
        earlier: str | None
        decision: dict[str, str] | None

    class MemberPeriodEnded(LedgerAggregate.Event):
        """A member for a period leaves before the period's end: `ends_on` is its new last day
        (`was_ends_on` the one it had)."""

        unit: str
        starts_on: date
        ends_on: date
        was_ends_on: date
        reason: str
        decision: dict[str, str] | None

    class OfficersChosen(LedgerAggregate.Event):
        class_version = 2  # v1: vote, acclamation or unrecorded only, and no decision
        leader: str
        deputy: str | None
        method: str
        ballot: str | None
        chosen_in_year: int | None
        decision: dict[str, str] | None  # the province's decision assigning them (được giao)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            if not state.get("method"):
                state["method"] = "unrecorded"
            state["decision"] = None

    class PledgeSigned(LedgerAggregate.Event):
        class_version = 2  # v1 always listed targets
        unit: str
        targets: dict[str, str]
        movement: str | None
        targets_unrecorded: bool  # the minutes record the signing but give no targets

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["targets_unrecorded"] = False

    class ReviewHeld(LedgerAggregate.Event):
        class_version = 2  # v1: free text only; held on the event's effective date
        kind: str
        chaired_by: str | None
        note: str | None
        held_on: date | None
        completion_rate: str | None  # percent of pledged targets completed, as the minutes give it
        counts: dict[str, int]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(held_on=None, completion_rate=None, counts={})

    class MeetingHeld(LedgerAggregate.Event):
        """A meeting other than the reviews: launch, regulation, criteria, plan (MEETING_KINDS)."""

        kind: str
        held_on: date
        host: str | None
        adopted: list[str]
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
        carried_from: int | None = None,
        decision: dict[str, str] | None = None,
    ) -> None:
        self.province = province
        self.block = block
        self.kind = kind
        self.year = year
        self.members = list(members)
        self.members_claimed = members_claimed
        self.count_mismatch = count_mismatch
        self.carried_from = carried_from
        self.decision = decision
        self.leader: str | None = None
        self.deputy: str | None = None
        self.officers_method: str | None = None
        self.pledges: dict[str, dict[str, Any]] = {}
        self.reviews: dict[str, dict[str, Any]] = {}
        self.meetings: list[tuple[str, date]] = []
        self.leading_units: list[str] = []
        self.periods: dict[str, list[dict[str, Any]]] = {}  # unit -> MembershipPeriod.as_state

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
        carried_from: int | None = None,
        left_behind: list[str] | None = None,
        decision: dict[str, str] | None = None,
    ) -> BlockYear:
        """Open the year; services make each member `Unit.join_block` in the same save.

        `carried_from`: the members are those of that year, carried over when next year's
        officers were chosen before the year was opened (`left_behind`: those not carried)."""
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
            carried_from=carried_from,
            left_behind=list(left_behind or []),
            decision=decision,
        )

    def check_member(self, unit: str) -> None:
        if unit not in self.members:
            raise NotAMember(
                f"«{unit}» không phải thành viên khối «{self.block}» năm {self.year}.",
                unit=unit,
                block=self.block,
                year=self.year,
            )

    def add_member(self, unit: str, by: Provenance, decision: dict[str, str] | None = None) -> None:
        if unit in self.members:
            raise AlreadyRecorded(f"«{unit}» đã là thành viên.", unit=unit)
        self._record(self.MemberAdded, by, unit=require_text(unit, "unit"), decision=decision)

    @event(MemberAdded)
    def _on_member_added(self, unit: str) -> None:
        self.members.append(unit)
        self.count_mismatch = self.members_claimed is not None and self.members_claimed != len(self.members)

    def add_member_for_period(
        self,
        unit: str,
        period: MembershipPeriod,
        by: Provenance,
        *,
        earlier: str | None = None,
        decision: dict[str, str] | None = None,
    ) -> None:
        """A member during `period` only; the unit checks its other blocks of the kind
        (`Unit.join_block_for_period`), this block checks its own periods and whole-year members."""
        unit = require_text(unit, "unit")
        held = [MembershipPeriod.of_state(p) for p in self.periods.get(unit, [])]
        if unit in self.members and not held:
            held = [whole_year(self.block, self.year)]
        check_no_overlap(unit, MembershipPeriod(self.block, period.starts_on, period.ends_on), held)
        self._record(
            self.MemberJoinedForPeriod,
            by,
            unit=unit,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            earlier=None if earlier is None else require_text(earlier, "earlier"),
            decision=decision,
        )

    @event(MemberJoinedForPeriod)
    def _on_member_for_period(self, unit: str, starts_on: date, ends_on: date) -> None:
        if unit not in self.members:
            self.members.append(unit)
        self.periods.setdefault(unit, []).append(MembershipPeriod(self.block, starts_on, ends_on).as_state())
        self.count_mismatch = self.members_claimed is not None and self.members_claimed != len(self.members)

    def end_member_period(
        self,
        unit: str,
        ends_on: date,
        reason: str,
        by: Provenance,
        decision: dict[str, str] | None = None,
    ) -> MembershipPeriod:
        """The unit's period running on `ends_on` ends that day (removing a member for a period);
        a whole-year member is removed by `remove_member`. Returns the period as it was."""
        held = [MembershipPeriod.of_state(p) for p in self.periods.get(unit, [])]
        if unit in self.members and not held:
            raise MembershipNotForAPeriod(
                f"«{unit}» là thành viên khối «{self.block}» cả năm {self.year}; đưa ra khỏi khối bằng "
                "removeBlockMember.",
                unit=unit,
                block=self.block,
                year=self.year,
            )
        period = period_to_end(unit, self.block, self.year, held, ends_on)
        if unit in (self.leader, self.deputy):
            raise OfficerCannotLeave(f"«{unit}» đang là Khối trưởng/Khối phó.", unit=unit)
        self._record(
            self.MemberPeriodEnded,
            by,
            unit=unit,
            starts_on=period.starts_on,
            ends_on=ends_on,
            was_ends_on=period.ends_on,
            reason=require_text(reason, "reason"),
            decision=decision,
        )
        return period

    @event(MemberPeriodEnded)
    def _on_member_period_ended(self, unit: str, starts_on: date, ends_on: date) -> None:
        for state in self.periods.get(unit, []):
            if state["starts_on"] == starts_on.isoformat():
                state["ends_on"] = ends_on.isoformat()

    def remove_member(
        self, unit: str, reason: str, by: Provenance, decision: dict[str, str] | None = None
    ) -> None:
        self.check_member(unit)
        if self.periods.get(unit):
            raise MembershipForAPeriod(
                f"«{unit}» là thành viên khối «{self.block}» năm {self.year} theo thời gian; kết thúc sớm "
                "bằng endBlockMemberPeriod.",
                unit=unit,
                block=self.block,
                year=self.year,
            )
        if unit in (self.leader, self.deputy):
            raise OfficerCannotLeave(f"«{unit}» đang là Khối trưởng/Khối phó.", unit=unit)
        self._record(
            self.MemberRemoved, by, unit=unit, reason=require_text(reason, "reason"), decision=decision
        )

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
        decision: dict[str, str] | None = None,
    ) -> None:
        """Leader and deputy for this year, chosen by the members of `chosen_in_year`.

        `electorate` is that year's member list (services read it from the electing
        block-year); candidates must belong to it, and to this year's list once it is known.
        `chosen_in_year` is None when the source names the officers but not when they were chosen.
        A ballot goes with a vote only; an assignment (được giao) names the province's decision.
        """
        require_code(method, OFFICER_METHODS, "method", "Cách chọn Khối trưởng, Khối phó")
        if method == "acclamation":
            check_acclamation(method, "officers", rules)
        if ballot is not None and method not in VOTE_METHODS:
            raise MalformedCommand(
                "Chỉ ghi cuộc bỏ phiếu khi Khối trưởng, Khối phó được chọn bằng bỏ phiếu.", field="ballot"
            )
        if method == "assignment" and decision is None:
            raise MalformedCommand(
                "Khối trưởng, Khối phó được giao phải kèm quyết định giao (số, ngày, cơ quan ban hành).",
                field="decision",
            )
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
            decision=decision,
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

    def sign_pledge(
        self,
        unit: str,
        targets: dict[str, str],
        movement: str | None,
        by: Provenance,
        targets_unrecorded: bool = False,
    ) -> None:
        """The block pledge (giao ước thi đua), once per member unit per year: with its targets,
        or, when the minutes record the signing without them, saying so (`targets_unrecorded`)."""
        self.check_member(unit)
        if unit in self.pledges:
            raise AlreadyRecorded(f"«{unit}» đã ký giao ước năm {self.year}.", unit=unit)
        if not targets and not targets_unrecorded:
            raise MalformedCommand(
                "Giao ước phải có chỉ tiêu; nếu biên bản không ghi chỉ tiêu, hãy nêu rõ điều đó "
                "(targetsUnrecorded).",
                unit=unit,
                field="targets",
            )
        if targets and targets_unrecorded:
            raise MalformedCommand(
                "Đã nêu chỉ tiêu thì không thể đồng thời ghi là biên bản không ghi chỉ tiêu.",
                unit=unit,
                field="targetsUnrecorded",
            )
        self._record(
            self.PledgeSigned,
            by,
            unit=unit,
            targets=dict(targets),
            movement=movement,
            targets_unrecorded=targets_unrecorded,
        )

    @event(PledgeSigned)
    def _on_pledge(self, unit: str, targets: dict[str, str], movement: str | None) -> None:
        self.pledges[unit] = {"targets": targets, "movement": movement}

    def hold_review(
        self,
        kind: str,
        chaired_by: str | None,
        note: str | None,
        by: Provenance,
        *,
        held_on: date | None = None,
        figures: dict[str, Any] | None = None,
    ) -> None:
        """Mid-year (sơ kết) or year-end (tổng kết) review conference, on `held_on` (the
        command's effective date when not given), with its figures (`block_minutes.review_figures`)."""
        if kind not in REVIEW_KINDS:
            raise MalformedCommand(f"Loại hội nghị «{kind}» không hợp lệ.", kind=kind)
        if kind in self.reviews:
            raise AlreadyRecorded(f"Hội nghị {REVIEW_KINDS[kind]} năm {self.year} đã ghi nhận.")
        if chaired_by is not None:
            self.check_member(chaired_by)
        found = figures or {}
        self._record(
            self.ReviewHeld,
            by,
            kind=kind,
            chaired_by=chaired_by,
            note=note,
            held_on=held_on or by.effective_on,
            completion_rate=found.get("completion_rate"),
            counts=dict(found.get("counts") or {}),
        )

    @event(ReviewHeld)
    def _on_review(self, kind: str, chaired_by: str | None, note: str | None) -> None:
        self.reviews[kind] = {"chaired_by": chaired_by, "note": note}

    def hold_meeting(
        self,
        *,
        kind: str,
        held_on: date,
        host: str | None,
        adopted: list[str],
        note: str | None,
        by: Provenance,
    ) -> None:
        """A block meeting other than a review (launch, regulation, criteria, plan), with what it
        adopted; one meeting of a kind a day (the same minutes recorded twice are refused)."""
        require_code(kind, MEETING_KINDS, "kind", "Loại hội nghị")
        if len(set(adopted)) != len(adopted):
            raise MalformedCommand("Danh sách nội dung thông qua có mục trùng lặp.", field="adopted")
        for index, item in enumerate(adopted):
            require_code(item, ADOPTED_ITEMS, f"adopted[{index}]", "Nội dung thông qua")
        if host is not None:
            self.check_member(host)
        if (kind, held_on) in self.meetings:
            raise AlreadyRecorded(
                f"Hội nghị «{MEETING_KINDS[kind]}» ngày {held_on.isoformat()} đã ghi nhận.", kind=kind
            )
        self._record(
            self.MeetingHeld, by, kind=kind, held_on=held_on, host=host, adopted=list(adopted), note=note
        )

    @event(MeetingHeld)
    def _on_meeting(self, kind: str, held_on: date) -> None:
        self.meetings.append((kind, held_on))

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


class BlockYearNotOpen(Conflict):
    """Next year's officers chosen with no year to carry members from: open the year first."""

    code = "BLOCK_YEAR_NOT_OPEN"
