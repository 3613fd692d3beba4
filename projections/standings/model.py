"""Standings as read (pure): totals, classification, rank and ties, from the documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thidua.domain.classification import total_points

Doc = dict[str, Any]


@dataclass(frozen=True)
class UnitStanding:
    """One member unit's line: scores self-assessed (tự chấm) and cross-checked (thẩm định)."""

    unit: str
    name: str | None
    self_scores: Mapping[str, float]
    checked_scores: Mapping[str, float]
    self_total: float | None
    bonus: float
    deductions: float
    total: float | None  # after cross-check; None until the unit has assessed itself
    classification: str | None  # band recorded by the block (excellent | good | completed | ...)
    classification_rule_version: str | None
    below_floor: tuple[str, ...]
    rank: int | None
    tied: bool  # shares its rank with another unit
    tie_note: str | None  # how the tie stands or was settled, in Vietnamese
    adjustments: int
    leading: bool  # acclaimed / voted a leading unit (suy tôn)
    member: bool  # still a member (False: removed during the year)
    # The periods it is counted for (membership_periods), as (first day, last day) in ISO form;
    # empty: the whole year.
    periods: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BallotSummary:
    """A vote of the block-year: purpose, turnout and tally (kiểm phiếu); never a sealed paper."""

    key: str
    purpose: str | None
    subject: str | None
    secret: bool
    status: str | None
    eligible: int
    cast: int
    counts: Mapping[str, int]
    outcome: str | None
    winner: str | None
    tied: tuple[str, ...]
    tie_settled_by: str | None
    position: int | None


@dataclass(frozen=True)
class Officers:
    """Khối trưởng và Khối phó of the year, and how they were chosen (block_minutes.OFFICER_METHODS)."""

    leader: str | None
    deputy: str | None
    method: str | None
    ballot: str | None
    position: int


@dataclass(frozen=True)
class BlockStandings:
    province: str
    block: str
    year: int
    members: tuple[str, ...]
    members_claimed: int | None
    count_mismatch: bool
    units: tuple[UnitStanding, ...]
    officers: Officers | None
    leading_units: tuple[str, ...]
    leading_method: str | None
    ballots: tuple[BallotSummary, ...]
    position: int  # the last event reflected


def ballot_summary(doc: Doc) -> BallotSummary:
    tally = doc.get("tally") or {}
    return BallotSummary(
        key=str(doc.get("key")),
        purpose=doc.get("purpose"),
        subject=doc.get("subject"),
        secret=bool(doc.get("secret")),
        status=doc.get("status"),
        eligible=int(tally.get("eligible") or doc.get("eligible") or 0),
        cast=int(doc.get("cast", 0)),
        counts=dict(tally.get("counts") or {}),
        outcome=tally.get("outcome"),
        winner=tally.get("winner"),
        tied=tuple(tally.get("tied") or ()),
        tie_settled_by=tally.get("tie_settled_by"),
        position=doc.get("tally_position"),
    )


def referenced_ballots(doc: Doc) -> list[str]:
    keys = [(doc.get("officers") or {}).get("ballot"), (doc.get("leading_units") or {}).get("ballot")]
    return [k for k in keys if k]


def build_standings(province: str, doc: Doc, ballots: list[Doc], names: Mapping[str, str]) -> BlockStandings:
    sheets: dict[str, Any] = doc.get("sheets", {})
    members = list(doc.get("members", []))
    leading = (doc.get("leading_units") or {}).get("units", [])
    periods: dict[str, list[dict[str, str]]] = doc.get("periods") or {}
    totals: dict[str, float] = {}
    for unit, sheet in sheets.items():
        c = sheet["checked"]
        totals[unit] = total_points(c["criterion"], c["bonus"], c["deduction"])
    ranks = _ranks(totals)
    tie_counts: dict[int, int] = {}
    for r in ranks.values():
        tie_counts[r] = tie_counts.get(r, 0) + 1
    lines = []
    for unit in sorted({*members, *sheets}, key=lambda u: (ranks.get(u, 10**6), u)):
        sheet = sheets.get(unit)
        rank = ranks.get(unit)
        tied = rank is not None and tie_counts[rank] > 1
        classified = (sheet or {}).get("classified") or {}
        s, c = (sheet or {}).get("self"), (sheet or {}).get("checked")
        lines.append(
            UnitStanding(
                unit=unit,
                name=names.get(unit),
                self_scores=dict(s["criterion"]) if s else {},
                checked_scores=dict(c["criterion"]) if c else {},
                self_total=total_points(s["criterion"], s["bonus"], s["deduction"]) if s else None,
                bonus=round(sum(c["bonus"].values()), 2) if c else 0.0,
                deductions=round(sum(c["deduction"].values()), 2) if c else 0.0,
                total=totals.get(unit),
                classification=classified.get("band"),
                classification_rule_version=classified.get("rule_version"),
                below_floor=tuple(classified.get("below_floor", ())),
                rank=rank,
                tied=tied,
                tie_note=_tie_note(unit, tied, leading) if tied else None,
                adjustments=len((sheet or {}).get("adjustments", [])),
                leading=unit in leading,
                member=unit in members,
                periods=tuple((p["starts_on"], p["ends_on"]) for p in periods.get(unit, ())),
            )
        )
    officers = doc.get("officers")
    return BlockStandings(
        province=province,
        block=str(doc.get("block")),
        year=int(doc.get("year", 0)),
        members=tuple(members),
        members_claimed=doc.get("members_claimed"),
        count_mismatch=bool(doc.get("count_mismatch")),
        units=tuple(lines),
        officers=Officers(
            leader=officers.get("leader"),
            deputy=officers.get("deputy"),
            method=officers.get("method") or "unrecorded",  # a source silent on it, never a vote
            ballot=officers.get("ballot"),
            position=int(officers["position"]),
        )
        if officers
        else None,
        leading_units=tuple(leading),
        leading_method=(doc.get("leading_units") or {}).get("method"),
        ballots=tuple(sorted((ballot_summary(b) for b in ballots), key=lambda b: (b.position or 0, b.key))),
        position=int(doc.get("last_position", 0)),
    )


def _ranks(totals: Mapping[str, float]) -> dict[str, int]:
    """Competition ranking by total (1, 1, 3): equal totals share a rank, shown as tied."""
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[str, int] = {}
    for i, (unit, total) in enumerate(ordered):
        if i and total == ordered[i - 1][1]:
            ranks[unit] = ranks[ordered[i - 1][0]]
        else:
            ranks[unit] = i + 1
    return ranks


def _tie_note(unit: str, tied: bool, leading: list[str]) -> str:
    if unit in leading:
        return "Đồng điểm; được suy tôn / bầu là đơn vị dẫn đầu"
    return "Đồng hạng theo tổng điểm (chưa phân định)"


def explain_positions(doc: Doc, unit: str, ballots: list[Doc]) -> list[int]:
    """The positions of the events behind a unit's numbers: self-assessment, each adjustment,
    the classification, the officers/leading-units choices and the tallies of related ballots."""
    sheet = doc.get("sheets", {}).get(unit) or {}
    positions = [sheet.get("self_position"), (sheet.get("classified") or {}).get("position")]
    positions += [a["position"] for a in sheet.get("adjustments", [])]
    positions.append(doc.get("table_position"))
    for part in ("officers", "leading_units"):
        value = doc.get(part) or {}
        if unit in (value.get("leader"), value.get("deputy"), *value.get("units", [])):
            positions.append(value.get("position"))
    positions += [b.get("tally_position") for b in ballots]
    return sorted({int(p) for p in positions if p is not None})
