"""How `thidua projections rebuild --processes N` splits the projections among processes."""

from __future__ import annotations

from thidua.projections.catalogue import all_projections
from thidua.services.parallel_rebuild import groups_of

NAMES = [p.name for p in all_projections()]


def test_the_two_heaviest_projections_go_to_different_processes_and_the_rest_even_up() -> None:
    groups = groups_of(NAMES, 2)
    assert {("ratings" in g, "audit" in g) for g in groups} == {(True, False), (False, True)}
    assert sorted(n for g in groups for n in g) == sorted(NAMES)


def test_each_group_keeps_the_catalogues_order_and_no_group_is_empty() -> None:
    for processes in (1, 2, 3, 8):
        groups = groups_of(NAMES, processes)
        assert len(groups) == min(processes, len(NAMES))
        for group in groups:
            assert group == [n for n in NAMES if n in group]
    assert groups_of(NAMES, 1) == [NAMES]
