"""The proposal status as a GraphQL enum: the domain's vocabulary (dossier_flow.ProposalStatus),
one name from the event to the API, with the Vietnamese descriptions users read."""

from __future__ import annotations

import strawberry

from thidua.domain.dossier_flow import STATUS_VI, ProposalStatus

ProposalStatusType = strawberry.enum(
    ProposalStatus,
    name="ProposalStatus",
    description="Trạng thái của đề nghị khen thưởng (hồ sơ đề nghị), cùng một từ vựng từ sự kiện đến API.",
)
for _value in ProposalStatusType.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = STATUS_VI[ProposalStatus(_value.value)]


def status_of(value: str) -> ProposalStatus:
    """A stored status as the enum (every value the read model stores is one of its members)."""
    return ProposalStatus(value)
