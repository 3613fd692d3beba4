"""How paperwork reads decisions and proposals: one line per recipient and award.

Every sheet, form and document that lists who received what reads it through `decision_lines`
and `proposal_lines`, never from the decision's fields directly. A decision grants one or more
awards (its grants), each recipient with its own award and prize line (multiple and amount in
đồng; None for decisions recorded before amounts were kept). A claimed count that differs from
the recipients named is stated in one sentence (`count_mismatch`), the same in every document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from thidua.domain.catalogue import AUTHORITY_NAMES_VI, CATALOGUE
from thidua.domain.dossier_flow import STATUS_VI, ProposalStatus
from thidua.projections.awards.model import Decision, Proposal
from thidua.projections.awards.queries import list_decisions, list_proposals

KIND_NAMES = {"unit": "Tập thể", "staff": "Cá nhân"}


def award_name(code: str) -> str:
    """The award's Vietnamese name from the catalogue (an archived name outside it as given)."""
    found = CATALOGUE.get(code)
    return found.name_vi if found is not None else code


@dataclass(frozen=True)
class AwardLine:
    """One recipient's award on one decision (khen thưởng của một đối tượng)."""

    decision: str
    decided_on: date | None
    signer: str | None
    authority: str | None
    award: str
    year: int
    recipient_kind: str  # unit | staff
    recipient: str
    recipient_name: str
    prize_multiple: Decimal | None  # × the base salary (lương cơ sở), exact
    amount: int | None  # đồng, as the decision fixed it; None for decisions recorded before amounts
    award_type: str | None  # thuong_xuyen, chuyen_de, ...; None for decisions recorded before it
    revoked_by: str | None  # the revoking decision (hủy bỏ), if this line was revoked
    historical: bool
    # A successor's revocation after the merger (`revokePredecessorAward`): when, by which of its
    # authorities, and the successor's code; None for a revocation in the decision's own province.
    revoked_on: date | None = None
    revoked_authority: str | None = None
    revoked_in: str | None = None

    @property
    def award_name(self) -> str:
        found = CATALOGUE.get(self.award)
        return found.name_vi if found is not None else self.award

    @property
    def authority_name(self) -> str:
        return AUTHORITY_NAMES_VI.get(self.authority or "", self.authority or "")

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.recipient_kind, self.recipient_kind)


def _multiple(decision: Decision, kind: str, key: str) -> Decimal | None:
    """A recipient's multiple: its prize line's, else (decisions before prize lines) its kind's."""
    line = decision.prize_of(key)
    if line is not None and line.get("multiple") is not None:
        return Decimal(str(line["multiple"]))
    return decision.prize_multiple_each.get(kind)


def decision_lines(decision: Decision) -> list[AwardLine]:
    """The decision's recipients with their award, in the decision's order."""
    decided_on = date.fromisoformat(decision.decided_on) if decision.decided_on else None
    revoked: dict[str, Mapping[str, Any]] = {}
    for revocation in decision.revocations:
        named = revocation.get("recipients") or [r.get("key") for r in decision.recipients]
        for key in named:
            revoked.setdefault(str(key), revocation)
    lines = []
    for r in decision.recipients:
        kind, key = str(r.get("kind")), str(r.get("key"))
        by = revoked.get(key)
        later = by is not None and by.get("recorded_in") is not None
        lines.append(
            AwardLine(
                decision=decision.number,
                decided_on=decided_on,
                signer=decision.signer,
                authority=decision.authority,
                award=str(r.get("award") or decision.award),
                year=decision.year,
                recipient_kind=kind,
                recipient=key,
                recipient_name=str(r.get("name") or key),
                prize_multiple=_multiple(decision, kind, key),
                amount=(decision.prize_of(key) or {}).get("amount"),
                award_type=decision.award_type,
                revoked_by=None if by is None else str(by.get("revoking_decision")),
                historical=decision.historical,
                revoked_on=date.fromisoformat(str(by.get("effective_on"))) if later and by else None,
                revoked_authority=str(by.get("revoking_authority")) if later and by else None,
                revoked_in=str(by.get("recorded_in")) if later and by else None,
            )
        )
    return lines


@dataclass(frozen=True)
class ProposedLine:
    """One recipient of a proposal (đề nghị) and the award asked for."""

    proposal: str
    proposer: str | None
    year: int
    award: str
    recipient_kind: str
    recipient: str
    recipient_name: str
    status: str
    decision: str | None

    @property
    def award_name(self) -> str:
        found = CATALOGUE.get(self.award)
        return found.name_vi if found is not None else self.award

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.recipient_kind, self.recipient_kind)

    @property
    def status_name(self) -> str:
        """The status's Vietnamese label (the ProposalStatus vocabulary), not its code."""
        return status_name(self.status)


def status_name(code: str) -> str:
    try:
        return STATUS_VI[ProposalStatus(code)]
    except ValueError:
        return code


def proposal_lines(proposal: Proposal) -> list[ProposedLine]:
    """The proposal's recipients: one today; a grouped proposal (issue 15) names many."""
    return [
        ProposedLine(
            proposal=proposal.key,
            proposer=proposal.proposer,
            year=proposal.year,
            award=proposal.award,
            recipient_kind=proposal.recipient_kind,
            recipient=proposal.recipient,
            recipient_name=proposal.recipient_name or proposal.recipient,
            status=proposal.status,
            decision=proposal.decision,
        )
    ]


def _who(kinds: Sequence[str]) -> str:
    found = set(kinds)
    return "tập thể" if found == {"unit"} else "cá nhân" if found == {"staff"} else "tập thể, cá nhân"


def count_mismatch(claimed: int | None, kinds: Sequence[str]) -> str | None:
    """The sentence stating a claimed count the named recipients (their kinds) do not match
    ("Tờ trình nêu 06 tập thể; danh sách có 05"), or None when they agree or none was claimed."""
    if claimed is None or claimed == len(kinds):
        return None
    return f"Tờ trình nêu {claimed:02d} {_who(kinds)}; danh sách có {len(kinds):02d}."


def decision_count_notes(decision: Decision) -> list[str]:
    """Each claimed count of the decision (for all its grants, then per grant) that differs
    from the recipients it names, as sentences naming the decision and the award."""
    lines = decision_lines(decision)
    notes = []
    overall = count_mismatch(decision.claimed_count, [x.recipient_kind for x in lines])
    if overall is not None:
        notes.append(f"Quyết định {decision.number}: {overall}")
    for grant in decision.grants:
        code = str(grant.get("award"))
        mine = [x for x in lines if x.award == code]
        said = count_mismatch(grant.get("claimed_count"), [x.recipient_kind for x in mine])
        if said is not None:
            name = mine[0].award_name if mine else code
            notes.append(f"Quyết định {decision.number}, {name}: {said}")
    return notes


async def iter_decisions(pool: Any, province: str, *, page: int = 1000) -> AsyncIterator[Decision]:
    """Every decision of the province by number, a page at a time (keyset, never all in memory)."""
    after: str | None = None
    while True:
        batch = await list_decisions(pool, province, after=after, limit=page)
        for decision in batch:
            yield decision
        if len(batch) < page:
            return
        after = batch[-1].number


async def iter_proposals(
    pool: Any, province: str, *, year: int | None = None, page: int = 1000
) -> AsyncIterator[Proposal]:
    after: str | None = None
    while True:
        batch = await list_proposals(pool, province, year=year, after=after, limit=page)
        for proposal in batch:
            yield proposal
        if len(batch) < page:
            return
        after = batch[-1].key
