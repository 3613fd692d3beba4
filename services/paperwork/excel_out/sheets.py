"""Excel exports (xuất Excel) from the read models: what the GraphQL reads show, as xlsx.

- `standings`: a block-year's standings (rank, scores, total, classification); as `standings`;
- `awards-register`: every recipient of every decision (sổ khen thưởng), optionally of one
  achievement year; as `awardDecisions`;
- `rating-sheets`: a unit's monthly staff ratings for a year; as `ratingSheets` (clerks: own unit);
- `dossier`: the recipients of a proposal, or of a proposer's proposals of a year; as
  `awardProposals` (statuses by their Vietnamese labels);
- `award-history`: the look-up's results (tra cứu khen thưởng); as `awardHistory`.

Each recipient is listed with its own award (a decision may grant several); claimed counts that
differ from the recipients named are stated under the table.

`EXPORTS` maps each name to its writer and permission.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from thidua.domain.catalogue import AUTHORITY_NAMES_VI
from thidua.domain.classification import BAND_NAMES_VI as UNIT_BANDS
from thidua.domain.rating_rules import BAND_NAMES_VI as STAFF_BANDS
from thidua.domain.staff import RATING_GROUPS
from thidua.projections.awards.later_revocations import (
    LaterRevocations,
    later_revocations,
    with_later_revocations,
)
from thidua.projections.awards.queries import get_proposal
from thidua.projections.directory.queries import list_blocks
from thidua.projections.lookup.queries import HistoryCriteria, iter_award_history
from thidua.projections.ratings.queries import list_monthly_ratings, staff_names_of_unit
from thidua.projections.standings.queries import get_standings
from thidua.services.paperwork.errors import NothingToPrint
from thidua.services.paperwork.excel_out.book import Out, new_book, save, table_sheet
from thidua.services.paperwork.sources import (
    KIND_NAMES,
    award_name,
    decision_count_notes,
    decision_lines,
    iter_decisions,
    iter_proposals,
    proposal_lines,
)

Tick = Callable[[int, int], None]
R = TypeVar("R")


@dataclass(frozen=True)
class ExportRequest:
    """What to export; each export reads the fields it needs and refuses a missing one."""

    province: str
    province_name: str
    year: int | None = None
    block: str | None = None
    unit: str | None = None
    proposal: str | None = None
    proposer: str | None = None
    search: str | None = None  # look-up: a name, with or without diacritics
    award: str | None = None  # look-up: an award code
    # The provinces merged into this one (code, name), nearest first, read after it when the
    # caller asks (includePredecessors); only ever the caller's own lineage (the route reads it
    # from the platform's registry). Each row then names its origin province.
    predecessors: tuple[tuple[str, str], ...] = ()

    def provinces(self) -> list[tuple[str, str]]:
        return [(self.province, self.province_name), *self.predecessors]

    def origin_headers(self) -> list[str]:
        return [ORIGIN_HEADER] if self.predecessors else []

    def origin(self, name: str) -> list[str]:
        return [name] if self.predecessors else []


ORIGIN_HEADER = "Tỉnh ghi quyết định"


def _need(value: Any, what: str) -> Any:
    if value is None:
        raise NothingToPrint(f"Cần nêu {what}.")
    return value


async def write_standings(pool: Any, request: ExportRequest, out: Out, progress: Tick | None = None) -> int:
    block, year = _need(request.block, "khối (block)"), _need(request.year, "năm (year)")
    standings = await get_standings(pool, request.province, block, year)
    if standings is None:
        raise NothingToPrint(f"Khối «{block}» chưa có năm {year}.", block=block, year=year)
    names = {b.key: b.name for b in await list_blocks(pool, request.province)}
    criteria = sorted({c for u in standings.units for c in (*u.self_scores, *u.checked_scores)})
    book = new_book()
    sheet = table_sheet(
        book,
        "Kết quả",
        [
            f"KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA NĂM {year}",
            f"{names.get(block) or block} – {request.province_name}",
        ],
        [
            "Hạng",
            "Mã đơn vị",
            "Tên đơn vị",
            *[f"Tiêu chí {c}" for c in criteria],
            "Điểm cộng",
            "Điểm trừ",
            "Tổng điểm (sau thẩm định)",
            "Xếp loại",
            "Dẫn đầu",
            "Ghi chú",
        ],
        [7, 18, 40, *[12] * len(criteria), 10, 10, 14, 18, 10, 40],
    )
    for u in standings.units:
        sheet.append(
            [
                u.rank,
                u.unit,
                u.name or u.unit,
                *[u.checked_scores.get(c) for c in criteria],
                u.bonus,
                u.deductions,
                u.total,
                UNIT_BANDS.get(u.classification or "", u.classification),
                "x" if u.leading else None,
                "; ".join(n for n in (u.tie_note, None if u.member else "đã rời khối") if n) or None,
            ]
        )
    if standings.count_mismatch:
        sheet.append([])
        sheet.append(
            [f"Biên bản nêu {standings.members_claimed} thành viên; danh sách có {len(standings.members)}."]
        )
    save(book, out)
    return len(standings.units)


REGISTER_HEADERS = [
    "STT",
    "Số quyết định",
    "Ngày quyết định",
    "Người ký",
    "Cấp quyết định",
    "Danh hiệu, hình thức",
    "Năm thành tích",
    "Đối tượng",
    "Mã đối tượng",
    "Tên đối tượng",
    "Hệ số (× lương cơ sở)",
    "Số tiền (đồng)",
    "Tình trạng",
]


async def write_register(pool: Any, request: ExportRequest, out: Out, progress: Tick | None = None) -> int:
    """Sổ khen thưởng: one row per recipient of each decision (of `year` when given)."""
    book = new_book()
    year = request.year
    sheet = table_sheet(
        book,
        "Sổ khen thưởng",
        ["SỔ KHEN THƯỞNG", request.province_name + (f" – năm {year}" if year else "")],
        REGISTER_HEADERS + request.origin_headers(),
        [7, 18, 14, 22, 24, 40, 10, 10, 18, 40, 12, 14, 28, 24],
    )
    count = 0
    notes: list[str] = []
    later = await _later(pool, request)
    decisions = _across(request, lambda province: iter_decisions(pool, province))
    async for code, origin, decision in decisions:
        for line in decision_lines(with_later_revocations(code, decision, later)):
            if year is not None and line.year != year:
                continue
            count += 1
            sheet.append(
                [
                    count,
                    line.decision,
                    line.decided_on,
                    line.signer,
                    line.authority_name,
                    line.award_name,
                    line.year,
                    line.kind_name,
                    line.recipient,
                    line.recipient_name,
                    line.prize_multiple,
                    line.amount,
                    _status(
                        line.revoked_by, line.revoked_on, line.revoked_authority, line.revoked_in, request
                    ),
                    *request.origin(origin),
                ]
            )
            if progress is not None and count % 5000 == 0:
                progress(count, 0)
        if year is None or decision.year == year:
            notes += decision_count_notes(decision)
    _notes(sheet, notes)
    save(book, out)
    return count


def _notes(sheet: Any, notes: list[str]) -> None:
    """Sentences under the table (a claimed count the list does not match, ...)."""
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])


async def write_rating_sheets(
    pool: Any, request: ExportRequest, out: Out, progress: Tick | None = None
) -> int:
    unit, year = _need(request.unit, "đơn vị (unit)"), _need(request.year, "năm (year)")
    months = await list_monthly_ratings(pool, request.province, unit, year)
    if not months:
        raise NothingToPrint(f"Đơn vị «{unit}» chưa có phiếu xếp loại năm {year}.", unit=unit, year=year)
    names = await staff_names_of_unit(pool, request.province, unit)
    book = new_book()
    sheet = table_sheet(
        book,
        "Xếp loại",
        [f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI HÀNG THÁNG NĂM {year}", f"Đơn vị: {unit} – {request.province_name}"],
        ["Tháng", "Mã cán bộ", "Họ và tên", "Nhóm xếp loại", "Điểm", "Xếp loại"],
        [8, 16, 32, 32, 8, 30],
    )
    count = 0
    for month in months:
        for entry in sorted(month.entries, key=lambda e: str(e.get("staff"))):
            staff = str(entry.get("staff"))
            group = str(entry.get("group") or "")
            count += 1
            sheet.append(
                [
                    f"{month.month:02d}/{year}",
                    staff,
                    names.get(staff),
                    RATING_GROUPS.get(group, group or None),
                    entry.get("score"),
                    STAFF_BANDS.get(str(entry.get("band")), entry.get("band")),
                ]
            )
    save(book, out)
    return count


async def write_dossier(pool: Any, request: ExportRequest, out: Out, progress: Tick | None = None) -> int:
    """The recipients of one proposal (`proposal`), or of a proposer's proposals in a year."""
    if request.proposal is not None:
        found = await get_proposal(pool, request.province, request.proposal)
        if found is None:
            raise NothingToPrint(f"Không tìm thấy đề nghị «{request.proposal}».", proposal=request.proposal)
        proposals = [found]
        title = f"Đề nghị {request.proposal}"
    else:
        proposer = _need(request.proposer, "đề nghị (proposal) hoặc đơn vị đề nghị (proposer)")
        year = _need(request.year, "năm (year)")
        proposals = [
            p async for p in iter_proposals(pool, request.province, year=year) if p.proposer == proposer
        ]
        if not proposals:
            raise NothingToPrint(f"«{proposer}» không có đề nghị năm {year}.", proposer=proposer, year=year)
        title = f"Đơn vị đề nghị: {proposer} – năm {year}"
    book = new_book()
    sheet = table_sheet(
        book,
        "Danh sách đề nghị",
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", f"{title} – {request.province_name}"],
        [
            "STT",
            "Mã đề nghị",
            "Danh hiệu, hình thức",
            "Năm",
            "Đối tượng",
            "Mã đối tượng",
            "Tên đối tượng",
            "Trạng thái",
            "Quyết định",
        ],
        [6, 40, 40, 8, 10, 18, 40, 30, 18],
    )
    count = 0
    for proposal in proposals:
        for line in proposal_lines(proposal):
            count += 1
            sheet.append(
                [
                    count,
                    line.proposal,
                    line.award_name,
                    line.year,
                    line.kind_name,
                    line.recipient,
                    line.recipient_name,
                    line.status_name,
                    line.decision,
                ]
            )
    groups = {p.group: p for p in proposals if p.group and p.group_count_mismatch}
    _notes(
        sheet,
        [
            f"Tờ trình {group} nêu {p.group_claimed_count:02d}; danh sách có {p.group_named or 0:02d}."
            for group, p in sorted(groups.items())
        ],
    )
    save(book, out)
    return count


