"""The provincial council (Hội đồng Thi đua – Khen thưởng tỉnh) and its members.

Council ballots take their electorate from here; services read `members` at ballot opening.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import AlreadyRecorded, MalformedCommand, NotFound
from .ids import aggregate_id
from .provenance import Provenance

COUNCIL_ROLES = ("chair", "vice_chair", "standing_member", "member", "secretary")


class Council(LedgerAggregate):
    """One per province; id from the province code."""

    class Constituted(LedgerAggregate.Created):
        province: str
        decision_ref: str

    class MemberAppointed(LedgerAggregate.Event):
        member: str
        name: str
        role: str

    class MemberLeft(LedgerAggregate.Event):
        member: str
        reason: str

    def __init__(self, province: str, decision_ref: str) -> None:
        self.province = province
        self.decision_ref = decision_ref
        self.members: dict[str, dict[str, Any]] = {}

    @classmethod
    def constitute(cls, province: str, decision_ref: str, by: Provenance) -> Council:
        return cls._start(
            cls.Constituted,
            by,
            id=aggregate_id(province, "council", province),
            province=province,
            decision_ref=require_text(decision_ref, "decision_ref"),
        )

    def appoint(self, *, member: str, name: str, role: str, by: Provenance) -> None:
        if role not in COUNCIL_ROLES:
            raise MalformedCommand(f"Vai trò «{role}» không hợp lệ.", role=role)
        if member in self.members:
            raise AlreadyRecorded(f"«{name}» đã là thành viên Hội đồng.", member=member)
        self._record(
            self.MemberAppointed,
            by,
            member=require_text(member, "member"),
            name=require_text(name, "name"),
            role=role,
        )

    @event(MemberAppointed)
    def _on_appointed(self, member: str, name: str, role: str) -> None:
        self.members[member] = {"name": name, "role": role}

    def release(self, *, member: str, reason: str, by: Provenance) -> None:
        if member not in self.members:
            raise CouncilMemberNotFound(f"«{member}» không phải thành viên Hội đồng.")
        self._record(self.MemberLeft, by, member=member, reason=require_text(reason, "reason"))

    @event(MemberLeft)
    def _on_left(self, member: str) -> None:
        del self.members[member]

    def voters(self) -> list[str]:
        return sorted(self.members)


class CouncilMemberNotFound(NotFound):
    code = "COUNCIL_MEMBER_NOT_FOUND"
