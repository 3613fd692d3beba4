"""Successions of units and people across a province merger (kế thừa đơn vị, điều chuyển cán bộ).

A successor's unit (or person) succeeds one or more units (people) of its own province or of a
predecessor province, dated and tied to the deciding document. A predecessor is named by its
province and key, and recorded as `<province>/<key>` when it lies in another province, so two
provinces' "so-noi-vu" never collide. Its record is read from its own (closed, still readable)
ledger and kept whole in the successor's; which years count is the lineage policy of the rules
in force when a proposal is judged (`domain.records.carries_over`).
"""

from __future__ import annotations

from thidua.domain.errors import Conflict
from thidua.domain.keys import require_key
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord
from thidua.services.mergers import lineage
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import validate_province_code


def record_succession(
    registry: ProvinceRegistry,
    province: str,
    *,
    recipient_kind: str,
    recipient: str,
    predecessors: list[tuple[str | None, str]],
    succession: str,
    document: str,
    by: Provenance,
) -> int:
    """`recipient` of `province` succeeds `predecessors` ((province or None for this one, key))."""
    ancestors = {row.predecessor for row in lineage(registry, province)[0]}
    sources: list[tuple[str, AwardRecord | None]] = []
    for index, (where, key) in enumerate(predecessors):
        require_key(key, f"predecessors[{index}].key")
        if where is None or where == province:
            sources.append((key, registry.app(province).find_award_record(recipient_kind, key)))
            continue
        validate_province_code(where)
        if where not in ancestors:
            raise NotInLineage(
                f"Tỉnh «{where}» không phải tỉnh trước sáp nhập của «{province}».",
                province=where,
            )
        sources.append((f"{where}/{key}", registry.app(where).find_award_record(recipient_kind, key)))
    return registry.app(province).record_succession(
        recipient_kind=recipient_kind,
        recipient=recipient,
        predecessors=sources,
        succession=succession,
        document=document,
        by=by,
    )


class NotInLineage(Conflict):
    code = "PROVINCE_NOT_IN_LINEAGE"
