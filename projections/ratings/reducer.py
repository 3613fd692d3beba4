"""The ratings reducer (pure): monthly rating sheets and staff members' months and years.

- `sheet` `<unit>/<year>/<MM>`: the month's entries (staff, rating group, score, band) and each
  correction with its reason;
- `staff` `<key>`: name, unit, rating group, the months rated and the derived year-end ratings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from thidua.projections.documents import Doc, DocKey
from thidua.projections.envelope import Envelope

SHEET, STAFF = "sheet", "staff"


def sheet_key(unit: str, year: int, month: int) -> str:
    return f"{unit}/{year}/{month:02d}"


class RatingsReducer:
    def alias(self, e: Envelope) -> DocKey | None:
        p, t = e.payload, e.event_type
        if t == "RatingSheet.Submitted":
            return (SHEET, sheet_key(p["unit"], int(p["year"]), int(p["month"])))
        if t == "StaffMember.Registered":
            return (STAFF, str(p["key"]))
        return None

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        p, t = e.payload, e.event_type
        if t == "RatingSheet.Submitted" and alias is not None:
            return (alias, *((STAFF, str(x["staff"])) for x in p.get("entries", [])))
        if t == "RatingSheet.RatingCorrected" and alias is not None:
            return (alias, (STAFF, str(p["staff"])))
        if t.startswith("StaffMember.") and alias is not None:
            return (alias,)
        return ()

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        d: Doc = copy.deepcopy(doc) if doc is not None else {}
        p, t = e.payload, e.event_type
        if kind == SHEET:
            _sheet(d, t, p, e)
        else:
            _staff(d, key, e, alias)
        d["last_position"] = e.position
        return d

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        if kind == SHEET:
            return doc.get("year"), None, doc.get("unit")
        return None, None, doc.get("unit")


def _sheet(d: Doc, t: str, p: dict[str, Any], e: Envelope) -> None:
    if t == "RatingSheet.Submitted":
        d.update(
            unit=p["unit"],
            year=int(p["year"]),
            month=int(p["month"]),
            entries=[dict(x) for x in p.get("entries", [])],
            rule_version=p.get("rule_version"),
            cap_in_force=bool(p.get("cap_in_force")),
            corrections=[],
            submitted_position=e.position,
        )
    elif t == "RatingSheet.RatingCorrected":
        for entry in d.get("entries", []):
            if entry["staff"] == p["staff"]:
                entry.update(score=p["new_score"], band=p["band"])
        d.setdefault("corrections", []).append(
            {k: p.get(k) for k in ("staff", "old_score", "new_score", "band", "reason")}
            | {"position": e.position}
        )


def _staff(d: Doc, key: str, e: Envelope, alias: DocKey | None) -> None:
    p, t = e.payload, e.event_type
    if t == "StaffMember.Registered":
        d.update(key=p["key"], name=p.get("name"), unit=p.get("unit"), rating_group=p.get("rating_group"))
    elif t == "StaffMember.RatingGroupChanged":
        d["rating_group"] = p.get("rating_group")
    elif t == "StaffMember.Transferred":
        d.update(unit=p.get("unit"), rating_group=p.get("rating_group"))
    elif t == "StaffMember.YearRatingDerived":
        d.setdefault("years", {})[str(p["year"])] = {
            k: p.get(k) for k in ("monthly_scores", "average", "band", "rule_version", "reason")
        } | {"position": e.position}
    elif t == "RatingSheet.Submitted":
        entry = next(x for x in p.get("entries", []) if x["staff"] == key)
        d.setdefault("key", key)
        d.setdefault("months", {})[f"{p['year']}-{int(p['month']):02d}"] = {
            "unit": p["unit"],
            "group": entry.get("group"),
            "score": entry.get("score"),
            "band": entry.get("band"),
            "position": e.position,
        }
    elif t == "RatingSheet.RatingCorrected" and alias is not None:
        unit, year, month = alias[1].rsplit("/", 2)
        month_doc = d.setdefault("months", {}).setdefault(f"{year}-{month}", {"unit": unit})
        month_doc.update(score=p["new_score"], band=p["band"], position=e.position)
