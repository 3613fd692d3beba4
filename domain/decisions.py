"""Award decisions (quyết định khen thưởng) and their revocation (hủy bỏ, thu hồi).

A decision has a number, a date (the effective date), a signer and an authority, and names its
recipients. A grouped decision may claim a count that differs from the recipients it names
("06 units" and five names): both are recorded, `count_mismatch` flags it, nothing is refused.
A decision is never deleted: it is revoked by a later decision, with a ground, and the object
and prize money are recovered.

`record_decision` and `revoke_decision` change several aggregates together (the decision, each
recipient's AwardRecord, the proposals it answers); services save them in one `save(...)`.
"""

from __future__ import annotations

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .catalogue import award as catalogue_award
from .errors import AlreadyRecorded, MalformedCommand, PrerequisiteMissing
from .ids import aggregate_id
from .proposal_checks import check_recipient_and_authority, findings_for
from .proposals import AwardProposal
from .provenance import Provenance
from .recipients import RecipientFacts
from .records import AwardRecord
from .rules import RuleSet

REVOCATION_GROUNDS = {
    "fraudulent_achievements": "khai man thành tích",
    "false_documents": "giả mạo hồ sơ",
    "unlawful_approval": "đề nghị, xét duyệt trái pháp luật",
    "later_violation": "vi phạm bị phát hiện sau trong thời gian được khen",
}


class AwardDecision(LedgerAggregate):
    """Id from the decision number (e.g. "1234/QĐ-UBND")."""

    class Recorded(LedgerAggregate.Created):
        province: str
        number: str
        signer: str
        authority: str
        award: str
        year: int
        recipients: list[dict[str, str]]
        claimed_count: int | None
        count_mismatch: bool
        proposals: list[str]
        historical: bool
        prize_multiple_each: dict[str, float]
        prize_multiple_total: float
        rule_version: str

    class Revoked(LedgerAggregate.Event):
        revoking_decision: str
        ground: str
        recipients: list[str]
        recover_object: bool
        recover_prize_multiple: float
        reason: str

    def __init__(
        self,
        *,
        province: str,
        number: str,
        signer: str,
        authority: str,
        award: str,
        year: int,
        recipients: list[dict[str, str]],
        claimed_count: int | None,
        count_mismatch: bool,
        proposals: list[str],
        historical: bool,
        prize_multiple_each: dict[str, float],
    ) -> None:
        self.province = province
        self.number = number
        self.signer = signer
        self.authority = authority
        self.award = award
        self.year = year
        self.recipients = [dict(r) for r in recipients]
        self.claimed_count = claimed_count
        self.count_mismatch = count_mismatch
        self.proposals = list(proposals)
        self.historical = historical
        self.prize_multiple_each = dict(prize_multiple_each)
        self.revoked_for: list[str] = []

    def revoke(
        self,
        *,
        revoking_decision: str,
        ground: str,
        recipients: list[str] | None,
        recover_object: bool,
        reason: str,
        records: dict[str, AwardRecord],
        by: Provenance,
    ) -> None:
        """Revoke for all (None) or some recipients; strike the titles; recover the prize."""
        if ground not in REVOCATION_GROUNDS:
            raise MalformedCommand(f"Căn cứ hủy bỏ «{ground}» không hợp lệ.", ground=ground)
        named = [r["key"] for r in self.recipients]
        targets = list(named if recipients is None else recipients)
        if not targets or set(targets) - set(named):
            raise MalformedCommand("Chỉ hủy bỏ đối với người được khen trong quyết định này.")
        already = set(targets) & set(self.revoked_for)
        if already:
            raise AlreadyRecorded(
                f"Đã hủy bỏ khen thưởng đối với: {', '.join(sorted(already))}.",
                decision=self.number,
            )
        if set(targets) - set(records):
            raise MalformedCommand("Thiếu hồ sơ thành tích của người bị hủy khen thưởng.")
        recovered = sum(
            self.prize_multiple_each.get(r["kind"], 0.0) for r in self.recipients if r["key"] in targets
        )
        self._record(
            self.Revoked,
            by,
            revoking_decision=require_text(revoking_decision, "revoking_decision"),
            ground=ground,
            recipients=targets,
            recover_object=recover_object,
            recover_prize_multiple=round(recovered, 2),
            reason=require_text(reason, "reason"),
        )
        for key in targets:
            records[key].strike_title(decision=self.number, revoked_by=revoking_decision, by=by)

    @event(Revoked)
    def _on_revoked(self, recipients: list[str]) -> None:
        self.revoked_for.extend(recipients)


