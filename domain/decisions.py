"""Award decisions (quyết định khen thưởng) and their revocation (hủy bỏ, thu hồi).

A decision has a number, a date (the effective date), a signer and an authority, and grants one
or more titles or forms (`Grant`: danh hiệu / hình thức) each to one or many recipients (hundreds
in a year-end decision); a recipient is named once in a decision. A decision, or one of its
grants, may claim a count that differs from the recipients it names ("06 tập thể" and five
names): both are recorded, `count_mismatch` flags it, nothing is refused.
A decision is never deleted: it is revoked by a later decision, with a ground, and the object
and prize money are recovered.

Prize money (tiền thưởng) is fixed when the decision is recorded, by the rules of its date: each
recipient's multiple (Decimal) and amount in đồng (multiple × the base salary in force on the
decision date, rounded up to 10,000), and the decision's total; a revocation recovers the amounts
of the recipients it names. A decision recorded before amounts were kept (event version 1) shows
none rather than an amount computed afterwards.

`record_decision` and `revoke_decision` change several aggregates together (the decision, each
recipient's AwardRecord, the proposals it answers); services save them in one `save(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .catalogue import AWARD_TYPES_VI, LOCAL_AUTHORITIES, REGULAR, check_award_type
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
        # v1: float multiples, no amounts in đồng; v2: one award for every recipient
        class_version = 3
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
        prize_multiple_each: dict[str, Decimal | None]
        prize_multiple_total: Decimal
        rule_version: str
        prizes: list[dict[str, Any]]
        prize_total: int | None
        base_salary: int | None
        base_salary_source: str | None
        prize_table: str | None
        award_type: str
        prerequisites_missing: dict[str, list[str]]  # historical: recipient -> missing, recorded
        # One entry per title or form granted: award, claimed_count, named, count_mismatch.
        # Each recipient (and prize line) names its award; `award` is the first grant's.
        grants: list[dict[str, Any]]

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            award = state.get("award")
            recipients = state.get("recipients") or []
            for r in recipients:
                r.setdefault("award", award)
            for line in state.get("prizes") or []:
                line.setdefault("award", award)
            state["grants"] = [
                {"award": award, "claimed_count": None, "named": len(recipients), "count_mismatch": False}
            ]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["award_type"] = REGULAR
            state["prerequisites_missing"] = {}
            state["prize_multiple_each"] = {
                k: Decimal(str(v)) for k, v in (state.get("prize_multiple_each") or {}).items()
            }
            state["prize_multiple_total"] = Decimal(str(state.get("prize_multiple_total") or 0))
            state.update(
                prizes=[], prize_total=None, base_salary=None, base_salary_source=None, prize_table=None
            )

    class Revoked(LedgerAggregate.Event):
        class_version = 2  # v1: a float multiple, no amount
        revoking_decision: str
        ground: str
        recipients: list[str]
        recover_object: bool
        recover_prize_multiple: Decimal
        reason: str
        recover_amount: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["recover_prize_multiple"] = Decimal(str(state.get("recover_prize_multiple") or 0))
            state["recover_amount"] = None

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
        prize_multiple_each: dict[str, Decimal | None],
        prizes: list[dict[str, Any]] | None = None,
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
        self.prizes = [dict(p) for p in prizes or []]
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
        lines = {str(p["recipient"]): p for p in self.prizes}
        recovered = sum(
            (
                (
                    lines[r["key"]]["multiple"]
                    if r["key"] in lines
                    else self.prize_multiple_each.get(r["kind"])
                )
                or Decimal(0)
                for r in self.recipients
                if r["key"] in targets
            ),
            Decimal(0),
        )
        amounts = [p.get("amount") for p in self.prizes if p["recipient"] in targets]
        self._record(
            self.Revoked,
            by,
            revoking_decision=require_text(revoking_decision, "revoking_decision"),
            ground=ground,
            recipients=targets,
            recover_object=recover_object,
            recover_prize_multiple=recovered,
            reason=require_text(reason, "reason"),
            recover_amount=sum(a for a in amounts if a is not None)
            if amounts and None not in amounts
            else None,
        )
        for key in targets:
            records[key].strike_title(decision=self.number, revoked_by=revoking_decision, by=by)

    @event(Revoked)
    def _on_revoked(self, recipients: list[str]) -> None:
        self.revoked_for.extend(recipients)


@dataclass(frozen=True)
class Grant:
    """One title or form a decision grants (danh hiệu / hình thức khen thưởng), its recipients,
    and the count the decision's text claims for it ("06 tập thể"; None: no count given)."""

    award: str
    recipients: list[RecipientFacts]
    claimed_count: int | None = None

    def as_payload(self) -> dict[str, Any]:
        named = len(self.recipients)
        claimed = self.claimed_count
        return {
            "award": self.award,
            "claimed_count": claimed,
            "named": named,
            "count_mismatch": claimed is not None and claimed != named,
        }


