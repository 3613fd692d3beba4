"""The standings reducer (pure): block-year, ballot and unit documents from their events.

Documents:
- `block-year` `<block>/<year>`: members, the scoring table, each unit's self-assessed sheet and
  its cross-checked sheet with every adjustment (and its reason and position), the recorded
  classification, officers (Khối trưởng, Khối phó), leading units, pledges, reviews;
- `ballot` `<key>`: purpose, subject, turnout and the tally (never a sealed paper);
- `unit` `<key>`: name and dissolution, for display.
Positions of the events behind each number are kept for "explain".
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from thidua.projections.documents import Doc, DocKey
from thidua.projections.envelope import Envelope

BLOCK_YEAR, BALLOT, UNIT = "block-year", "ballot", "unit"


def _empty_sheet() -> dict[str, dict[str, float]]:
    return {"criterion": {}, "bonus": {}, "deduction": {}}


class StandingsReducer:
    def alias(self, e: Envelope) -> DocKey | None:
        p, t = e.payload, e.event_type
        if t in ("BlockYear.Opened", "BlockScoring.TableAdopted"):
            return (BLOCK_YEAR, f"{p['block']}/{p['year']}")
        if t in ("Ballot.Opened", "Ballot.RecordedWithoutFigures"):
            return (BALLOT, str(p["key"]))
        if t == "Unit.Registered":
            return (UNIT, str(p["key"]))
        return None

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        prefix = e.event_type.partition(".")[0]
        if prefix in ("BlockYear", "BlockScoring", "Ballot", "Unit") and alias is not None:
            return (alias,)
        return ()

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        d: Doc = copy.deepcopy(doc) if doc is not None else {}
        self.reduce_into(kind, key, d, e, alias)
        return d

    def reduce_into(self, kind: str, key: str, d: Doc, e: Envelope, alias: DocKey | None) -> None:
        """`reduce`, changing `d` in place (the fold copies a document once, not once an event:
        an as-of replay deep-copied a block-year's growing document for every event). The
        handlers copy the payload's lists and build their own dicts; the one payload value a
        document shares, a tally's figures, is replaced whole by the next tally, never changed."""
        handler = _HANDLERS.get(e.event_type)
        if handler is not None:
            handler(d, e.payload, e)
        d["last_position"] = e.position

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        if kind == BLOCK_YEAR:
            return doc.get("year"), None, doc.get("block")
        if kind == BALLOT:
            return None, doc.get("status"), doc.get("subject")
        return None, "dissolved" if doc.get("dissolved_on") else "active", None


def _block_opened(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d.update(
        block=p["block"],
        year=p["year"],
        block_kind=p.get("kind"),
        members=list(p.get("members", [])),
        members_claimed=p.get("members_claimed"),
        count_mismatch=bool(p.get("count_mismatch")),
        carried_from=p.get("carried_from"),
        decision=p.get("decision"),
        opened_position=e.position,
    )


def _member_added(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d.setdefault("members", []).append(p["unit"])
    _member_change(d, p, e, "joined")


def _member_for_period(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    if p["unit"] not in d.setdefault("members", []):
        d["members"].append(p["unit"])
    d.setdefault("periods", {}).setdefault(p["unit"], []).append(
        {"starts_on": str(p["starts_on"]), "ends_on": str(p["ends_on"]), "earlier": p.get("earlier")}
    )
    _member_change(d, p, e, "joined")


def _member_period_ended(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    for period in d.setdefault("periods", {}).get(p["unit"], []):
        if period["starts_on"] == str(p["starts_on"]):
            period["ends_on"] = str(p["ends_on"])
    _member_change(d, p, e, "period_ended")


def _member_removed(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["members"] = [u for u in d.get("members", []) if u != p["unit"]]
    d.setdefault("removed", {})[p["unit"]] = {"reason": p.get("reason"), "position": e.position}
    _member_change(d, p, e, "left")


def _member_change(d: Doc, p: dict[str, Any], e: Envelope, change: str) -> None:
    d.setdefault("member_changes", []).append(
        {
            "unit": p["unit"],
            "change": change,
            "reason": p.get("reason"),
            "decision": p.get("decision"),
            "on": e.effective_on.isoformat() if e.effective_on else None,
            "position": e.position,
        }
    )


def _officers(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["officers"] = {
        "leader": p.get("leader"),
        "deputy": p.get("deputy"),
        "method": p.get("method"),
        "ballot": p.get("ballot"),
        "chosen_in_year": p.get("chosen_in_year"),
        "decision": p.get("decision"),
        "position": e.position,
    }


def _pledge(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d.setdefault("pledges", {})[p["unit"]] = {"position": e.position, "movement": p.get("movement")}


def _review(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    held_on = p.get("held_on") or (e.effective_on.isoformat() if e.effective_on else None)
    d.setdefault("reviews", {})[p["kind"]] = {
        "chaired_by": p.get("chaired_by"),
        "note": p.get("note"),
        "on": str(held_on) if held_on is not None else None,
        "completion_rate": p.get("completion_rate"),
        "counts": dict(p.get("counts") or {}),
        "position": e.position,
    }


def _meeting(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d.setdefault("meetings", []).append(
        {
            "kind": p.get("kind"),
            "on": str(p.get("held_on")) if p.get("held_on") is not None else None,
            "host": p.get("host"),
            "adopted": list(p.get("adopted") or []),
            "note": p.get("note"),
            "position": e.position,
        }
    )


def _leading(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["leading_units"] = {
        "units": list(p.get("units", [])),
        "method": p.get("method"),
        "ballot": p.get("ballot"),
        "position": e.position,
    }


def _table(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d.setdefault("block", p["block"])
    d.setdefault("year", p["year"])
    d["criteria"] = {
        c["code"]: {"max": c.get("max_points"), "group": c.get("group"), "name": c.get("name")}
        for c in p.get("criteria", [])
    }
    d["bonus_items"] = {b["code"]: b.get("points") for b in p.get("bonus_items", [])}
    d["deduction_items"] = {x["code"]: x.get("points") for x in p.get("deduction_items", [])}
    d["table_position"] = e.position


def _self_assessed(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    bonus_points = d.get("bonus_items", {})
    deduction_points = d.get("deduction_items", {})
    sheet = {
        "criterion": {k: float(v) for k, v in p.get("scores", {}).items()},
        "bonus": {c: float(bonus_points.get(c, 0)) for c in p.get("bonuses", [])},
        "deduction": {c: float(deduction_points.get(c, 0)) for c in p.get("deductions", [])},
    }
    d.setdefault("sheets", {})[p["unit"]] = {
        "self": sheet,
        "checked": copy.deepcopy(sheet),
        "self_position": e.position,
        "adjustments": [],
    }


def _adjusted(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    sheet = d.setdefault("sheets", {}).setdefault(
        p["unit"], {"self": _empty_sheet(), "checked": _empty_sheet(), "adjustments": []}
    )
    points = sheet["checked"].setdefault(p["item_kind"], {})
    new = float(p["new_points"])
    if p["item_kind"] != "criterion" and new == 0:
        points.pop(p["item"], None)
    else:
        points[p["item"]] = new
    sheet["adjustments"].append(
        {
            "item_kind": p["item_kind"],
            "item": p["item"],
            "old_points": p.get("old_points"),
            "new_points": new,
            "reason": p.get("reason"),
            "position": e.position,
        }
    )
    sheet.pop("classified", None)  # a later adjustment makes the earlier classification stale


def _classified(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    sheet = d.setdefault("sheets", {}).setdefault(
        p["unit"], {"self": _empty_sheet(), "checked": _empty_sheet(), "adjustments": []}
    )
    sheet["classified"] = {
        "total": p.get("total"),
        "band": p.get("band"),
        "below_floor": list(p.get("below_floor", [])),
        "rule_version": p.get("rule_version"),
        "position": e.position,
    }


def _ballot_opened(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    without = e.event_type.endswith("WithoutFigures")
    d.update(
        key=p["key"],
        purpose=p.get("purpose"),
        subject=p.get("subject"),
        award=p.get("award"),
        secret=bool(p.get("secret")),
        question=p.get("question"),
        options=list(p.get("options", [])),
        eligible=len(p.get("voters", [])),
        note=p.get("note"),
        form=(p.get("form") or "unrecorded") if without else ("secret" if p.get("secret") else "open"),
        status="recorded_without_figures" if without else "open",
        tellers=list(p.get("tellers") or []),
        tellers_needed=p.get("tellers_needed") or None,
        cast=0,
        opened_position=e.position,
        on=e.effective_on.isoformat() if e.effective_on else None,
    )


def _ballot_cast(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["cast"] = int(d.get("cast", 0)) + 1


def _ballot_closed(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["status"] = "closed"
    d["present"] = len(p.get("present", []))


def _ballot_unopenable(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["status"] = "unopenable"
    d["note"] = p.get("reason")


def _ballot_tallied(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["status"] = "tallied"
    d["tally"] = {
        k: p.get(k)
        for k in (
            "counts",
            "present",
            "eligible",
            "quorum_met",
            "denominator_size",
            "outcome",
            "winner",
            "tied",
            "tie_settled_by",
        )
    }
    d["tally_position"] = e.position


def _unit(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    if "key" in p:
        d["key"] = p["key"]
    if "name" in p:
        d["name"] = p["name"]


def _unit_dissolved(d: Doc, p: dict[str, Any], e: Envelope) -> None:
    d["dissolved_on"] = p.get("dissolved_on")
    d["successor"] = p.get("successor")


_HANDLERS = {
    "BlockYear.Opened": _block_opened,
    "BlockYear.MemberAdded": _member_added,
    "BlockYear.MemberRemoved": _member_removed,
    "BlockYear.MemberJoinedForPeriod": _member_for_period,
    "BlockYear.MemberPeriodEnded": _member_period_ended,
    "BlockYear.OfficersChosen": _officers,
    "BlockYear.PledgeSigned": _pledge,
    "BlockYear.ReviewHeld": _review,
    "BlockYear.MeetingHeld": _meeting,
    "BlockYear.LeadingUnitsChosen": _leading,
    "BlockScoring.TableAdopted": _table,
    "BlockScoring.SelfAssessed": _self_assessed,
    "BlockScoring.ScoreAdjusted": _adjusted,
    "BlockScoring.UnitClassified": _classified,
    "Ballot.Opened": _ballot_opened,
    "Ballot.RecordedWithoutFigures": _ballot_opened,
    "Ballot.OpenVoteCast": _ballot_cast,
    "Ballot.SealedPaperCast": _ballot_cast,
    "Ballot.Closed": _ballot_closed,
    "Ballot.Tallied": _ballot_tallied,
    "Ballot.DeclaredUnopenable": _ballot_unopenable,
    "Unit.Registered": _unit,
    "Unit.Renamed": _unit,
    "Unit.Dissolved": _unit_dissolved,
}