def _check_proposals(
    proposals: list[AwardProposal], award_code: str, names: set[str], historical: bool
) -> None:
    covered = {p.recipient for p in proposals}
    for p in proposals:
        if p.award != award_code or p.recipient not in names:
            raise MalformedCommand(f"Đề nghị «{p.key}» không khớp quyết định.", proposal=p.key)
        if p.status != "forwarded":
            raise MalformedCommand(
                f"Đề nghị «{p.key}» chưa được trình (trạng thái «{p.status}»).", proposal=p.key
            )
    needs_proposal = catalogue_award(award_code).authority != "head_of_agency"
    if needs_proposal and not historical and names - covered:
        raise PrerequisiteMissing(
            "Khen thưởng cấp tỉnh, cấp Nhà nước phải có đề nghị đã được Hội đồng trình: "
            + ", ".join(sorted(names - covered)),
            missing="proposal",
        )


def record_decision(
    *,
    province: str,
    number: str,
    signer: str,
    authority: str,
    award_code: str,
    year: int,
    recipients: list[RecipientFacts],
    claimed_count: int | None,
    proposals: list[AwardProposal],
    historical: bool,
    rules: RuleSet,
    by: Provenance,
) -> AwardDecision:
    """Record a decision; enter the title on each recipient's record; close the proposals.

    `historical=True` records a decision made before the ledger existed (no proposal chain);
    authority, dissolution, discipline, prerequisites and double awards are checked all the same.
    """
    require_year(year)
    number = require_text(number, "number")
    if not recipients:
        raise MalformedCommand("Quyết định phải nêu ít nhất một đối tượng.")
    if claimed_count is not None and claimed_count < 0:
        raise MalformedCommand("Số lượng nêu trong quyết định không thể âm.")
    keys = [r.key for r in recipients]
    if len(set(keys)) != len(keys):
        raise MalformedCommand("Danh sách đối tượng có người trùng lặp.")
    records: list[AwardRecord] = []
    for r in recipients:
        check_recipient_and_authority(award_code, authority, r.kind)
        findings = findings_for(award_code, year, r, rules, by.effective_on)
        if findings.missing:
            raise PrerequisiteMissing(
                f"«{r.name}» chưa đủ điều kiện: {', '.join(findings.missing)}.",
                recipient=r.key,
                missing=", ".join(findings.missing),
            )
        if r.record is None:
            raise MalformedCommand(f"Cần hồ sơ thành tích của «{r.name}».", recipient=r.key)
        r.record.check_not_awarded(award_code, year, None)
        records.append(r.record)
    _check_proposals(proposals, award_code, set(keys), historical)
    each = {r.kind: rules.prize_multiple(award_code, collective=r.collective) for r in recipients}
    decision = AwardDecision._start(
        AwardDecision.Recorded,
        by,
        id=aggregate_id(province, "decision", number),
        province=province,
        number=number,
        signer=require_text(signer, "signer"),
        authority=authority,
        award=award_code,
        year=year,
        recipients=[{"kind": r.kind, "key": r.key, "name": r.name} for r in recipients],
        claimed_count=claimed_count,
        count_mismatch=claimed_count is not None and claimed_count != len(recipients),
        proposals=[p.key for p in proposals],
        historical=historical,
        prize_multiple_each=each,
        prize_multiple_total=round(sum(each[r.kind] for r in recipients), 2),
        rule_version=rules.version,
    )
    for record in records:
        record.enter_title(year=year, award=award_code, decision=number, by=by)
    for p in proposals:
        p.mark_decided(decision=number, by=by)
    return decision
