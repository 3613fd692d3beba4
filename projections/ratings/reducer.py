"""The ratings reducer (pure): rating sheets and staff members' periods and years.

- `sheet` `<unit>/<year>/<MM>` (or `<unit>/<year>/Q<n>` for a quarter): the period's entries
  (staff, rating group, kind, score, band) and each correction with its reason;
- `staff` `<key>`: name, unit and rating group of a staff member;
- `staff_year` `<key>/<year>`: that staff member's months rated in the year and the derived
  year-end rating. One document per staff member and year, not one per staff member: a single
  document grew by twelve months a year, and every batch rewrote all 30,000 of them whole.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from thidua.projections.documents import Doc, DocKey
from thidua.projections.envelope import Envelope

SHEET, STAFF, STAFF_YEAR = "sheet", "staff", "staff_year"


def sheet_key(unit: str, year: int, month: int | None, quarter: int | None = None) -> str:
    return f"{unit}/{year}/Q{quarter}" if quarter else f"{unit}/{year}/{month:02d}"


def _period(p: dict[str, Any]) -> str:
    """ "MM" of a monthly sheet, "Qn" of a quarterly one (quarter is absent before version 2)."""
    return f"Q{p['quarter']}" if p.get("quarter") else f"{int(p['month']):02d}"


def staff_year_key(staff: str, year: int | str) -> str:
    return f"{staff}/{int(year)}"


class RatingsReducer:
    def alias(self, e: Envelope) -> DocKey | None:
        p, t = e.payload, e.event_type
        if t == "RatingSheet.Submitted":
            return (SHEET, f"{p['unit']}/{int(p['year'])}/{_period(p)}")
        if t == "StaffMember.Registered":
            return (STAFF, str(p["key"]))
        return None

    def route(self, e: Envelope, alias: DocKey | None) -> Iterable[DocKey]:
        p, t = e.payload, e.event_type
        if t == "RatingSheet.Submitted" and alias is not None:
            year = int(p["year"])
            return (
                alias,
                *((STAFF_YEAR, staff_year_key(str(x["staff"]), year)) for x in p.get("entries", [])),
            )
        if t == "RatingSheet.RatingCorrected" and alias is not None:
            corrected_year = alias[1].rsplit("/", 2)[1]
            return (alias, (STAFF_YEAR, staff_year_key(str(p["staff"]), corrected_year)))
        if t == "StaffMember.YearRatingDerived" and alias is not None:
            return ((STAFF_YEAR, staff_year_key(alias[1], p["year"])),)
        if t.startswith("StaffMember.") and alias is not None:
            return (alias,)
        return ()

    def reduce(self, kind: str, key: str, doc: Doc | None, e: Envelope, alias: DocKey | None) -> Doc:
        d: Doc = copy.deepcopy(doc) if doc is not None else {}
        self.reduce_into(kind, key, d, e, alias)
        return d

    def reduce_into(self, kind: str, key: str, d: Doc, e: Envelope, alias: DocKey | None) -> None:
        """`reduce`, changing `d` in place: it copies what it keeps of the payload (corrections,
        months), keeps a sheet's entries as the payload's but only ever replaces one (a
        correction), and only ever replaces a year's rating, never changes it."""
        p, t = e.payload, e.event_type
        if kind == SHEET:
            _sheet(d, t, p, e)
        elif kind == STAFF_YEAR:
            _staff_year(d, key, e, alias)
        else:
            _staff(d, e)
        d["last_position"] = e.position

    def index(self, kind: str, doc: Doc) -> tuple[int | None, str | None, str | None]:
        if kind == SHEET:
            return doc.get("year"), None, doc.get("unit")
        if kind == STAFF_YEAR:
            return doc.get("year"), None, doc.get("staff")
        return None, None, doc.get("unit")


def _sheet(d: Doc, t: str, p: dict[str, Any], e: Envelope) -> None:
    if t == "RatingSheet.Submitted":
        d.update(
            unit=p["unit"],
            year=int(p["year"]),
            month=int(p["month"]) if p.get("month") is not None else None,
            quarter=p.get("quarter"),
            cap_exception=p.get("cap_exception"),
            # The payload's own entries: a correction replaces an entry, never changes it.
            entries=list(p.get("entries", [])),
            rule_version=p.get("rule_version"),
            cap_in_force=bool(p.get("cap_in_force")),
            corrections=[],
            submitted_position=e.position,
        )
    elif t == "RatingSheet.RatingCorrected":
        entries = d.get("entries", [])
        for i, entry in enumerate(entries):
            if entry["staff"] == p["staff"]:
                entries[i] = entry | {"score": p["new_score"], "band": p["band"]}
        d.setdefault("corrections", []).append(
            {k: p.get(k) for k in ("staff", "old_score", "new_score", "band", "reason")}
            | {"position": e.position}
        )


_last_sheet: list[tuple[Envelope, dict[str, dict[str, Any]], str]] = []


def _sheet_index(e: Envelope) -> tuple[dict[str, dict[str, Any]], str]:
    """The sheet's entries by staff member and its month ("YYYY-MM"): the fold reduces one sheet
    for each of its (about thirty) staff members in a row, so remembering the last sheet's saves
    a scan and a formatting each."""
    if _last_sheet and _last_sheet[0][0] is e:
        return _last_sheet[0][1], _last_sheet[0][2]
    index: dict[str, dict[str, Any]] = {}
    for x in e.payload.get("entries", []):
        index.setdefault(str(x["staff"]), x)  # a staff member's first entry counts
    p = e.payload
    month = f"{p['year']}-{_period(p)}"
    _last_sheet[:] = [(e, index, month)]
    return index, month


def _staff(d: Doc, e: Envelope) -> None:
    p, t = e.payload, e.event_type
    if t == "StaffMember.Registered":
        d.update(
            key=p["key"],
            name=p.get("name"),
            unit=p.get("unit"),
            rating_group=p.get("rating_group"),
            staff_kind=p.get("staff_kind"),
        )
    elif t == "StaffMember.KindChanged":
        d["staff_kind"] = p.get("staff_kind")
    elif t == "StaffMember.RatingGroupChanged":
        d["rating_group"] = p.get("rating_group")
    elif t == "StaffMember.Transferred":
        d.update(unit=p.get("unit"), rating_group=p.get("rating_group"))


def _staff_year(d: Doc, key: str, e: Envelope, alias: DocKey | None) -> None:
    p, t = e.payload, e.event_type
    staff, _, year = key.rpartition("/")
    # Tests before setting, not setdefault: this runs for every staff member of every sheet.
    if "staff" not in d:
        d["staff"] = staff
    if "year" not in d:
        d["year"] = int(year)
    if t == "StaffMember.YearRatingDerived":
        d["rating"] = {
            k: p.get(k) for k in ("monthly_scores", "average", "band", "rule_version", "reason", "discipline")
        } | {"position": e.position}
    elif t == "RatingSheet.Submitted":
        entries, month = _sheet_index(e)
        entry = entries[staff]
        months = d.get("months")
        if months is None:
            months = d["months"] = {}
        months[month] = {
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
