"""Importing an exported history (nhập lịch sử) into an empty province of another instance.

The file is checked in full before anything is written: header, format, one chain from the
genesis (every `previous_hash` is the hash before it, every `hash` follows from the exact stored
bytes), increasing positions, and the `end` record's count and head (a truncated file is refused).

Files the events refer to (dossier attachments) travel as `file` records after the events: each
must hash to its declared SHA-256, and an event referring to a file the export does not carry
makes the whole file refused. They are written into the province's store in the same
transaction.

The rows are then written as they were stored (same bytes, same positions) in one transaction
that holds the same EXCLUSIVE lock as the application's recorder, with the chain trigger on, so
PostgreSQL recomputes every hash itself; the import commits only if the head it computed equals
the file's. Positions are kept (rather than renumbered by the recorder) so that an auditor's
`HASH@POSITION` checkpoint taken on the old instance still verifies on the new one, and read
models that quote positions come out equal.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import structlog
from psycopg import sql

from thidua.services.attachments.store import TABLE as ATTACHMENTS
from thidua.services.errors import ApplicationError, ProvinceNotFound
from thidua.services.history_export import FORMAT, file_references
from thidua.services.ledger import PROGRESS_EVERY, ChainWalker
from thidua.services.ledger_chain import GENESIS
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import EVENTS_TABLE

log = structlog.get_logger()

Progress = Callable[[int, int], None]


class HistoryFileInvalid(ApplicationError):
    """The file is not a whole, unaltered export: nothing was imported."""

    code = "HISTORY_FILE_INVALID"


class ProvinceNotEmpty(ApplicationError):
    """History is imported only into a province that has recorded nothing yet."""

    code = "PROVINCE_NOT_EMPTY"


class ProvinceMismatch(ApplicationError):
    """The file is another province's history."""

    code = "PROVINCE_MISMATCH"


class ImportedHeadMismatch(ApplicationError):
    """The database computed another head than the file's: the import was rolled back."""

    code = "IMPORTED_HEAD_MISMATCH"


@dataclass(frozen=True)
class StoredRow:
    position: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class StoredFileRecord:
    sha256: str
    size: int
    media_type: str
    content: bytes


@dataclass(frozen=True)
class HistoryFile:
    """A checked export: where it came from and the head it must reproduce."""

    path: Path
    province: str
    province_name: str
    events: int
    head_position: int
    head_hash: str
    files: int = 0


@dataclass(frozen=True)
class ImportSummary:
    province: str
    events: int
    head_position: int
    head_hash: str
    seconds: float


def _invalid(line_no: int, reason: str) -> HistoryFileInvalid:
    return HistoryFileInvalid(
        f"Tệp lịch sử không hợp lệ ở dòng {line_no}: {reason}. Không có gì được nhập.",
        line=line_no,
        reason=reason,
    )


