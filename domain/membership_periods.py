"""Block memberships by period within a year (thành viên khối theo thời gian trong năm).

A block's membership is normally for the whole year. When provinces merged on 1 July 2025, a unit
was a member of its old province's block from January to June and of the successor's block from
July to December: a membership may then be for a period, inside the year, dated by its first and
last day. Periods of one unit in blocks of one kind (khối, cụm) never overlap, and a whole-year
membership overlaps every period. The period before the merger lies in the predecessor's closed
ledger; the successor's membership may name that earlier block (`<province>/<block>`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .errors import Conflict, MalformedCommand, NotAMember, vn_date


@dataclass(frozen=True)
class MembershipPeriod:
    block: str
    starts_on: date
    ends_on: date

    def overlaps(self, other: MembershipPeriod) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def as_state(self) -> dict[str, Any]:
        # Kept as text in the aggregate's state (what a JSON round trip keeps).
        return {
            "block": self.block,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
        }

    @classmethod
    def of_state(cls, state: dict[str, Any]) -> MembershipPeriod:
        return cls(
            str(state["block"]), date.fromisoformat(state["starts_on"]), date.fromisoformat(state["ends_on"])
        )

    def said(self) -> str:
        return f"từ {vn_date(self.starts_on)} đến {vn_date(self.ends_on)}"


def whole_year(block: str, year: int) -> MembershipPeriod:
    return MembershipPeriod(block, date(year, 1, 1), date(year, 12, 31))


def check_period(period: MembershipPeriod, year: int) -> None:
    """A period of at least one day, inside the year."""
    if period.ends_on < period.starts_on:
        raise MalformedCommand("Ngày kết thúc phải từ ngày bắt đầu trở đi.", field="endsOn")
    if period.starts_on.year != year or period.ends_on.year != year:
        raise MalformedCommand(
            f"Thời gian là thành viên phải nằm trong năm {year}.", field="startsOn", year=year
        )


def check_no_overlap(unit: str, period: MembershipPeriod, held: Iterable[MembershipPeriod]) -> None:
    """Refuse `period` when the unit already is a member of a block of the kind during any of it."""
    for other in held:
        if other.overlaps(period):
            raise MembershipPeriodOverlap(
                f"«{unit}» đã là thành viên khối «{other.block}» {other.said()}; thời gian "
                f"{period.said()} trùng với thời gian đó.",
                unit=unit,
                block=other.block,
                starts_on=other.starts_on.isoformat(),
                ends_on=other.ends_on.isoformat(),
            )


@dataclass(frozen=True)
class EarlierMembership:
    """The block-year a successor's membership names as `earlier` (`<province>/<block>`), read
    from the predecessor's own, closed, ledger: who was a member, whole-year or by period."""

    province: str
    block: str
    year: int
    merged_on: date  # the predecessor's ledger ends the day before
    members: tuple[str, ...]
    periods: dict[str, tuple[MembershipPeriod, ...]]

    @property
    def named(self) -> str:
        return f"{self.province}/{self.block}"

    def held_by(self, unit: str) -> list[MembershipPeriod]:
        """The unit's time in that block, up to the day before the merger (its ledger closes)."""
        last = self.merged_on - timedelta(days=1)
        periods = self.periods.get(unit) or (
            (whole_year(self.block, self.year),) if unit in self.members else ()
        )
        return [
            MembershipPeriod(self.named, p.starts_on, min(p.ends_on, last))
            for p in periods
            if p.starts_on <= last
        ]


def check_earlier(unit: str, period: MembershipPeriod, earlier: EarlierMembership | None, named: str) -> None:
    """`earlier` (as the command named it: `named`) is verified against the predecessor's ledger:
    its block-year exists with the unit a member, and the successor's period does not start
    while the unit was still a member there (before the merger)."""
    if earlier is None:
        raise EarlierMembershipNotFound(
            f"Tỉnh trước sáp nhập không có khối «{named}» năm {period.starts_on.year}.",
            earlier=named,
            year=period.starts_on.year,
        )
    if unit not in earlier.members and unit not in earlier.periods:
        raise EarlierMembershipNotFound(
            f"«{unit}» không là thành viên khối «{earlier.named}» năm {earlier.year} trong sổ của tỉnh "
            f"«{earlier.province}».",
            earlier=earlier.named,
            unit=unit,
            year=earlier.year,
        )
    check_no_overlap(unit, period, earlier.held_by(unit))


def period_to_end(
    unit: str, block: str, year: int, held: Iterable[MembershipPeriod], ends_on: date
) -> MembershipPeriod:
    """The unit's period in the block-year that `ends_on` ends early: the one running on that day
    and ending after it. A unit with no period there is not a member (`NotAMember`)."""
    periods = list(held)
    if not periods:
        raise NotAMember(
            f"«{unit}» không là thành viên khối «{block}» năm {year} theo thời gian.",
            unit=unit,
            block=block,
            year=year,
        )
    for period in periods:
        if period.starts_on <= ends_on < period.ends_on:
            return period
    said = "; ".join(p.said() for p in periods)
    raise MembershipPeriodEndOutside(
        f"Ngày {vn_date(ends_on)} không nằm trong thời gian «{unit}» là thành viên khối «{block}» "
        f"({said}) trước ngày kết thúc của thời gian đó; chỉ kết thúc sớm được.",
        unit=unit,
        block=block,
        ends_on=ends_on.isoformat(),
    )


class MembershipPeriodOverlap(Conflict):
    code = "MEMBERSHIP_PERIOD_OVERLAP"


class EarlierMembershipNotFound(Conflict):
    """`earlier` names a predecessor's block-year that does not exist, or lacks the unit."""

    code = "EARLIER_MEMBERSHIP_NOT_FOUND"


class MembershipPeriodEndOutside(Conflict):
    """The last day asked for is not inside a period, before its end."""

    code = "MEMBERSHIP_PERIOD_END_OUTSIDE"


class MembershipForAPeriod(Conflict):
    """A membership for a period is ended by `endBlockMemberPeriod`, not removed for the year."""

    code = "MEMBERSHIP_FOR_A_PERIOD"


class MembershipNotForAPeriod(Conflict):
    """A whole-year membership is ended by `removeBlockMember`, not by ending a period."""

    code = "MEMBERSHIP_NOT_FOR_A_PERIOD"
