"""Prerequisite chains (điều kiện tiên quyết), checked against the recorded history, never typed in.

The codes of each award are in `catalogue.py` (with their Vietnamese descriptions and sources):
- Lao động tiên tiến: the year's rating at least "Hoàn thành tốt nhiệm vụ" (Law Art. 24).
- Chiến sĩ thi đua cơ sở: LĐTT the same year and a grassroots initiative (Art. 23).
- Chiến sĩ thi đua cấp tỉnh: CSTĐ cơ sở in each of the last 3 years and a province-wide
  initiative in that period (Art. 22).
- Chiến sĩ thi đua toàn quốc: two *successive* provincial titles (the later one's cycle follows
  the earlier, e.g. 2022 and 2025; not two adjacent calendar years) and a national initiative.
- Tập thể lao động tiên tiến: more than 50 % of members LĐTT, none disciplined from cảnh cáo up.
- Tập thể lao động xuất sắc: 100 % complete, ≥ 70 % LĐTT, a CSTĐ cơ sở, and (issue 14, source
  unverified for 2024+) none disciplined from cảnh cáo up. Member figures are derived from the
  record where it has them (`members.py`).
- Cờ thi đua (tỉnh, Chính phủ): the unit was chosen as a leading unit (tập thể dẫn đầu).
- Bằng khen tỉnh: 2 successive CSTĐ cơ sở, or ≥ 2 consecutive years HTXSNV with 2 grassroots
  initiatives (Art. 74(1)(d)); a collective: 2 consecutive years classified excellent (unverified).
- Bằng khen Thủ tướng: an earlier Bằng khen tỉnh; an individual also 5 consecutive years rated at
  least HTTNV with 3 CSTĐ cơ sở among them.
- After a discipline ends, only years from its end date count.
- Across a succession (a unit's merger, a province's, a person's transfer) the predecessor's years
  count as the rules' `lineage_policy` says (`records.carries_over`); the proposal records the
  policy applied (`lineage_policy:<policy>` among the met labels).

Chains apply to regular awards (khen thưởng thường xuyên); the other award types rest on the
achievement the proposal names. The result is recorded on the proposal (met and missing, visible
to auditors); forwarding and deciding refuse while anything is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from .catalogue import REGULAR, RecipientKind
from .catalogue import award as catalogue_award
from .members import MemberFigures, choose
from .rating_rules import EXCELLENT, GOOD
from .records import INITIATIVE_SCOPES, AwardRecord, carries_over
from .rules import RuleSet, at_least, more_than

AT_LEAST_GOOD = (EXCELLENT, GOOD)


@dataclass(frozen=True)
class Findings:
    met: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def _years_back(year: int, count: int) -> range:
    return range(year - count + 1, year + 1)


def _initiative_period(scope: str, rules: RuleSet) -> int:
    """Years in which the initiative may fall: the span of the titles the award builds on."""
    grassroots = rules.grassroots_years_for_provincial_fighter
    return {
        "grassroots": 1,
        "province": grassroots,
        "national": grassroots * rules.provincial_years_for_national_fighter,
    }[scope]


@dataclass(frozen=True)
class RecordView:
    """A record's titles, facts and initiatives with those of the successions the lineage policy
    admits (the predecessor's years continue the successor's)."""

    titles: list[dict[str, Any]]
    facts: dict[str, dict[str, Any]]
    initiatives: list[dict[str, Any]]

    def holds(self, award: str, year: int) -> bool:
        return any(t["award"] == award and t["year"] == year and not t.get("revoked_by") for t in self.titles)

    def fact(self, year: int, fact: str) -> Any:
        return self.facts.get(str(year), {}).get(fact)


def record_view(record: AwardRecord, policy: str) -> RecordView:
    titles = [dict(t) for t in record.titles]
    facts = {y: dict(f) for y, f in record.facts.items()}
    initiatives = [dict(i) for i in record.initiatives]
    for succession in record.successions:
        if not carries_over(policy, succession["succession"], succession["predecessor_count"]):
            continue
        titles.extend(dict(t) for t in succession["titles"])
        for year, noted in succession["facts"].items():
            here = facts.setdefault(year, {})
            here.update({k: v for k, v in noted.items() if k not in here})
        initiatives.extend(dict(i) for i in succession["initiatives"])
    return RecordView(titles, facts, initiatives)


@dataclass(frozen=True)
class _Context:
    year: int
    record: RecordView | None
    rules: RuleSet
    first_year: int | None  # after a discipline, years before this one do not count
    year_bands: Mapping[int, str] = field(default_factory=dict)
    derived_members: Mapping[int, MemberFigures] = field(default_factory=dict)

    def counted(self, year: int) -> bool:
        return self.first_year is None or year >= self.first_year

    def holds(self, title: str, year: int) -> bool:
        return self.record is not None and self.counted(year) and self.record.holds(title, year)

    def title_years(self, title: str) -> list[int]:
        if self.record is None:
            return []
        years = {t["year"] for t in self.record.titles if t["award"] == title and not t.get("revoked_by")}
        return sorted(y for y in years if y <= self.year and self.counted(y))

    def fact(self, name: str, year: int | None = None) -> object:
        return (
            self.record.fact(self.year if year is None else year, name) if self.record is not None else None
        )

    def band(self, year: int) -> str | None:
        return self.year_bands.get(year) if self.counted(year) else None

    def initiatives(self, scope: str, years: range) -> int:
        wanted = INITIATIVE_SCOPES.index(scope)
        if self.record is None:
            return 0
        return sum(
            1
            for i in self.record.initiatives
            if INITIATIVE_SCOPES.index(i["scope"]) >= wanted
            and i["year"] in years
            and self.counted(i["year"])
        )

    def initiative(self, scope: str) -> bool:
        return self.initiatives(scope, _years_back(self.year, _initiative_period(scope, self.rules))) > 0

    def members(self) -> MemberFigures | None:
        return choose(self.derived_members.get(self.year), self.fact("member_stats"))


def _successive_provincial(ctx: _Context) -> tuple[bool, str]:
    """Two successive provincial titles: the latest two (up to this year), the later one's cycle
    following the earlier one's (no more than one cycle of CSTĐ cơ sở apart)."""
    needed = ctx.rules.provincial_years_for_national_fighter
    held = ctx.title_years("chien_si_thi_dua_cap_tinh")[-needed:]
    cycle = ctx.rules.grassroots_years_for_provincial_fighter
    ok = len(held) == needed and all(b - a <= cycle for a, b in pairwise(held))
    return ok, f"successive:chien_si_thi_dua_cap_tinh:{needed}"


