"""A recipient's record of achievements (hồ sơ thành tích): what prerequisites are checked against.

One per unit or staff member. Services update it in the same save as the fact it reflects: a
decision enters a title, a revocation strikes it, a block-year notes leadership and leading units,
scoring notes the classification. Absorbing a predecessor's record carries "consecutive years"
across a merger (a province's or a unit's).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .errors import AlreadyRecorded, Conflict, MalformedCommand, NotFound
from .ids import aggregate_id
from .provenance import Provenance
from .successor_revocations import PredecessorDecision

INITIATIVE_SCOPES = ("grassroots", "province", "national")  # cơ sở, cấp tỉnh, toàn quốc
MEMBER_STATS = ("members", "completed", "advanced", "grassroots_fighters")
OPTIONAL_MEMBER_STATS = ("disciplined",)  # members disciplined from cảnh cáo up in the year


def record_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"


class AwardRecord(LedgerAggregate):
    """Titles per year, achievements used, offices held, classifications, initiatives."""

    class Opened(LedgerAggregate.Created):
        province: str
        recipient_kind: str
        recipient: str

    class TitleEntered(LedgerAggregate.Event):
        year: int
        award: str
        decision: str

    class TitleStruck(LedgerAggregate.Event):
        year: int
        award: str
        decision: str
        revoked_by: str

    class AchievementReserved(LedgerAggregate.Event):
        achievement: str
        award: str
        year: int
        proposal: str

    class AchievementReleased(LedgerAggregate.Event):
        achievement: str
        reason: str

    class FactNoted(LedgerAggregate.Event):
        """Leadership, leading unit, classification or member statistics for a year."""

        year: int
        fact: str
        value: Any
        source: str

    class InitiativeRecognized(LedgerAggregate.Event):
        initiative: str
        scope: str
        year: int
        reference: str

    class PredecessorAbsorbed(LedgerAggregate.Event):
        predecessor: str
        titles: list[dict[str, Any]]
        facts: dict[str, dict[str, Any]]
        initiatives: list[dict[str, Any]]

    class SucceededFrom(LedgerAggregate.Event):
        """A succession (kế thừa) from a predecessor's record, possibly in a merged province:
        the predecessor's history as it stood, kept whole; which of it counts for "consecutive"
        is the lineage policy of the rules in force when a proposal is judged."""

        predecessor: str  # "<province>/<key>" for another province's record
        succession: str  # SUCCESSION_KINDS
        predecessor_count: int  # how many predecessors the successor has in this succession
        document: str  # the deciding document (quyết định, nghị quyết)
        titles: list[dict[str, Any]]
        facts: dict[str, dict[str, Any]]
        initiatives: list[dict[str, Any]]

    class InheritedTitleRevoked(LedgerAggregate.Event):
        """A title a predecessor's decision granted, kept by a succession (`SucceededFrom`), revoked
        after the merger by the successor's competent authority (`successor_revocations`)."""

        predecessor: str  # "<province>/<key>", as the succession recorded it
        year: int
        award: str
        decision: str  # the original decision's number
        decision_province: str
        decision_authority: str
        decision_signer: str
        revoking_decision: str
        revoking_authority: str
        revoking_signer: str
        ground: str
        reason: str

    def __init__(self, province: str, recipient_kind: str, recipient: str) -> None:
        self.province = province
        self.recipient_kind = recipient_kind
        self.recipient = recipient
        self.titles: list[dict[str, Any]] = []
        self.achievements: dict[str, dict[str, Any]] = {}
        self.facts: dict[str, dict[str, Any]] = {}  # year -> fact -> value
        self.initiatives: list[dict[str, Any]] = []
        self.predecessors: list[str] = []
        self.successions: list[dict[str, Any]] = []

    @staticmethod
    def id_for(province: str, kind: str, key: str) -> Any:
        return aggregate_id(province, "record", record_key(kind, key))

    @classmethod
    def open(cls, province: str, recipient_kind: str, recipient: str, by: Provenance) -> AwardRecord:
        if recipient_kind not in ("unit", "staff"):
            raise MalformedCommand(f"Loại đối tượng «{recipient_kind}» không hợp lệ.")
        return cls._start(
            cls.Opened,
            by,
            id=cls.id_for(province, recipient_kind, recipient),
            province=province,
            recipient_kind=recipient_kind,
            recipient=require_text(recipient, "recipient"),
        )

    # Queries used by prerequisites and proposals ------------------------------------------------

    def holds(self, award: str, year: int) -> bool:
        return any(t["award"] == award and t["year"] == year and not t.get("revoked_by") for t in self.titles)

    def fact(self, year: int, fact: str) -> Any:
        return self.facts.get(str(year), {}).get(fact)

    # Commands -----------------------------------------------------------------------------------

    def check_not_awarded(self, award: str, year: int, achievement: str | None) -> None:
        """One achievement earns one award (Law 06/2022): refuse a second use."""
        if self.holds(award, year):
            raise AchievementAlreadyAwarded(
                f"«{self.recipient}» đã được tặng «{award}» cho năm {year}.",
                award=award,
                year=year,
            )
        if achievement and achievement in self.achievements:
            used = self.achievements[achievement]
            raise AchievementAlreadyAwarded(
                f"Thành tích/sáng kiến «{achievement}» đã dùng cho «{used['award']}» "
                f"(đề nghị {used['proposal']}).",
                achievement=achievement,
            )

    def reserve_achievement(
        self, *, achievement: str, award: str, year: int, proposal: str, by: Provenance
    ) -> None:
        self.check_not_awarded(award, year, achievement)
        self._record(
            self.AchievementReserved,
            by,
            achievement=achievement,
            award=award,
            year=year,
            proposal=proposal,
        )

    @event(AchievementReserved)
    def _on_reserved(self, achievement: str, award: str, year: int, proposal: str) -> None:
        self.achievements[achievement] = {"award": award, "year": year, "proposal": proposal}

    def release_achievement(self, *, achievement: str, reason: str, by: Provenance) -> None:
        if achievement not in self.achievements:
            raise RecordEntryNotFound(f"Không có thành tích «{achievement}».")
        self._record(
            self.AchievementReleased,
            by,
            achievement=achievement,
            reason=require_text(reason, "reason"),
        )

    @event(AchievementReleased)
    def _on_released(self, achievement: str) -> None:
        del self.achievements[achievement]

    def enter_title(self, *, year: int, award: str, decision: str, by: Provenance) -> None:
        require_year(year)
        if self.holds(award, year):
            raise AchievementAlreadyAwarded(
                f"«{self.recipient}» đã có «{award}» năm {year}.", award=award, year=year
            )
        self._record(self.TitleEntered, by, year=year, award=award, decision=decision)

    @event(TitleEntered)
    def _on_title(self, year: int, award: str, decision: str) -> None:
        self.titles.append({"year": year, "award": award, "decision": decision})

    def strike_title(self, *, decision: str, revoked_by: str, by: Provenance) -> None:
        entries = [t for t in self.titles if t["decision"] == decision and not t.get("revoked_by")]
        if not entries:
            raise RecordEntryNotFound(f"Không có danh hiệu theo quyết định «{decision}».")
        t = entries[0]
        self._record(
            self.TitleStruck,
            by,
            year=t["year"],
            award=t["award"],
            decision=decision,
            revoked_by=revoked_by,
        )

    @event(TitleStruck)
    def _on_struck(self, decision: str, revoked_by: str) -> None:
        for t in self.titles:
            if t["decision"] == decision and not t.get("revoked_by"):
                t["revoked_by"] = revoked_by
                break

    def note_fact(self, *, year: int, fact: str, value: Any, source: str, by: Provenance) -> None:
        """Facts: block_leader / block_deputy (block key), leading_unit (block key),
        classification (band), member_stats ({members, completed, advanced, grassroots_fighters}).
        """
        require_year(year)
        if fact not in ("block_leader", "block_deputy", "leading_unit", "classification", "member_stats"):
            raise MalformedCommand(f"Loại dữ kiện «{fact}» không hợp lệ.", fact=fact)
        if fact == "member_stats" and (
            not isinstance(value, dict)
            or not set(MEMBER_STATS) <= set(value) <= set(MEMBER_STATS + OPTIONAL_MEMBER_STATS)
        ):
            raise MalformedCommand("Thống kê thành viên phải đủ các trường.", fact=fact)
        if self.fact(year, fact) == value:
            raise AlreadyRecorded(f"Dữ kiện «{fact}» năm {year} đã ghi nhận.", fact=fact)
        self._record(self.FactNoted, by, year=year, fact=fact, value=value, source=source)

    @event(FactNoted)
    def _on_fact(self, year: int, fact: str, value: Any) -> None:
        self.facts.setdefault(str(year), {})[fact] = value

    def recognize_initiative(
        self, *, initiative: str, scope: str, year: int, reference: str, by: Provenance
    ) -> None:
        """An initiative (sáng kiến) recognized at a scope; proposals reserve it separately."""
        if scope not in INITIATIVE_SCOPES:
            raise MalformedCommand(f"Phạm vi sáng kiến «{scope}» không hợp lệ.", scope=scope)
        if any(i["initiative"] == initiative for i in self.initiatives):
            raise AlreadyRecorded(f"Sáng kiến «{initiative}» đã được công nhận.")
        self._record(
            self.InitiativeRecognized,
            by,
            initiative=require_text(initiative, "initiative"),
            scope=scope,
            year=require_year(year),
            reference=require_text(reference, "reference"),
        )

    @event(InitiativeRecognized)
    def _on_initiative(self, initiative: str, scope: str, year: int, reference: str) -> None:
        self.initiatives.append(
            {"initiative": initiative, "scope": scope, "year": year, "reference": reference}
        )

    def absorb(self, predecessor: AwardRecord, by: Provenance) -> None:
        """Carry a predecessor's history over a merger, so consecutive years continue."""
        if predecessor.id == self.id or predecessor.recipient in self.predecessors:
            raise AlreadyRecorded(f"Đã tiếp nhận hồ sơ của «{predecessor.recipient}».")
        self._record(
            self.PredecessorAbsorbed,
            by,
            predecessor=predecessor.recipient,
            titles=[dict(t) for t in predecessor.titles],
            facts={y: dict(f) for y, f in predecessor.facts.items()},
            initiatives=[dict(i) for i in predecessor.initiatives],
        )

    @event(PredecessorAbsorbed)
    def _on_absorbed(
        self,
        predecessor: str,
        titles: list[dict[str, Any]],
        facts: dict[str, dict[str, Any]],
        initiatives: list[dict[str, Any]],
    ) -> None:
        self.predecessors.append(predecessor)
        self.titles.extend(dict(t) for t in titles)
        for year, noted in facts.items():
            self.facts.setdefault(year, {}).update(
                {k: v for k, v in noted.items() if k not in self.facts.get(year, {})}
            )
        self.initiatives.extend(dict(i) for i in initiatives)

    def succeed_from(
        self,
        *,
        predecessor: str,
        source: AwardRecord | None,
        succession: str,
        predecessor_count: int,
        document: str,
        by: Provenance,
    ) -> None:
        """Record the succession from `predecessor` (its record `source`, if it has one)."""
        if succession not in SUCCESSION_KINDS:
            raise MalformedCommand(
                f"Hình thức kế thừa «{succession}» không hợp lệ (merge, consolidation, split, rename, "
                "transfer).",
                field="succession",
            )
        if predecessor_count < 1:
            raise MalformedCommand("Số đơn vị trước kế thừa phải từ 1 trở lên.", field="predecessors")
        if any(s["predecessor"] == predecessor for s in self.successions):
            raise AlreadyRecorded(f"Đã ghi nhận kế thừa từ «{predecessor}».", predecessor=predecessor)
        self._record(
            self.SucceededFrom,
            by,
            predecessor=predecessor,
            succession=succession,
            predecessor_count=predecessor_count,
            document=require_text(document, "document"),
            titles=[dict(t) for t in source.titles] if source else [],
            facts={y: dict(f) for y, f in source.facts.items()} if source else {},
            initiatives=[dict(i) for i in source.initiatives] if source else [],
        )

    @event(SucceededFrom)
    def _on_succeeded(
        self,
        *,
        predecessor: str,
        succession: str,
        predecessor_count: int,
        document: str,
        titles: list[dict[str, Any]],
        facts: dict[str, dict[str, Any]],
        initiatives: list[dict[str, Any]],
    ) -> None:
        self.successions.append(
            {
                "predecessor": predecessor,
                "succession": succession,
                "predecessor_count": predecessor_count,
                "document": document,
                "titles": [dict(t) for t in titles],
                "facts": {y: dict(f) for y, f in facts.items()},
                "initiatives": [dict(i) for i in initiatives],
            }
        )

    def revoke_inherited_title(
        self,
        *,
        decision: PredecessorDecision,
        revoking_decision: str,
        revoking_authority: str,
        revoking_signer: str,
        ground: str,
        reason: str,
        by: Provenance,
    ) -> None:
        """Strike the title `decision` granted to a predecessor this record succeeded; the
        authority and dates are checked by the caller (`check_successor_revocation`)."""
        prefix = f"{decision.province}/"
        for succession in self.successions:
            if not succession["predecessor"].startswith(prefix):
                continue
            for title in succession["titles"]:
                if title["decision"] != decision.number or title.get("revoked_by"):
                    continue
                self._record(
                    self.InheritedTitleRevoked,
                    by,
                    predecessor=succession["predecessor"],
                    year=title["year"],
                    award=title["award"],
                    decision=decision.number,
                    decision_province=decision.province,
                    decision_authority=decision.authority,
                    decision_signer=decision.signer,
                    revoking_decision=require_text(revoking_decision, "revokingDecision"),
                    revoking_authority=revoking_authority,
                    revoking_signer=require_text(revoking_signer, "revokingSigner"),
                    ground=ground,
                    reason=require_text(reason, "reason"),
                )
                return
        raise RecordEntryNotFound(
            f"«{self.recipient}» không kế thừa danh hiệu nào theo quyết định «{decision.number}» của tỉnh "
            f"«{decision.province}» (hoặc danh hiệu đó đã bị hủy bỏ).",
            decision=decision.number,
            province=decision.province,
        )

    @event(InheritedTitleRevoked)
    def _on_inherited_revoked(self, predecessor: str, decision: str, revoking_decision: str) -> None:
        for succession in self.successions:
            if succession["predecessor"] != predecessor:
                continue
            for title in succession["titles"]:
                if title["decision"] == decision and not title.get("revoked_by"):
                    title["revoked_by"] = revoking_decision
                    return


# Sáp nhập, hợp nhất, chia tách, đổi tên, điều chuyển.
SUCCESSION_KINDS = ("merge", "consolidation", "split", "rename", "transfer")
# Which predecessors' years count (a legal choice, a rule-set setting): "one_to_one" (default,
# conservative) carries a rename, or a succession with a single predecessor that is not a split;
# "all_predecessors" carries every predecessor's except a split's.
LINEAGE_POLICIES = ("one_to_one", "all_predecessors")


def carries_over(policy: str, succession: str, predecessor_count: int) -> bool:
    """Whether a succession's history counts under `policy`."""
    if succession == "split":
        return False
    if succession == "rename" or policy == "all_predecessors":
        return True
    return predecessor_count == 1


class AchievementAlreadyAwarded(Conflict):
    code = "ACHIEVEMENT_ALREADY_AWARDED"


class RecordEntryNotFound(NotFound):
    code = "RECORD_ENTRY_NOT_FOUND"