def _records(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    size = path.stat().st_size
    done = 0
    with path.open("rb") as stream:
        for line_no, line in enumerate(stream, start=1):
            done += len(line)
            if progress is not None and line_no % 10_000 == 0:
                progress(done, size)
            if line_no % PROGRESS_EVERY == 0:
                log.info("history_file_check_progress", file=path.name, lines=line_no)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise _invalid(line_no, "not a JSON line") from None
            if not isinstance(record, dict) or record.get("format") != FORMAT:
                raise _invalid(line_no, f"not a {FORMAT} record")
            yield line_no, record


def _row(line_no: int, record: dict[str, Any]) -> StoredRow:
    try:
        return StoredRow(
            position=int(record["position"]),
            originator_id=UUID(str(record["originator_id"])),
            version=int(record["originator_version"]),
            topic=str(record["topic"]),
            state=base64.b64decode(record["state_b64"], validate=True),
        )
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise _invalid(line_no, f"malformed event ({exc})") from None


def _rows(path: Path) -> Iterator[StoredRow]:
    for line_no, record in _records(path):
        if record.get("record") == "event":
            yield _row(line_no, record)


def _file(line_no: int, record: dict[str, Any]) -> StoredFileRecord:
    """A `file` record whose bytes hash to the SHA-256 and size it declares."""
    try:
        found = StoredFileRecord(
            sha256=str(record["sha256"]),
            size=int(record["size"]),
            media_type=str(record["media_type"]),
            content=base64.b64decode(record["content_b64"], validate=True),
        )
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise _invalid(line_no, f"malformed file ({exc})") from None
    if hashlib.sha256(found.content).hexdigest() != found.sha256 or len(found.content) != found.size:
        raise _invalid(line_no, f"file {found.sha256[:12]}… does not match its hash or size")
    return found


def _files(path: Path) -> Iterator[StoredFileRecord]:
    for line_no, record in _records(path):
        if record.get("record") == "file":
            yield _file(line_no, record)


def check_history_file(path: Path, progress: Progress | None = None) -> HistoryFile:
    """Read the whole file and check its chain; HistoryFileInvalid names the first bad line.

    `progress` is called with (bytes read, file size).
    """
    walker = ChainWalker()
    files = _FileReferences()
    header: dict[str, Any] | None = None
    end: dict[str, Any] | None = None
    last_line = 0
    for line_no, record in _records(path, progress):
        last_line = line_no
        kind = record.get("record")
        if header is None:
            if kind != "header":
                raise _invalid(line_no, "the file must start with its header")
            header = record
        elif end is not None:
            raise _invalid(line_no, "records after the end record")
        elif kind == "end":
            end = record
        elif kind == "event":
            _check_event(walker, line_no, record)
            files.event(line_no, record)
        elif kind == "file":
            files.file(line_no, record)
        else:
            raise _invalid(line_no, f"unknown record kind {kind!r}")
    if header is None:
        raise _invalid(1, "the file is empty")
    if end is None:
        raise _invalid(last_line, "no end record: the file is truncated")
    head_hash = walker.stored_previous.hex() if walker.count else GENESIS.hex()
    if end.get("events") != walker.count or end.get("head_hash") != head_hash:
        raise _invalid(last_line, "the end record does not match the events in the file")
    files.check(last_line, end)
    return HistoryFile(
        path=path,
        province=str(header.get("province")),
        province_name=str(header.get("province_name") or header.get("province")),
        events=walker.count,
        head_position=walker.previous_position,
        head_hash=head_hash,
        files=len(files.carried),
    )


class _FileReferences:
    """The files an export's events refer to and those it carries: every one referred to must be
    carried (after the events), and the end record counts them."""

    def __init__(self) -> None:
        self.referenced: dict[str, int] = {}  # hash -> first position referring to it
        self.carried: set[str] = set()

    def event(self, line_no: int, record: dict[str, Any]) -> None:
        if self.carried:
            raise _invalid(line_no, "events after the files")
        for digest in file_references(record):
            self.referenced.setdefault(digest, int(record.get("position") or 0))

    def file(self, line_no: int, record: dict[str, Any]) -> None:
        self.carried.add(_file(line_no, record).sha256)

    def check(self, last_line: int, end: dict[str, Any]) -> None:
        if end.get("files", 0) != len(self.carried):
            raise _invalid(last_line, "the end record does not match the files in the file")
        missing = sorted(set(self.referenced) - self.carried, key=self.referenced.__getitem__)
        if missing:
            raise _invalid(
                last_line,
                f"the event at position {self.referenced[missing[0]]} refers to file "
                f"{missing[0][:12]}…, which the export does not carry",
            )


def _check_event(walker: ChainWalker, line_no: int, record: dict[str, Any]) -> None:
    row = _row(line_no, record)
    if row.position <= walker.previous_position:
        raise _invalid(line_no, f"position {row.position} is not after the previous one")
    if record.get("previous_hash") != walker.stored_previous.hex():
        raise _invalid(line_no, f"previous_hash at position {row.position} breaks the chain")
    stored = _hex(line_no, record.get("hash"))
    walker.feed(row.position, row.originator_id.bytes, row.version, row.topic, row.state, stored)
    if walker.break_count:
        raise _invalid(line_no, f"hash at position {row.position} does not match its event")


def _hex(line_no: int, value: object) -> bytes:
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        raise _invalid(line_no, "hash is not hexadecimal") from None


def import_history(
    registry: ProvinceRegistry,
    path: Path,
    *,
    province: str | None = None,
    created_by: str = "import-history",
    checking: Progress | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check `path`, then write its events into its province (`province`, if given, must be the
    file's), which must be empty; a province that does not exist yet is created with the file's
    name for it.

    `checking` follows the check (bytes read, file size), `progress` the writing (events).
    """
    started = time.monotonic()
    checked = check_history_file(path, checking)
    code = province or checked.province
    if code != checked.province:
        # Aggregate ids derive from the province code (domain.ids), and events name their
        # province: the same history under another code would not find its own records.
        raise ProvinceMismatch(
            f"Tệp là lịch sử của tỉnh «{checked.province}», không thể nhập vào tỉnh «{code}».",
            province=code,
            file_province=checked.province,
        )
    try:
        info = registry.get(code)
    except ProvinceNotFound:
        info = registry.create_province(code, checked.province_name, created_by=created_by)
    app = registry.app(code)  # makes sure the table and the chain triggers exist
    table = sql.Identifier(info.schema_name, EVENTS_TABLE)
    channel = getattr(app.recorder, "channel_name", EVENTS_TABLE)
    with psycopg.connect(registry.params_for(code).psycopg_conninfo()) as conn, conn.transaction():
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        if conn.execute(sql.SQL("SELECT 1 FROM {} LIMIT 1").format(table)).fetchone():
            raise ProvinceNotEmpty(
                f"Tỉnh «{code}» đã có sự kiện: chỉ nhập lịch sử vào một tỉnh còn trống.",
                province=code,
            )
        written = 0
        copy_sql = sql.SQL(
            "COPY {} (notification_id, originator_id, originator_version, topic, state) FROM STDIN"
        ).format(table)
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in _rows(path):
                copy.write_row((row.position, row.originator_id, row.version, row.topic, row.state))
                written += 1
                if progress is not None and written % 5_000 == 0:
                    progress(written, checked.events)
                if written % PROGRESS_EVERY == 0:
                    log.info("history_import_progress", province=code, events=written)
        if progress is not None:
            progress(written, checked.events)
        store = sql.Identifier(info.schema_name, ATTACHMENTS)
        for stored in _files(path):
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (sha256, size, media_type, content) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (sha256) DO NOTHING"
                ).format(store),
                (bytes.fromhex(stored.sha256), stored.size, stored.media_type, stored.content),
            )
        head = conn.execute(
            sql.SQL("SELECT chain_hash FROM {} ORDER BY notification_id DESC LIMIT 1").format(table)
        ).fetchone()
        computed = bytes(head[0]).hex() if head else GENESIS.hex()
        if computed != checked.head_hash:
            raise ImportedHeadMismatch(
                f"Cơ sở dữ liệu tính ra đầu chuỗi {computed}, khác với tệp "
                f"({checked.head_hash}); đã hủy việc nhập.",
                province=code,
            )
        if checked.events:
            # The application's recorder draws the next positions from this sequence.
            conn.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                (f'"{info.schema_name}"."{EVENTS_TABLE}"', checked.head_position),
            )
        conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))  # wake projections
    summary = ImportSummary(
        province=code,
        events=written,
        head_position=checked.head_position,
        head_hash=checked.head_hash,
        seconds=time.monotonic() - started,
    )
    log.info(
        "history_imported",
        province=code,
        events=written,
        head=f"{summary.head_hash}@{summary.head_position}",
        seconds=round(summary.seconds, 3),
    )
    return summary
