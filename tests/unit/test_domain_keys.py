"""Natural keys (mã khóa): one pattern, checked for every key a command creates or names.

Before: `registerUnit(key: "Bad Key!")` was recorded, and so was any key of any length, which
the read models index (a key longer than about 2,000 bytes stops a projection for good)."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from thidua.domain.errors import MalformedCommand
from thidua.domain.keys import is_key, require_document_number, require_key, require_keys
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.units import Unit
from thidua.graphql.core.keys import DOCUMENT_FIELDS, DOCUMENT_NOTE, KEY_FIELDS, KEY_NOTE
from thidua.graphql.schema import build_schema
from thidua.services.commands.keys import COMMAND_KEYS
from thidua.services.province_app import ProvinceApplication

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "nghe-an.json"

GOOD = [
    "so-noi-vu",
    "cb-0042",
    "001234",
    "a",
    "co_thi_dua_ubnd_tinh",
    "tc-1.2",
    "khoi-dang/2025/xep-loai",
    "khoi-co-quan-dang/2021/co_thi_dua_chinh_phu/truong-chinh-tri",
    "x" * 200,
]
BAD = [
    "Bad Key!",
    "",
    " so-noi-vu",
    "so-noi-vu ",
    "So-Noi-Vu",
    "sở-nội-vụ",
    "so noi vu",
    "so--noi",
    "-so",
    "so-",
    "a/",
    "/a",
    "a//b",
    "a:b",
    "a@b.vn",
    "a\nb",
    "a\x00b",
    "x" * 201,
    "ＡＢＣ",
]


def by(day: str = "2026-01-05") -> Provenance:
    return Provenance(Actor("t", "province_admin", None), datetime.now(UTC), date.fromisoformat(day), "t")


@pytest.mark.parametrize("key", GOOD)
def test_keys_of_the_pattern_are_accepted(key: str) -> None:
    assert require_key(key, "key") == key


@pytest.mark.parametrize("key", BAD)
def test_anything_else_is_malformed_and_names_the_field(key: str) -> None:
    with pytest.raises(MalformedCommand) as refused:
        require_key(key, "members[2]")
    assert refused.value.code == "MALFORMED_COMMAND"
    assert refused.value.details["field"] == "members[2]"
    assert "members[2]" in refused.value.message_vi


@pytest.mark.parametrize("value", [None, 12, ["a"], {"a": 1}])
def test_a_key_that_is_not_text_is_malformed(value: object) -> None:
    assert not is_key(value)
    with pytest.raises(MalformedCommand):
        require_key(value, "key")


def test_a_list_of_keys_names_the_first_bad_item() -> None:
    assert require_keys(["a", "b"], "units") == ["a", "b"]
    with pytest.raises(MalformedCommand) as refused:
        require_keys(["a", "B", "c d"], "units")
    assert refused.value.details["field"] == "units[1]"


@pytest.mark.parametrize("number", ["1234/QĐ-UBND", "123/QĐ-UBND", "9/QĐ", "Quyết định số 5"])
def test_decision_numbers_are_document_numbers_not_keys(number: str) -> None:
    assert require_document_number(number, "number") == number


@pytest.mark.parametrize("number", ["", "   ", " 1/QĐ", "1/QĐ ", "1/QĐ\n2", "x" * 101, 5])
def test_a_document_number_is_one_bounded_line(number: object) -> None:
    with pytest.raises(MalformedCommand) as refused:
        require_document_number(number, "revokingDecision")
    assert refused.value.details["field"] == "revokingDecision"


def test_every_key_of_the_demo_records_and_of_the_import_follows_the_pattern() -> None:
    data = json.loads(DEMO.read_text())
    keys = [u["key"] for u in data["units"]] + [b["key"] for b in data["blocks"]]
    for record in data["records"]:
        named = ("registrant", "block", "proposer", "recipient", "leader", "deputy", "chaired_by")
        keys += [record[k] for k in named if k in record]
        if record["kind"] == "award_proposal":  # the importer's composite key
            keys.append(f"{record['proposer']}/{record['year']}/{record['award']}/{record['recipient']}")
    bad = [k for k in keys if not is_key(k)]
    assert not bad


def _commands() -> dict[str, inspect.Signature]:
    """Every public method of the province application that records (takes `by`) or reads back
    an aggregate by key (`get_*`)."""
    found = {}
    for name, method in inspect.getmembers(ProvinceApplication, inspect.isfunction):
        if name.startswith("_"):
            continue
        signature = inspect.signature(method)
        if "by" in signature.parameters or name.startswith("get_"):
            found[name] = signature
    return found


KEYISH = {
    "key",
    "unit",
    "units",
    "staff",
    "block",
    "ballot",
    "proposal",
    "proposals",
    "movement",
    "member",
    "members",
    "voter",
    "present",
    "successor",
    "predecessor",
    "recipient",
    "recipients",
    "registrant",
    "subject_key",
    "subject",
    "case",
    "leader",
    "deputy",
    "chaired_by",
    "initiative",
    "proposer",
    "version",
    "criteria",
    "bonus_items",
    "deduction_items",
    "bonuses",
    "deductions",
    "number",
    "revoking_decision",
    "item",
}
NOT_CHECKED = {  # parameters with a key-like name that the command checks otherwise, and why
    ("attach_document", "item"): "one of the dossier items the domain lists",
}


def test_every_command_declares_its_key_inputs() -> None:
    """A command added later must say which of its inputs are keys (services/commands/keys.py)."""
    commands = _commands()
    missing = sorted(set(commands) - set(COMMAND_KEYS))
    assert not missing, f"declare these in services/commands/keys.py COMMAND_KEYS: {missing}"
    undeclared = [
        f"{name}({parameter})"
        for name, signature in commands.items()
        for parameter in signature.parameters
        if parameter in KEYISH
        and parameter not in COMMAND_KEYS[name]
        and (name, parameter) not in NOT_CHECKED
    ]
    assert not undeclared, undeclared


def test_the_checks_run_before_anything_is_looked_up_or_recorded() -> None:
    app = ProvinceApplication("nghe-an", env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(MalformedCommand) as refused:
        app.register_unit(key="Bad Key!", name="Đơn vị", by=by())
    assert refused.value.details["field"] == "key"
    with pytest.raises(MalformedCommand) as refused:
        app.open_block_year(block="k1", year=2026, members=["a", "B"], members_claimed=None, by=by())
    assert refused.value.details["field"] == "members[1]"  # not BLOCK_NOT_FOUND: checked first
    with pytest.raises(MalformedCommand) as refused:
        app.get_ballot("Bad Key!")
    assert refused.value.details["field"] == "ballot"
    assert app.recorder.max_notification_id() in (None, 0)


def test_a_key_recorded_before_the_rule_is_still_read_and_replayed() -> None:
    """An old ledger may hold a key outside the pattern: its events replay (no command runs)."""
    app = ProvinceApplication("nghe-an", env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.save(Unit.register("nghe-an", "Sở Nội Vụ", "Sở Nội vụ", by()))  # as an old version recorded it
    assert app._get("unit", "Sở Nội Vụ").name == "Sở Nội vụ"


def test_the_schema_documents_the_pattern_on_every_key_field() -> None:
    schema = build_schema()._schema
    for table, note in ((KEY_FIELDS, KEY_NOTE), (DOCUMENT_FIELDS, DOCUMENT_NOTE)):
        for type_name, fields in table.items():
            input_type = schema.get_type(type_name)
            for field in fields:
                description = input_type.fields[field].description  # type: ignore[union-attr]
                assert note in (description or ""), (type_name, field)
    mutation = schema.mutation_type
    assert mutation is not None
    assert "MALFORMED_COMMAND" in (mutation.description or "")
