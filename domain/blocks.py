"""Emulation blocks and clusters (khối thi đua, cụm thi đua) as standing bodies.

What changes yearly (members, officers, pledges, reviews) lives on `BlockYear`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import AlreadyRecorded, MalformedCommand, RuleViolation, vn_date
from .ids import aggregate_id
from .provenance import Provenance
from .units import BLOCK_KINDS


class EmulationBlock(LedgerAggregate):
    """A block (khối) or cluster (cụm) of units that emulate together."""

    class Created(LedgerAggregate.Created):
        class_version = 2  # v1 named no founding decision
        province: str
        key: str
        name: str
        kind: str
        decision: dict[str, str] | None  # the decision forming the block (thành lập), if named

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["decision"] = None

    class Reformed(LedgerAggregate.Event):
        """Re-formed (kiện toàn, thành lập lại) by a decision, possibly under a new name."""

        decision: dict[str, str]
        name: str

    class Renamed(LedgerAggregate.Event):
        name: str

    class Disbanded(LedgerAggregate.Event):
        disbanded_on: date
        decision_ref: str

    def __init__(
        self, province: str, key: str, name: str, kind: str, decision: dict[str, str] | None = None
    ) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.kind = kind
        self.decision = decision
        self.disbanded_on: date | None = None

    @classmethod
    def create(
        cls,
        province: str,
        key: str,
        name: str,
        kind: str,
        by: Provenance,
        *,
        decision: dict[str, str] | None = None,
    ) -> EmulationBlock:
        if kind not in BLOCK_KINDS:
            raise MalformedCommand(f"Loại khối «{kind}» không hợp lệ.", kind=kind)
        key = require_text(key, "key")
        return cls._start(
            cls.Created,
            by,
            id=aggregate_id(province, "block", key),
            province=province,
            key=key,
            name=require_text(name, "name"),
            kind=kind,
            decision=decision,
        )

    def check_active(self, on: date) -> None:
        if self.disbanded_on is not None and self.disbanded_on <= on:
            raise BlockDisbanded(
                f"Khối «{self.name}» đã giải thể từ {vn_date(self.disbanded_on)}.", block=self.key
            )

    def rename(self, name: str, by: Provenance) -> None:
        self.check_active(by.effective_on)
        if require_text(name, "name") == self.name:
            raise AlreadyRecorded(f"Khối đã mang tên «{name}».", block=self.key)
        self._record(self.Renamed, by, name=name.strip())

    @event(Renamed)
    def _on_renamed(self, name: str) -> None:
        self.name = name

    def reform(self, decision: dict[str, str], name: str | None, by: Provenance) -> None:
        """Re-formed by `decision` (the same decision is not recorded twice); `name` if renamed."""
        self.check_active(by.effective_on)
        if self.decision == decision:
            raise AlreadyRecorded(
                f"Khối «{self.name}» đã theo quyết định {decision['number']}.", block=self.key
            )
        new_name = require_text(name, "name") if name is not None else self.name
        self._record(self.Reformed, by, decision=dict(decision), name=new_name)

    @event(Reformed)
    def _on_reformed(self, decision: dict[str, str], name: str) -> None:
        self.decision = decision
        self.name = name

    def disband(self, decision_ref: str, by: Provenance) -> None:
        self.check_active(by.effective_on)
        if self.disbanded_on is not None:
            raise AlreadyRecorded(f"Khối «{self.name}» đã giải thể.", block=self.key)
        self._record(
            self.Disbanded,
            by,
            disbanded_on=by.effective_on,
            decision_ref=require_text(decision_ref, "decision_ref"),
        )

    @event(Disbanded)
    def _on_disbanded(self, disbanded_on: date, decision_ref: str) -> None:
        self.disbanded_on = disbanded_on


class BlockDisbanded(RuleViolation):
    code = "BLOCK_DISBANDED"