def _check_proposals(proposals: list[AwardProposal], awarded: dict[str, str], historical: bool) -> None:
    """Each proposal answered names a recipient of the decision and that recipient's award;
    a provincial or state award needs the council's forwarded proposal for every recipient."""
    covered = {p.recipient for p in proposals}
    for p in proposals:
        if awarded.get(p.recipient) != p.award:
            raise MalformedCommand(f"Đề nghị «{p.key}» không khớp quyết định.", proposal=p.key)
        if p.status != "forwarded":
            raise MalformedCommand(
                f"Đề nghị «{p.key}» chưa được trình (trạng thái «{p.status}»).", proposal=p.key
            )
    needing = {
        key
        for key, award_code in awarded.items()
        if catalogue_award(award_code).authority not in LOCAL_AUTHORITIES
    }
    if not historical and needing - covered:
        raise PrerequisiteMissing(
            "Khen thưởng cấp tỉnh, cấp Nhà nước phải có đề nghị đã được Hội đồng trình: "
            + ", ".join(sorted(needing - covered)),
            missing="proposal",
        )


def prize_lines(
    award_code: str, authority: str, recipients: list[RecipientFacts], rules: RuleSet
) -> list[dict[str, Any]]:
    """One line per recipient: multiple (Decimal, None when that kind cannot receive it) and
    amount in đồng (None when no base salary is known for the date)."""
    return [
        {
            "recipient": r.key,
            "kind": r.kind,
            "award": award_code,
            "multiple": rules.prize_multiple(award_code, r.collective, authority),
            "amount": rules.prize(award_code, r.collective, authority),
        }
        for r in recipients
    ]


