"""Importing records/1 files (e.g. deploy/demo/nghe-an.json) through the domain's commands.

Every fact goes through the same command a clerk would use, with `effective_on` = the record's
date (units, blocks and memberships without a date take 1 January of their year), actor
"import" acting as province_admin, and one correlation id per file (derived from its content).
Ids are deterministic, so importing the same file again records nothing new: each fact already
in the ledger is reported as skipped. Domain refusals are reported, not raised; discrepancies the
sources contain (a claimed member count that differs from the list) are recorded and flagged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import structlog

from thidua.domain.block_year import OfficersAlreadyChosen
from thidua.domain.errors import AlreadyRecorded, DomainError
from thidua.domain.provenance import Actor, Provenance
from thidua.services.commands.errors import AlreadyExists
from thidua.services.errors import ApplicationError, ProvinceNotFound
from thidua.services.province_app import ProvinceApplication
from thidua.services.registry import ProvinceRegistry

log = structlog.get_logger()

IMPORT_ACTOR = Actor(user="import", role="province_admin", unit=None)


@dataclass
class ImportReport:
    file: str
    province: str
    correlation_id: str
    recorded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    position: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class InvalidRecordsFile(ApplicationError):
    code = "INVALID_RECORDS_FILE"


class _Run:
    """One import: provenance per date, and the bookkeeping of what happened to each fact."""

    def __init__(self, app: ProvinceApplication, report: ImportReport) -> None:
        self.app = app
        self.report = report
        self.recorded_at = datetime.now(UTC)  # when the ledger learns it; effective dates are the sources'

    def by(self, on: date) -> Provenance:
        return Provenance(IMPORT_ACTOR, self.recorded_at, on, self.report.correlation_id)

    def step(self, label: str, command: Callable[[], object]) -> None:
        try:
            result = command()
        except (AlreadyExists, AlreadyRecorded, OfficersAlreadyChosen):
            self.report.skipped.append(label)
            return
        except DomainError as refusal:
            self.report.refused.append({"fact": label, "code": refusal.code, "message": refusal.message_vi})
            log.warning("import_refused", fact=label, code=refusal.code)
            return
        position = result[0] if isinstance(result, tuple) else result
        self.report.recorded.append(label)
        self.report.position = max(self.report.position, int(position) if isinstance(position, int) else 0)


def _application(target: ProvinceApplication | ProvinceRegistry, code: str, name: str) -> ProvinceApplication:
    if isinstance(target, ProvinceApplication):
        if target.province != code:
            raise InvalidRecordsFile(f"Tệp dành cho tỉnh «{code}», không phải «{target.province}».")
        return target
    try:
        target.get(code)
    except ProvinceNotFound:
        target.create_province(code, name, created_by="import")
    return target.app(code)


def import_records(target: ProvinceApplication | ProvinceRegistry, path: str | Path) -> ImportReport:
    """Load a records/1 file into its province (created when missing, given a registry)."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw)
        code, name = data["province"]["code"], data["province"]["name"]
    except (ValueError, KeyError, TypeError):
        raise InvalidRecordsFile(f"Tệp «{path}» không phải tệp records/1 hợp lệ.") from None
    if data.get("format") != "records/1":
        raise InvalidRecordsFile(f"Định dạng «{data.get('format')}» không được hỗ trợ (cần records/1).")
    app = _application(target, code, name)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    report = ImportReport(
        file=Path(path).name, province=code, correlation_id=f"import:{Path(path).name}:{digest}"
    )
    run = _Run(app, report)
    first_year = min(
        [y["year"] for y in data.get("block_years", [])] + [_on(r).year for r in data["records"]]
    )
    start = run.by(date(first_year, 1, 1))
    for unit in data.get("units", []):
        run.step(
            f"unit:{unit['key']}", partial(app.register_unit, key=unit["key"], name=unit["name"], by=start)
        )
    for block in data.get("blocks", []):
        kind = block.get("kind", "block")
        run.step(
            f"block:{block['key']}",
            partial(app.create_block, key=block["key"], name=block["name"], kind=kind, by=start),
        )
    for block_year in data.get("block_years", []):
        _import_block_year(run, block_year)
    units = {u["key"] for u in data.get("units", [])}
    for record in data["records"]:
        _import_record(run, record, units)
    log.info(
        "import_done",
        file=report.file,
        province=code,
        recorded=len(report.recorded),
        skipped=len(report.skipped),
        refused=len(report.refused),
    )
    return report


