"""Commands on a province's lineage (sáp nhập tỉnh) and on successions of units and people."""

from __future__ import annotations

from typing import Any

from thidua.domain.decisions import REVOCATION_GROUNDS, AwardDecision
from thidua.domain.lineage import ProvinceLineage
from thidua.domain.people import PersonAlreadyLinked, PersonIdentity
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord, RecordEntryNotFound, record_key
from thidua.domain.successor_revocations import PredecessorDecision, check_successor_revocation
from thidua.services.commands.base import CommandsBase


class LineageCommands(CommandsBase):
    """Khóa sổ tỉnh trước sáp nhập, ghi nhận tỉnh trước sáp nhập, kế thừa hồ sơ."""

    def _lineage(self, by: Provenance) -> ProvinceLineage:
        found: ProvinceLineage | None = self._find("lineage", self.province)
        return found or ProvinceLineage.start(self.province, by)

    def close_ledger(self, *, successor: str, successor_name: str, basis: str, by: Provenance) -> int:
        """The province's last event: merged into `successor` from `by.effective_on`."""
        lineage = self._lineage(by)
        lineage.close(successor=successor, successor_name=successor_name, basis=basis, by=by)
        return self._commit(lineage)

    def join_predecessors(self, *, predecessors: list[dict[str, Any]], by: Provenance) -> int:
        """Record each predecessor's closed head (`predecessor`, `predecessor_name`, `basis`,
        `head_hash`, `head_position`), all in one transaction."""
        lineage = self._lineage(by)
        for joined in predecessors:
            lineage.join_predecessor(**joined, by=by)
        return self._commit(lineage)

    def get_lineage(self) -> dict[str, Any]:
        """The lineage as this province's ledger records it (read DTO)."""
        found: ProvinceLineage | None = self._find("lineage", self.province)
        if found is None:
            return {"successor": None, "merged_on": None, "predecessors": {}}
        return {
            "successor": found.successor,
            "merged_on": found.merged_on,
            "predecessors": {code: dict(facts) for code, facts in found.predecessors.items()},
        }

    def link_person(self, *, staff: str, person_hash: str, by: Provenance) -> int:
        """Tie a staff member to a person's keyed national-ID hash (once per province)."""
        self._get("staff", staff)
        found: PersonIdentity | None = self._find("person", person_hash)
        if found is not None:
            raise PersonAlreadyLinked(
                "Số định danh này đã gắn với một cán bộ khác trong tỉnh."
                if found.staff != staff
                else "Cán bộ đã được gắn số định danh này.",
                staff=staff,
            )
        return self._commit(PersonIdentity.link(self.province, person_hash, staff, by))

    def find_person(self, person_hash: str) -> str | None:
        """The staff member of this province holding the person's hash, if any."""
        found: PersonIdentity | None = self._find("person", person_hash)
        return None if found is None else found.staff

    def find_award_record(self, recipient_kind: str, recipient: str) -> AwardRecord | None:
        """A recipient's record as it stands (None when nothing was ever recorded)."""
        found: AwardRecord | None = self._find("record", record_key(recipient_kind, recipient))
        return found

    def find_decision(self, number: str) -> AwardDecision | None:
        """A decision as it stands (None when this province never recorded it)."""
        found: AwardDecision | None = self._find("decision", number)
        return found

    def revoke_inherited_title(
        self,
        *,
        recipient_kind: str,
        recipient: str,
        decision: PredecessorDecision,
        revoking_decision: str,
        revoking_authority: str,
        revoking_signer: str,
        ground: str,
        reason: str,
        by: Provenance,
    ) -> int:
        """The successor's authority revokes a predecessor's decision for the recipient that
        succeeded its recipient (checked by the caller against the lineage and the dates)."""
        check_successor_revocation(
            decision,
            revoking_authority=revoking_authority,
            ground=ground,
            grounds=REVOCATION_GROUNDS,
            on=by.effective_on,
        )
        self._get("unit" if recipient_kind == "unit" else "staff", recipient)
        record: AwardRecord | None = self._find("record", record_key(recipient_kind, recipient))
        if record is None:
            raise RecordEntryNotFound(f"«{recipient}» chưa có hồ sơ thành tích kế thừa.", recipient=recipient)
        record.revoke_inherited_title(
            decision=decision,
            revoking_decision=revoking_decision,
            revoking_authority=revoking_authority,
            revoking_signer=revoking_signer,
            ground=ground,
            reason=reason,
            by=by,
        )
        return self._commit(record)

    def record_succession(
        self,
        *,
        recipient_kind: str,
        recipient: str,
        predecessors: list[tuple[str, AwardRecord | None]],
        succession: str,
        document: str,
        by: Provenance,
    ) -> int:
        """The recipient succeeds `predecessors` (namespaced keys and their records, read by the
        caller from this or a predecessor province), dated and tied to `document`."""
        self._get("unit" if recipient_kind == "unit" else "staff", recipient)
        record = self._award_record(recipient_kind, recipient, by)
        for predecessor, source in predecessors:
            record.succeed_from(
                predecessor=predecessor,
                source=source,
                succession=succession,
                predecessor_count=len(predecessors),
                document=document,
                by=by,
            )
        return self._commit(record)
