"""A collective's member figures derived from the record (số liệu thành viên từ hồ sơ): the staff on
the unit's rating sheets that year, their year-end ratings, their titles and the discipline
decided in the year, read in a few batched queries. Used for Tập thể lao động tiên tiến / xuất
sắc, whose prerequisites count members."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from thidua.domain.ids import aggregate_id
from thidua.domain.members import MemberFacts, MemberFigures, derive
from thidua.domain.ratings import sheet_key
from thidua.domain.recipients import RecipientFacts
from thidua.domain.records import record_key
from thidua.domain.rules import RuleSet
from thidua.services.commands.base import CommandsBase

# The awards whose prerequisites count a collective's members.
COUNTS_MEMBERS = ("tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac")


def _ids(app: CommandsBase, kind: str, keys: list[str]) -> dict[Any, str]:
    return {aggregate_id(app.province, kind, key): key for key in keys}


def member_figures(app: CommandsBase, unit: str, year: int, rules: RuleSet) -> MemberFigures:
    """Figures of `unit`'s members in `year`, from its monthly or quarterly sheets."""
    periods = [sheet_key(unit, year, m) for m in range(1, 13)] + [
        sheet_key(unit, year, None, q) for q in range(1, 5)
    ]
    sheets = app._load_many(list(_ids(app, "rating-sheet", periods)))
    staff = sorted({row["staff"] for sheet in sheets.values() for row in sheet.entries})
    people = app._load_many(list(_ids(app, "staff", staff)))
    records = app._load_many(list(_ids(app, "record", [record_key("staff", k) for k in staff])))
    files = app._load_many(list(_ids(app, "discipline", [f"staff:{k}" for k in staff])))

    def of(ids: dict[Any, Any], kind: str, key: str) -> Any:
        return ids.get(aggregate_id(app.province, kind, key))

    facts = []
    for key in staff:
        person = of(people, "staff", key)
        record = of(records, "record", record_key("staff", key))
        file = of(files, "discipline", f"staff:{key}")
        rating = person.year_ratings.get(str(year)) if person is not None else None
        titles = (
            frozenset(t["award"] for t in record.titles if t["year"] == year and not t.get("revoked_by"))
            if record
            else frozenset()
        )
        facts.append(
            MemberFacts(
                key,
                str(rating["band"]) if rating else None,
                titles,
                tuple(file.forms_imposed_in(year)) if file is not None else (),
            )
        )
    return derive(facts, rules.collective_discipline_bar)


def with_members(
    app: CommandsBase, facts: RecipientFacts, award: str, year: int, rules: RuleSet
) -> RecipientFacts:
    """`facts` with the unit's derived member figures for `year` when `award` counts members."""
    if not facts.collective or award not in COUNTS_MEMBERS:
        return facts
    return replace(facts, member_figures={year: member_figures(app, facts.key, year, rules)})
