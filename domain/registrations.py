"""Registrations for a year (đăng ký thi đua, đăng ký nêu gương) by one unit or individual.

Title registrations name the titles aimed for; exemplary registrations count the individuals,
party cells (chi bộ) and models (mô hình) committing to set an example, e.g. 346 / 67 / 41.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .base import LedgerAggregate, require_text, require_year
from .catalogue import award
from .errors import AlreadyRecorded, MalformedCommand, RuleViolation
from .ids import aggregate_id
from .provenance import Provenance

REGISTRANT_KINDS = ("unit", "staff")
EXEMPLARY_COUNTS = ("individuals", "party_cells", "models")


def registration_key(registrant_kind: str, registrant: str, year: int) -> str:
    return f"{registrant_kind}:{registrant}/{year}"


class RegistrationBook(LedgerAggregate):
    """Everything one registrant registers for one year."""

    class Opened(LedgerAggregate.Created):
        province: str
        registrant_kind: str
        registrant: str
        year: int

    class TitleRegistered(LedgerAggregate.Event):
        award: str
        movement: str | None

    class ExemplaryRegistered(LedgerAggregate.Event):
        theme: str
        counts: dict[str, int]

    def __init__(self, province: str, registrant_kind: str, registrant: str, year: int) -> None:
        self.province = province
        self.registrant_kind = registrant_kind
        self.registrant = registrant
        self.year = year
        self.titles: list[str] = []
        self.exemplary: list[dict[str, Any]] = []

    @classmethod
    def open(
        cls, province: str, registrant_kind: str, registrant: str, year: int, by: Provenance
    ) -> RegistrationBook:
        if registrant_kind not in REGISTRANT_KINDS:
            raise MalformedCommand(f"Loại đối tượng «{registrant_kind}» không hợp lệ.")
        require_year(year)
        registrant = require_text(registrant, "registrant")
        return cls._start(
            cls.Opened,
            by,
            id=aggregate_id(province, "registration", registration_key(registrant_kind, registrant, year)),
            province=province,
            registrant_kind=registrant_kind,
            registrant=registrant,
            year=year,
        )

    def register_title(self, award_code: str, movement: str | None, by: Provenance) -> None:
        """Aim for a title this year; individuals for individual titles, units for collective."""
        entry = award(award_code)
        wanted = "individual" if self.registrant_kind == "staff" else "collective"
        if wanted not in entry.recipients:
            raise WrongRecipientKind(
                f"«{entry.name_vi}» không dành cho {'cá nhân' if wanted == 'individual' else 'tập thể'}.",
                award=award_code,
            )
        if award_code in self.titles:
            raise AlreadyRecorded(f"Đã đăng ký «{entry.name_vi}» năm {self.year}.")
        self._record(self.TitleRegistered, by, award=award_code, movement=movement)

    @event(TitleRegistered)
    def _on_title(self, award: str) -> None:
        self.titles.append(award)

    def register_exemplary(self, theme: str, counts: dict[str, int], by: Provenance) -> None:
        """Exemplary commitments (đăng ký nêu gương) with their counts."""
        theme = require_text(theme, "theme")
        unknown = set(counts) - set(EXEMPLARY_COUNTS)
        if unknown or not counts:
            raise MalformedCommand(f"Số liệu đăng ký không hợp lệ: {sorted(unknown)}.")
        if any(not isinstance(v, int) or v < 0 for v in counts.values()):
            raise MalformedCommand("Số lượng đăng ký phải là số nguyên không âm.")
        if any(e["theme"] == theme for e in self.exemplary):
            raise AlreadyRecorded(f"Đã đăng ký nêu gương «{theme}» năm {self.year}.")
        self._record(self.ExemplaryRegistered, by, theme=theme, counts=dict(counts))

    @event(ExemplaryRegistered)
    def _on_exemplary(self, theme: str, counts: dict[str, int]) -> None:
        self.exemplary.append({"theme": theme, "counts": counts})


class WrongRecipientKind(RuleViolation):
    code = "WRONG_RECIPIENT_KIND"
