"""Vietnamese sentences of events (tóm tắt sự kiện) for the audit trail.

Every event type of the domain has its sentence, with the names of the units, people and blocks
it concerns as they were known when it was recorded (`context.AuditContext`), never a dump of
its fields; a test walks every event class of the domain to keep it so. A sentence is a pure
function of the payload and that context, so a rebuild writes the same text. An event type no
sentence knows (a stored class that has since been renamed, say) still gets a readable line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.projections.audit import (
    sentences_awards,
    sentences_ballots,
    sentences_blocks,
    sentences_dossiers,
    sentences_lineage,
    sentences_organisation,
)
from thidua.projections.audit.context import AuditContext

Payload = dict[str, Any]
Sentence = Callable[[Payload, AuditContext], str]

SENTENCES: dict[str, Sentence] = {
    **sentences_organisation.SENTENCES,
    **sentences_blocks.SENTENCES,
    **sentences_ballots.SENTENCES,
    **sentences_awards.SENTENCES,
    **sentences_dossiers.SENTENCES,
    **sentences_lineage.SENTENCES,
}


def summarize(event_type: str, payload: Payload, context: AuditContext | None = None) -> str:
    """The sentence of one event (with what the trail knew before it, if given)."""
    sentence = SENTENCES.get(event_type)
    if sentence is None:
        return f"Sự kiện «{event_type}» (chưa có câu mô tả; xem nội dung đầy đủ)."
    return sentence(payload, context or AuditContext())
