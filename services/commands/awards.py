"""Commands on award proposals, decisions, revocations and the facts prerequisites rest on."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresAggregateRecorder

from thidua.domain.ballots import Ballot
from thidua.domain.decisions import AwardDecision, Grant, record_decision
from thidua.domain.dossier import FileNotStored, StoredFile, check_sha256
from thidua.domain.errors import MalformedCommand
from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord
from thidua.domain.rulebook import RuleBook, rules_in_force
from thidua.services.attachments.store import blob_info_sync
from thidua.services.commands.base import CommandsBase
from thidua.services.commands.members import with_members
from thidua.services.commands.recipients import recipients_facts


class AwardCommands(CommandsBase):
    """Đề nghị khen thưởng, công khai, Hội đồng, trình, quyết định, hủy bỏ."""

    def submit_proposal(
        self,
        *,
        key: str,
        proposer: str,
        year: int,
        award: str,
        authority: str,
        recipient_kind: str,
        recipient: str,
        achievement: str | None,
        dossier: dict[str, str],
        by: Provenance,
        award_type: str = "thuong_xuyen",
        group: str | None = None,
        group_claimed_count: int | None = None,
    ) -> int:
        """Refuses hard blockers; records prerequisite findings (met / missing) on the proposal;
        under a grouped proposal (`group`), the count the list claims."""
        self._refuse_existing("proposal", key)
        rules = self.rules_on(by.effective_on)
        facts = with_members(self, self._recipient(recipient_kind, recipient, by), award, year, rules)
        proposal = AwardProposal.submit(
            province=self.province,
            key=key,
            proposer=proposer,
            year=year,
            award_code=award,
            authority=authority,
            recipient=facts,
            achievement=achievement,
            dossier=dossier,
            rules=rules,
            by=by,
            award_type=award_type,
            group=group,
            group_claimed_count=group_claimed_count,
        )
        return self._commit(proposal, facts.record)

    def _proposal(self, key: str) -> AwardProposal:
        found: AwardProposal = self._get("proposal", key)
        return found

    def attach_document(
        self,
        *,
        proposal: str,
        item: str,
        reference: str | None,
        by: Provenance,
        file_sha256: str | None = None,
        file_name: str | None = None,
    ) -> int:
        """Add a paper to a proposal's dossier: a reference, a stored file (uploaded first), or both."""
        p = self._proposal(proposal)
        stored = self._stored_file(file_sha256, file_name) if file_sha256 is not None else None
        p.attach(item=item, reference=reference, file=stored, by=by)
        return self._commit(p)

    def _stored_file(self, sha256: str, name: str | None) -> StoredFile:
        """The file's facts as the province's store holds them (never as a client claims them)."""
        digest = check_sha256(sha256)
        recorder, found = self.recorder, None
        if isinstance(recorder, PostgresAggregateRecorder):  # files are kept in PostgreSQL only
            with recorder.datastore.get_connection() as conn:
                found = blob_info_sync(conn, recorder.datastore.schema, digest)
        if found is None:
            raise FileNotStored(
                f"Không có tệp với mã băm {digest[:12]}… trong kho của tỉnh; hãy tải tệp lên trước.",
                field="file.sha256",
            )
        return StoredFile(digest, (name or "").strip() or f"{digest[:12]}", found.media_type, found.size)

    def open_disclosure(self, *, proposal: str, channel: str, by: Provenance) -> int:
        """Publish for comment (công khai) for the working days the rules set."""
        p = self._proposal(proposal)
        book: RuleBook | None = self._find("rulebook", self.province)  # rules and holidays: one load
        p.open_disclosure(
            channel=channel,
            rules=rules_in_force(book, by.effective_on, self.province),
            by=by,
            holidays=book.holidays() if book is not None else (),
        )
        return self._commit(p)

    def record_comment(
        self, *, proposal: str, author: str, text: str, objection: bool, by: Provenance
    ) -> int:
        p = self._proposal(proposal)
        p.record_comment(author=author, text=text, objection=objection, by=by)
        return self._commit(p)

    def record_council_vote(
        self,
        *,
        proposal: str,
        ballot: str,
        by: Provenance,
        written_opinions: list[dict[str, str]] | None = None,
    ) -> int:
        """The council's tallied ballot, with absent members' written opinions where allowed."""
        p = self._proposal(proposal)
        tallied: Ballot = self._get("ballot", ballot)
        p.record_council_vote(
            ballot=tallied, by=by, rules=self.rules_on(by.effective_on), written_opinions=written_opinions
        )
        return self._commit(p)

    def forward_proposal(self, *, proposal: str, by: Provenance) -> int:
        """Forward to the deciding authority; refused while a prerequisite is missing."""
        p = self._proposal(proposal)
        rules = self.rules_on(by.effective_on)
        facts = with_members(self, self._recipient(p.recipient_kind, p.recipient, by), p.award, p.year, rules)
        p.forward(recipient=facts, rules=rules, by=by)
        return self._commit(p)

    def withdraw_proposal(self, *, proposal: str, reason: str, by: Provenance) -> int:
        p = self._proposal(proposal)
        facts = self._recipient(p.recipient_kind, p.recipient, by)
        p.withdraw(reason=reason, recipient=facts, by=by)
        return self._commit(p, facts.record)

    def record_decision(
        self,
        *,
        number: str,
        signer: str,
        authority: str,
        award: str | None,
        year: int,
        recipients: list[tuple[str, str]],
        claimed_count: int | None,
        proposals: list[str],
        historical: bool,
        by: Provenance,
        award_type: str = "thuong_xuyen",
        grants: list[tuple[str, list[tuple[str, str]], int | None]] | None = None,
    ) -> int:
        """Record a decision granting `award` to `recipients` and/or each of `grants` (award,
        recipients, claimed count); each recipient's record gains the title; its proposals
        close; the prize of each recipient and the total are fixed by the rules of its date."""
        self._refuse_existing("decision", number)
        rules = self.rules_on(by.effective_on)
        wanted = ([(award, recipients, None)] if award is not None and recipients else []) + list(
            grants or []
        )
        granted = [
            Grant(code, recipients_facts(self, named, award=code, year=year, rules=rules, by=by), claimed)
            for code, named, claimed in wanted
        ]
        answered = [self._proposal(key) for key in proposals]
        decision = record_decision(
            province=self.province,
            number=number,
            signer=signer,
            authority=authority,
            award_code=None,
            year=year,
            recipients=[],
            claimed_count=claimed_count,
            proposals=answered,
            historical=historical,
            rules=rules,
            by=by,
            award_type=award_type,
            grants=granted,
        )
        records = [f.record for g in granted for f in g.recipients]
        return self._commit(decision, *records, *answered)

    def revoke_decision(
        self,
        *,
        number: str,
        revoking_decision: str,
        ground: str,
        recipients: list[str] | None,
        recover_object: bool,
        reason: str,
        by: Provenance,
    ) -> int:
        """Hủy bỏ: a later decision cancels this one (for all or some); titles are struck."""
        decision: AwardDecision = self._get("decision", number)
        records = {r["key"]: self._award_record(r["kind"], r["key"], by) for r in decision.recipients}
        decision.revoke(
            revoking_decision=revoking_decision,
            ground=ground,
            recipients=recipients,
            recover_object=recover_object,
            reason=reason,
            records=records,
            by=by,
        )
        return self._commit(decision, *records.values())

    def recognize_initiative(
        self,
        *,
        recipient_kind: str,
        recipient: str,
        initiative: str,
        scope: str,
        year: int,
        reference: str,
        by: Provenance,
    ) -> int:
        """An initiative (sáng kiến) recognised at grassroots, province or national scope."""
        self._get("unit" if recipient_kind == "unit" else "staff", recipient)
        record = self._award_record(recipient_kind, recipient, by)
        record.recognize_initiative(initiative=initiative, scope=scope, year=year, reference=reference, by=by)
        return self._commit(record)

    def note_member_stats(self, *, unit: str, year: int, stats: dict[str, int], by: Provenance) -> int:
        """A collective's member figures for the year as its report gives them (members, completed,
        advanced, grassroots_fighters, and optionally disciplined: members disciplined from
        cảnh cáo up); used where the record cannot derive them."""
        self._get("unit", unit)
        record = self._award_record("unit", unit, by)
        record.note_fact(year=year, fact="member_stats", value=dict(stats), source="member_stats", by=by)
        return self._commit(record)

    def absorb_record(self, *, recipient_kind: str, recipient: str, predecessor: str, by: Provenance) -> int:
        """Carry a merged predecessor's record (same province) so consecutive years continue."""
        if predecessor == recipient:
            raise MalformedCommand("Không thể tiếp nhận hồ sơ của chính mình.")
        record = self._award_record(recipient_kind, recipient, by)
        before: AwardRecord = self._award_record(recipient_kind, predecessor, by)
        record.absorb(before, by)
        return self._commit(record)

    # Read DTOs for callers that need a fact back without a projection ---------------------------

    def get_proposal(self, key: str) -> dict[str, Any]:
        p = self._proposal(key)
        return {
            "key": p.key,
            "award": p.award,
            "recipient": p.recipient,
            "year": p.year,
            "status": p.status,
            "is_open": p.is_open,
            "prerequisites_met": list(p.prerequisites_met),
            "prerequisites_missing": list(p.prerequisites_missing),
            "decision": p.decision,
            "award_type": p.award_type,
        }