def _members(ctx: _Context, test: Callable[[MemberFigures], bool | None], code: str) -> tuple[bool, str]:
    figures = ctx.members()
    if figures is None or figures.members <= 0:
        return False, code
    verdict = test(figures)
    return bool(verdict), code if verdict is not None else f"{code}:unknown"


def _no_discipline(f: MemberFigures) -> bool | None:
    return None if f.disciplined_from_warning is None else f.disciplined_from_warning == 0


def _excellent_years_with_initiatives(ctx: _Context, years: int, initiatives: int) -> bool:
    span = _years_back(ctx.year, years)
    return all(ctx.band(y) == EXCELLENT for y in span) and ctx.initiatives("grassroots", span) >= initiatives


def _check(code: str, ctx: _Context) -> tuple[bool, str]:
    """Whether one prerequisite holds, and its label (with the figure that decides it)."""
    kind, _, arg = code.partition(":")
    rules = ctx.rules
    if kind == "consecutive":
        n = rules.grassroots_years_for_provincial_fighter
        return all(ctx.holds(arg, y) for y in _years_back(ctx.year, n)), f"{code}:{n}"
    if kind == "successive":
        return _successive_provincial(ctx)
    if kind.startswith("members") or kind == "excellent_collective_no_discipline":
        tests: dict[str, Callable[[MemberFigures], bool | None]] = {
            "members_completed": lambda f: at_least(
                f.completed, f.members, rules.excellent_collective_completed_share
            ),
            "members_advanced": lambda f: at_least(
                f.advanced, f.members, rules.excellent_collective_advanced_share
            ),
            "members_grassroots_fighter": lambda f: (
                f.grassroots_fighters >= rules.excellent_collective_min_grassroots_fighters
            ),
            "members_majority_advanced": lambda f: more_than(
                f.advanced, f.members, rules.advanced_collective_advanced_share
            ),
            "members_no_discipline": _no_discipline,
            "excellent_collective_no_discipline": _no_discipline,
        }
        return _members(ctx, tests[kind], code)
    checks: dict[str, Callable[[], bool]] = {
        "same_year": lambda: ctx.holds(arg, ctx.year),
        "earlier": lambda: any(ctx.holds(arg, y) for y in range(1945, ctx.year)),
        "initiative": lambda: ctx.initiative(arg),
        "leading_unit": lambda: ctx.fact("leading_unit") is not None,
        "year_rating": lambda: ctx.band(ctx.year) in AT_LEAST_GOOD,
        "rated_years": lambda: all(ctx.band(y) in AT_LEAST_GOOD for y in _years_back(ctx.year, 5)),
        "titles_within": lambda: (
            sum(ctx.holds("chien_si_thi_dua_co_so", y) for y in _years_back(ctx.year, 5)) >= 3
        ),
        "excellent_years_initiatives": lambda: _excellent_years_with_initiatives(
            ctx, int(arg.partition(":")[0]), int(arg.partition(":")[2])
        ),
        "bang_khen_tinh": lambda: (
            (
                all(ctx.holds("chien_si_thi_dua_co_so", y) for y in _years_back(ctx.year, 2))
                or _excellent_years_with_initiatives(ctx, 2, 2)
            )
            if arg == "individual"
            else all(ctx.fact("classification", y) == "excellent" for y in _years_back(ctx.year, 2))
        ),
    }
    return checks[kind](), code


