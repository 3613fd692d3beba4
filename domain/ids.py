"""Deterministic aggregate ids from natural keys (khóa tự nhiên), one namespace per province."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

# Fixed forever (= uuid5(NAMESPACE_URL, "https://thidua.example/ledger")): changing it would
# orphan every stored aggregate.
PROJECT_NAMESPACE = UUID("3315cffc-6567-52f2-997b-d9706d071fe9")


@lru_cache(maxsize=1 << 16)  # a pure function, called for every key of a bulk command
def aggregate_id(province: str, kind: str, key: str) -> UUID:
    """The id of the `kind` aggregate with natural `key` in `province`.

    Kinds used by the domain: unit, staff, discipline, block, block-year, movement,
    registration, scoring, rating-sheet, ballot, council, record, proposal, decision, rulebook.
    """
    return uuid5(PROJECT_NAMESPACE, f"{province}/{kind}/{key}")


@lru_cache(maxsize=1 << 16)
def aggregate_ref(province: str, kind: str, key: str) -> str:
    """`aggregate_id` as text (its canonical form), for queries and caches keyed by it."""
    return str(aggregate_id(province, kind, key))
