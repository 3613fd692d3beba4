"""What a projection is (phép chiếu): named, versioned tables, and a batch `apply`.

A projection receives a batch of envelopes already filtered to positions after its tracking
position, writes its rows through `conn` (inside the runner's transaction, which also advances
the tracking row: exactly once), and must be deterministic: the same events give the same rows,
which is what `verify` checks. No wall-clock values in read-model rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from thidua.projections.ddl import SCHEMA, Target, isolate
from thidua.projections.envelope import Envelope
from thidua.projections.names import quote_ident


@dataclass(frozen=True)
class TableSpec:
    """One read-model table. `name` carries the projection version (e.g. `audit_trail_v2`), so a
    new version is built beside the old one; `key` orders rows for checksums."""

    name: str
    body: str  # column definitions and PRIMARY KEY, including `province text NOT NULL`
    key: str
    # Secondary indexes of the live table: a column list, or "USING <method> (<columns>)".
    indexes: tuple[str, ...] = ()
    # Statements run after the live table is made and isolated (e.g. a reader's function).
    after_isolation: tuple[str, ...] = ()

    def create(self, target: Target) -> list[str]:
        statements = [f"CREATE TABLE IF NOT EXISTS {target.table(self.name)} ({self.body})"]
        if target.live:
            for i, columns in enumerate(self.indexes):
                index = quote_ident(f"{self.name}_ix{i}")
                spec = columns if columns.startswith("USING ") else f"({columns})"
                statements.append(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {SCHEMA}.{quote_ident(self.name)} {spec}"
                )
            statements.extend(isolate(self.name))
            statements.extend(self.after_isolation)
        return statements


class Projection(Protocol):
    """A read model kept from a province's events."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[TableSpec, ...]]

    async def apply(self, conn: Any, target: Target, province: str, events: Sequence[Envelope]) -> None: ...


async def create_tables(conn: Any, projection: Projection, target: Target) -> None:
    for spec in projection.tables:
        for statement in spec.create(target):
            await conn.execute(statement)