def _on(record: dict[str, Any]) -> date:
    return date.fromisoformat(record["on"])


def _import_block_year(run: _Run, item: dict[str, Any]) -> None:
    app, block, year = run.app, item["block"], int(item["year"])
    by = run.by(date(year, 1, 1))
    members, claimed = list(item.get("members", [])), item.get("members_claimed")
    label = f"block_year:{block}/{year}"
    run.step(
        label,
        lambda: app.open_block_year(block=block, year=year, members=members, members_claimed=claimed, by=by),
    )
    if claimed is not None and claimed != len(members):
        run.report.flagged.append(f"{label}: members_claimed={claimed}, members listed={len(members)}")
    if item.get("leader"):
        # The source names this year's officers but not how or when they were chosen.
        run.step(
            f"officers:{block}/{year}",
            lambda: app.choose_officers(
                block=block,
                year=year,
                leader=item["leader"],
                deputy=item.get("deputy"),
                method="unrecorded",
                ballot=None,
                chosen_in_year=None,
                by=by,
            ),
        )


def _import_record(run: _Run, record: dict[str, Any], units: set[str]) -> None:
    app, kind, by = run.app, record.get("kind"), run.by(_on(record))
    if kind == "exemplary_registrations":
        run.step(
            f"exemplary:{record['registrant']}/{record['year']}",
            lambda: app.register_exemplary(
                registrant_kind="unit" if record["registrant"] in units else "staff",
                registrant=record["registrant"],
                year=int(record["year"]),
                theme=record["theme"],
                counts=dict(record["counts"]),
                by=by,
            ),
        )
    elif kind in ("year_end_review", "mid_year_review"):
        review = "year_end" if kind == "year_end_review" else "mid_year"
        run.step(
            f"{review}_review:{record['block']}/{record['year']}",
            lambda: app.hold_review(
                block=record["block"],
                year=int(record["year"]),
                kind=review,
                chaired_by=record.get("chaired_by"),
                note=record.get("note"),
                by=by,
            ),
        )
    elif kind == "classification_ballot":
        subject = f"{record['block']}/{record['year']}"
        run.step(
            f"classification_ballot:{subject}",
            lambda: app.record_ballot_without_figures(
                key=f"{subject}/xep-loai",
                purpose="classification",
                subject=subject,
                note=record.get("note") or "Nguồn không nêu số phiếu.",
                by=by,
                block=record["block"],
                year=int(record["year"]),
            ),
        )
    elif kind == "award_proposal":
        key = f"{record['proposer']}/{record['year']}/{record['award']}/{record['recipient']}"
        run.step(
            f"proposal:{key}",
            lambda: app.submit_proposal(
                key=key,
                proposer=record["proposer"],
                year=int(record["year"]),
                award=record["award"],
                authority=record["decided_by"],
                recipient_kind="unit" if record["recipient"] in units else "staff",
                recipient=record["recipient"],
                achievement=None,
                dossier={},
                by=by,
            ),
        )
    elif kind == "officer_election":
        _import_election(run, record, by)
    else:
        run.report.refused.append(
            {
                "fact": f"record:{kind}",
                "code": "UNKNOWN_RECORD_KIND",
                "message": f"Loại bản ghi «{kind}» chưa được hỗ trợ.",
            }
        )


def _import_election(run: _Run, record: dict[str, Any], by: Provenance) -> None:
    """Officers elected at a year-end conference for the next year; the vote has no figures."""
    app, block, serving, electing = run.app, record["block"], int(record["for_year"]), _on(record).year
    ballot = None
    if record.get("method") == "vote":
        ballot = f"{block}/{serving}/bau-khoi-truong"
        run.step(
            f"officer_ballot:{block}/{serving}",
            lambda: app.record_ballot_without_figures(
                key=ballot,
                purpose="officers",
                subject=f"{block}/{serving}",
                note="Bầu Khối trưởng, Khối phó; nguồn không nêu số phiếu.",
                by=by,
                block=block,
                year=electing,
            ),
        )
    run.step(
        f"officers:{block}/{serving}",
        lambda: app.choose_officers(
            block=block,
            year=serving,
            leader=record["leader"],
            deputy=record.get("deputy"),
            method=record.get("method", "unrecorded"),
            ballot=ballot,
            chosen_in_year=electing,
            by=by,
        ),
    )
