"""How the board works a dossier (xử lý hồ sơ đề nghị): the statuses of a proposal, which step
may follow which, the stage deadlines in working days, and the refusals.

    submitted (đã nộp) → received (tiếp nhận) → assigned (giao chuyên viên) → appraised (thẩm định)
    → [disclosure, council] → forwarded (trình) → decided (quyết định)

- returned (trả lại để bổ sung, sửa đổi), with reasons, from any stage before the decision; the
  unit resubmits (nộp lại) a new version, and the old version's dossier is kept beside it;
- recalled (thu hồi) by the submitting unit, before appraisal; withdrawn (rút) as before.

The steps before the council are the board's record of its own work: a proposal may still be
disclosed, voted on or forwarded without them (proposals recorded before the workflow existed
were). Each stage with a deadline records its due date when entered, counted in working days by
the rules of that day (weekends and declared holidays excluded), so replay shows the deadline
judged then.

One vocabulary from the event to the API: `ProposalStatus` values are what the domain sets, what
the read model stores and what GraphQL shows (its enum, with `STATUS_VI` as descriptions).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum

from .base import require_text
from .errors import Conflict, MalformedCommand, ReasonRequired, RuleViolation
from .rules import RuleSet
from .workdays import add_working_days


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ASSIGNED = "assigned"
    APPRAISED = "appraised"
    RETURNED = "returned"
    RECALLED = "recalled"
    COUNCIL_APPROVED = "council_approved"
    COUNCIL_REJECTED = "council_rejected"
    FORWARDED = "forwarded"
    WITHDRAWN = "withdrawn"
    DECIDED = "decided"
    REVOKED = "revoked"  # read side: the decision answering it was revoked (hủy bỏ)


STATUS_VI: dict[ProposalStatus, str] = {
    ProposalStatus.SUBMITTED: "Đã nộp, chờ tiếp nhận",
    ProposalStatus.RECEIVED: "Đã tiếp nhận, chờ giao chuyên viên",
    ProposalStatus.ASSIGNED: "Đã giao chuyên viên, đang thẩm định",
    ProposalStatus.APPRAISED: "Đã thẩm định",
    ProposalStatus.RETURNED: "Trả lại để bổ sung, sửa đổi",
    ProposalStatus.RECALLED: "Đơn vị đã thu hồi",
    ProposalStatus.COUNCIL_APPROVED: "Hội đồng Thi đua – Khen thưởng tán thành",
    ProposalStatus.COUNCIL_REJECTED: "Hội đồng Thi đua – Khen thưởng không tán thành",
    ProposalStatus.FORWARDED: "Đã trình cấp có thẩm quyền",
    ProposalStatus.WITHDRAWN: "Đã rút",
    ProposalStatus.DECIDED: "Đã có quyết định khen thưởng",
    ProposalStatus.REVOKED: "Quyết định khen thưởng đã bị hủy bỏ",
}

S = ProposalStatus
# Before the council: where disclosure, the council's vote and the board's steps may happen.
BEFORE_COUNCIL = (S.SUBMITTED, S.RECEIVED, S.ASSIGNED, S.APPRAISED)
# Open: still on its way to a decision (papers may be added; it may be withdrawn).
OPEN = (*BEFORE_COUNCIL, S.RETURNED, S.COUNCIL_APPROVED, S.FORWARDED)
# Returned for correction: from any stage before the decision.
RETURNABLE = (*BEFORE_COUNCIL, S.COUNCIL_APPROVED, S.COUNCIL_REJECTED, S.FORWARDED)
# Recalled by the submitting unit: before appraisal.
RECALLABLE = (S.SUBMITTED, S.RECEIVED, S.ASSIGNED, S.RETURNED)
CLOSED = (S.DECIDED, S.RECALLED, S.WITHDRAWN)

# The stages with a deadline: the step entering it -> the rule-set value giving its working days.
STAGE_DEADLINES = {
    "received": "dossier_assign_working_days",  # from reception to assignment
    "assigned": "dossier_appraise_working_days",  # from assignment to appraisal
    "returned": "dossier_correction_working_days",  # from return to resubmission
}
MAX_REASONS = 50


def due_on(stage: str, start: date, rules: RuleSet, holidays: Collection[date] = ()) -> date:
    """The day by which the stage entered on `start` must be done, in working days."""
    return add_working_days(start, int(getattr(rules, STAGE_DEADLINES[stage])), holidays)


def check_reasons(reasons: list[str]) -> list[str]:
    """A return names at least one reason (lý do trả lại), each non-blank."""
    cleaned = [r.strip() for r in reasons if r.strip()]
    if not cleaned or len(cleaned) != len(reasons):
        raise ReasonRequired(
            "Trả lại hồ sơ phải nêu lý do (từng lý do không được để trống).", field="reasons"
        )
    if len(cleaned) > MAX_REASONS:
        raise MalformedCommand(f"Tối đa {MAX_REASONS} lý do trả lại.", field="reasons")
    return cleaned


def check_reason(reason: str, field: str = "reason") -> str:
    if not reason.strip():
        raise ReasonRequired("Phải nêu lý do.", field=field)
    return require_text(reason, field)


class DossierClosed(Conflict):
    """The dossier was decided, recalled or withdrawn: nothing more happens to it."""

    code = "DOSSIER_CLOSED"


class RecallTooLate(RuleViolation):
    """The submitting unit recalls only before the board has appraised the dossier."""

    code = "RECALL_AFTER_APPRAISAL"
