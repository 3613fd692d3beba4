"""A province's lineage (dòng kế thừa khi sáp nhập tỉnh): the predecessors it carries, its successor.

Nghị quyết 202/2025/QH15 merged 63 provinces into 34 from 1 Jul 2025. A merged province's ledger
is closed at its head by `Closed` (its last event: nothing is recorded after it, and the store
itself refuses any later insert, see `services.ledger_closure`); the successor's ledger records
each predecessor's head as `PredecessorJoined` (HASH@POSITION of that closing event), so an
auditor can verify the whole lineage from the successor alone. The merger date is the events'
`effective_on`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import Conflict, MalformedCommand, RuleViolation, vn_date
from .ids import aggregate_id
from .provenance import Provenance

LINEAGE_KIND = "lineage"


class ProvinceLineage(LedgerAggregate):
    """One per province: whether its ledger is closed (and into which successor), and the heads
    of the predecessors it succeeded."""

    class Started(LedgerAggregate.Created):
        province: str

    class Closed(LedgerAggregate.Event):
        """The predecessor's last event: merged into `successor` on `effective_on`."""

        successor: str
        successor_name: str
        basis: str

    class PredecessorJoined(LedgerAggregate.Event):
        """The successor records a predecessor's closed head (HASH@POSITION of its `Closed`)."""

        predecessor: str
        predecessor_name: str
        basis: str
        head_hash: str
        head_position: int

    def __init__(self, province: str) -> None:
        self.province = province
        self.successor: str | None = None
        self.merged_on: date | None = None
        self.predecessors: dict[str, dict[str, Any]] = {}

    @staticmethod
    def id_for(province: str) -> Any:
        return aggregate_id(province, LINEAGE_KIND, province)

    @classmethod
    def start(cls, province: str, by: Provenance) -> ProvinceLineage:
        return cls._start(cls.Started, by, id=cls.id_for(province), province=province)

    def close(self, *, successor: str, successor_name: str, basis: str, by: Provenance) -> None:
        """Close this province's ledger: the merger into `successor` on `by.effective_on`."""
        check_not_merged(self.province, self.successor)
        if successor == self.province:
            raise MergeIntoItself(f"Không thể sáp nhập tỉnh «{successor}» vào chính nó.", province=successor)
        self._record(
            self.Closed,
            by,
            successor=successor,
            successor_name=require_text(successor_name, "successor_name"),
            basis=require_text(basis, "basis"),
        )

    @event(Closed)
    def _on_closed(self, successor: str, effective_on: date) -> None:
        self.successor = successor
        self.merged_on = effective_on

    def join_predecessor(
        self,
        *,
        predecessor: str,
        predecessor_name: str,
        basis: str,
        head_hash: str,
        head_position: int,
        by: Provenance,
    ) -> None:
        check_not_merged(self.province, self.successor)
        if predecessor in self.predecessors:
            raise ProvinceAlreadyMerged(
                f"Tỉnh «{predecessor}» đã được ghi là tỉnh trước sáp nhập của «{self.province}».",
                province=predecessor,
            )
        if len(head_hash) != 64 or head_position < 1:
            raise MalformedCommand("Đầu sổ cái phải có dạng HASH@VỊ_TRÍ.", field="head")
        self._record(
            self.PredecessorJoined,
            by,
            predecessor=predecessor,
            predecessor_name=predecessor_name,
            basis=require_text(basis, "basis"),
            head_hash=head_hash,
            head_position=head_position,
        )

    @event(PredecessorJoined)
    def _on_joined(
        self,
        *,
        predecessor: str,
        predecessor_name: str,
        basis: str,
        head_hash: str,
        head_position: int,
        effective_on: date,
    ) -> None:
        self.predecessors[predecessor] = {
            "name": predecessor_name,
            "basis": basis,
            "head_hash": head_hash,
            "head_position": head_position,
            "merged_on": effective_on,
        }


def check_not_merged(province: str, successor: str | None) -> None:
    if successor is not None:
        raise ProvinceAlreadyMerged(
            f"Tỉnh «{province}» đã sáp nhập vào «{successor}»; sổ cái của tỉnh đã khóa.",
            province=province,
            successor=successor,
        )


def check_merger(
    successor: str,
    predecessors: Sequence[str],
    successors_of: dict[str, str],
) -> None:
    """The shape of a merger, before anything is recorded: at least one predecessor, none named
    twice, none the successor itself, none already merged, and no cycle (the successor, or a
    province it was merged into, is not one of the predecessors). `successors_of` maps each
    merged province to its successor, as the platform registry holds it."""
    if not predecessors:
        raise MalformedCommand("Phải nêu ít nhất một tỉnh trước sáp nhập (--from).", field="from")
    if len(set(predecessors)) != len(predecessors):
        raise MalformedCommand("Một tỉnh được nêu hai lần trong danh sách sáp nhập.", field="from")
    if successor in predecessors:
        raise MergeIntoItself(f"Không thể sáp nhập tỉnh «{successor}» vào chính nó.", province=successor)
    # Walk the successor's own successors: reaching a predecessor closes a cycle.
    seen = {successor}
    current = successor
    while current in successors_of:
        current = successors_of[current]
        if current in predecessors:
            raise MergerCycle(
                f"Sáp nhập tạo vòng lặp: «{successor}» đã thuộc về «{current}».",
                province=successor,
                successor=current,
            )
        if current in seen:
            break
        seen.add(current)
    if successor in successors_of:
        raise ProvinceAlreadyMerged(
            f"Tỉnh kế thừa «{successor}» đã sáp nhập vào «{successors_of[successor]}».",
            province=successor,
            successor=successors_of[successor],
        )
    for code in predecessors:
        if code in successors_of:
            raise ProvinceAlreadyMerged(
                f"Tỉnh «{code}» đã sáp nhập vào «{successors_of[code]}» trước đó.",
                province=code,
                successor=successors_of[code],
            )


def check_merger_date(predecessor: str, effective_on: date, last_effective: date | None) -> None:
    """A merger cannot take effect before the predecessor's last recorded fact."""
    if last_effective is not None and effective_on < last_effective:
        raise MergerBeforeLastEvent(
            f"Ngày sáp nhập {vn_date(effective_on)} sớm hơn ngày hiệu lực của sự kiện cuối cùng "
            f"trong sổ cái tỉnh «{predecessor}» ({vn_date(last_effective)}).",
            province=predecessor,
            last_effective_on=last_effective.isoformat(),
        )


class MergeIntoItself(MalformedCommand):
    code = "MERGE_INTO_ITSELF"


class MergerCycle(Conflict):
    code = "MERGER_CYCLE"


class ProvinceAlreadyMerged(Conflict):
    code = "PROVINCE_ALREADY_MERGED"


class MergerBeforeLastEvent(RuleViolation):
    code = "MERGER_BEFORE_LAST_EVENT"


class ProvinceMerged(Conflict):
    """A write to a closed predecessor (its reads stay open to auditors)."""

    code = "PROVINCE_MERGED"
