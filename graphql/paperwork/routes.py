"""File endpoints beside /graphql: Excel uploads, xlsx/docx/pdf downloads (tải lên, tải về).

Every endpoint takes the caller's bearer token and checks the same permission matrix as the
GraphQL field it stands for (`allow`), so the published matrix stays the enforced one:

- `POST /imports/{kind}.xlsx[?dryRun=true]` (body: the xlsx), `GET /imports/{kind}.xlsx` (the
  blank template): each row's mutation (registerUnit; registerStaff, clerks for their own unit;
  openBlockYear / addBlockMember; proposeAward; decideAward);
- `GET /exports/{standings,awards-register,rating-sheets,dossier,award-history}.xlsx`: standings,
  awardDecisions, ratingSheets (clerks: their own unit), awardProposals, awardHistory;
- `GET /reports/{0601..0605}.xlsx?year=`: awardDecisions;
- `GET /documents/{to-trinh,quyet-dinh}.docx`, `GET /documents/certificates.pdf`: decideAward.

Refusals are JSON `{code, message}`: 401 UNAUTHENTICATED / TOKEN_EXPIRED, 403 FORBIDDEN, 404 for
an unknown kind or nothing to print, 400 for a file refused whole, 422 for bad rows (with every
row's error; nothing recorded).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from litestar import Request, Router, get, post
from litestar.datastructures import State
from litestar.params import QueryParameter
from litestar.response import Response

from thidua.domain.errors import DomainError
from thidua.domain.provenance import Actor
from thidua.graphql.core.permissions import MATRIX, allow
from thidua.services.auth import AuthError, PermissionDenied, Principal
from thidua.services.errors import ApplicationError
from thidua.services.http import principal_of
from thidua.services.mergers import lineage
from thidua.services.paperwork.errors import NotAnXlsxFile, NothingToPrint, PredecessorsNotRead, UnknownKind
from thidua.services.runtime import Runtime
from thidua.services.servers import routed_pool
from thidua.services.settings import Settings

T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
DOCUMENT_OPERATION = "decideAward"


def _refusal(exc: Exception) -> Response[dict[str, Any]]:
    code = getattr(exc, "code", "INTERNAL_ERROR")
    message = getattr(exc, "message_vi", str(exc))
    if isinstance(exc, AuthError):
        status = 401
    elif isinstance(exc, PermissionDenied):
        status = 403
    elif isinstance(exc, UnknownKind | NothingToPrint):
        status = 404
    else:
        status = 400
    return Response({"code": code, "message": message}, status_code=status)


def _caller(request: Request[Any, Any, Any]) -> Principal:
    principal, error = principal_of(request.scope.get("state", {}))
    if error is not None:
        raise error
    if principal is None:
        raise AuthError("Cần đăng nhập (mã xác thực Bearer) để dùng chức năng này.")
    return principal


def _named(name: str, suffix: str) -> str:
    if not name.endswith(suffix):
        raise UnknownKind(f"Không có tệp «{name}».", name=name)
    return name[: -len(suffix)]


def _file(data: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def _province_name(runtime: Runtime, province: str) -> str:
    info = await runtime.run_sync(lambda: runtime.registry.get(province))
    return info.name


async def _offloaded(runtime: Runtime, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(pool)` in a worker thread with its own event loop and one connection (to each
    server read: a province is read where it lives): writing a 100,000-row workbook or a PDF is
    seconds of CPU that must not stall the server's loop."""

    async def main() -> T:
        pool = await routed_pool(runtime.registry.servers, min_size=1, max_size=1)
        try:
            return await work(pool)
        finally:
            await pool.close()

    return await anyio.to_thread.run_sync(lambda: asyncio.run(main()))


