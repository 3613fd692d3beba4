"""The lists a board receives as spreadsheets, their columns, and the command each row becomes.

- `units`: a unit (đơn vị) -> register_unit (registerUnit);
- `staff`: a staff member with their kind (công chức / viên chức / người lao động) ->
  register_staff (registerStaff);
- `block-members`: a unit in a block's year -> open_block_year for the year's first member,
  then add_block_member (openBlockYear, addBlockMember);
- `proposal-recipients`: a recipient proposed for an award -> submit_proposal (proposeAward);
- `decisions`: a recipient of a past decision, a decision's rows consecutive ->
  record_decision, historical (decideAward).

Today a proposal has one recipient and a decision one award (the same for all its recipients):
a row of `proposal-recipients` is one proposal, and rows of one decision that name different
awards, dates or signers are refused with a message saying so. Grouped proposals and decisions
granting several awards (issue 15) widen `_DecisionGroup.differs` and the proposal planner.

The staff kind is read and checked but not yet recorded: the domain has no staff kind until the
law work (issue 14) adds it; `_staff` passes it on from then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from thidua.domain.catalogue import AUTHORITY_NAMES_VI, CATALOGUE
from thidua.domain.staff import RATING_GROUPS
from thidua.services.commands.errors import BlockYearNotFound
from thidua.services.paperwork.excel_in import cells
from thidua.services.paperwork.excel_in.columns import Column
from thidua.services.paperwork.excel_in.plan import Command, Planned
from thidua.services.paperwork.excel_in.report import RowError
from thidua.services.province_app import ProvinceApplication

STAFF_KINDS = {"cong_chuc": "Công chức", "vien_chuc": "Viên chức", "nguoi_lao_dong": "Người lao động"}
RECIPIENT_KINDS = {"unit": "Tập thể", "staff": "Cá nhân"}
AWARDS = {code: a.name_vi for code, a in CATALOGUE.items()}


@dataclass(frozen=True)
class ParsedRow:
    """A row's readable values (fields whose cell could not be read are absent)."""

    number: int
    values: dict[str, Any]
    bad: bool  # some cell could not be read: the row's command is not planned


Plans = tuple[list[Planned], list[RowError]]


class Planner(Protocol):
    def feed(self, row: ParsedRow, app: ProvinceApplication) -> Plans: ...

    def finish(self) -> Plans: ...


@dataclass(frozen=True)
class ImportKind:
    code: str
    title: str
    columns: tuple[Column, ...]
    planner: Callable[[date], Planner]
    operations: tuple[str, ...]  # the mutations whose permission the rows need

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


def _award(value: object) -> str:
    return cells.choice(value, AWARDS, "Danh hiệu, hình thức khen thưởng")


def _recipient_kind(value: object) -> str:
    return cells.choice(value, RECIPIENT_KINDS, "Đối tượng")


_ON = Column("effective_on", "Ngày hiệu lực", cells.day, required=False, example="01/01/2025")


class _RowByRow:
    """Kinds whose every row is one command."""

    def __init__(self, today: date, plan: Callable[[ParsedRow, ProvinceApplication, date], Planned]) -> None:
        self.today, self.plan = today, plan

    def feed(self, row: ParsedRow, app: ProvinceApplication) -> Plans:
        return ([] if row.bad else [self.plan(row, app, self.today)]), []

    def finish(self) -> Plans:
        return [], []


def _unit(row: ParsedRow, app: ProvinceApplication, today: date) -> Planned:
    v = row.values
    return Planned(
        (row.number,),
        Command(
            "register_unit",
            {"key": v["key"], "name": v["name"]},
            v.get("effective_on") or today,
            f"unit:{v['key']}",
        ),
        "registerUnit",
    )


def _staff(row: ParsedRow, app: ProvinceApplication, today: date) -> Planned:
    v = row.values
    args = {"key": v["key"], "name": v["name"], "unit": v["unit"], "rating_group": v["rating_group"]}
    return Planned(
        (row.number,),
        Command("register_staff", args, v.get("effective_on") or today, f"staff:{v['key']}"),
        "registerStaff",
        unit=v["unit"],
    )


def _block_member(row: ParsedRow, app: ProvinceApplication, today: date) -> Planned:
    v = row.values
    block, year, unit = v["block"], v["year"], v["unit"]
    on = v.get("effective_on") or date(year, 1, 1)
    label = f"block_member:{block}/{year}/{unit}"
    try:
        app.get_block_year(block, year)
    except BlockYearNotFound:
        args: dict[str, Any] = {"block": block, "year": year, "members": [unit], "members_claimed": None}
        return Planned((row.number,), Command("open_block_year", args, on, label), "openBlockYear")
    args = {"block": block, "year": year, "unit": unit}
    return Planned((row.number,), Command("add_block_member", args, on, label), "addBlockMember")


