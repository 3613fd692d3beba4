"""Successions of units and people across a province merger (kế thừa đơn vị, điều chuyển cán bộ).

A successor's unit (or person) succeeds one or more units (people) of its own province or of a
predecessor province, dated and tied to the deciding document. A predecessor is named by its
province and key, and recorded as `<province>/<key>` when it lies in another province, so two
provinces' "so-noi-vu" never collide. Its record is read from its own (closed, still readable)
ledger and kept whole in the successor's; which years count is the lineage policy of the rules
in force when a proposal is judged (`domain.records.carries_over`).
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.domain.errors import Conflict, NotFound
from thidua.domain.keys import require_key
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord
from thidua.domain.successor_revocations import PredecessorDecision
from thidua.services.commands.errors import DecisionNotFound
from thidua.services.mergers import lineage
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import validate_province_code


@dataclass(frozen=True)
class PredecessorRef:
    """A predecessor: its province (None: the successor's own), and its key, or for a person the
    keyed hash of their national ID (`services.person_ids`), matched in that province."""

    province: str | None
    key: str | None = None
    person_hash: str | None = None


def record_succession(
    registry: ProvinceRegistry,
    province: str,
    *,
    recipient_kind: str,
    recipient: str,
    predecessors: list[PredecessorRef],
    succession: str,
    document: str,
    by: Provenance,
) -> int:
    """`recipient` of `province` succeeds `predecessors`, read from their own ledgers."""
    ancestors = {row.predecessor for row in lineage(registry, province)[0]}
    sources: list[tuple[str, AwardRecord | None]] = []
    for index, ref in enumerate(predecessors):
        where = ref.province or province
        if where != province:
            validate_province_code(where)
            if where not in ancestors:
                raise NotInLineage(
                    f"Tỉnh «{where}» không phải tỉnh trước sáp nhập của «{province}».",
                    province=where,
                )
        key = _key_of(registry, where, ref, index)
        name = key if where == province else f"{where}/{key}"
        sources.append((name, registry.app(where).find_award_record(recipient_kind, key)))
    return registry.app(province).record_succession(
        recipient_kind=recipient_kind,
        recipient=recipient,
        predecessors=sources,
        succession=succession,
        document=document,
        by=by,
    )


def _key_of(registry: ProvinceRegistry, where: str, ref: PredecessorRef, index: int) -> str:
    if ref.person_hash is None:
        return require_key(ref.key, f"predecessors[{index}].key")
    found = registry.app(where).find_person(ref.person_hash)
    if found is None:
        raise PersonNotFound(
            f"Không có cán bộ nào của tỉnh «{where}» mang số định danh đã nêu.",
            province=where,
            field=f"predecessors[{index}].nationalId",
        )
    return found


class PersonNotFound(NotFound):
    code = "PERSON_NOT_FOUND"


class NotInLineage(Conflict):
    code = "PROVINCE_NOT_IN_LINEAGE"


def revoke_predecessor_award(
    registry: ProvinceRegistry,
    province: str,
    *,
    recipient_kind: str,
    recipient: str,
    decision_province: str,
    decision_number: str,
    revoking_decision: str,
    revoking_authority: str,
    revoking_signer: str,
    ground: str,
    reason: str,
    by: Provenance,
) -> int:
    """`province`'s authority revokes, for `recipient`, a decision of a predecessor province read
    from that province's own (closed) ledger: the event names both authorities."""
    validate_province_code(decision_province)
    merged = {row.predecessor: row for row in lineage(registry, province)[0]}
    row = merged.get(decision_province)
    if row is None:
        raise NotInLineage(
            f"Tỉnh «{decision_province}» không phải tỉnh trước sáp nhập của «{province}».",
            province=decision_province,
        )
    found = registry.app(decision_province).find_decision(decision_number)
    if found is None:
        raise DecisionNotFound(
            f"Tỉnh «{decision_province}» không có quyết định «{decision_number}».",
            province=decision_province,
            decision=decision_number,
        )
    decision = PredecessorDecision(
        province=decision_province,
        number=found.number,
        authority=found.authority,
        signer=found.signer,
        merged_on=row.effective_on,
    )
    return registry.app(province).revoke_inherited_title(
        recipient_kind=recipient_kind,
        recipient=recipient,
        decision=decision,
        revoking_decision=revoking_decision,
        revoking_authority=revoking_authority,
        revoking_signer=revoking_signer,
        ground=ground,
        reason=reason,
        by=by,
    )
