"""The live standings cache (bộ đệm bảng xếp hạng): a hit only at the same tracking position."""

from __future__ import annotations

from thidua.projections.standings.model import BlockStandings
from thidua.projections.standings.queries import _LiveCache


def _standings(position: int) -> BlockStandings:
    return BlockStandings(
        province="nghe-an",
        block="khoi-a",
        year=2024,
        members=(),
        members_claimed=None,
        count_mismatch=False,
        units=(),
        officers=None,
        leading_units=(),
        leading_method=None,
        ballots=(),
        position=position,
    )


def test_standings_are_served_from_the_cache_only_while_the_projection_has_not_moved() -> None:
    cache = _LiveCache(4)
    cache.put("nghe-an", "khoi-a/2024", 7, _standings(7))
    assert cache.get("nghe-an", "khoi-a/2024", 7) == (True, _standings(7))
    assert cache.get("nghe-an", "khoi-a/2024", 8) == (False, None)
    assert cache.get("ha-tinh", "khoi-a/2024", 7) == (False, None)  # never another province's


def test_a_block_year_not_there_yet_is_remembered_as_absent_at_its_position() -> None:
    cache = _LiveCache(4)
    cache.put("nghe-an", "khoi-a/2024", 3, None)
    assert cache.get("nghe-an", "khoi-a/2024", 3) == (True, None)
    assert cache.get("nghe-an", "khoi-a/2024", 4) == (False, None)


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used() -> None:
    cache = _LiveCache(2)
    cache.put("p", "a/1", 1, None)
    cache.put("p", "b/1", 1, None)
    assert cache.get("p", "a/1", 1)[0]  # a is now the most recent
    cache.put("p", "c/1", 1, None)
    assert cache.get("p", "a/1", 1)[0]
    assert not cache.get("p", "b/1", 1)[0]
    assert cache.get("p", "c/1", 1)[0]
