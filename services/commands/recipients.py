"""Recipient facts for many recipients at once (đối tượng của một quyết định có hàng trăm người):
units or staff, their disciplinary files and award records, read in one query per kind of
aggregate instead of three round trips per recipient."""

from __future__ import annotations

from typing import Any

from thidua.domain.errors import MalformedCommand
from thidua.domain.provenance import Provenance
from thidua.domain.recipients import RecipientFacts, staff_facts, unit_facts
from thidua.domain.records import AwardRecord, record_key
from thidua.domain.rules import RuleSet
from thidua.services.commands.base import CommandsBase
from thidua.services.commands.members import with_members


def recipients_facts(
    app: CommandsBase, named: list[tuple[str, str]], *, award: str, year: int, rules: RuleSet, by: Provenance
) -> list[RecipientFacts]:
    """Facts of each (kind, key) in order; the first unknown one is its kind's NotFound error."""
    for kind, _ in named:
        if kind not in ("unit", "staff"):
            raise MalformedCommand(f"Loại đối tượng «{kind}» không hợp lệ.", kind=kind)
    units = app._get_many("unit", [key for kind, key in named if kind == "unit"])
    staff = app._get_many("staff", [key for kind, key in named if kind == "staff"])
    wanted = [f"{kind}:{key}" for kind, key in named]
    files = _found(app, "discipline", wanted)
    records = _found(app, "record", [record_key(kind, key) for kind, key in named])
    facts = []
    for kind, key in named:
        record: AwardRecord = records.get(record_key(kind, key)) or AwardRecord.open(
            app.province, kind, key, by
        )
        file = files.get(f"{kind}:{key}")
        if kind == "unit":
            facts.append(with_members(app, unit_facts(units[key], file, record), award, year, rules))
        else:
            facts.append(staff_facts(staff[key], file, record))
    return facts


def _found(app: CommandsBase, kind: str, keys: list[str]) -> dict[str, Any]:
    """The aggregates of these keys that exist (one query)."""
    ids = {app._id(kind, key): key for key in keys}
    loaded = app._load_many(list(ids))
    return {ids[i]: aggregate for i, aggregate in loaded.items()}
