"""The awards register reducer (pure): proposal, decision and recipient documents.

- `proposal` `<key>`: the proposal, its dossier versions and its timeline (submitted, received,
  assigned, appraised, returned, resubmitted, recalled, disclosed, objected, council vote,
  forwarded, decided, withdrawn; "revoked" comes from its decision);
- `decision` `<number>`: the decision (quyết định), its recipients with their prize money (multiple
  and amount in đồng), the total, and its revocations (hủy bỏ) with the amounts recovered;
- `recipient` `<kind>:<key>`: titles entered and struck on the recipient's record, including
  those carried over from a predecessor merged into it, and recognised initiatives (sáng kiến).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from thidua.projections.documents import Doc, DocKey
from thidua.projections.envelope import Envelope

PROPOSAL, DECISION, RECIPIENT = "proposal", "decision", "recipient"

_PROPOSAL_FIELDS = (
    "key",
    "proposer",
    "year",
    "award",
    "authority",
    "recipient_kind",
    "recipient",
    "recipient_name",
    "achievement",
    "disclosure_required",
    "prerequisites_met",
    "prerequisites_missing",
    "rule_version",
    "award_type",
    "group",
    "group_claimed_count",
)
_DECISION_FIELDS = (
    "number",
    "signer",
    "authority",
    "award",
    "year",
    "recipients",
    "claimed_count",
    "count_mismatch",
    "proposals",
    "historical",
    "prize_multiple_each",
    "prize_multiple_total",
    "rule_version",
    "prizes",
    "prize_total",
    "base_salary",
    "base_salary_source",
    "prize_table",
    "award_type",
    "prerequisites_missing",
    "grants",
)


class AwardsReducer:
    def alias(self, e: Envelope) -> DocKey | None:
        p, t = e.payload, e.event_type
        if t == "AwardProposal.Submitted":
            return (PROPOSAL, str(p["key"]))
        if t == "AwardDecision.Recorded":
            return (DECISION, str(p["number"]))
        if t == "AwardRecord.Opened":
            return (RECIPIENT, f"{p['recipient_kind']}:{p['recipient']}")
        return None

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        prefix = e.event_type.partition(".")[0]
        if prefix in ("AwardProposal", "AwardDecision", "AwardRecord") and alias is not None:
            return (alias,)
        return ()

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        d: Doc = copy.deepcopy(doc) if doc is not None else {}
        p, t = e.payload, e.event_type.partition(".")[2]
        step = {
            "position": e.position,
            "recorded_at": e.recorded_at.isoformat(),
            "effective_on": e.effective_on.isoformat() if e.effective_on else None,
        }
        if kind == PROPOSAL:
            _proposal(d, t, p, step)
        elif kind == DECISION:
            _decision(d, t, p, step)
        else:
            _recipient(d, t, p, step)
        d["last_position"] = e.position
        return d

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        if kind == PROPOSAL:
            return doc.get("year"), doc.get("status"), doc.get("recipient")
        if kind == DECISION:
            return doc.get("year"), doc.get("status"), doc.get("award")
        return None, None, doc.get("recipient")


def _timeline(d: Doc, status: str, step: dict[str, Any], **detail: Any) -> None:
    d.setdefault("timeline", []).append({"status": status, **step, **detail})


def _proposal(d: Doc, t: str, p: dict[str, Any], step: dict[str, Any]) -> None:
    """Statuses are the domain's (dossier_flow.ProposalStatus); disclosure and objections are
    steps of the timeline, not statuses."""
    if t == "Submitted":
        d.update(
            {k: p.get(k) for k in _PROPOSAL_FIELDS},
            status="submitted",
            comments=0,
            objections=0,
            version=1,
            versions=[],
            documents=sorted(p.get("dossier", {})),
            dossier=[
                {"item": item, "reference": ref, "file": None, "version": 1, **step}
                for item, ref in sorted((p.get("dossier") or {}).items())
            ],
        )
        _timeline(d, "submitted", step)
    elif t == "DocumentAttached":
        d.setdefault("documents", []).append(p.get("item"))
        d.setdefault("dossier", []).append(
            {
                "item": p.get("item"),
                "reference": p.get("reference"),
                "file": p.get("file"),
                "version": d.get("version", 1),
                **step,
            }
        )
    elif t == "DisclosureOpened":
        d.update(published_on=p.get("published_on"), comment_until=p.get("comment_until"))
        _timeline(d, "disclosed", step, comment_until=p.get("comment_until"))
    elif t == "CommentRecorded":
        d["comments"] = int(d.get("comments", 0)) + 1
        if p.get("objection"):
            d["objections"] = int(d.get("objections", 0)) + 1
            _timeline(d, "objected", step, author=p.get("author"), within_window=p.get("within_window"))
    elif t == "CouncilVoted":
        approved = bool(p.get("approved"))
        d.update(status="council_approved" if approved else "council_rejected", ballot=p.get("ballot"))
        _timeline(
            d, "council_vote", step, approved=approved, outcome=p.get("outcome"), ballot=p.get("ballot")
        )
        if not approved:
            _timeline(d, "council_rejected", step)
    elif t == "Forwarded":
        d.update(status="forwarded", forwarded_to=p.get("to_authority"), due_on=None)
        _timeline(d, "forwarded", step, to_authority=p.get("to_authority"))
    elif t == "Withdrawn":
        d.update(status="withdrawn", withdrawn_reason=p.get("reason"), due_on=None)
        _timeline(d, "withdrawn", step, reason=p.get("reason"))
    elif t == "Decided":
        d.update(status="decided", decision=p.get("decision"), due_on=None)
        _timeline(d, "decided", step, decision=p.get("decision"))
    else:
        _dossier_step(d, t, p, step)


def _dossier_step(d: Doc, t: str, p: dict[str, Any], step: dict[str, Any]) -> None:
    """The board's handling of the dossier: reception, assignment, appraisal, returns,
    resubmitted versions (the earlier dossier kept), recall."""
    if t == "Received":
        d.update(status="received", due_on=p.get("due_on"))
        _timeline(d, "received", step, due_on=p.get("due_on"), version=p.get("dossier_version"))
    elif t == "Assigned":
        d.update(
            status="assigned",
            assigned_to=p.get("officer"),
            assigned_name=p.get("officer_name"),
            due_on=p.get("due_on"),
        )
        _timeline(
            d,
            "assigned",
            step,
            officer=p.get("officer"),
            officer_name=p.get("officer_name"),
            reason=p.get("reason"),
            due_on=p.get("due_on"),
        )
    elif t == "Appraised":
        d.update(status="appraised", due_on=None, finding=p.get("finding"))
        _timeline(d, "appraised", step, officer=p.get("officer"), finding=p.get("finding"))
    elif t == "ReturnedForCorrection":
        d.update(status="returned", due_on=p.get("due_on"), return_reasons=list(p.get("reasons") or []))
        _timeline(
            d,
            "returned",
            step,
            reasons=p.get("reasons"),
            stage=p.get("stage"),
            version=p.get("dossier_version"),
            due_on=p.get("due_on"),
        )
    elif t == "Resubmitted":
        version = int(p.get("dossier_version") or int(d.get("version", 1)) + 1)
        d.setdefault("versions", []).append(
            {"version": d.get("version", 1), "dossier": copy.deepcopy(d.get("dossier", []))}
        )
        for item, ref in sorted((p.get("dossier") or {}).items()):
            d.setdefault("documents", []).append(item)
            d.setdefault("dossier", []).append(
                {"item": item, "reference": ref, "file": None, "version": version, **step}
            )
        d.update(status="submitted", version=version, assigned_to=None, assigned_name=None, due_on=None)
        _timeline(
            d, "resubmitted", step, version=version, items=sorted(p.get("dossier") or {}), note=p.get("note")
        )
    elif t == "Recalled":
        d.update(status="recalled", due_on=None, recalled_reason=p.get("reason"))
        _timeline(d, "recalled", step, reason=p.get("reason"))


def _decision(d: Doc, t: str, p: dict[str, Any], step: dict[str, Any]) -> None:
    if t == "Recorded":
        d.update({k: p.get(k) for k in _DECISION_FIELDS}, status="in_force", decided=step)
    elif t == "Revoked":
        d["status"] = "revoked"
        d.setdefault("revocations", []).append(
            {
                **step,
                **{
                    k: p.get(k)
                    for k in (
                        "revoking_decision",
                        "ground",
                        "recipients",
                        "recover_object",
                        "recover_prize_multiple",
                        "recover_amount",
                        "reason",
                    )
                },
            }
        )


def _recipient(d: Doc, t: str, p: dict[str, Any], step: dict[str, Any]) -> None:
    if t == "Opened":
        d.update(
            recipient_kind=p.get("recipient_kind"),
            recipient=p.get("recipient"),
            titles=[],
            initiatives=[],
            predecessors=[],
        )
    elif t == "TitleEntered":
        d.setdefault("titles", []).append(
            {
                "year": p.get("year"),
                "award": p.get("award"),
                "decision": p.get("decision"),
                "struck_by": None,
                "from": None,
                "position": step["position"],
            }
        )
    elif t == "TitleStruck":
        for title in d.get("titles", []):  # the first unstruck entry, as the domain strikes
            if title["decision"] == p.get("decision") and not title["struck_by"]:
                title["struck_by"] = p.get("revoked_by")
                break
    elif t == "InitiativeRecognized":
        d.setdefault("initiatives", []).append(
            {k: p.get(k) for k in ("initiative", "scope", "year", "reference")}
        )
    elif t == "PredecessorAbsorbed":
        d.setdefault("predecessors", []).append(p.get("predecessor"))
        for title in p.get("titles", []):
            d.setdefault("titles", []).append(
                {
                    "year": title.get("year"),
                    "award": title.get("award"),
                    "decision": title.get("decision"),
                    "struck_by": title.get("revoked_by"),
                    "from": p.get("predecessor"),
                    "position": step["position"],
                }
            )