def _proposal(row: ParsedRow, app: ProvinceApplication, today: date) -> Planned:
    v = row.values
    key = f"{v['proposer']}/{v['year']}/{v['award']}/{v['recipient']}"
    args = {
        "key": key,
        "proposer": v["proposer"],
        "year": v["year"],
        "award": v["award"],
        "authority": CATALOGUE[v["award"]].authority,
        "recipient_kind": v["recipient_kind"],
        "recipient": v["recipient"],
        "achievement": v.get("achievement"),
        "dossier": {},
    }
    return Planned(
        (row.number,),
        Command("submit_proposal", args, v.get("submitted_on") or today, f"proposal:{key}"),
        "proposeAward",
        row_of={v["recipient"]: row.number},
    )


_HEADER_FIELDS = ("decided_on", "signer", "authority", "award")


@dataclass
class _DecisionGroup:
    number: str
    first_row: int
    header: dict[str, Any]
    rows: list[int] = field(default_factory=list)
    recipients: list[tuple[str, str]] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)
    year: int | None = None
    claimed: int | None = None
    bad: bool = False

    def differs(self, values: dict[str, Any]) -> list[str]:
        """Fields in which a row departs from the decision's first row (one award a decision)."""
        return [f for f in _HEADER_FIELDS if f in values and values[f] != self.header.get(f)]


class _Decisions:
    """Consecutive rows with the same decision number are one decision."""

    def __init__(self, today: date) -> None:
        self.group: _DecisionGroup | None = None
        self.seen: dict[str, int] = {}  # number -> first row, to refuse a number that comes back

    def feed(self, row: ParsedRow, app: ProvinceApplication) -> Plans:
        number = row.values.get("number")
        if number is None:
            return [], []
        planned: list[Planned] = []
        errors: list[RowError] = []
        if self.group is None or self.group.number != number:
            planned, errors = self.finish()
            if number in self.seen:
                errors.append(
                    RowError.of(
                        row.number,
                        DECISIONS.column("number"),
                        "",
                        "EXCEL_DECISION_SPLIT",
                        f"Quyết định «{number}» đã có ở dòng {self.seen[number]}; "
                        "các dòng của một quyết định phải liền nhau.",
                    )
                )
                return planned, errors
            self.seen[number] = row.number
            self.group = _DecisionGroup(number, row.number, {f: row.values.get(f) for f in _HEADER_FIELDS})
        group = self.group
        group.rows.append(row.number)
        group.bad = group.bad or row.bad
        for name in group.differs(row.values):
            group.bad = True
            errors.append(
                RowError.of(
                    row.number,
                    DECISIONS.column(name),
                    "",
                    "EXCEL_DECISION_MIXED",
                    f"Khác dòng {group.first_row} của cùng quyết định «{number}»; hiện mỗi quyết định "
                    "chỉ ghi một danh hiệu, một ngày, một người ký và một cấp quyết định.",
                )
            )
        self._recipient(group, row, errors)
        return planned, errors

    def _recipient(self, group: _DecisionGroup, row: ParsedRow, errors: list[RowError]) -> None:
        v = row.values
        if "year" in v:
            if group.year is not None and v["year"] != group.year:
                group.bad = True
                errors.append(
                    RowError.of(
                        row.number,
                        DECISIONS.column("year"),
                        "",
                        "EXCEL_DECISION_MIXED",
                        f"Năm khác dòng {group.first_row} của cùng quyết định «{group.number}».",
                    )
                )
            group.year = group.year or v["year"]
        if v.get("claimed_count") is not None:
            if group.claimed is not None and v["claimed_count"] != group.claimed:
                group.bad = True
                errors.append(
                    RowError.of(
                        row.number,
                        DECISIONS.column("claimed_count"),
                        "",
                        "EXCEL_DECISION_MIXED",
                        f"Số lượng khác dòng {group.first_row} của cùng quyết định «{group.number}».",
                    )
                )
            group.claimed = v["claimed_count"]
        if "recipient" not in v or "recipient_kind" not in v:
            return
        key = v["recipient"]
        if key in group.row_of:
            group.bad = True
            errors.append(
                RowError.of(
                    row.number,
                    DECISIONS.column("recipient"),
                    "",
                    "DUPLICATE_RECIPIENT",
                    f"«{key}» đã có ở dòng {group.row_of[key]} của cùng quyết định.",
                )
            )
            return
        group.row_of[key] = row.number
        group.recipients.append((v["recipient_kind"], key))

    def finish(self) -> Plans:
        group, self.group = self.group, None
        if group is None or group.bad or group.year is None:
            return [], []
        h = group.header
        args = {
            "number": group.number,
            "signer": h["signer"],
            "authority": h["authority"],
            "award": h["award"],
            "year": group.year,
            "recipients": list(group.recipients),
            "claimed_count": group.claimed,
            "proposals": [],
            "historical": True,
        }
        command = Command("record_decision", args, h["decided_on"], f"decision:{group.number}")
        return [Planned(tuple(group.rows), command, "decideAward", row_of=dict(group.row_of))], []