async def _body(request: Request[Any, Any, Any]) -> bytes:
    """The xlsx: the raw body, or the `file` part of a multipart form."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        part = form.get("file")
        if part is None or not hasattr(part, "read"):
            raise NotAnXlsxFile("Biểu mẫu tải lên thiếu tệp (trường «file»).")
        data: bytes = await part.read()
        return data
    return await request.body()


async def _guarded(work: Callable[[], Awaitable[Response[Any]]]) -> Response[Any]:
    try:
        return await work()
    except (ApplicationError, DomainError) as exc:
        return _refusal(exc)


@post("/imports/{name:str}", status_code=200)
async def upload(
    name: str,
    request: Request[Any, Any, Any],
    state: State,
    dry_run: Annotated[bool, QueryParameter(name="dryRun")] = False,
    file_name: Annotated[str | None, QueryParameter(name="fileName")] = None,
) -> Response[Any]:
    """Nhập danh sách: the body is the xlsx; each row is checked as its mutation would be."""

    async def work() -> Response[Any]:
        from thidua.services.paperwork.excel_in.run import import_excel, import_kind

        principal = _caller(request)
        spec = import_kind(_named(name, ".xlsx"))
        callers = []
        for operation in spec.operations:
            try:
                callers.append(allow(principal, operation))
            except PermissionDenied:
                continue
        if not callers:
            raise PermissionDenied(
                f"Vai trò của bạn không được nhập danh sách «{spec.code}».", kind=spec.code
            )
        caller = callers[0]
        runtime: Runtime = state.runtime
        body = io.BytesIO(await _body(request))
        actor = Actor(user=principal.subject, role=caller.acting_role.value, unit=principal.unit)

        def check(operation: str, unit: str | None) -> None:
            allow(principal, operation, unit=unit)

        report = await runtime.run_command(
            caller.province,
            lambda app: import_excel(
                app,
                body,
                kind=spec.code,
                actor=actor,
                allow=check,
                dry_run=dry_run,
                file_name=file_name or f"{spec.code}.xlsx",
            ),
        )
        return Response(report.as_dict(), status_code=200 if report.ok else 422)

    return await _guarded(work)


@get("/imports/{name:str}")
async def template(name: str, request: Request[Any, Any, Any]) -> Response[Any]:
    """Mẫu nhập: the blank template of a kind."""

    async def work() -> Response[Any]:
        from thidua.services.paperwork.excel_in.run import import_kind
        from thidua.services.paperwork.excel_in.template import write_template

        principal = _caller(request)
        spec = import_kind(_named(name, ".xlsx"))
        if not any(_allowed(principal, op) for op in spec.operations):
            raise PermissionDenied(
                f"Vai trò của bạn không được nhập danh sách «{spec.code}».", kind=spec.code
            )
        out = io.BytesIO()
        write_template(spec.code, out)
        return _file(out.getvalue(), XLSX, f"mau-{spec.code}.xlsx")

    return await _guarded(work)


def _allowed(principal: Principal, operation: str) -> bool:
    try:
        allow(principal, operation)
    except PermissionDenied:
        return False
    return True


@get("/exports/{name:str}")
async def export(
    name: str,
    *,
    request: Request[Any, Any, Any],
    state: State,
    year: int | None = None,
    block: str | None = None,
    unit: str | None = None,
    proposal: str | None = None,
    proposer: str | None = None,
    search: str | None = None,
    award: str | None = None,
    include_predecessors: Annotated[bool, QueryParameter(name="includePredecessors")] = False,
) -> Response[Any]:
    """Xuất Excel with the permission of the GraphQL read it mirrors. `includePredecessors` (the
    awards register and the look-up) reads on into the provinces merged into the caller's, as
    those GraphQL reads do: only its own lineage, from the platform's registry."""

    async def work() -> Response[Any]:
        from thidua.services.paperwork.excel_out.sheets import EXPORTS, ExportRequest

        principal = _caller(request)
        kind = _named(name, ".xlsx")
        if kind not in EXPORTS:
            raise UnknownKind(f"Không có bản xuất «{kind}»; chọn: {', '.join(EXPORTS)}.", kind=kind)
        chosen = EXPORTS[kind]
        caller = allow(principal, chosen.operation, unit=unit if chosen.unit_limited else None)
        limited = chosen.unit_limited and caller.acting_role in MATRIX[chosen.operation].own_unit
        unit_for = principal.unit if limited and unit is None else unit
        runtime: Runtime = state.runtime
        province_name = await _province_name(runtime, caller.province)
        out = io.BytesIO()
        predecessors: tuple[tuple[str, str], ...] = ()
        if include_predecessors:
            if not chosen.lineage:
                raise PredecessorsNotRead(
                    f"Bản xuất «{kind}» không đọc các tỉnh trước sáp nhập; chỉ: "
                    f"{', '.join(k for k, e in EXPORTS.items() if e.lineage)}.",
                    kind=kind,
                )
            before, _ = await runtime.run_sync(lambda: lineage(runtime.registry, caller.province))
            predecessors = tuple((row.predecessor, row.predecessor_name) for row in before)
        export_request = ExportRequest(
            caller.province,
            province_name,
            year,
            block,
            unit_for,
            proposal,
            proposer,
            search,
            award,
            predecessors=predecessors,
        )
        await _offloaded(runtime, lambda pool: chosen.writer(pool, export_request, out, None))
        return _file(out.getvalue(), XLSX, f"{kind}.xlsx")

    return await _guarded(work)


