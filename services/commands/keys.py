"""Which command inputs are natural keys, checked before any command runs (`domain/keys.py`).

One table for every command of `ProvinceApplication`: for each method, the parameters that
create or name a key, with the name the API gives the field (errors name the field as the client
sent it: `subjectKey`, `members[2]`, `criteria[0].code`). `keyed` wraps each method so the check
runs first, before a lookup could answer NOT_FOUND for a malformed key, and for every caller
(GraphQL, the records importer). A method that takes no key is listed with an empty entry, so
a new command must be declared here (tests/unit/test_domain_keys.py checks every one is).
Events already recorded are never checked: replay and history import do not call commands.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from thidua.domain.keys import require_document_number, require_key
from thidua.services.tenancy import validate_province_code

Check = Callable[[Any], None]
T = TypeVar("T")


def one(field: str) -> Check:
    """A key, or None where the input is optional."""

    def check(value: Any) -> None:
        if value is not None:
            require_key(value, field)

    return check


def each(field: str, item: str | int | None = None, inner: str | None = None) -> Check:
    """A list of keys (`members[2]`), or of objects whose `item` is a key (`criteria[0].code`;
    `item` may be a tuple index, `inner` is then the API's name for it)."""
    shown = inner if inner is not None else item

    def check(values: Any) -> None:
        for index, value in enumerate(values or ()):
            name = f"{field}[{index}]" if item is None else f"{field}[{index}].{shown}"
            require_key(value if item is None else value[item], name)

    return check


def names(field: str, inner: str) -> Check:
    """A mapping whose keys are keys (the API sends it as a list of `{inner, …}` entries)."""

    def check(values: Any) -> None:
        for index, value in enumerate(values or {}):
            require_key(value, f"{field}[{index}].{inner}")

    return check


def grants(field: str) -> Check:
    """A decision's grants: (award, [(kind, key), ...], claimed count) each; the keys are checked."""

    def check(values: Any) -> None:
        for index, grant in enumerate(values or ()):
            each(f"{field}[{index}].recipients", 1, "key")(grant[1])

    return check


def document(field: str) -> Check:
    """A document's number used as a record's identity (a decision): text, not a key."""

    def check(value: Any) -> None:
        if value is not None:
            require_document_number(value, field)

    return check


def province(field: str) -> Check:
    """A province code (a merger's successor): the tenancy's own rule."""

    def check(value: Any) -> None:
        if value is not None:
            validate_province_code(value)

    return check


COMMAND_KEYS: Mapping[str, Mapping[str, Check]] = {
    # organisation
    "adopt_rules": {"version": one("version")},
    "declare_public_holidays": {},
    "adopt_base_salary": {},
    "register_unit": {"key": one("key")},
    "rename_unit": {"key": one("key")},
    "dissolve_unit": {"key": one("key"), "successor": one("successor")},
    "register_staff": {"key": one("key"), "unit": one("unit")},
    "get_staff": {"key": one("staff")},
    "change_rating_group": {"staff": one("staff")},
    "change_staff_kind": {"staff": one("staff")},
    "transfer_staff": {"staff": one("staff"), "unit": one("unit")},
    "open_disciplinary_case": {"subject_key": one("subjectKey"), "case": one("case")},
    "close_disciplinary_case": {"subject_key": one("subjectKey"), "case": one("case")},
    "impose_discipline": {"subject_key": one("subjectKey")},
    "constitute_council": {},
    "appoint_council_member": {"member": one("member")},
    "release_council_member": {"member": one("member")},
    # blocks, movements, registrations
    "create_block": {"key": one("key")},
    "reform_block": {"key": one("key")},
    "rename_block": {"key": one("key")},
    "disband_block": {"key": one("key")},
    "open_block_year": {"block": one("block"), "members": each("members")},
    "add_block_member": {"block": one("block"), "unit": one("unit")},
    "add_block_member_for_period": {"block": one("block"), "unit": one("unit"), "earlier": one("earlier")},
    "remove_block_member": {"block": one("block"), "unit": one("unit")},
    "end_block_member_period": {"block": one("block"), "unit": one("unit")},
    "choose_officers": {
        "block": one("block"),
        "leader": one("leader"),
        "deputy": one("deputy"),
        "ballot": one("ballot"),
    },
    "sign_pledge": {"block": one("block"), "unit": one("unit"), "movement": one("movement")},
    "hold_review": {"block": one("block"), "chaired_by": one("chairedBy")},
    "hold_block_meeting": {"block": one("block"), "host": one("host")},
    "choose_leading_units": {"block": one("block"), "units": each("units"), "ballot": one("ballot")},
    "launch_movement": {"key": one("key")},
    "end_movement": {"key": one("key")},
    "register_title": {"registrant": one("registrant"), "movement": one("movement")},
    "register_exemplary": {"registrant": one("registrant")},
    "get_block_year": {"block": one("block")},
    # scoring and ratings
    "adopt_scoring_table": {
        "block": one("block"),
        "criteria": each("criteria", "code"),
        "bonus_items": each("bonusItems", "code"),
        "deduction_items": each("deductionItems", "code"),
    },
    "self_assess": {
        "block": one("block"),
        "unit": one("unit"),
        "scores": names("scores", "name"),
        "bonuses": each("bonuses"),
        "deductions": each("deductions"),
    },
    "adjust_score": {"block": one("block"), "unit": one("unit"), "item": one("item")},
    "classify_unit": {"block": one("block"), "unit": one("unit")},
    "submit_rating_sheet": {"unit": one("unit"), "scores": names("scores", "staff")},
    "correct_rating": {"unit": one("unit"), "staff": one("staff")},
    "derive_year_rating": {"staff": one("staff")},
    # ballots
    "open_ballot": {"key": one("key"), "subject": one("subject"), "block": one("block")},
    "cast_vote": {"key": one("ballot"), "voter": one("voter")},
    "cast_open_vote": {"key": one("ballot"), "voter": one("voter")},
    "cast_secret_vote": {"key": one("ballot"), "voter": one("voter")},
    "close_ballot": {"key": one("ballot"), "present": each("present")},
    "tally_ballot": {"key": one("ballot")},
    "close_and_tally": {"key": one("ballot"), "present": each("present")},
    "declare_ballot_unopenable": {"key": one("ballot")},
    "destroy_ballot_key": {"key": one("ballot")},
    "record_ballot_without_figures": {"key": one("key"), "subject": one("subject"), "block": one("block")},
    "get_ballot": {"key": one("ballot")},
    # the record read by the permission checks, before the command runs (services/access.py)
    "ballot_electorate": {"key": one("ballot")},
    "proposal_block_year": {"key": one("proposal")},
    "staff_unit": {"key": one("staff")},
    "block_officers": {"block": one("block")},
    # awards
    "submit_proposal": {
        "key": one("key"),
        "proposer": one("proposer"),
        "recipient": one("recipient.key"),
        "group": document("group"),
    },
    "attach_document": {"proposal": one("proposal")},
    "open_disclosure": {"proposal": one("proposal")},
    "record_comment": {"proposal": one("proposal")},
    "record_council_vote": {"proposal": one("proposal"), "ballot": one("ballot")},
    "forward_proposal": {"proposal": one("proposal")},
    "withdraw_proposal": {"proposal": one("proposal")},
    "get_proposal": {"key": one("proposal")},
    # the board's handling of a dossier
    "receive_dossier": {"proposal": one("proposal")},
    "assign_dossier": {"proposal": one("proposal"), "officer": one("officer")},
    "appraise_dossier": {"proposal": one("proposal")},
    "return_dossier": {"proposal": one("proposal")},
    "resubmit_dossier": {"proposal": one("proposal")},
    "recall_dossier": {"proposal": one("proposal")},
    "record_decision": {
        "number": document("number"),
        "recipients": each("recipients", 1, "key"),
        "proposals": each("proposals"),
        "grants": grants("grants"),
    },
    "revoke_decision": {
        "number": document("number"),
        "revoking_decision": document("revokingDecision"),
        "recipients": each("recipients"),
    },
    "recognize_initiative": {"recipient": one("recipient"), "initiative": one("initiative")},
    "note_member_stats": {"unit": one("unit")},
    "absorb_record": {"recipient": one("recipient"), "predecessor": one("predecessor")},
    # lineage (sáp nhập tỉnh): successors and predecessors are province codes, checked by the registry
    "close_ledger": {"successor": province("successor")},
    "join_predecessors": {},
    "get_lineage": {},
    "find_award_record": {"recipient": one("recipient")},
    "record_succession": {"recipient": one("recipient")},
    "link_person": {"staff": one("staff")},  # the hash is checked by the domain
    "find_decision": {"number": document("number")},
    "find_block_year": {"block": one("block")},
    "revoke_inherited_title": {
        "recipient": one("recipient"),
        "revoking_decision": document("revokingDecision"),
    },
    "find_person": {},
}


def keyed(method: Callable[..., T], checks: Mapping[str, Check]) -> Callable[..., T]:
    """`method` with its key inputs checked first (commands take keyword arguments only)."""
    if not checks:
        return method
    signature = inspect.signature(method)
    unknown = set(checks) - set(signature.parameters)
    if unknown:
        msg = f"{method.__name__} has no parameter {sorted(unknown)}"
        raise TypeError(msg)

    @wraps(method)
    def checked(*args: Any, **kwargs: Any) -> T:
        given = kwargs if len(args) <= 1 else signature.bind_partial(*args, **kwargs).arguments
        for parameter, check in checks.items():
            if parameter in given:
                check(given[parameter])
        return method(*args, **kwargs)

    return checked


def check_keys_of(cls: type[T]) -> type[T]:
    """Class decorator: wrap every method named in COMMAND_KEYS."""
    for name, checks in COMMAND_KEYS.items():
        setattr(cls, name, keyed(getattr(cls, name), checks))
    return cls