HISTORY_HEADERS = [
    "STT",
    "Tên đối tượng",
    "Tên hiện nay",
    "Đối tượng",
    "Mã đối tượng",
    "Danh hiệu, hình thức",
    "Năm thành tích",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp quyết định",
    "Số tiền (đồng)",
    "Số năm liên tục",
    "Tình trạng",
]


async def write_history(pool: Any, request: ExportRequest, out: Out, progress: Tick | None = None) -> int:
    """Kết quả tra cứu khen thưởng: the look-up's entries (as `awardHistory`), each recipient
    with its own award; `year` limits to one achievement year."""
    criteria = HistoryCriteria(
        search=request.search,
        recipient=request.unit,
        award=request.award,
        from_year=request.year,
        to_year=request.year,
    )
    said = [
        f"tìm «{request.search}»" if request.search else "",
        f"danh hiệu, hình thức «{award_name(request.award)}»" if request.award else "",
        f"đối tượng «{request.unit}»" if request.unit else "",
        f"năm {request.year}" if request.year else "",
    ]
    book = new_book()
    sheet = table_sheet(
        book,
        "Tra cứu",
        [
            "KẾT QUẢ TRA CỨU KHEN THƯỞNG",
            "; ".join(x for x in [request.province_name, *said] if x),
        ],
        HISTORY_HEADERS + request.origin_headers(),
        [6, 40, 40, 10, 18, 40, 10, 18, 14, 24, 14, 10, 28, 24],
    )
    count = 0
    later = await _later(pool, request)
    entries = _across(request, lambda province: iter_award_history(pool, province, criteria))
    async for code, origin, entry in entries:
        count += 1
        found = later.get((code, entry.decision, entry.recipient)) if entry.revoked_by is None else None
        sheet.append(
            [
                count,
                entry.name,
                entry.current_name,
                KIND_NAMES.get(entry.recipient_kind, entry.recipient_kind),
                entry.recipient,
                award_name(entry.award),
                entry.year,
                entry.decision,
                entry.decided_on,
                AUTHORITY_NAMES_VI.get(entry.authority or "", entry.authority),
                entry.amount,
                0 if found is not None else entry.consecutive_years,
                _status(entry.revoked_by, None, None, None, request)
                if found is None
                else _status(found.decision, found.on, found.authority, found.province, request),
                *request.origin(origin),
            ]
        )
        if progress is not None and count % 5000 == 0:
            progress(count, 0)
    save(book, out)
    return count


