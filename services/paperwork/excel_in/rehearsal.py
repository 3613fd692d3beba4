"""A rehearsal of an import (diễn tập): every row's command judged by the domain, nothing saved.

A file with one bad row must record nothing, and some rows are bad only in the light of the
ledger and of earlier rows (a staff member of a unit that does not exist, the same person twice
in a decision, a prerequisite the record lacks). So the import first runs every command through
the very command methods that will record it, against a `Rehearsal`: the province application
with its loads and its commit redirected. Loads see the aggregates earlier rows changed, then
the store; a commit keeps the changed aggregates instead of saving them. Only when every row
passes does the import run again for real.

The aggregates a rehearsal changes are kept pickled in a temporary file with an in-memory index
(id -> offset), so 100,000 rows cost a file on disk and a small index, not 100,000 live objects;
each load unpickles a fresh copy, so a command refused half-way leaves nothing behind, as a
refused command leaves nothing in the store.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from thidua.services.province_app import ProvinceApplication


class _Spill:
    """Pickled aggregates by id, in an anonymous temporary file (deleted on close)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="thidua-rehearsal-")  # noqa: SIM115 - closed in close()
        self._index: dict[bytes, tuple[int, int]] = {}

    def __contains__(self, id_: UUID) -> bool:
        return id_.bytes in self._index

    def put(self, id_: UUID, aggregate: Aggregate) -> None:
        data = pickle.dumps(aggregate, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        self._index[id_.bytes] = (self._file.tell(), len(data))
        self._file.write(data)

    def get(self, id_: UUID) -> Any | None:
        found = self._index.get(id_.bytes)
        if found is None:
            return None
        offset, length = found
        self._file.seek(offset)
        return pickle.loads(self._file.read(length))  # noqa: S301 - our own bytes, written above

    def close(self) -> None:
        self._file.close()
        self._index.clear()


class Rehearsal(ProvinceApplication):
    """The province's command methods over its store, with saving replaced by keeping."""

    _spill: _Spill

    @classmethod
    def of(cls, app: ProvinceApplication) -> Rehearsal:
        # Shares the application's store, mapper and repository (read only): building a second
        # application would open a second connection pool for a read-only run.
        rehearsal = cls.__new__(cls)
        rehearsal.__dict__.update(app.__dict__)
        rehearsal._spill = _Spill()
        return rehearsal

    def close(self) -> None:
        """Forget what was rehearsed; the shared store stays open for its owner."""
        self._spill.close()

    def _find(self, kind: str, key: str) -> Any | None:
        id_ = self._id(kind, key)
        kept = self._spill.get(id_)
        return kept if kept is not None else super()._find(kind, key)

    def _exists(self, kind: str, key: str) -> bool:
        return self._id(kind, key) in self._spill or super()._exists(kind, key)

    def _load_many(self, ids: list[UUID]) -> dict[UUID, Any]:
        kept = {i: self._spill.get(i) for i in ids if i in self._spill}
        rest = super()._load_many([i for i in ids if i not in kept])
        return {**rest, **kept}

    def _commit(self, *aggregates: Aggregate | None) -> int:
        for aggregate in aggregates:
            if aggregate is not None:
                aggregate.collect_events()
                self._spill.put(aggregate.id, aggregate)
        return 0

    def save(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a rehearsal never saves")  # every command commits through _commit
