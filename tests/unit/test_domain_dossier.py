"""A proposal's dossier (hồ sơ đề nghị): the items it must hold are a rule-set value per award;
an item is a reference, a stored file, or both; the file's facts go into the event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from tests.unit.test_domain_awards import At, Rules, propose, recipient
from thidua.domain.dossier import DOSSIER_ITEM_NAMES, StoredFile, check_sha256
from thidua.domain.errors import AlreadyRecorded, MalformedCommand
from thidua.domain.proposal_checks import DossierIncomplete
from thidua.domain.proposals import AwardProposal

SHA = "a" * 64
FILE = StoredFile(SHA, "Biên bản họp xét.pdf", "application/pdf", 12_345)


def grassroots(at: At, rules: Any, **overrides: Any) -> AwardProposal:
    """A proposal the unit's head decides (no council): forwarded once the dossier is complete."""
    return propose(
        at,
        rules,
        recipient(at),
        award_code="giay_khen",
        authority="head_of_agency",
        **({"dossier": {}} | overrides),
    )


def test_the_items_a_dossier_needs_come_from_the_rules_in_force(at: At, rules_on: Rules) -> None:
    national = rules_on("2025-11-12")
    assert national.dossier_items_for("giay_khen") == ("minutes", "achievement_report")
    stricter = replace(
        national,
        dossier_required=(
            ("giay_khen", ("minutes", "achievement_report", "proposal_letter")),
            ("*", ("minutes", "achievement_report")),
        ),
    )
    p = grassroots(at, stricter, dossier={"minutes": "BB-1", "achievement_report": "BC-1"})
    with pytest.raises(DossierIncomplete) as refused:
        p.forward(recipient=recipient(at), rules=stricter, by=at("2025-11-20"))
    assert refused.value.details["missing"] == "proposal_letter"
    assert "Tờ trình đề nghị" in refused.value.message_vi  # the clerks' name, not the code
    p.attach(item="proposal_letter", reference="TTr-88", by=at("2025-11-20"))
    p.forward(recipient=recipient(at), rules=stricter, by=at("2025-11-20"))
    # Under the national rules the same dossier was complete without the letter.
    q = grassroots(at, national, key="q", dossier={"minutes": "BB-1", "achievement_report": "BC-1"})
    q.forward(recipient=recipient(at), rules=national, by=at("2025-11-20"))


def test_an_item_may_point_to_a_stored_file_whose_facts_go_into_the_event(
    at: At, rules_on: Rules, rebuild: Callable[[Aggregate], Any]
) -> None:
    p = grassroots(at, rules_on("2025-11-12"))
    p.attach(item="minutes", reference=None, file=FILE, by=at("2025-11-13"))
    attached = p.pending_events[-1]
    assert isinstance(attached, AwardProposal.DocumentAttached)
    assert attached.file == {
        "sha256": SHA,
        "name": "Biên bản họp xét.pdf",
        "media_type": "application/pdf",
        "size": 12_345,
    }
    assert attached.reference is None
    again = rebuild(p)
    assert again.dossier["minutes"] == f"sha256:{SHA}"
    with pytest.raises(AlreadyRecorded):
        again.attach(item="minutes", reference=None, file=FILE, by=at("2025-11-14"))


@pytest.mark.parametrize(
    "attach",
    [
        {"item": "minutes", "reference": None},  # neither a reference nor a file
        {"item": "minutes", "reference": "   "},
        {"item": "phieu-la", "reference": "x"},  # not an item of a dossier
    ],
)
def test_an_empty_or_unknown_item_is_refused(at: At, rules_on: Rules, attach: dict[str, Any]) -> None:
    p = grassroots(at, rules_on("2025-11-12"))
    before = len(p.pending_events)
    with pytest.raises(MalformedCommand):
        p.attach(**attach, by=at("2025-11-13"))
    assert len(p.pending_events) == before


@pytest.mark.parametrize(
    "build",
    [
        lambda: StoredFile("abc", "x.pdf", "application/pdf", 1),
        lambda: StoredFile(SHA, "", "application/pdf", 1),
        lambda: StoredFile(SHA, "x" * 256, "application/pdf", 1),
        lambda: StoredFile(SHA, "x.pdf", "application/pdf", 0),
        lambda: check_sha256("g" * 64),
    ],
    ids=["short-hash", "no-name", "long-name", "empty", "not-hex"],
)
def test_a_malformed_file_reference_is_refused(build: Callable[[], object]) -> None:
    with pytest.raises(MalformedCommand):
        build()


def test_every_item_has_a_vietnamese_name_and_the_hash_is_read_in_either_case() -> None:
    assert all(name[0].isupper() for name in DOSSIER_ITEM_NAMES.values())
    assert check_sha256(SHA.upper()) == SHA