UNITS = ImportKind(
    "units",
    "Danh sách đơn vị",
    (
        Column("key", "Mã đơn vị", cells.key, example="so-noi-vu"),
        Column("name", "Tên đơn vị", cells.text, example="Sở Nội vụ"),
        _ON,
    ),
    lambda today: _RowByRow(today, _unit),
    ("registerUnit",),
)

STAFF = ImportKind(
    "staff",
    "Danh sách cán bộ, công chức, viên chức, người lao động",
    (
        Column("key", "Mã cán bộ", cells.key, example="snv-001"),
        Column("name", "Họ và tên", cells.text, example="Nguyễn Thị Hương"),
        Column("unit", "Mã đơn vị", cells.key, example="so-noi-vu"),
        Column(
            "rating_group",
            "Nhóm xếp loại",
            lambda v: cells.choice(v, RATING_GROUPS, "Nhóm xếp loại"),
            example=RATING_GROUPS["specialists"],
            note="; ".join(RATING_GROUPS.values()),
        ),
        Column(
            "staff_kind",
            "Loại cán bộ",
            lambda v: cells.choice(v, STAFF_KINDS, "Loại cán bộ"),
            example=STAFF_KINDS["cong_chuc"],
            note="; ".join(STAFF_KINDS.values()),
        ),
        _ON,
    ),
    lambda today: _RowByRow(today, _staff),
    ("registerStaff",),
)

BLOCK_MEMBERS = ImportKind(
    "block-members",
    "Thành viên khối, cụm thi đua",
    (
        Column("block", "Mã khối", cells.key, example="khoi-noi-chinh"),
        Column("year", "Năm", cells.year, example=2025),
        Column("unit", "Mã đơn vị", cells.key, example="so-noi-vu"),
        Column(
            "effective_on",
            "Ngày hiệu lực",
            cells.day,
            required=False,
            example="01/01/2025",
            note="Để trống: ngày 01/01 của năm.",
        ),
    ),
    lambda today: _RowByRow(today, _block_member),
    ("openBlockYear", "addBlockMember"),
)

PROPOSAL_RECIPIENTS = ImportKind(
    "proposal-recipients",
    "Danh sách đề nghị khen thưởng",
    (
        Column("proposer", "Đơn vị đề nghị", cells.key, example="khoi-noi-chinh"),
        Column("year", "Năm", cells.year, example=2025),
        Column(
            "award",
            "Danh hiệu, hình thức",
            _award,
            example=AWARDS["bang_khen_chu_tich_ubnd_tinh"],
            note="; ".join(AWARDS.values()),
        ),
        Column("recipient_kind", "Đối tượng", _recipient_kind, example="Tập thể", note="Tập thể; Cá nhân"),
        Column("recipient", "Mã đối tượng", cells.key, example="so-noi-vu"),
        Column("achievement", "Thành tích", cells.text, required=False, example=""),
        Column("submitted_on", "Ngày đề nghị", cells.day, required=False, example="15/12/2025"),
    ),
    lambda today: _RowByRow(today, _proposal),
    ("proposeAward",),
)

DECISIONS = ImportKind(
    "decisions",
    "Quyết định khen thưởng đã ban hành",
    (
        Column("number", "Số quyết định", cells.text, example="1234/QĐ-UBND"),
        Column("decided_on", "Ngày quyết định", cells.day, example="20/01/2024"),
        Column("signer", "Người ký", cells.text, example="Nguyễn Văn A"),
        Column(
            "authority",
            "Cấp quyết định",
            lambda v: cells.choice(v, AUTHORITY_NAMES_VI, "Cấp quyết định"),
            example=AUTHORITY_NAMES_VI["provincial_chair"],
            note="; ".join(AUTHORITY_NAMES_VI.values()),
        ),
        Column(
            "award",
            "Danh hiệu, hình thức",
            _award,
            example=AWARDS["bang_khen_chu_tich_ubnd_tinh"],
            note="; ".join(AWARDS.values()),
        ),
        Column("year", "Năm thành tích", cells.year, example=2023),
        Column("recipient_kind", "Đối tượng", _recipient_kind, example="Tập thể", note="Tập thể; Cá nhân"),
        Column("recipient", "Mã đối tượng", cells.key, example="so-noi-vu"),
        Column(
            "claimed_count",
            "Số lượng theo quyết định",
            cells.count,
            required=False,
            example=None,
            note="Số đối tượng quyết định nêu (có thể khác số dòng: sự chênh lệch được ghi lại).",
        ),
    ),
    _Decisions,
    ("decideAward",),
)

KINDS: dict[str, ImportKind] = {
    k.code: k for k in (UNITS, STAFF, BLOCK_MEMBERS, PROPOSAL_RECIPIENTS, DECISIONS)
}