async def _across(
    request: ExportRequest, rows_of: Callable[[str], AsyncIterator[R]]
) -> AsyncIterator[tuple[str, str, R]]:
    """The caller's province's rows, then each predecessor's asked for, with the origin's code and
    name."""
    for code, name in request.provinces():
        async for row in rows_of(code):
            yield code, name, row


async def _later(pool: Any, request: ExportRequest) -> LaterRevocations:
    """The successors' revocations of the predecessors' awards, when the predecessors are read."""
    if not request.predecessors:
        return {}
    return await later_revocations(pool, [code for code, _ in request.provinces()])


def _status(
    revoked_by: str | None,
    revoked_on: date | None,
    authority: str | None,
    revoked_in: str | None,
    request: ExportRequest,
) -> str:
    """ "Còn hiệu lực", or "Đã hủy bỏ (number)"; a successor's revocation after the merger also
    names its authority, province and date."""
    if revoked_by is None:
        return "Còn hiệu lực"
    if revoked_in is None:
        return f"Đã hủy bỏ ({revoked_by})"
    names = dict(request.provinces())
    by = AUTHORITY_NAMES_VI.get(authority or "", authority or "")
    on = f", ngày {revoked_on:%d/%m/%Y}" if revoked_on is not None else ""
    return f"Đã hủy bỏ ({revoked_by}, {by}, {names.get(revoked_in, revoked_in)}{on})"


Writer = Callable[[Any, ExportRequest, Out, Tick | None], Awaitable[int]]


@dataclass(frozen=True)
class Export:
    writer: Writer
    operation: str  # the GraphQL read whose permission the export has
    unit_limited: bool = False  # roles limited to their own unit may export only their unit
    lineage: bool = False  # reads on into the predecessors when asked (includePredecessors)


EXPORTS: dict[str, Export] = {
    "standings": Export(write_standings, "standings"),
    "awards-register": Export(write_register, "awardDecisions", lineage=True),
    "rating-sheets": Export(write_rating_sheets, "ratingSheets", unit_limited=True),
    "dossier": Export(write_dossier, "awardProposals"),
    "award-history": Export(write_history, "awardHistory", lineage=True),
}
