"""A successor's block membership for a period, checked against the predecessor's block-year it
names (`earlier: "<province>/<block>"`, thành viên khối của tỉnh trước sáp nhập).

The part of the year before the merger lies in the predecessor's closed ledger. When a membership
names the predecessor's block it was in, that block-year is read from the predecessor's own ledger:
it must exist with the unit (of the same key) a member, and the successor's period must not start
while the unit was still a member there. An `earlier` without a province (a block of the
successor's own) is recorded as given.
"""

from __future__ import annotations

from datetime import date

from thidua.domain.membership_periods import (
    EarlierMembership,
    MembershipPeriod,
    check_earlier,
)
from thidua.domain.provenance import Provenance
from thidua.services.mergers import lineage
from thidua.services.registry import ProvinceRegistry
from thidua.services.successions import NotInLineage


def earlier_membership(
    registry: ProvinceRegistry, province: str, earlier: str, year: int
) -> EarlierMembership | None:
    """The predecessor's block-year `earlier` names (None when the predecessor has none)."""
    code, _, block = earlier.partition("/")
    merged = {row.predecessor: row for row in lineage(registry, province)[0]}
    row = merged.get(code)
    if row is None:
        raise NotInLineage(
            f"Tỉnh «{code}» (khối trước đó «{earlier}») không phải tỉnh trước sáp nhập của «{province}».",
            province=code,
        )
    found = registry.app(code).find_block_year(block, year)
    if found is None:
        return None
    return EarlierMembership(
        province=code,
        block=block,
        year=year,
        merged_on=row.effective_on,
        members=tuple(found.members),
        periods={
            unit: tuple(MembershipPeriod.of_state(p) for p in held) for unit, held in found.periods.items()
        },
    )


def add_block_member_for_period_after_merger(
    registry: ProvinceRegistry,
    province: str,
    *,
    block: str,
    year: int,
    unit: str,
    starts_on: date,
    ends_on: date,
    earlier: str | None,
    decision: dict[str, str] | None,
    by: Provenance,
) -> int:
    """`addBlockMemberForPeriod`, with a predecessor's `earlier` verified first (nothing recorded
    when it does not hold)."""
    if earlier is not None and "/" in earlier:
        found = earlier_membership(registry, province, earlier, year)
        check_earlier(unit, MembershipPeriod(block, starts_on, ends_on), found, earlier)
    return registry.app(province).add_block_member_for_period(
        block=block,
        year=year,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        earlier=earlier,
        decision=decision,
        by=by,
    )
