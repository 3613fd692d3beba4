"""Emulation blocks and clusters (khối thi đua, cụm thi đua) as standing bodies.

What changes yearly (members, officers, pledges, reviews) lives on `BlockYear`.
"""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import AlreadyRecorded, MalformedCommand, RuleViolation, vn_date
from .ids import aggregate_id
from .provenance import Provenance
from .units import BLOCK_KINDS


class EmulationBlock(LedgerAggregate):
    """A block (khối) or cluster (cụm) of units that emulate together."""

    class Created(LedgerAggregate.Created):
        province: str
        key: str
        name: str
        kind: str

    class Renamed(LedgerAggregate.Event):
        name: str

    class Disbanded(LedgerAggregate.Event):
        disbanded_on: date
        decision_ref: str

    def __init__(self, province: str, key: str, name: str, kind: str) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.kind = kind
        self.disbanded_on: date | None = None

    @classmethod
    def create(cls, province: str, key: str, name: str, kind: str, by: Provenance) -> EmulationBlock:
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
