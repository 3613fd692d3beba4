"""Commands of the board's handling of a dossier (xử lý hồ sơ đề nghị): receive, assign, appraise,
return for correction; the submitting unit's resubmission and recall (domain/dossier_flow.py)."""

from __future__ import annotations

from thidua.domain.proposals import AwardProposal
from thidua.domain.provenance import Provenance
from thidua.domain.rulebook import RuleBook, rules_in_force
from thidua.services.commands.base import CommandsBase


class DossierCommands(CommandsBase):
    """Tiếp nhận, giao chuyên viên, thẩm định, trả lại, nộp lại, thu hồi."""

    def _dossier(self, key: str) -> AwardProposal:
        found: AwardProposal = self._get("proposal", key)
        return found

    def receive_dossier(self, *, proposal: str, by: Provenance) -> int:
        """Tiếp nhận; the assignment is due within the rules' working days."""
        p = self._dossier(proposal)
        book: RuleBook | None = self._find("rulebook", self.province)
        p.receive(
            rules=rules_in_force(book, by.effective_on, self.province),
            by=by,
            holidays=book.holidays() if book is not None else (),
        )
        return self._commit(p)

    def assign_dossier(
        self, *, proposal: str, officer: str, officer_name: str, reason: str | None, by: Provenance
    ) -> int:
        """Giao chuyên viên; the appraisal is due within the rules' working days."""
        p = self._dossier(proposal)
        book: RuleBook | None = self._find("rulebook", self.province)
        p.assign(
            officer=officer,
            officer_name=officer_name,
            reason=reason,
            rules=rules_in_force(book, by.effective_on, self.province),
            by=by,
            holidays=book.holidays() if book is not None else (),
        )
        return self._commit(p)

    def appraise_dossier(self, *, proposal: str, finding: str, by: Provenance) -> int:
        """Thẩm định: the officer's finding."""
        p = self._dossier(proposal)
        p.appraise(finding=finding, by=by)
        return self._commit(p)

    def return_dossier(self, *, proposal: str, reasons: list[str], by: Provenance) -> int:
        """Trả lại để bổ sung, sửa đổi, with reasons; the resubmission is due within the rules' days."""
        p = self._dossier(proposal)
        book: RuleBook | None = self._find("rulebook", self.province)
        p.return_for_correction(
            reasons=reasons,
            rules=rules_in_force(book, by.effective_on, self.province),
            by=by,
            holidays=book.holidays() if book is not None else (),
        )
        return self._commit(p)

    def resubmit_dossier(
        self, *, proposal: str, dossier: dict[str, str], note: str | None, by: Provenance
    ) -> int:
        """Nộp lại a returned dossier as a new version (the earlier one is kept)."""
        p = self._dossier(proposal)
        p.resubmit(dossier=dossier, note=note, by=by)
        return self._commit(p)

    def recall_dossier(self, *, proposal: str, reason: str, by: Provenance) -> int:
        """Thu hồi by the submitting unit, before appraisal; its reserved achievement is freed."""
        p = self._dossier(proposal)
        facts = self._recipient(p.recipient_kind, p.recipient, by)
        p.recall(reason=reason, recipient=facts, by=by)
        return self._commit(p, facts.record)
