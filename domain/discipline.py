"""Disciplinary files (hồ sơ kỷ luật) of a unit or a staff member.

Law 06/2022: no proposal for someone under disciplinary review, investigation, inspection or
complaint verification; after discipline ends, achievements count only from its end date.
Cases and penalties are intervals, so a command judged on a past date (imported history) sees
the status as it was then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text
from .errors import AlreadyRecorded, MalformedCommand, NotFound, RecipientUnderDiscipline, vn_date
from .ids import aggregate_id
from .provenance import Provenance

CASE_KINDS: dict[str, str] = {
    "review": "đang xem xét kỷ luật",
    "investigation": "đang bị điều tra",
    "inspection": "đang bị thanh tra",
    "complaint_verification": "đang xác minh khiếu nại, tố cáo",
}
SUBJECT_KINDS = ("unit", "staff")


@dataclass(frozen=True)
class DisciplineStatus:
    """What blocks a proposal on a date, and from when achievements count again."""

    blocking: tuple[str, ...]
    counts_from: date | None

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)


class DisciplinaryFile(LedgerAggregate):
    """One file per subject; id from f"{subject_kind}:{subject_key}"."""

    class Opened(LedgerAggregate.Created):
        subject_kind: str
        subject_key: str

    class CaseOpened(LedgerAggregate.Event):
        case: str
        kind: str
        reference: str
        opened_on: date

    class CaseClosed(LedgerAggregate.Event):
        case: str
        closed_on: date
        outcome: str
        reference: str

    class DisciplineImposed(LedgerAggregate.Event):
        form: str
        reference: str
        from_date: date
        until: date

    def __init__(self, subject_kind: str, subject_key: str) -> None:
        self.subject_kind = subject_kind
        self.subject_key = subject_key
        self.cases: dict[str, dict[str, Any]] = {}
        self.penalties: list[dict[str, Any]] = []

    @staticmethod
    def id_for(province: str, subject_kind: str, subject_key: str) -> Any:
        return aggregate_id(province, "discipline", f"{subject_kind}:{subject_key}")

    @classmethod
    def open(cls, province: str, subject_kind: str, subject_key: str, by: Provenance) -> DisciplinaryFile:
        if subject_kind not in SUBJECT_KINDS:
            raise MalformedCommand(f"Đối tượng «{subject_kind}» không hợp lệ.")
        return cls._start(
            cls.Opened,
            by,
            id=cls.id_for(province, subject_kind, subject_key),
            subject_kind=subject_kind,
            subject_key=require_text(subject_key, "subject_key"),
        )

    def open_case(self, case: str, kind: str, reference: str, by: Provenance) -> None:
        """Review, investigation, inspection or complaint verification begins."""
        if kind not in CASE_KINDS:
            raise MalformedCommand(f"Loại vụ việc «{kind}» không hợp lệ.", kind=kind)
        case = require_text(case, "case")
        if case in self.cases:
            raise AlreadyRecorded(f"Vụ việc «{case}» đã được ghi nhận.", case=case)
        self._record(
            self.CaseOpened,
            by,
            case=case,
            kind=kind,
            reference=require_text(reference, "reference"),
            opened_on=by.effective_on,
        )

    @event(CaseOpened)
    def _on_case_opened(self, case: str, kind: str, reference: str, opened_on: date) -> None:
        self.cases[case] = {"kind": kind, "reference": reference, "opened_on": opened_on}

    def close_case(self, case: str, outcome: str, reference: str, by: Provenance) -> None:
        """Case ends, `cleared` or `disciplined` (impose the penalty separately)."""
        if case not in self.cases:
            raise CaseNotFound(f"Không có vụ việc «{case}».", case=case)
        if "closed_on" in self.cases[case]:
            raise AlreadyRecorded(f"Vụ việc «{case}» đã kết thúc.", case=case)
        if outcome not in ("cleared", "disciplined"):
            raise MalformedCommand(f"Kết luận «{outcome}» không hợp lệ.", outcome=outcome)
        if by.effective_on < self.cases[case]["opened_on"]:
            raise MalformedCommand("Ngày kết thúc trước ngày bắt đầu vụ việc.", case=case)
        self._record(
            self.CaseClosed,
            by,
            case=case,
            closed_on=by.effective_on,
            outcome=outcome,
            reference=require_text(reference, "reference"),
        )

    @event(CaseClosed)
    def _on_case_closed(self, case: str, closed_on: date, outcome: str, reference: str) -> None:
        self.cases[case] = {**self.cases[case], "closed_on": closed_on, "outcome": outcome}

    def impose(self, form: str, reference: str, until: date, by: Provenance) -> None:
        """Disciplined (bị kỷ luật) from the effective date until `until`."""
        if until <= by.effective_on:
            raise MalformedCommand("Thời hạn kỷ luật phải sau ngày quyết định.")
        self._record(
            self.DisciplineImposed,
            by,
            form=require_text(form, "form"),
            reference=require_text(reference, "reference"),
            from_date=by.effective_on,
            until=until,
        )

    @event(DisciplineImposed)
    def _on_imposed(self, form: str, reference: str, from_date: date, until: date) -> None:
        self.penalties.append({"form": form, "reference": reference, "from_date": from_date, "until": until})

    def status_on(self, on: date) -> DisciplineStatus:
        blocking = [
            f"{CASE_KINDS[c['kind']]} ({name})"
            for name, c in self.cases.items()
            if c["opened_on"] <= on and ("closed_on" not in c or c["closed_on"] > on)
        ]
        blocking += [
            f"đang chịu kỷ luật «{p['form']}» đến {vn_date(p['until'])}"
            for p in self.penalties
            if p["from_date"] <= on < p["until"]
        ]
        ended = [p["until"] for p in self.penalties if p["until"] <= on]
        return DisciplineStatus(tuple(blocking), max(ended) if ended else None)

    def forms_imposed_in(self, year: int) -> list[str]:
        """The forms of discipline decided in `year` (kỷ luật trong năm đánh giá)."""
        return [p["form"] for p in self.penalties if p["from_date"].year == year]


def check_not_under_discipline(file: DisciplinaryFile | None, name: str, on: date) -> DisciplineStatus:
    """Refuse with `RecipientUnderDiscipline` when blocked on `on`; return the status."""
    if file is None:
        return DisciplineStatus((), None)
    status = file.status_on(on)
    if status.blocked:
        raise RecipientUnderDiscipline(
            f"«{name}» {'; '.join(status.blocking)}: không thể đề nghị khen thưởng.",
            subject=file.subject_key,
            on=on.isoformat(),
        )
    return status


class CaseNotFound(NotFound):
    code = "DISCIPLINARY_CASE_NOT_FOUND"
