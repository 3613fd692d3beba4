"""Files of dossiers over real HTTP: upload checked by content, stored under its hash in the
province's schema, attached to a proposal (the event carries hash, name, type and size), served
back with the same permissions, never to another province; bad uploads refused, nothing stored."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests import conftest
from tests.conftest import ServedApp, create_database, drop_database
from tests.e2e.graphql_client import GraphQLClient
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

A, B = "nghe-an", "ha-tinh"
LIMIT = 64 * 1024


def ooxml(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document>Biên bản họp xét thi đua</document>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FILES = {
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ooxml("word/document.xml"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ooxml("xl/workbook.xml"),
    "image/png": PNG,
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 32,
}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    """Two provinces, served with a small attachment limit (the GraphQL body limit unchanged)."""
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    for code, name in ((A, "Tỉnh Nghệ An"), (B, "Tỉnh Hà Tĩnh")):
        registry.create_province(code, name, created_by="op")
    registry.close()
    app = ServedApp(conftest.test_settings(THIDUA_MAX_ATTACHMENT_BYTES=str(LIMIT)), params)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        drop_database(pg_server, params)


def bearer(served: ServedApp, province: str | None, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.token(province, role, unit='so-noi-vu')}"}


def upload(
    served: ServedApp,
    content: bytes,
    *,
    province: str = A,
    role: str = "province_admin",
    name: str | None = "tep.pdf",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    params = {"name": name} if name is not None else {}
    sent = {**bearer(served, province, role), "content-type": "application/octet-stream", **(headers or {})}
    return httpx.post(f"{served.url}/attachments", content=content, params=params, headers=sent, timeout=30)


def download(served: ServedApp, sha256: str, *, province: str = A, role: str = "auditor") -> httpx.Response:
    return httpx.get(f"{served.url}/attachments/{sha256}", headers=bearer(served, province, role), timeout=30)


def stored_count(served: ServedApp, province: str) -> int:
    with psycopg.connect(served._params.psycopg_conninfo()) as conn:
        row = conn.execute(f'SELECT count(*) FROM "{schema_for(province)}".attachments').fetchone()
    return int(row[0]) if row else 0


def head(served: ServedApp, province: str) -> int:
    with psycopg.connect(served._params.psycopg_conninfo()) as conn:
        row = conn.execute(
            f'SELECT coalesce(max(notification_id), 0) FROM "{schema_for(province)}".ledger_events'
        ).fetchone()
    return int(row[0]) if row else 0


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


@pytest.mark.parametrize("kind", sorted(FILES))
def test_each_accepted_type_is_stored_under_its_hash_and_served_back(served: ServedApp, kind: str) -> None:
    content = FILES[kind]
    answer = upload(served, content, name="Hồ sơ.bin")  # the name says nothing of the type
    assert answer.status_code in (200, 201), answer.text
    sent = answer.json()
    assert sent == {
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "mediaType": kind,
        "name": "Hồ sơ.bin",
    }
    again = upload(served, content)
    assert again.status_code == 200  # the same content is kept once
    back = download(served, sent["sha256"])
    assert back.status_code == 200
    assert back.content == content
    assert back.headers["content-type"].startswith(kind)
    assert back.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 400, "ATTACHMENT_EMPTY"),
        (b"MZ\x90\x00" + b"\x00" * 100, 415, "ATTACHMENT_TYPE_REFUSED"),  # an executable named .pdf
        (b"<html><script>alert(1)</script></html>", 415, "ATTACHMENT_TYPE_REFUSED"),
        (plain_zip(), 415, "ATTACHMENT_TYPE_REFUSED"),  # a ZIP that is no Word or Excel file
        (b"PK\x03\x04 not really a zip", 415, "ATTACHMENT_TYPE_REFUSED"),
        (PDF + b"\x00" * LIMIT, 413, "ATTACHMENT_TOO_LARGE"),
    ],
    ids=["empty", "exe", "html", "zip", "broken-zip", "too-large"],
)
def test_a_bad_upload_is_refused_with_a_typed_code_and_nothing_is_stored(
    served: ServedApp, content: bytes, status: int, code: str
) -> None:
    before, events = stored_count(served, A), head(served, A)
    answer = upload(served, content)
    assert answer.status_code == status, answer.text
    assert code_of(answer) == code
    assert answer.json()["errors"][0]["message"]  # Vietnamese, for the clerk
    assert (stored_count(served, A), head(served, A)) == (before, events)


def test_a_body_over_the_limit_is_refused_even_without_a_declared_length(served: ServedApp) -> None:
    def chunks() -> Iterator[bytes]:
        yield PDF
        for _ in range(LIMIT // 4096 + 2):
            yield b"\x00" * 4096

    before = stored_count(served, A)
    answer = httpx.post(
        f"{served.url}/attachments", content=chunks(), headers=bearer(served, A, "province_admin")
    )
    assert answer.status_code == 413
    assert code_of(answer) == "ATTACHMENT_TOO_LARGE"
    assert stored_count(served, A) == before


def test_the_graphql_body_limit_still_applies_beside_the_attachment_limit(served: ServedApp) -> None:
    big = {"query": "{ viewer { subject } }", "variables": {"x": "a" * (3 * 1024 * 1024)}}
    answer = httpx.post(f"{served.url}/graphql", json=big, headers=bearer(served, A, "auditor"), timeout=30)
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("province", "role", "status", "code"),
    [
        (A, "unit_clerk", 403, "FORBIDDEN"),
        (A, "auditor", 403, "FORBIDDEN"),
        (A, "council_member", 403, "FORBIDDEN"),
        (None, "platform_operator", 403, "FORBIDDEN"),
    ],
)
def test_only_those_who_may_attach_may_upload(
    served: ServedApp, province: str | None, role: str, status: int, code: str
) -> None:
    answer = (
        upload(served, PDF + b"% other", province=province or A, role=role)
        if province
        else httpx.post(f"{served.url}/attachments", content=PDF, headers=bearer(served, None, role))
    )
    assert answer.status_code == status
    assert code_of(answer) == code
    assert upload(served, PDF, role="block_officer").status_code in (200, 201)


def test_without_a_token_or_with_a_bad_one_nothing_is_read_or_stored(served: ServedApp) -> None:
    sha = hashlib.sha256(PDF).hexdigest()
    assert httpx.post(f"{served.url}/attachments", content=PDF).status_code == 401
    bad = httpx.get(f"{served.url}/attachments/{sha}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert code_of(bad) == "UNAUTHENTICATED"


def test_a_file_of_one_province_is_never_served_to_another_even_for_the_same_hash(served: ServedApp) -> None:
    content = PDF + b"% only in Nghe An\n"
    sha = upload(served, content).json()["sha256"]
    assert download(served, sha, province=A).status_code == 200
    other = download(served, sha, province=B)
    assert other.status_code == 404
    assert code_of(other) == "ATTACHMENT_NOT_FOUND"
    # B storing the same bytes keeps its own copy; both provinces are then served their own.
    assert upload(served, content, province=B).status_code == 201
    assert download(served, sha, province=B).content == content
    assert download(served, "zz" * 32).status_code == 400


class Board:
    def __init__(self, served: ServedApp) -> None:
        self.admin = GraphQLClient(served, served.token(A, "province_admin", user="ban-tdkt"))
        self.auditor = GraphQLClient(served, served.token(A, "auditor"))

    def ok(self, name: str, input_: dict[str, Any]) -> int:
        payload = self.admin.mutate(name, input_)
        assert payload["ok"], (name, payload["errors"])
        return int(payload["position"])

    def refused(self, name: str, input_: dict[str, Any]) -> str:
        payload = self.admin.mutate(name, input_)
        assert payload["ok"] is False, payload
        return str(payload["errors"][0]["code"])


def test_a_dossier_item_points_to_an_uploaded_file_and_the_event_carries_its_facts(served: ServedApp) -> None:
    board = Board(served)
    board.ok("registerUnit", {"key": "so-noi-vu", "name": "Sở Nội vụ"})
    board.ok(
        "proposeAward",
        {
            "key": "ttr-15",
            "proposer": "so-noi-vu",
            "year": 2025,
            "award": "giay_khen",
            "authority": "head_of_agency",
            "recipient": {"kind": "unit", "key": "so-noi-vu"},
        },
    )
    docx = FILES["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    stored = upload(served, docx, name="Bien-ban.docx").json()
    before = head(served, A)
    assert board.refused("attachDocument", {"proposal": "ttr-15", "item": "minutes"}) == "MALFORMED_COMMAND"
    unknown = {"sha256": "ab" * 32, "name": "x.pdf"}
    assert board.refused("attachDocument", {"proposal": "ttr-15", "item": "minutes", "file": unknown}) == (
        "ATTACHMENT_NOT_FOUND"
    )
    malformed = {"sha256": "not-a-hash", "name": "x.pdf"}
    assert board.refused("attachDocument", {"proposal": "ttr-15", "item": "minutes", "file": malformed}) == (
        "MALFORMED_COMMAND"
    )
    assert board.refused("attachDocument", {"proposal": "ttr-15", "item": "phieu-la", "reference": "x"}) == (
        "MALFORMED_COMMAND"
    )
    assert head(served, A) == before  # refusals record nothing
    # A file of another province cannot be attached here, though its hash is right.
    only_b = upload(served, PDF + b"% Ha Tinh only\n", province=B).json()["sha256"]
    assert (
        board.refused(
            "attachDocument",
            {"proposal": "ttr-15", "item": "minutes", "file": {"sha256": only_b, "name": "b.pdf"}},
        )
        == "ATTACHMENT_NOT_FOUND"
    )
    position = board.ok(
        "attachDocument",
        {
            "proposal": "ttr-15",
            "item": "minutes",
            "reference": "BB-01",
            "file": {"sha256": stored["sha256"].upper(), "name": "Biên bản họp.docx"},
        },
    )
    board.ok("attachDocument", {"proposal": "ttr-15", "item": "achievement_report", "reference": "BC-07"})
    trail = board.auditor.data(
        "query($at: Int) { auditTrail(atLeastPosition: $at, "
        'filter: {eventType: "AwardProposal.DocumentAttached"}) { nodes { position summary payload } } }',
        {"at": position},
    )["auditTrail"]["nodes"]
    attached = next(e for e in trail if e["position"] == position)
    assert attached["payload"]["file"] == {
        "sha256": stored["sha256"],
        "name": "Biên bản họp.docx",
        "media_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "size": len(docx),
    }
    assert "Biên bản họp.docx" in attached["summary"]
    assert "biên bản họp xét" in attached["summary"]
    dossier = board.auditor.data(
        "query($at: Int) { awardProposals(atLeastPosition: $at) { nodes { key dossier { item reference "
        "file { sha256 name mediaType size } } } } }",
        {"at": position + 1},
    )["awardProposals"]["nodes"][0]["dossier"]
    assert dossier == [
        {
            "item": "minutes",
            "reference": "BB-01",
            "file": {
                "sha256": stored["sha256"],
                "name": "Biên bản họp.docx",
                "mediaType": stored["mediaType"],
                "size": len(docx),
            },
        },
        {"item": "achievement_report", "reference": "BC-07", "file": None},
    ]
    # The dossier is complete by the rules in force: the proposal can go on.
    board.ok("forwardProposal", {"proposal": "ttr-15"})
