"""Emulation movements (phong trào thi đua), regular or thematic, with their dates."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import AlreadyRecorded, MalformedCommand
from .ids import aggregate_id
from .provenance import Provenance

MOVEMENT_KINDS = {"regular": "thường xuyên", "thematic": "theo chuyên đề"}


class Movement(LedgerAggregate):
    """A movement launched by the province; thematic ones have an end date."""

    class Launched(LedgerAggregate.Created):
        province: str
        key: str
        name: str
        kind: str
        starts_on: date
        ends_on: date | None

    class Ended(LedgerAggregate.Event):
        ended_on: date
        summary: str

    def __init__(
        self,
        *,
        province: str,
        key: str,
        name: str,
        kind: str,
        starts_on: date,
        ends_on: date | None,
    ) -> None:
        self.province = province
        self.key = key
        self.name = name
        self.kind = kind
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.ended_on: date | None = None

    @classmethod
    def launch(
        cls,
        *,
        province: str,
        key: str,
        name: str,
        kind: str,
        starts_on: date,
        ends_on: date | None,
        by: Provenance,
    ) -> Movement:
        if kind not in MOVEMENT_KINDS:
            raise MalformedCommand(f"Loại phong trào «{kind}» không hợp lệ.", kind=kind)
        if kind == "thematic" and ends_on is None:
            raise MalformedCommand("Phong trào theo chuyên đề phải có ngày kết thúc.")
        if ends_on is not None and ends_on < starts_on:
            raise MalformedCommand("Ngày kết thúc trước ngày bắt đầu.")
        key = require_text(key, "key")
        return cls._start(
            cls.Launched,
            by,
            id=aggregate_id(province, "movement", key),
            province=province,
            key=key,
            name=require_text(name, "name"),
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    def end(self, summary: str, by: Provenance) -> None:
        if self.ended_on is not None:
            raise AlreadyRecorded(f"Phong trào «{self.name}» đã kết thúc.")
        if by.effective_on < self.starts_on:
            raise MalformedCommand("Không thể kết thúc trước khi phát động.")
        self._record(self.Ended, by, ended_on=by.effective_on, summary=require_text(summary, "summary"))

    @event(Ended)
    def _on_ended(self, ended_on: date) -> None:
        self.ended_on = ended_on

    def is_running_on(self, on: date) -> bool:
        end = self.ended_on or self.ends_on
        return self.starts_on <= on and (end is None or on <= end)
