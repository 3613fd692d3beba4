"""Province mergers and successions in the domain: the merger's checks, the closed ledger, and
consecutive years walked across a succession under the lineage policy of the rules in force."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from thidua.domain.errors import AlreadyRecorded, MalformedCommand
from thidua.domain.lineage import (
    MergeIntoItself,
    MergerBeforeLastEvent,
    MergerCycle,
    ProvinceAlreadyMerged,
    ProvinceLineage,
    check_merger,
    check_merger_date,
)
from thidua.domain.prerequisites import evaluate
from thidua.domain.provenance import Provenance
from thidua.domain.records import AwardRecord, carries_over
from thidua.domain.rules import RuleSet

At = Callable[..., Provenance]
Rules = Callable[[str], RuleSet]
HEAD = "ab" * 32


def test_a_merger_into_itself_is_refused() -> None:
    with pytest.raises(MergeIntoItself):
        check_merger("ninh-binh", ["ha-nam", "ninh-binh"], {})


def test_a_cycle_is_refused() -> None:
    # ha-nam went into ninh-binh; merging ha-nam's successor back into ha-nam closes a cycle.
    with pytest.raises(MergerCycle):
        check_merger("ha-nam", ["ninh-binh"], {"ha-nam": "ninh-binh"})


def test_a_predecessor_already_merged_is_refused() -> None:
    with pytest.raises(ProvinceAlreadyMerged) as refused:
        check_merger("phu-tho", ["ha-nam"], {"ha-nam": "ninh-binh"})
    assert refused.value.details["successor"] == "ninh-binh"


def test_a_successor_already_merged_is_refused() -> None:
    with pytest.raises(ProvinceAlreadyMerged):
        check_merger("ha-nam", ["nam-dinh"], {"ha-nam": "ninh-binh"})


def test_a_predecessor_named_twice_or_none_is_malformed() -> None:
    with pytest.raises(MalformedCommand):
        check_merger("ninh-binh", ["ha-nam", "ha-nam"], {})
    with pytest.raises(MalformedCommand):
        check_merger("ninh-binh", [], {})


def test_a_merger_before_the_last_recorded_fact_is_refused() -> None:
    with pytest.raises(MergerBeforeLastEvent):
        check_merger_date("ha-nam", date(2025, 6, 30), date(2025, 7, 1))
    check_merger_date("ha-nam", date(2025, 7, 1), date(2025, 7, 1))
    check_merger_date("ha-nam", date(2025, 7, 1), None)


def test_a_closed_lineage_survives_replay_and_refuses_a_second_closure(
    at: At, rebuild: Callable[[Aggregate], Any]
) -> None:
    lineage = ProvinceLineage.start("ha-nam", at("2025-07-01"))
    lineage.close(successor="ninh-binh", successor_name="Tỉnh Ninh Bình", basis="NQ 202", by=at("2025-07-01"))
    again: ProvinceLineage = rebuild(lineage)
    assert (again.successor, again.merged_on) == ("ninh-binh", date(2025, 7, 1))
    with pytest.raises(ProvinceAlreadyMerged):
        again.close(successor="phu-tho", successor_name="Phú Thọ", basis="x", by=at("2025-08-01"))


def test_the_successor_records_each_predecessor_head_once(
    at: At, rebuild: Callable[[Aggregate], Any]
) -> None:
    lineage = ProvinceLineage.start("ninh-binh", at("2025-07-01"))
    joined: dict[str, Any] = {
        "predecessor_name": "Tỉnh Hà Nam",
        "basis": "NQ 202",
        "head_hash": HEAD,
        "head_position": 12,
    }
    lineage.join_predecessor(predecessor="ha-nam", **joined, by=at("2025-07-01"))
    again: ProvinceLineage = rebuild(lineage)
    assert again.predecessors["ha-nam"]["head_position"] == 12
    assert again.predecessors["ha-nam"]["merged_on"] == date(2025, 7, 1)
    with pytest.raises(ProvinceAlreadyMerged):
        again.join_predecessor(predecessor="ha-nam", **joined, by=at("2025-07-01"))
    with pytest.raises(MalformedCommand):
        again.join_predecessor(predecessor="nam-dinh", **(joined | {"head_hash": "x"}), by=at("2025-07-01"))


@pytest.mark.parametrize(
    ("policy", "succession", "count", "carried"),
    [
        ("one_to_one", "transfer", 1, True),
        ("one_to_one", "merge", 1, True),
        ("one_to_one", "rename", 1, True),
        ("one_to_one", "consolidation", 2, False),
        ("one_to_one", "merge", 3, False),
        ("one_to_one", "split", 1, False),
        ("all_predecessors", "consolidation", 2, True),
        ("all_predecessors", "split", 1, False),
    ],
)
def test_which_successions_carry_years(policy: str, succession: str, count: int, carried: bool) -> None:
    assert carries_over(policy, succession, count) is carried


def _fighter(at: At, province: str, key: str, years: list[int]) -> AwardRecord:
    record = AwardRecord.open(province, "staff", key, at("2020-01-01"))
    for y in years:
        record.enter_title(
            year=y, award="chien_si_thi_dua_co_so", decision=f"QĐ {key} {y}", by=at(f"{y}-12-20")
        )
    return record


def _successor_with(at: At, succession: str, sources: list[AwardRecord]) -> AwardRecord:
    after = _fighter(at, "ninh-binh", "nguyen-van-a", [2025])
    for source in sources:
        after.succeed_from(
            predecessor=f"{source.province}/{source.recipient}",
            source=source,
            succession=succession,
            predecessor_count=len(sources),
            document="QĐ 1/QĐ-UBND",
            by=at("2025-07-01"),
        )
    after.recognize_initiative(
        initiative="sk", scope="province", year=2025, reference="x", by=at("2025-10-01")
    )
    return after


def test_years_in_a_predecessor_province_count_through_a_one_to_one_transfer(
    at: At, rules_on: Rules, rebuild: Callable[[Aggregate], Any]
) -> None:
    before = _fighter(at, "ha-nam", "nguyen-van-a", [2023, 2024])
    after = rebuild(_successor_with(at, "transfer", [before]))
    found = evaluate("chien_si_thi_dua_cap_tinh", 2025, after, rules_on("2025-12-01"))
    assert found.complete, found
    assert "lineage_policy:one_to_one" in found.met


def test_a_consolidation_carries_no_years_under_the_default_policy_but_does_under_the_other(
    at: At, rules_on: Rules
) -> None:
    one = _fighter(at, "ha-nam", "a", [2023, 2024])
    other = _fighter(at, "nam-dinh", "b", [2022])
    after = _successor_with(at, "consolidation", [one, other])
    conservative = evaluate("chien_si_thi_dua_cap_tinh", 2025, after, rules_on("2025-12-01"))
    assert "consecutive:chien_si_thi_dua_co_so:3" in conservative.missing
    assert "lineage_policy:one_to_one" in conservative.met
    wide = replace(rules_on("2025-12-01"), lineage_policy="all_predecessors")
    found = evaluate("chien_si_thi_dua_cap_tinh", 2025, after, wide)
    assert found.complete
    assert "lineage_policy:all_predecessors" in found.met


def test_a_succession_is_recorded_once_with_a_known_kind_and_a_document(at: At) -> None:
    before = _fighter(at, "ha-nam", "a", [2024])
    after = _fighter(at, "ninh-binh", "a", [])
    kwargs: dict[str, Any] = {"predecessor": "ha-nam/a", "source": before, "predecessor_count": 1}
    with pytest.raises(MalformedCommand):
        after.succeed_from(**kwargs, succession="annexed", document="QĐ", by=at("2025-07-01"))
    with pytest.raises(MalformedCommand):
        after.succeed_from(**kwargs, succession="transfer", document=" ", by=at("2025-07-01"))
    after.succeed_from(**kwargs, succession="transfer", document="QĐ 5", by=at("2025-07-01"))
    with pytest.raises(AlreadyRecorded):
        after.succeed_from(**kwargs, succession="transfer", document="QĐ 5", by=at("2025-07-01"))


def test_a_province_may_adopt_the_wider_lineage_policy_and_nothing_else(at: At) -> None:
    from thidua.domain.rulebook import RuleBook, rules_in_force

    book = RuleBook.open("ninh-binh", at("2025-07-01"))
    with pytest.raises(MalformedCommand):
        book.adopt(
            version="nb-1",
            effective_from=date(2025, 7, 1),
            legal_basis="QĐ 1",
            overrides={"lineage_policy": "whoever"},
            by=at("2025-07-01"),
        )
    book.adopt(
        version="nb-1",
        effective_from=date(2025, 7, 1),
        legal_basis="QĐ 1",
        overrides={"lineage_policy": "all_predecessors"},
        by=at("2025-07-01"),
    )
    assert rules_in_force(book, date(2025, 8, 1), "ninh-binh").lineage_policy == "all_predecessors"
    assert rules_in_force(book, date(2025, 6, 1), "ninh-binh").lineage_policy == "one_to_one"