def prerequisite_codes(award_code: str, kind: RecipientKind, rules: RuleSet) -> tuple[str, ...]:
    """The chain of `award_code` for `kind` in the rules' era (an earlier law's, where it differed)."""
    return rules.chain(award_code, kind) or catalogue_award(award_code).prerequisites_for(kind)


def evaluate(
    award_code: str,
    year: int,
    record: AwardRecord | None,
    rules: RuleSet,
    counts_from: date | None = None,
    *,
    kind: RecipientKind | None = None,
    award_type: str = REGULAR,
    year_bands: Mapping[int, str] | None = None,
    members: Mapping[int, MemberFigures] | None = None,
) -> Findings:
    """Which prerequisites of `award_code` for `year` the record meets, and which it lacks.

    `kind` picks the individual's or the collective's chain (default: the award's first kind);
    non-regular award types (chuyên đề, đột xuất, ...) have no chain."""
    entry = catalogue_award(award_code)
    view = record_view(record, rules.lineage_policy) if record is not None else None
    ctx = _Context(
        year, view, rules, counts_from.year if counts_from else None, year_bands or {}, members or {}
    )
    met: list[str] = []
    if record is not None and record.successions:
        met.append(f"lineage_policy:{rules.lineage_policy}")
    missing: list[str] = []
    if counts_from is not None and year < counts_from.year:
        missing.append("after_discipline")
    codes = (
        prerequisite_codes(award_code, kind or entry.recipients[0], rules) if award_type == REGULAR else ()
    )
    for code in codes:
        ok, label = _check(code, ctx)
        (met if ok else missing).append(label)
    return Findings(tuple(met), tuple(missing))
