"""Units (cơ quan, đơn vị): register, rename, dissolve, and their block membership per year
(or for a period inside the year, `membership_periods`).

The unit holds its own memberships so that "a unit is in at most one block of a kind per year"
is an invariant of one aggregate; services save the unit together with the block-year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, Conflict, MalformedCommand, NotAMember, UnitDissolved, vn_date
from .ids import aggregate_id
from .membership_periods import MembershipPeriod, check_no_overlap, check_period, whole_year
from .provenance import Provenance

BLOCK_KINDS = ("block", "cluster")  # khối thi đua / cụm thi đua


class Unit(LedgerAggregate):
    """A provincial agency or unit (cơ quan, đơn vị)."""

    class Registered(LedgerAggregate.Created):
        province: str
        key: str
        name: str

    class Renamed(LedgerAggregate.Event):
        name: str

    class Dissolved(LedgerAggregate.Event):
        dissolved_on: date
        decision_ref: str
        successor: str | None

    class JoinedBlock(LedgerAggregate.Event):
        block: str
        kind: str
        year: int

    class LeftBlock(LedgerAggregate.Event):
        block: str
        kind: str
        year: int

    class JoinedBlockForPeriod(LedgerAggregate.Event):
        """A membership for a period inside the year (`membership_periods`)."""

        block: str
        kind: str
        year: int
        starts_on: date
        ends_on: date

    class BlockPeriodEnded(LedgerAggregate.Event):
        """A membership for a period ended early: `ends_on` is its new last day."""

        block: str
        kind: str
        year: int
        starts_on: date
        ends_on: date

    def __init__(self, province: str, key: str, name: str) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.dissolved_on: date | None = None
        self.dissolution_ref: str | None = None
        self.successor: str | None = None
        # "kind/year" -> block key (str keys survive the JSON round trip).
        self.memberships: dict[str, str] = {}
        # "kind/year" -> memberships for a period (MembershipPeriod.as_state)
        self.periods: dict[str, list[dict[str, Any]]] = {}

    @classmethod
    def register(cls, province: str, key: str, name: str, by: Provenance) -> Unit:
        key = require_text(key, "key")
        return cls._start(
            cls.Registered,
            by,
            id=aggregate_id(province, "unit", key),
            province=province,
            key=key,
            name=require_text(name, "name"),
        )

    def is_dissolved_on(self, on: date) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= on

    def check_active(self, on: date, purpose: str = "ghi nhận") -> None:
        """Refuse anything for a body dissolved on or before `on` (2025 restructuring)."""
        if self.dissolved_on is not None and self.dissolved_on <= on:
            raise UnitDissolved(
                f"Đơn vị «{self.name}» đã giải thể từ {vn_date(self.dissolved_on)}; không thể {purpose}.",
                unit=self.key,
                dissolved_on=self.dissolved_on.isoformat(),
            )

    def rename(self, name: str, by: Provenance) -> None:
        name = require_text(name, "name")
        self.check_active(by.effective_on, "đổi tên")
        if name == self.name:
            raise AlreadyRecorded(f"Đơn vị đã mang tên «{name}».", unit=self.key)
        self._record(self.Renamed, by, name=name)

    @event(Renamed)
    def _on_renamed(self, name: str) -> None:
        self.name = name

    def dissolve(self, decision_ref: str, successor: str | None, by: Provenance) -> None:
        """Dissolved (giải thể) or merged into `successor` from `by.effective_on`."""
        self.check_active(by.effective_on, "giải thể lần nữa")
        if self.dissolved_on is not None:
            raise AlreadyRecorded(f"Đơn vị «{self.name}» đã giải thể.", unit=self.key)
        if successor == self.key:
            raise MalformedCommand("Đơn vị không thể sáp nhập vào chính nó.", unit=self.key)
        self._record(
            self.Dissolved,
            by,
            dissolved_on=by.effective_on,
            decision_ref=require_text(decision_ref, "decision_ref"),
            successor=successor,
        )

    @event(Dissolved)
    def _on_dissolved(self, dissolved_on: date, decision_ref: str, successor: str | None) -> None:
        self.dissolved_on = dissolved_on
        self.dissolution_ref = decision_ref
        self.successor = successor

    def block_of(self, kind: str, year: int) -> str | None:
        return self.memberships.get(f"{kind}/{year}")

    def join_block(self, block: str, kind: str, year: int, by: Provenance) -> None:
        """Member of `block` in `year`; at most one block of each kind per year."""
        if kind not in BLOCK_KINDS:
            raise MalformedCommand(f"Loại khối «{kind}» không hợp lệ.", kind=kind)
        require_year(year)
        self.check_active(by.effective_on, "tham gia khối thi đua")
        current = self.block_of(kind, year)
        if current == block:
            raise AlreadyRecorded(f"«{self.name}» đã là thành viên khối năm {year}.", block=block)
        check_no_overlap(self.key, whole_year(block, year), self.periods_of(kind, year))
        if current is not None:
            raise AlreadyInBlock(
                f"«{self.name}» đã thuộc khối «{current}» năm {year}; mỗi đơn vị chỉ thuộc một khối mỗi năm.",
                unit=self.key,
                block=current,
                year=year,
            )
        self._record(self.JoinedBlock, by, block=block, kind=kind, year=year)

    @event(JoinedBlock)
    def _on_joined(self, block: str, kind: str, year: int) -> None:
        self.memberships[f"{kind}/{year}"] = block

    def leave_block(self, block: str, kind: str, year: int, by: Provenance) -> None:
        if self.block_of(kind, year) != block:
            raise NotAMember(
                f"«{self.name}» không thuộc khối «{block}» năm {year}.", unit=self.key, year=year
            )
        self._record(self.LeftBlock, by, block=block, kind=kind, year=year)

    @event(LeftBlock)
    def _on_left(self, block: str, kind: str, year: int) -> None:
        del self.memberships[f"{kind}/{year}"]

    def periods_of(self, kind: str, year: int) -> list[MembershipPeriod]:
        return [MembershipPeriod.of_state(p) for p in self.periods.get(f"{kind}/{year}", [])]

    def join_block_for_period(self, period: MembershipPeriod, kind: str, year: int, by: Provenance) -> None:
        """Member of `period.block` during the period only; no overlap with another membership of
        the kind that year (a whole-year one overlaps every period)."""
        if kind not in BLOCK_KINDS:
            raise MalformedCommand(f"Loại khối «{kind}» không hợp lệ.", kind=kind)
        require_year(year)
        check_period(period, year)
        self.check_active(period.starts_on, "tham gia khối thi đua")
        whole = self.block_of(kind, year)
        held = [*self.periods_of(kind, year), *([whole_year(whole, year)] if whole else [])]
        check_no_overlap(self.key, period, held)
        self._record(
            self.JoinedBlockForPeriod,
            by,
            block=period.block,
            kind=kind,
            year=year,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )

    @event(JoinedBlockForPeriod)
    def _on_joined_for_period(self, block: str, kind: str, year: int, starts_on: date, ends_on: date) -> None:
        period = MembershipPeriod(block, starts_on, ends_on)
        self.periods.setdefault(f"{kind}/{year}", []).append(period.as_state())

    def end_block_period(
        self, period: MembershipPeriod, kind: str, year: int, ends_on: date, by: Provenance
    ) -> None:
        """The membership `period` (as the block-year found it) ends on `ends_on`."""
        if period not in self.periods_of(kind, year):
            raise NotAMember(
                f"«{self.name}» không là thành viên khối «{period.block}» {period.said()}.",
                unit=self.key,
                year=year,
            )
        self._record(
            self.BlockPeriodEnded,
            by,
            block=period.block,
            kind=kind,
            year=year,
            starts_on=period.starts_on,
            ends_on=ends_on,
        )

    @event(BlockPeriodEnded)
    def _on_block_period_ended(
        self, block: str, kind: str, year: int, starts_on: date, ends_on: date
    ) -> None:
        for state in self.periods.get(f"{kind}/{year}", []):
            if state["block"] == block and state["starts_on"] == starts_on.isoformat():
                state["ends_on"] = ends_on.isoformat()


class AlreadyInBlock(Conflict):
    code = "ALREADY_IN_BLOCK"
