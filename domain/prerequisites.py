"""Prerequisite chains (điều kiện tiên quyết), checked against the recorded history, never typed in.

- Chiến sĩ thi đua cấp tỉnh: Chiến sĩ thi đua cơ sở in each of the last 3 years (this one
  included) and an initiative recognized province-wide in that period.
- Chiến sĩ thi đua toàn quốc: 2 consecutive provincial titles and a national-scope initiative.
- Tập thể lao động xuất sắc: 100% of members complete their tasks, ≥ 70% Lao động tiên tiến,
  at least one Chiến sĩ thi đua cơ sở (member statistics noted on the record).
- Cờ thi đua của Chính phủ: the unit led its block that year and was classified excellent.
- Cờ thi đua của UBND tỉnh: the unit was chosen as a leading unit (dẫn đầu) of its block.
- After a discipline ends, only years from its end date count.

The result is recorded on the proposal (met and missing, visible to auditors); forwarding and
deciding refuse while anything is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalogue import award as catalogue_award
from .records import INITIATIVE_SCOPES, AwardRecord
from .rules import RuleSet, at_least


@dataclass(frozen=True)
class Findings:
    met: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def _years_back(year: int, count: int) -> range:
    return range(year - count + 1, year + 1)


def _consecutive_needed(title: str, rules: RuleSet) -> int:
    if title == "chien_si_thi_dua_cap_tinh":
        return rules.provincial_years_for_national_fighter
    return rules.grassroots_years_for_provincial_fighter


def _initiative_period(scope: str, rules: RuleSet) -> int:
    """Years in which the initiative may fall: the span of the titles the award builds on."""
    grassroots = rules.grassroots_years_for_provincial_fighter
    return {
        "grassroots": 1,
        "province": grassroots,
        "national": grassroots * rules.provincial_years_for_national_fighter,
    }[scope]


def _members_check(kind: str, stats: object, rules: RuleSet) -> bool:
    if not isinstance(stats, dict) or not stats.get("members"):
        return False
    total = int(stats["members"])
    if kind == "members_completed":
        return at_least(int(stats["completed"]), total, rules.excellent_collective_completed_share)
    if kind == "members_advanced":
        return at_least(int(stats["advanced"]), total, rules.excellent_collective_advanced_share)
    return int(stats["grassroots_fighters"]) >= rules.excellent_collective_min_grassroots_fighters


@dataclass(frozen=True)
class _Context:
    year: int
    record: AwardRecord | None
    rules: RuleSet
    first_year: int | None  # after a discipline, years before this one do not count

    def holds(self, title: str, year: int) -> bool:
        counted = self.first_year is None or year >= self.first_year
        return self.record is not None and counted and self.record.holds(title, year)

    def fact(self, name: str) -> object:
        return self.record.fact(self.year, name) if self.record is not None else None

    def initiative(self, scope: str) -> bool:
        wanted = INITIATIVE_SCOPES.index(scope)
        years = _years_back(self.year, _initiative_period(scope, self.rules))
        return self.record is not None and any(
            INITIATIVE_SCOPES.index(i["scope"]) >= wanted and i["year"] in years
            for i in self.record.initiatives
        )


def _check(code: str, ctx: _Context) -> tuple[bool, str]:
    """Whether one prerequisite holds, and its label (with the figure that decides it)."""
    kind, _, arg = code.partition(":")
    checks = {
        "same_year": lambda: ctx.holds(arg, ctx.year),
        "earlier": lambda: any(ctx.holds(arg, y) for y in range(1945, ctx.year)),
        "initiative": lambda: ctx.initiative(arg),
        "block_leader": lambda: ctx.fact("block_leader") is not None,
        "leading_unit": lambda: ctx.fact("leading_unit") is not None,
        "classified": lambda: ctx.fact("classification") == arg,
        "members_completed": lambda: _members_check(kind, ctx.fact("member_stats"), ctx.rules),
        "members_advanced": lambda: _members_check(kind, ctx.fact("member_stats"), ctx.rules),
        "members_grassroots_fighter": lambda: _members_check(kind, ctx.fact("member_stats"), ctx.rules),
    }
    if kind == "consecutive":
        n = _consecutive_needed(arg, ctx.rules)
        return all(ctx.holds(arg, y) for y in _years_back(ctx.year, n)), f"{code}:{n}"
    return checks[kind](), code


def evaluate(
    award_code: str,
    year: int,
    record: AwardRecord | None,
    rules: RuleSet,
    counts_from: date | None = None,
) -> Findings:
    """Which prerequisites of `award_code` for `year` the record meets, and which it lacks."""
    ctx = _Context(year, record, rules, counts_from.year if counts_from else None)
    met: list[str] = []
    missing: list[str] = []
    if counts_from is not None and year < counts_from.year:
        missing.append("after_discipline")
    for code in catalogue_award(award_code).prerequisites:
        ok, label = _check(code, ctx)
        (met if ok else missing).append(label)
    return Findings(tuple(met), tuple(missing))