@get("/reports/{name:str}")
async def report(
    name: str,
    request: Request[Any, Any, Any],
    state: State,
    year: int,
    include_predecessors: Annotated[bool, QueryParameter(name="includePredecessors")] = False,
) -> Response[Any]:
    """Biểu mẫu thống kê 0601–0605 (Thông tư 02/2023/TT-BNV) for the caller's province; with
    `includePredecessors`, the figures of the provinces merged into it as well (its own lineage)."""

    async def work() -> Response[Any]:
        from thidua.services.paperwork.forms.report import REPORT_OPERATION, check_form, write_report

        principal = _caller(request)
        code = check_form(_named(name, ".xlsx"))
        caller = allow(principal, REPORT_OPERATION)
        runtime: Runtime = state.runtime
        province_name = await _province_name(runtime, caller.province)
        out = io.BytesIO()
        predecessors: list[str] = []
        if include_predecessors:
            before, _ = await runtime.run_sync(lambda: lineage(runtime.registry, caller.province))
            predecessors = [row.predecessor for row in before]
        await _offloaded(
            runtime,
            lambda pool: write_report(
                pool, caller.province, province_name, code, year=year, out=out, predecessors=predecessors
            ),
        )
        return _file(out.getvalue(), XLSX, f"bieu-{code}-{year}.xlsx")

    return await _guarded(work)


@get("/documents/{name:str}")
async def document(
    name: str,
    *,
    request: Request[Any, Any, Any],
    state: State,
    year: int | None = None,
    award: str | None = None,
    decision: str | None = None,
) -> Response[Any]:
    """Dự thảo tờ trình / quyết định (DOCX) and certificates (PDF), for the board."""

    async def work() -> Response[Any]:
        from thidua.services.paperwork.documents.certificates import CertificateRequest, write_certificates
        from thidua.services.paperwork.documents.drafts import DraftRequest, write_draft

        principal = _caller(request)
        caller = allow(principal, DOCUMENT_OPERATION)
        runtime: Runtime = state.runtime
        paperwork = runtime.settings.paperwork
        province_name = await _province_name(runtime, caller.province)
        out = io.BytesIO()
        if name == "certificates.pdf":
            if decision is None:
                raise NothingToPrint("Cần nêu số quyết định (decision).")
            cert = CertificateRequest(
                caller.province, province_name, decision, paperwork.font_dir, paperwork.templates_dir
            )
            await _offloaded(runtime, lambda pool: write_certificates(pool, cert, out))
            return _file(out.getvalue(), PDF, "bang-khen.pdf")
        kind = _named(name, ".docx")
        if kind not in ("to-trinh", "quyet-dinh"):
            raise UnknownKind(f"Không có văn bản «{name}».", name=name)
        draft = DraftRequest(caller.province, province_name, year, award, decision, paperwork.templates_dir)
        await _offloaded(runtime, lambda pool: write_draft(pool, draft, kind, out))
        return _file(out.getvalue(), DOCX, f"{kind}.docx")

    return await _guarded(work)


def paperwork_router(settings: Settings) -> Router:
    """The file endpoints; uploads may be larger than GraphQL bodies (THIDUA_MAX_UPLOAD_BYTES)."""
    return Router(
        path="/",
        route_handlers=[upload, template, export, report, document],
        request_max_body_size=settings.paperwork.max_upload_bytes,
        include_in_schema=False,
    )
