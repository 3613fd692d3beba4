"""A predecessor's award revoked after the merger by a successor (`revokePredecessorAward`).

The revocation is recorded in the successor's ledger (`AwardRecord.InheritedTitleRevoked`), since
the predecessor's is closed: the predecessor's own read models never show it. A read of the
lineage (the register, the look-up, their exports) folds these in, so that the decision shows
revoked wherever the successor reads it, by which decision and authority of the successor, when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from thidua.projections.audit.by_type import events_of_types
from thidua.projections.awards.model import Decision

INHERITED_TITLE_REVOKED = "AwardRecord.InheritedTitleRevoked"


@dataclass(frozen=True)
class LaterRevocation:
    """One recipient's title of a predecessor's decision, revoked by a successor."""

    decision: str  # the revoking decision's number
    on: date
    ground: str
    reason: str
    authority: str  # the successor's authority that revoked
    signer: str
    province: str  # the successor that recorded it
    position: int  # in the successor's ledger

    def as_revocation(self, recipient: str) -> dict[str, Any]:
        """As a revocation of the decision's read model, naming where it was recorded."""
        return {
            "revoking_decision": self.decision,
            "ground": self.ground,
            "reason": self.reason,
            "recipients": [recipient],
            "effective_on": self.on.isoformat(),
            "position": self.position,
            "revoking_authority": self.authority,
            "revoking_signer": self.signer,
            "recorded_in": self.province,
        }


# (the decision's province, its number, the predecessor's recipient key) -> the revocation
LaterRevocations = Mapping[tuple[str, str, str], LaterRevocation]


async def later_revocations(pool: Any, provinces: Sequence[str]) -> LaterRevocations:
    """The revocations `provinces` recorded of their predecessors' awards."""
    found: dict[tuple[str, str, str], LaterRevocation] = {}
    for code in provinces:
        for e in await events_of_types(pool, code, [INHERITED_TITLE_REVOKED]):
            # "<province>/<key>": a province code holds no "/"
            _, _, recipient = str(e.payload.get("predecessor") or "").partition("/")
            key = (str(e.payload.get("decision_province")), str(e.payload.get("decision")), recipient)
            found.setdefault(
                key,
                LaterRevocation(
                    decision=str(e.payload.get("revoking_decision")),
                    on=e.effective_on or date.min,
                    ground=str(e.payload.get("ground")),
                    reason=str(e.payload.get("reason") or ""),
                    authority=str(e.payload.get("revoking_authority") or ""),
                    signer=str(e.payload.get("revoking_signer") or ""),
                    province=code,
                    position=e.position,
                ),
            )
    return found


def with_later_revocations(province: str, decision: Decision, later: LaterRevocations) -> Decision:
    """`decision` of `province` with the successors' revocations of its recipients appended (a
    decision any of whose recipients is revoked reads "revoked", as a revocation in its own
    province makes it)."""
    if not later:
        return decision
    revoked = [
        found.as_revocation(key)
        for key in (str(r.get("key")) for r in decision.recipients)
        if (found := later.get((province, decision.number, key))) is not None
    ]
    if not revoked:
        return decision
    return replace(decision, status="revoked", revocations=(*decision.revocations, *revoked))
