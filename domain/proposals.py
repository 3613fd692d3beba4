"""Award proposals (đề nghị khen thưởng): dossier, disclosure, council vote, forwarding.

A proposal carries its award type (loại hình khen thưởng: thường xuyên, chuyên đề, đột xuất,
cống hiến, niên hạn, đối ngoại); prerequisite chains apply to regular ones. The council's ballot
is required for the awards the rules name (CSTĐ cấp tỉnh, toàn quốc: secret, 90 % of all
members, absent members' written opinions counted) or for every provincial award where the
province set so.

Judged in two stages (a design choice the scenario forces: a 2021 proposal whose prerequisites
are not in the record stays open):
- at submission, hard blockers refuse: unknown award, wrong recipient kind, wrong authority,
  a dissolved recipient, one under discipline, an achievement or initiative already used;
  prerequisites are evaluated against the record and the findings (met / missing) recorded;
- forwarding (by the council) and deciding refuse with PREREQUISITE_MISSING while anything is
  missing, re-evaluated against the record as it stands then.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from eventsourcing.domain import event

from .ballots import Ballot, BallotNotClosed
from .base import LedgerAggregate, require_text, require_year
from .catalogue import LOCAL_AUTHORITIES, REGULAR
from .dossier import StoredFile, check_item, item_names
from .dossier_flow import (
    BEFORE_COUNCIL,
    CLOSED,
    OPEN,
    RECALLABLE,
    RETURNABLE,
    DossierClosed,
    ProposalStatus,
    RecallTooLate,
    check_reason,
    check_reasons,
    due_on,
)
from .errors import (
    AlreadyRecorded,
    MalformedCommand,
    PrerequisiteMissing,
    vn_date,
)
from .ids import aggregate_id
from .proposal_checks import (
    BallotMismatch,
    DisclosureIncomplete,
    DisclosureNotOpen,
    DossierIncomplete,
    ProposalWrongState,
    QuorumNotMet,
    SecretBallotRequired,
    WrittenOpinionNotAllowed,
    WrongThreshold,
    check_award_type_allowed,
    check_recipient_and_authority,
    findings_for,
)
from .provenance import Provenance
from .recipients import RecipientFacts
from .rules import RuleSet, at_least
from .workdays import add_working_days

OPEN_STATES: tuple[str, ...] = tuple(OPEN)
S = ProposalStatus


class AwardProposal(LedgerAggregate):
    """One recipient, one award, one year; id from the proposal key."""

    class Submitted(LedgerAggregate.Created):
        # v1 had no award_type (every proposal then was a regular one); v2 no group
        class_version = 3
        province: str
        key: str
        proposer: str
        year: int
        award: str
        authority: str
        recipient_kind: str
        recipient: str
        recipient_name: str
        achievement: str | None
        dossier: dict[str, str]
        disclosure_required: bool
        prerequisites_met: list[str]
        prerequisites_missing: list[str]
        rule_version: str
        award_type: str
        # A grouped proposal (one tờ trình for a list): its number and the count it claims
        # ("06 tập thể"), kept beside the proposals that name recipients under it.
        group: str | None
        group_claimed_count: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["award_type"] = REGULAR

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.update(group=None, group_claimed_count=None)

    class DocumentAttached(LedgerAggregate.Event):
        """A paper added to the dossier: a reference, a stored file (hash, name, media type,
        size: the hash chain covers the file through them), or both."""

        class_version = 2  # v1: a reference only
        item: str
        reference: str | None
        file: dict[str, Any] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["file"] = None

    class DisclosureOpened(LedgerAggregate.Event):
        published_on: date
        comment_until: date
        channel: str

    class CommentRecorded(LedgerAggregate.Event):
        author: str
        text: str
        objection: bool
        within_window: bool

    class CouncilVoted(LedgerAggregate.Event):
        class_version = 2  # v1 judged the ballot alone: no written opinions, no recomputed count
        ballot: str
        outcome: str
        approved: bool
        written_opinions: list[dict[str, str]]
        approvals: int | None
        eligible: int | None
        threshold: list[int] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(written_opinions=[], approvals=None, eligible=None, threshold=None)

    class Forwarded(LedgerAggregate.Event):
        to_authority: str
        prerequisites_met: list[str]
        rule_version: str

    class Withdrawn(LedgerAggregate.Event):
        reason: str

    class Decided(LedgerAggregate.Event):
        decision: str

    # The board's handling of the dossier (dossier_flow.py) -----------------------------------

    class Received(LedgerAggregate.Event):
        """Tiếp nhận: the board takes the dossier in; `due_on`: assign an officer by then."""

        dossier_version: int
        due_on: date

    class Assigned(LedgerAggregate.Event):
        """Giao chuyên viên (again, with a reason, when reassigned); `due_on`: appraise by then."""

        officer: str
        officer_name: str
        reason: str | None
        due_on: date

    class Appraised(LedgerAggregate.Event):
        """Thẩm định: the officer's finding on the dossier."""

        officer: str | None
        finding: str

    class ReturnedForCorrection(LedgerAggregate.Event):
        """Trả lại để bổ sung, sửa đổi; `due_on`: the unit resubmits by then."""

        reasons: list[str]
        stage: str
        dossier_version: int
        due_on: date

    class Resubmitted(LedgerAggregate.Event):
        """Nộp lại: a new version; `dossier` holds the corrected or added papers (the earlier
        version's stay as they were, in `versions`)."""

        dossier_version: int
        dossier: dict[str, str]
        note: str | None

    class Recalled(LedgerAggregate.Event):
        """Thu hồi: the submitting unit takes the dossier back before appraisal."""

        reason: str

    def __init__(
        self,
        *,
        province: str,
        key: str,
        proposer: str,
        year: int,
        award: str,
        authority: str,
        recipient_kind: str,
        recipient: str,
        recipient_name: str,
        achievement: str | None,
        dossier: dict[str, str],
        disclosure_required: bool,
        prerequisites_met: list[str],
        prerequisites_missing: list[str],
        award_type: str = REGULAR,
        group: str | None = None,
        group_claimed_count: int | None = None,
    ) -> None:
        self.province = province
        self.group = group
        self.group_claimed_count = group_claimed_count
        self.award_type = award_type
        self.key = key
        self.proposer = proposer
        self.year = year
        self.award = award
        self.authority = authority
        self.recipient_kind = recipient_kind
        self.recipient = recipient
        self.recipient_name = recipient_name
        self.achievement = achievement
        self.dossier = dict(dossier)
        self.disclosure_required = disclosure_required
        self.prerequisites_met = list(prerequisites_met)
        self.prerequisites_missing = list(prerequisites_missing)
        self.status = "submitted"
        self.disclosure: dict[str, Any] | None = None
        self.comments: list[dict[str, Any]] = []
        self.council_ballot: str | None = None
        self.decision: str | None = None
        self.dossier_version = 1
        self.versions: list[dict[str, Any]] = []  # earlier versions: {version, dossier}
        self.officer: str | None = None
        self.due_on: date | None = None

    @classmethod
    def submit(
        cls,
        *,
        province: str,
        key: str,
        proposer: str,
        year: int,
        award_code: str,
        authority: str,
        recipient: RecipientFacts,
        achievement: str | None,
        dossier: dict[str, str],
        rules: RuleSet,
        by: Provenance,
        award_type: str = REGULAR,
        group: str | None = None,
        group_claimed_count: int | None = None,
    ) -> AwardProposal:
        """Refuse hard blockers; record prerequisite findings; reserve the achievement. Under a
        grouped proposal (`group`: the list's tờ trình) the count the list claims is kept."""
        require_year(year)
        group = require_text(group, "group") if group is not None else None
        if group_claimed_count is not None and (group is None or group_claimed_count < 0):
            raise MalformedCommand(
                "Số lượng nêu trong tờ trình chung cần số tờ trình chung và không thể âm.",
                field="groupClaimedCount",
            )
        check_recipient_and_authority(award_code, authority, recipient.kind)
        check_award_type_allowed(award_code, award_type, achievement)
        for item in dossier:
            check_item(item)
        findings = findings_for(award_code, year, recipient, rules, by.effective_on, award_type)
        if recipient.record is not None:
            recipient.record.check_not_awarded(award_code, year, achievement)
        elif achievement:
            raise MalformedCommand("Cần hồ sơ thành tích của đối tượng để giữ thành tích.")
        key = require_text(key, "key")
        proposal = cls._start(
            cls.Submitted,
            by,
            id=aggregate_id(province, "proposal", key),
            province=province,
            key=key,
            proposer=require_text(proposer, "proposer"),
            year=year,
            award=award_code,
            authority=authority,
            recipient_kind=recipient.kind,
            recipient=recipient.key,
            recipient_name=recipient.name,
            achievement=achievement,
            dossier=dict(dossier),
            disclosure_required=award_code in rules.disclosure_required_for,
            prerequisites_met=list(findings.met),
            prerequisites_missing=list(findings.missing),
            rule_version=rules.version,
            award_type=award_type,
            group=group,
            group_claimed_count=group_claimed_count,
        )
        if achievement and recipient.record is not None:
            recipient.record.reserve_achievement(
                achievement=achievement, award=award_code, year=year, proposal=key, by=by
            )
        return proposal

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def _check_state(self, *states: str) -> None:
        if self.status in CLOSED and self.status not in states:
            raise DossierClosed(
                f"Hồ sơ đề nghị «{self.key}» đã kết thúc (trạng thái «{self.status}»); không thể xử lý thêm.",
                proposal=self.key,
                status=self.status,
            )
        if self.status not in states:
            raise ProposalWrongState(
                f"Đề nghị «{self.key}» đang ở trạng thái «{self.status}».",
                proposal=self.key,
                status=self.status,
            )

    def attach(
        self, *, item: str, reference: str | None, by: Provenance, file: StoredFile | None = None
    ) -> None:
        """Add a paper to the dossier: its reference, a stored file, or both."""
        self._check_state(*OPEN_STATES)
        check_item(item)
        reference = require_text(reference, "reference") if reference is not None else None
        if reference is None and file is None:
            raise MalformedCommand(
                "Cần số hiệu giấy tờ hoặc tệp đã tải lên (hoặc cả hai).", field="reference"
            )
        entry = _dossier_entry(reference, file)
        if self.dossier.get(item) == entry:
            raise AlreadyRecorded(f"Giấy tờ «{entry}» đã có trong hồ sơ.", item=item)
        self._record(
            self.DocumentAttached,
            by,
            item=item,
            reference=reference,
            file=file.as_payload() if file is not None else None,
        )

    @event(DocumentAttached)
    def _on_attached(self, item: str, reference: str | None, file: dict[str, Any] | None) -> None:
        self.dossier[item] = _dossier_entry(reference, file)

    def open_disclosure(
        self, *, channel: str, rules: RuleSet, by: Provenance, holidays: Collection[date] = ()
    ) -> None:
        """Publish (công khai) for comment during the working days the rules set (weekends and
        the recorded `holidays` do not count)."""
        self._check_state(*BEFORE_COUNCIL)
        if self.disclosure is not None:
            raise AlreadyRecorded(f"Đề nghị «{self.key}» đã được công khai.")
        published = by.effective_on
        self._record(
            self.DisclosureOpened,
            by,
            published_on=published,
            comment_until=add_working_days(published, rules.disclosure_working_days, holidays),
            channel=require_text(channel, "channel"),
        )

    @event(DisclosureOpened)
    def _on_disclosed(self, published_on: date, comment_until: date, channel: str) -> None:
        self.disclosure = {"published_on": published_on, "comment_until": comment_until}

    def record_comment(self, *, author: str, text: str, objection: bool, by: Provenance) -> None:
        """Every comment or objection is recorded, late ones too (flagged)."""
        if self.disclosure is None:
            raise DisclosureNotOpen(f"Đề nghị «{self.key}» chưa được công khai.")
        self._record(
            self.CommentRecorded,
            by,
            author=require_text(author, "author"),
            text=require_text(text, "text"),
            objection=objection,
            within_window=by.effective_on <= self.disclosure["comment_until"],
        )

    @event(CommentRecorded)
    def _on_comment(self, author: str, text: str, objection: bool, within_window: bool) -> None:
        self.comments.append(
            {"author": author, "text": text, "objection": objection, "within": within_window}
        )

    def record_council_vote(
        self,
        *,
        ballot: Ballot,
        by: Provenance,
        rules: RuleSet | None = None,
        written_opinions: list[dict[str, str]] | None = None,
    ) -> bool:
        """The council's ballot on this proposal; returns whether it approved.

        Where the rules require a secret ballot (CSTĐ cấp tỉnh, toàn quốc) the ballot must be
        secret and its threshold the rules' (90 % of all members); absent members' written
        opinions (ý kiến bằng văn bản) count towards it where the rules allow them."""
        self._check_state(*BEFORE_COUNCIL)
        if ballot.status != "tallied" or ballot.result is None:
            raise BallotNotClosed(f"Cuộc bỏ phiếu «{ballot.key}» chưa kiểm phiếu.")
        if ballot.subject != self.key or ballot.award != self.award:
            raise BallotMismatch(f"Cuộc bỏ phiếu «{ballot.key}» không về đề nghị này.")
        if not ballot.result["quorum_met"]:
            raise QuorumNotMet(f"Cuộc bỏ phiếu «{ballot.key}» không đủ túc số.")
        if self.disclosure_required:
            self._check_disclosure_complete(by.effective_on)
        opinions = [dict(o) for o in written_opinions or []]
        approved = bool(ballot.result["winner"] == "approve")
        approvals: int | None = None
        threshold: list[int] | None = None
        eligible = len(ballot.voters)
        if rules is not None:
            self._check_council_rules(ballot, rules, opinions)
            wanted = rules.threshold_for(self.award)
            threshold = list(wanted)
            approvals = int(ballot.result["counts"].get("approve", 0)) + sum(
                1 for o in opinions if o["choice"] == "approve"
            )
            denominator = (
                eligible if ballot.denominator == "all" else len(ballot.present) + len(opinions)
            )
            approved = at_least(approvals, denominator, wanted)
        self._record(
            self.CouncilVoted,
            by,
            ballot=ballot.key,
            outcome=ballot.result["outcome"] if rules is None else ("decided" if approved else "not_reached"),
            approved=approved,
            written_opinions=opinions,
            approvals=approvals,
            eligible=eligible,
            threshold=threshold,
        )
        return approved

    def _check_council_rules(self, ballot: Ballot, rules: RuleSet, opinions: list[dict[str, str]]) -> None:
        name = self.award
        if name in rules.secret_ballot_required_for and not ballot.secret:
            raise SecretBallotRequired(
                f"Xét «{name}» Hội đồng phải bỏ phiếu kín.", proposal=self.key, ballot=ballot.key
            )
        wanted = list(rules.threshold_for(name))
        if name in rules.secret_ballot_required_for and (
            ballot.threshold != wanted or ballot.denominator != "all"
        ):
            raise WrongThreshold(
                f"Cuộc bỏ phiếu «{ballot.key}» phải lấy ngưỡng {wanted[0]}/{wanted[1]} "
                "trên tổng số thành viên Hội đồng.",
                ballot=ballot.key,
            )
        if not opinions:
            return
        if name not in rules.written_opinions_allowed_for:
            raise WrittenOpinionNotAllowed(
                f"Xét «{name}» không lấy ý kiến bằng văn bản của thành viên vắng mặt.", proposal=self.key
            )
        members = [o.get("member", "") for o in opinions]
        for o in opinions:
            member, choice = o.get("member", ""), o.get("choice", "")
            if member not in ballot.voters or member in ballot.cast_by or members.count(member) > 1:
                raise WrittenOpinionNotAllowed(
                    f"«{member}» không phải thành viên Hội đồng vắng mặt (hoặc đã có ý kiến).",
                    member=member,
                )
            if choice not in ballot.options or not o.get("reference", "").strip():
                raise MalformedCommand(
                    f"Ý kiến bằng văn bản của «{member}» cần phương án hợp lệ và số hiệu văn bản.",
                    member=member,
                )

    def _check_disclosure_complete(self, meeting: date) -> None:
        if self.disclosure is None or meeting < self.disclosure["comment_until"]:
            until = self.disclosure["comment_until"] if self.disclosure else None
            raise DisclosureIncomplete(
                "Đề nghị khen thưởng cấp Nhà nước phải công khai đủ thời hạn trước khi Hội đồng "
                + (f"họp (đến {vn_date(until)})." if until else "họp; chưa công khai."),
                proposal=self.key,
            )

    @event(CouncilVoted)
    def _on_council_voted(self, ballot: str, approved: bool) -> None:
        self.council_ballot = ballot
        self.dossier.setdefault("ballot_result", ballot)
        self.status = "council_approved" if approved else "council_rejected"

    def needs_council_ballot(self, rules: RuleSet) -> bool:
        """Whether the council must have approved by ballot before forwarding."""
        return self.award in rules.council_ballot_required_for or (
            rules.council_ballot_for_every_provincial_award and self.authority not in LOCAL_AUTHORITIES
        )

    def forward(self, *, recipient: RecipientFacts, rules: RuleSet, by: Provenance) -> None:
        """Forward to the deciding authority: approved, dossier complete, prerequisites met."""
        needs_council = self.needs_council_ballot(rules)
        allowed = (S.COUNCIL_APPROVED,) if needs_council else (*BEFORE_COUNCIL, S.COUNCIL_APPROVED)
        self._check_state(*allowed)
        required = rules.dossier_items_for(self.award) + (("ballot_result",) if needs_council else ())
        missing_docs = [item for item in required if item not in self.dossier]
        if missing_docs:
            raise DossierIncomplete(
                f"Hồ sơ thiếu: {item_names(missing_docs)}.", missing=", ".join(missing_docs)
            )
        findings = findings_for(self.award, self.year, recipient, rules, by.effective_on, self.award_type)
        if findings.missing:
            raise PrerequisiteMissing(
                f"«{self.recipient_name}» chưa đủ điều kiện: {', '.join(findings.missing)}.",
                missing=", ".join(findings.missing),
                proposal=self.key,
            )
        self._record(
            self.Forwarded,
            by,
            to_authority=self.authority,
            prerequisites_met=list(findings.met),
            rule_version=rules.version,
        )

    @event(Forwarded)
    def _on_forwarded(self, prerequisites_met: list[str]) -> None:
        self.status = "forwarded"
        self.due_on = None
        self.prerequisites_met = list(prerequisites_met)
        self.prerequisites_missing = []

    def withdraw(self, *, reason: str, recipient: RecipientFacts, by: Provenance) -> None:
        """Withdrawn or cut by the council; the achievement becomes free again."""
        self._check_state(*OPEN_STATES, S.COUNCIL_REJECTED)
        self._record(self.Withdrawn, by, reason=require_text(reason, "reason"))
        record = recipient.record
        if self.achievement and record is not None and self.achievement in record.achievements:
            record.release_achievement(achievement=self.achievement, reason=reason, by=by)

    @event(Withdrawn)
    def _on_withdrawn(self) -> None:
        self.status = "withdrawn"

    def mark_decided(self, *, decision: str, by: Provenance) -> None:
        self._check_state("forwarded")
        self._record(self.Decided, by, decision=decision)

    @event(Decided)
    def _on_decided(self, decision: str) -> None:
        self.status = "decided"
        self.decision = decision
        self.due_on = None

    # The board's handling of the dossier (dossier_flow.py) ---------------------------------------

    def receive(self, *, rules: RuleSet, by: Provenance, holidays: Collection[date] = ()) -> None:
        """Tiếp nhận: the board takes in a submitted (or resubmitted) dossier."""
        self._check_state(S.SUBMITTED)
        self._record(
            self.Received,
            by,
            dossier_version=self.dossier_version,
            due_on=due_on("received", by.effective_on, rules, holidays),
        )

    @event(Received)
    def _on_received(self, due_on: date) -> None:
        self.status = "received"
        self.due_on = due_on

    def assign(
        self,
        *,
        officer: str,
        officer_name: str,
        reason: str | None,
        rules: RuleSet,
        by: Provenance,
        holidays: Collection[date] = (),
    ) -> None:
        """Giao chuyên viên thẩm định; reassigning an assigned dossier needs a reason."""
        self._check_state(S.RECEIVED, S.ASSIGNED)
        officer = require_text(officer, "officer")
        if self.status == S.ASSIGNED:
            if officer == self.officer:
                raise AlreadyRecorded(f"Hồ sơ «{self.key}» đã giao cho «{officer}».", proposal=self.key)
            reason = check_reason(reason or "", "reason")
        self._record(
            self.Assigned,
            by,
            officer=officer,
            officer_name=require_text(officer_name, "officerName"),
            reason=reason.strip() if reason and reason.strip() else None,
            due_on=due_on("assigned", by.effective_on, rules, holidays),
        )

    @event(Assigned)
    def _on_assigned(self, officer: str, due_on: date) -> None:
        self.status = "assigned"
        self.officer = officer
        self.due_on = due_on

    def appraise(self, *, finding: str, by: Provenance) -> None:
        """Thẩm định: the assigned officer's finding is recorded."""
        self._check_state(S.ASSIGNED)
        self._record(self.Appraised, by, officer=self.officer, finding=require_text(finding, "finding"))

    @event(Appraised)
    def _on_appraised(self) -> None:
        self.status = "appraised"
        self.due_on = None

    def return_for_correction(
        self, *, reasons: list[str], rules: RuleSet, by: Provenance, holidays: Collection[date] = ()
    ) -> None:
        """Trả lại để bổ sung, sửa đổi: from any stage before the decision, with reasons."""
        cleaned = check_reasons(reasons)
        self._check_state(*RETURNABLE)
        self._record(
            self.ReturnedForCorrection,
            by,
            reasons=cleaned,
            stage=str(self.status),
            dossier_version=self.dossier_version,
            due_on=due_on("returned", by.effective_on, rules, holidays),
        )

    @event(ReturnedForCorrection)
    def _on_returned(self, due_on: date) -> None:
        self.status = "returned"
        self.due_on = due_on

    def resubmit(self, *, dossier: dict[str, str], note: str | None, by: Provenance) -> None:
        """Nộp lại: a new version of a returned dossier; the earlier version is kept as it was."""
        self._check_state(S.RETURNED)
        for item in dossier:
            check_item(item)
        corrected = {item: require_text(ref, f"dossier.{item}") for item, ref in dossier.items()}
        self._record(
            self.Resubmitted,
            by,
            dossier_version=self.dossier_version + 1,
            dossier=corrected,
            note=note.strip() if note and note.strip() else None,
        )

    @event(Resubmitted)
    def _on_resubmitted(self, dossier_version: int, dossier: dict[str, str]) -> None:
        self.versions.append({"version": self.dossier_version, "dossier": dict(self.dossier)})
        self.dossier_version = dossier_version
        self.dossier.update(dossier)
        self.status = "submitted"
        self.officer = None
        self.due_on = None
        self.council_ballot = None

    def recall(self, *, reason: str, recipient: RecipientFacts, by: Provenance) -> None:
        """Thu hồi: the submitting unit takes its dossier back, before appraisal only; the
        achievement it reserved becomes free again."""
        reason = check_reason(reason)
        if self.status not in CLOSED and self.status not in RECALLABLE:
            raise RecallTooLate(
                f"Hồ sơ «{self.key}» đã được thẩm định (trạng thái «{self.status}»); không thể thu hồi, "
                "chỉ có thể đề nghị rút.",
                proposal=self.key,
                status=self.status,
            )
        self._check_state(*RECALLABLE)
        self._record(self.Recalled, by, reason=reason)
        record = recipient.record
        if self.achievement and record is not None and self.achievement in record.achievements:
            record.release_achievement(achievement=self.achievement, reason=reason, by=by)

    @event(Recalled)
    def _on_recalled(self) -> None:
        self.status = "recalled"
        self.due_on = None


def _dossier_entry(reference: str | None, file: StoredFile | dict[str, Any] | None) -> str:
    """What the dossier keeps for an item: the reference, else the stored file's hash."""
    if reference is not None:
        return reference
    digest = file.sha256 if isinstance(file, StoredFile) else (file or {}).get("sha256")
    return f"sha256:{digest}"
