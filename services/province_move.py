"""Moving a province to another database server (`thidua province move CODE --to NAME`).

In this order, with the check between the steps:

1. the province's schema is made on the target server by the release's migrations (empty);
2. on the source, the event table is locked as every insert locks it (EXCLUSIVE): writers wait
   for the whole move, readers do not;
3. the events are copied in order through the target's chain trigger, which computes every link
   again from the rows; the file store and the idempotency keys are copied as they are, and the
   target's position sequence is set to the head;
4. the target's head (HASH@POSITION) must be the source's, else everything is rolled back
   (`MOVED_HEAD_MISMATCH`) and nothing has changed;
5. the target commits, the registry's row names the target, and the source's copy is closed
   (its closure row, services/ledger_closure.py): a process that opened the province before the
   move and still sends its writes there is refused by PostgreSQL (`PROVINCE_MERGED`) instead of
   writing where nobody reads; the lock is released.

The read models are rebuilt on the target by its projection host from position 0 (it has no
tracking row for the province). Every process keeps a province's server once it has read it:
restart them after a move. A move stopped after the target committed is completed by running
it again (a target holding the source's head is taken as the copy). The source's schema and read
model rows are left for the operator to drop once the move is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import psycopg
import structlog
from psycopg import sql

from thidua.services.attachments.store import TABLE as FILES
from thidua.services.errors import ApplicationError
from thidua.services.idempotency import TABLE as KEYS
from thidua.services.ledger_chain import GENESIS
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import EVENTS_TABLE

log = structlog.get_logger()

EVENT_COLUMNS = "notification_id, originator_id, originator_version, topic, state"


class ProvinceAlreadyOnServer(ApplicationError):
    code = "PROVINCE_ALREADY_ON_SERVER"


class MoveTargetNotEmpty(ApplicationError):
    """The target server already holds another history of the province."""

    code = "MOVE_TARGET_NOT_EMPTY"


class MovedHeadMismatch(ApplicationError):
    """The target computed another head than the source's: the move was rolled back."""

    code = "MOVED_HEAD_MISMATCH"


@dataclass(frozen=True)
class MoveReport:
    province: str
    source: str
    target: str
    events: int
    head: str  # HASH@POSITION, the same on both servers
    copied: bool  # False when a stopped move had already copied it


def move_province(registry: ProvinceRegistry, code: str, target: str) -> MoveReport:
    """Move `code`'s event store to the server `target` (a name of THIDUA_DATABASES, or main)."""
    info = registry.get(code)
    registry.servers.params(target)  # UNKNOWN_DATABASE_SERVER before anything is done
    if info.server == target:
        raise ProvinceAlreadyOnServer(
            f"Tỉnh «{code}» đã ở máy chủ dữ liệu «{target}».", province=code, server=target
        )
    registry.prepare_server(target)
    with registry.connect_to(target) as made:
        made.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(info.schema_name)))
    opened = registry.open_at(replace(info, server=target))  # the migrations, on the target
    channel = getattr(opened.recorder, "channel_name", EVENTS_TABLE)
    opened.close()
    events = sql.Identifier(info.schema_name, EVENTS_TABLE)
    with registry.connect_to(info.server) as source, source.transaction():
        source.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))
        head = _head(source, events)
        with registry.connect_to(target) as copy, copy.transaction():
            copy.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))
            there = _head(copy, events)
            copied = there == (0, GENESIS.hex())
            if not copied and there != head:
                raise MoveTargetNotEmpty(
                    f"Máy chủ «{target}» đã có một lịch sử khác của tỉnh «{code}» "
                    f"(đầu chuỗi {there[1]}@{there[0]}); hãy xóa lược đồ {info.schema_name} ở đó "
                    "rồi chạy lại.",
                    province=code,
                    server=target,
                )
            if copied:
                _copy_rows(source, copy, info.schema_name)
                there = _head(copy, events)
                if there != head:
                    raise MovedHeadMismatch(
                        f"Máy chủ «{target}» tính ra đầu chuỗi {there[1]}@{there[0]}, khác với "
                        f"{head[1]}@{head[0]} ở máy chủ «{info.server}»; đã hủy việc chuyển.",
                        province=code,
                    )
                if head[0]:
                    # The recorder draws the next positions from this sequence.
                    copy.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                        (f'"{info.schema_name}"."{EVENTS_TABLE}"', head[0]),
                    )
                copy.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))  # wake projections
        registry.relocate(code, source=info.server, target=target)
        source.execute(
            sql.SQL("INSERT INTO {} (id) VALUES (1) ON CONFLICT (id) DO NOTHING").format(
                sql.Identifier(info.schema_name, "ledger_closure")
            )
        )
        count = source.execute(sql.SQL("SELECT count(*) FROM {}").format(events)).fetchone()
    report = MoveReport(
        code, info.server, target, int(count[0]) if count else 0, f"{head[1]}@{head[0]}", copied
    )
    log.info("province_moved", province=code, source=info.server, target=target, head=report.head)
    return report


def _head(conn: psycopg.Connection[Any], events: sql.Identifier) -> tuple[int, str]:
    row = conn.execute(
        sql.SQL("SELECT notification_id, chain_hash FROM {} ORDER BY notification_id DESC LIMIT 1").format(
            events
        )
    ).fetchone()
    if row is None:
        return 0, GENESIS.hex()
    return int(row[0]), bytes(row[1]).hex()


def _copy_rows(source: psycopg.Connection[Any], target: psycopg.Connection[Any], schema: str) -> None:
    """The events in order (the target's trigger links each again), then the files and the keys
    as they are (both made by the same migrations, so their columns match)."""
    events = sql.Identifier(schema, EVENTS_TABLE)
    columns = sql.SQL(EVENT_COLUMNS)
    _pipe(
        source,
        target,
        sql.SQL("COPY (SELECT {} FROM {} ORDER BY notification_id) TO STDOUT").format(columns, events),
        sql.SQL("COPY {} ({}) FROM STDIN").format(events, columns),
    )
    for table in (FILES, KEYS):
        name = sql.Identifier(schema, table)
        _pipe(
            source,
            target,
            sql.SQL("COPY {} TO STDOUT").format(name),
            sql.SQL("COPY {} FROM STDIN").format(name),
        )


def _pipe(
    source: psycopg.Connection[Any], target: psycopg.Connection[Any], out: sql.Composed, into: sql.Composed
) -> None:
    with source.cursor() as read, target.cursor() as write, read.copy(out) as rows, write.copy(into) as sink:
        for block in rows:
            sink.write(block)