def record_decision(
    *,
    province: str,
    number: str,
    signer: str,
    authority: str,
    award_code: str | None,
    year: int,
    recipients: list[RecipientFacts],
    claimed_count: int | None,
    proposals: list[AwardProposal],
    historical: bool,
    rules: RuleSet,
    by: Provenance,
    award_type: str = REGULAR,
    grants: list[Grant] | None = None,
) -> AwardDecision:
    """Record a decision; enter each recipient's title on their record; close the proposals.

    The decision grants `award_code` to `recipients`, and/or each of `grants` (several titles or
    forms, each to its recipients); `claimed_count` is the count the decision's text claims for
    all of them. `historical=True` records a decision made before the ledger existed (no
    proposal chain); authority, dissolution, discipline and double awards are checked all the
    same, and the prerequisites the record does not show are recorded on the decision (not
    refused).
    """
    require_year(year)
    number = require_text(number, "number")
    granted = ([Grant(award_code, recipients)] if award_code is not None and recipients else []) + list(
        grants or []
    )
    everyone = [r for g in granted for r in g.recipients]
    if not everyone or any(not g.recipients for g in granted):
        raise MalformedCommand("Quyết định phải nêu ít nhất một đối tượng cho mỗi danh hiệu, hình thức.")
    if any(c is not None and c < 0 for c in (claimed_count, *(g.claimed_count for g in granted))):
        raise MalformedCommand("Số lượng nêu trong quyết định không thể âm.")
    _check_named_once(everyone)
    check_award_type(award_type)
    for g in granted:
        if award_type not in catalogue_award(g.award).award_types:
            raise MalformedCommand(
                f"Danh hiệu chỉ xét theo loại hình «{AWARD_TYPES_VI[REGULAR]}».", award=g.award
            )
    if any(p.award_type != award_type for p in proposals):
        raise MalformedCommand(
            "Loại hình khen thưởng của quyết định khác của đề nghị.", award_type=award_type
        )
    records: list[tuple[AwardRecord, str]] = []
    unmet: dict[str, list[str]] = {}
    for g in granted:
        for r in g.recipients:
            check_recipient_and_authority(g.award, authority, r.kind)
            findings = findings_for(g.award, year, r, rules, by.effective_on, award_type)
            if findings.missing and historical:
                # A decision the authority made before the ledger existed is a fact: the archive
                # rarely carries the years its chain rests on, so what the record lacks is
                # recorded beside it, visibly, instead of refusing to record the decision.
                unmet[r.key] = list(findings.missing)
            elif findings.missing:
                raise PrerequisiteMissing(
                    f"«{r.name}» chưa đủ điều kiện: {', '.join(findings.missing)}.",
                    recipient=r.key,
                    missing=", ".join(findings.missing),
                )
            if r.record is None:
                raise MalformedCommand(f"Cần hồ sơ thành tích của «{r.name}».", recipient=r.key)
            r.record.check_not_awarded(g.award, year, None)
            records.append((r.record, g.award))
    _check_proposals(proposals, {r.key: g.award for g in granted for r in g.recipients}, historical)
    prizes = [line for g in granted for line in prize_lines(g.award, authority, g.recipients, rules)]
    # Multiples by recipient kind: meaningful for one award only (every line carries its own).
    each = {line["kind"]: line["multiple"] for line in prizes} if len(granted) == 1 else {}
    amounts = [line["amount"] for line in prizes]
    salary = rules.base_salary
    grant_lines = [g.as_payload() for g in granted]
    decision = AwardDecision._start(
        AwardDecision.Recorded,
        by,
        id=aggregate_id(province, "decision", number),
        province=province,
        number=number,
        signer=require_text(signer, "signer"),
        authority=authority,
        award=granted[0].award,
        year=year,
        recipients=[
            {"kind": r.kind, "key": r.key, "name": r.name, "award": g.award}
            for g in granted
            for r in g.recipients
        ],
        claimed_count=claimed_count,
        count_mismatch=(claimed_count is not None and claimed_count != len(everyone))
        or any(line["count_mismatch"] for line in grant_lines),
        proposals=[p.key for p in proposals],
        historical=historical,
        prize_multiple_each=each,
        prize_multiple_total=sum((line["multiple"] or Decimal(0) for line in prizes), Decimal(0)),
        rule_version=rules.version,
        prizes=prizes,
        prize_total=None if None in amounts else sum(a for a in amounts if a is not None),
        base_salary=salary.amount if salary else None,
        base_salary_source=salary.source.cite() if salary else None,
        prize_table=rules.prize_table.version,
        award_type=award_type,
        prerequisites_missing=unmet,
        grants=grant_lines,
    )
    for record, granted_award in records:
        record.enter_title(year=year, award=granted_award, decision=number, by=by)
    for p in proposals:
        p.mark_decided(decision=number, by=by)
    return decision


def _check_named_once(recipients: list[RecipientFacts]) -> None:
    seen: set[tuple[str, str]] = set()
    for r in recipients:
        if (r.kind, r.key) in seen:
            raise DuplicateRecipient(
                f"Quyết định nêu «{r.name}» hai lần; mỗi đối tượng chỉ được nêu một lần "
                "trong một quyết định.",
                recipient=r.key,
            )
        seen.add((r.kind, r.key))


class DuplicateRecipient(MalformedCommand):
    """A decision names the same recipient twice."""

    code = "DUPLICATE_RECIPIENT"
