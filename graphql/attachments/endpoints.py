"""`POST /attachments` and `GET /attachments/{sha256}`: a dossier's files (tệp hồ sơ).

Why plain HTTP beside `/graphql` rather than GraphQL's multipart requests: a file needs its own
size limit (`THIDUA_MAX_ATTACHMENT_BYTES`, 20 MiB) while every GraphQL body keeps the small one
that protects the parser (`THIDUA_MAX_BODY_BYTES`, 2 MiB), and Litestar applies one limit per
route; a download is bytes, which GraphQL does not answer; and `attachDocument` stays a plain
JSON mutation like every other command. The token is the same bearer token, checked by the same
middleware, and the permission is the matrix's own row: uploading as `attachDocument` (who may
attach may upload), downloading as `awardProposals` (who may read a proposal may read its files).

The province is always the token's: the store read or written is that province's schema, so a
file of one province is never served to another, even for the same hash. A refused upload
(too large, empty, of a refused type, no right) stores nothing and records nothing. Errors come
as GraphQL errors do: `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import structlog
from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.handlers import HTTPRouteHandler

from thidua.graphql.core.permissions import allow
from thidua.graphql.core.text import InvalidText, clean_text
from thidua.projections.routing import pool_for
from thidua.services.attachments.sniff import ACCEPTED, media_type
from thidua.services.attachments.store import fetch, store
from thidua.services.auth import PermissionDenied, Principal
from thidua.services.errors import ApplicationError
from thidua.services.http import principal_of
from thidua.services.runtime import Runtime
from thidua.services.settings import Settings

log = structlog.get_logger()

UPLOAD, DOWNLOAD = "attachDocument", "awardProposals"  # the matrix rows they answer to
MAX_NAME = 255
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


class Refusal(Exception):
    """An upload or download refused with an HTTP status, a stable code and a Vietnamese message."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def response(self) -> Response[dict[str, Any]]:
        extensions = {"code": self.code, **self.details}
        return Response(
            {"errors": [{"message": self.message, "extensions": extensions}]}, status_code=self.status
        )


def _caller(request: Request[Any, Any, Any], operation: str) -> tuple[Principal, str]:
    """The verified caller the matrix allows `operation` (`allow`, as the GraphQL fields), and
    the province it acts in: its token's, never another."""
    principal, auth_error = principal_of(request.scope.get("state", {}))
    if auth_error is not None:
        raise Refusal(401, auth_error.code, auth_error.message_vi)
    if principal is None:
        raise Refusal(401, "UNAUTHENTICATED", "Cần đăng nhập (mã xác thực Bearer) để dùng chức năng này.")
    try:
        caller = allow(principal, operation)
    except (PermissionDenied, ApplicationError) as refused:
        raise Refusal(403, "FORBIDDEN", refused.message_vi) from None
    return principal, caller.province


def _file_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        name = clean_text(raw, "name").strip()
    except InvalidText as exc:
        raise Refusal(400, exc.code, exc.message_vi, field="name") from None
    if not name or len(name) > MAX_NAME:
        raise Refusal(400, "INVALID_FILE_NAME", f"Tên tệp phải có từ 1 đến {MAX_NAME} ký tự.", field="name")
    return name


def _too_large(limit: int) -> Refusal:
    return Refusal(
        413,
        "ATTACHMENT_TOO_LARGE",
        f"Tệp vượt quá dung lượng cho phép ({limit // (1024 * 1024)} MB).",
        limit=limit,
    )


async def _read(request: Request[Any, Any, Any], limit: int) -> bytes:
    """The body, refused past `limit` bytes without reading further (the route's own limit,
    Litestar's, stops a client that lies about its length)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
    except HTTPException as exc:
        if exc.status_code == 413:
            raise _too_large(limit) from None
        raise
    return b"".join(chunks)


def attachment_routes(settings: Settings) -> list[HTTPRouteHandler]:
    """The two routes, with the attachment size limit of `settings`."""
    limit = settings.http.max_attachment_bytes

    @post("/attachments", request_max_body_size=limit, status_code=201, include_in_schema=False)
    async def upload(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Store a file (the body, as it is); answer its hash, size and media type."""
        try:
            _, province = _caller(request, UPLOAD)
            name = _file_name(request.query_params.get("name"))
            content = await _read(request, limit)
            if not content:
                raise Refusal(400, "ATTACHMENT_EMPTY", "Tệp rỗng: không có gì để lưu.")
            kind = media_type(content)
            if kind is None:
                raise Refusal(
                    415,
                    "ATTACHMENT_TYPE_REFUSED",
                    "Chỉ nhận tệp " + ", ".join(ACCEPTED.values()) + "; loại tệp được nhận biết từ nội "
                    "dung, không từ tên tệp.",
                )
            runtime: Runtime = request.app.state.runtime
            async with (await pool_for(runtime.read_pool, province)).acquire() as conn:
                blob, new = await store(conn, province, content, kind)
        except Refusal as refused:
            log.info("attachment_refused", code=refused.code)
            return refused.response()
        log.info("attachment_stored", province=province, sha256=blob.sha256, size=blob.size, new=new)
        body = {"sha256": blob.sha256, "size": blob.size, "mediaType": blob.media_type, "name": name}
        return Response(body, status_code=201 if new else 200)

    @get("/attachments/{sha256:str}", include_in_schema=False)
    async def download(request: Request[Any, Any, Any], sha256: str) -> Response[Any]:
        """A stored file of the caller's province, as bytes with its media type."""
        try:
            _, province = _caller(request, DOWNLOAD)
            if not _SHA256.fullmatch(sha256):
                raise Refusal(400, "INVALID_ATTACHMENT_HASH", "Mã băm SHA-256 phải gồm 64 chữ số hex.")
            name = _file_name(request.query_params.get("name"))
            runtime: Runtime = request.app.state.runtime
            async with (await pool_for(runtime.read_pool, province)).acquire() as conn:
                found = await fetch(conn, province, sha256.lower())
            if found is None:
                raise Refusal(404, "ATTACHMENT_NOT_FOUND", "Không có tệp này trong kho của tỉnh.")
        except Refusal as refused:
            return refused.response()
        blob, content = found
        filename = (name or blob.sha256).replace('"', "'")
        return Response(
            content,
            media_type=blob.media_type,
            headers={
                "content-disposition": f"attachment; filename*=UTF-8''{_quote(filename)}",
                "x-content-type-options": "nosniff",
                "content-security-policy": "sandbox",
                # The bytes under a hash never change; the permission may, so no shared caches.
                "cache-control": "private, max-age=86400, immutable",
            },
        )

    return [upload, download]


def _quote(name: str) -> str:
    return quote(name, safe="")
