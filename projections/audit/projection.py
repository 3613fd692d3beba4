"""The audit trail projection: every event becomes one row, written with COPY in batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from thidua.projections.audit.context import SPEC as CONTEXT_SPEC
from thidua.projections.audit.context import AuditContext, BuildContext, load_context, save_context
from thidua.projections.audit.subjects import subjects_of
from thidua.projections.audit.summary import summarize
from thidua.projections.base import TableSpec
from thidua.projections.ddl import Target
from thidua.projections.envelope import Envelope, jsonb_text

VERSION = 2  # 2: sentences with names (the context table)
TABLE = f"audit_trail_v{VERSION}"

COLUMNS = (
    "province",
    "position",
    "recorded_at",
    "effective_on",
    "aggregate_type",
    "aggregate_id",
    "aggregate_version",
    "event_type",
    "actor_user",
    "actor_role",
    "actor_unit",
    "correlation_id",
    "summary_vi",
    "payload",
    "subjects",
)

SPEC = TableSpec(
    name=TABLE,
    body="""
        province          text        NOT NULL,
        position          bigint      NOT NULL,
        recorded_at       timestamptz NOT NULL,
        effective_on      date,
        aggregate_type    text        NOT NULL,
        aggregate_id      uuid        NOT NULL,
        aggregate_version bigint      NOT NULL,
        event_type        text        NOT NULL,
        actor_user        text,
        actor_role        text,
        actor_unit        text,
        correlation_id    text,
        summary_vi        text        NOT NULL,
        payload           jsonb       NOT NULL,
        subjects          text[]      NOT NULL,
        PRIMARY KEY (province, position)
    """,
    key="province, position",
    # Lookups by aggregate (history of one record), by correlation (one command's events), by
    # subject (`subjects @> ...`: a block-year, a unit, a proposal; only GIN serves containment),
    # and by aggregate type (the directory of blocks reads their events in order).
    indexes=(
        "province, aggregate_id, aggregate_version",
        "province, correlation_id",
        "USING gin (subjects)",
        "province, aggregate_type, position",
    ),
)


def audit_record(province: str, e: Envelope, context: AuditContext | None = None) -> tuple[Any, ...]:
    return (
        province,
        e.position,
        e.recorded_at,
        e.effective_on,
        e.aggregate_type,
        e.aggregate_id,
        e.aggregate_version,
        e.event_type,
        e.actor_user,
        e.actor_role,
        e.actor_unit,
        e.correlation_id,
        summarize(e.event_type, e.payload, context.at(e) if context is not None else None),
        jsonb_text(e.payload),
        subjects_of(e.payload),
    )


class AuditTrail:
    """Nhật ký kiểm tra: who did what, when recorded, when effective, why (one row per event)."""

    name: ClassVar[str] = "audit"
    version: ClassVar[int] = VERSION
    tables: ClassVar[tuple[TableSpec, ...]] = (SPEC, CONTEXT_SPEC)

    def __init__(self) -> None:
        # (build context table, province) -> the context rows a build saved (see BuildContext).
        self._builds: dict[tuple[str, str], BuildContext] = {}

    async def apply(self, conn: Any, target: Target, province: str, events: Sequence[Envelope]) -> None:
        build = None if target.live else self._builds.setdefault(self._key(target, province), BuildContext())
        context = await load_context(conn, target, province, events, build)
        records = []
        for e in events:
            records.append(audit_record(province, e, context))
            context.learn(e)
        await save_context(conn, target, province, context)
        if build is not None:
            build.remember(context)
        await conn.copy_records_to_table(
            TABLE + target.suffix, schema_name=target.schema, columns=COLUMNS, records=records
        )

    def forget(self, target: Target, province: str) -> None:
        """Drop a build's memory (it ended, failed, or starts afresh)."""
        self._builds.pop(self._key(target, province), None)

    @staticmethod
    def _key(target: Target, province: str) -> tuple[str, str]:
        return (target.table(CONTEXT_SPEC.name), province)
