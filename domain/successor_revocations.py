"""A successor province revoking (hủy bỏ) a decision of a merged predecessor (thẩm quyền theo ngày).

A decision recorded in a predecessor's ledger before the merger was made by that province's
authority and signed by its chair; its ledger is closed since. A revocation after the merger is
made by the successor's competent authority, and recorded in the successor's ledger, on the
record of the unit or person that succeeded the recipient, naming both sides: the revoking
decision, authority and signer, and the original decision's province, authority and signer.

The competent authority is taken to be the successor's authority of the same level as the one
that decided (the authority that decides an award is the one that revokes it, and a merged
province's functions pass to its successor). No text checked here says so for mergers: a design
choice, see docs/mergers.md. An award decided by a national authority is revoked by that
authority, not by a province.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalogue import AUTHORITY_NAMES_VI, LOCAL_AUTHORITIES
from .errors import MalformedCommand, RuleViolation, vn_date

# The provincial authorities whose functions a successor province takes over (the local ones,
# heads of agencies and commune chairs, follow their own units' successions).
PROVINCIAL_AUTHORITIES = ("provincial_chair", *LOCAL_AUTHORITIES)


@dataclass(frozen=True)
class PredecessorDecision:
    """The original decision as the predecessor's (closed) ledger holds it."""

    province: str
    number: str
    authority: str
    signer: str
    merged_on: date  # when the predecessor's functions passed to the successor


def check_successor_revocation(
    decision: PredecessorDecision, *, revoking_authority: str, ground: str, grounds: dict[str, str], on: date
) -> None:
    """Refuse a revocation the successor's authority cannot make on `on`."""
    if ground not in grounds:
        raise MalformedCommand(f"Căn cứ hủy bỏ «{ground}» không hợp lệ.", ground=ground)
    if revoking_authority not in AUTHORITY_NAMES_VI:
        raise MalformedCommand(
            f"Cấp quyết định «{revoking_authority}» không hợp lệ.", field="revokingAuthority"
        )
    if on < decision.merged_on:
        raise RevocationBeforeMerger(
            f"Trước ngày sáp nhập {vn_date(decision.merged_on)}, quyết định «{decision.number}» thuộc "
            f"thẩm quyền của tỉnh «{decision.province}»; tỉnh kế thừa chỉ hủy bỏ từ ngày đó.",
            province=decision.province,
            merged_on=decision.merged_on.isoformat(),
        )
    if decision.authority not in PROVINCIAL_AUTHORITIES or revoking_authority != decision.authority:
        raise RevokingAuthorityNotCompetent(
            f"«{AUTHORITY_NAMES_VI.get(revoking_authority, revoking_authority)}» của tỉnh kế thừa không có "
            f"thẩm quyền hủy bỏ quyết định «{decision.number}» do "
            f"«{AUTHORITY_NAMES_VI.get(decision.authority, decision.authority)}» tỉnh «{decision.province}» "
            "ban hành.",
            authority=decision.authority,
            revoking_authority=revoking_authority,
        )


class RevocationBeforeMerger(RuleViolation):
    code = "REVOCATION_BEFORE_MERGER"


class RevokingAuthorityNotCompetent(RuleViolation):
    code = "REVOKING_AUTHORITY_NOT_COMPETENT"
