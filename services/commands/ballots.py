"""Commands on ballots (bỏ phiếu): open or secret, among block members or council members.

Secret ballots: the key is made and kept by `ballot_seal`, never in an event; the tally opens
the papers, shuffles them, records the result, then deletes the key and records that it did.
"""

from __future__ import annotations

import secrets
from typing import Any

from thidua.domain.ballots import Ballot
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.council import Council
from thidua.domain.errors import MalformedCommand
from thidua.domain.provenance import Provenance
from thidua.services.ballot_seal import (
    BallotKeyMissing,
    KeyVault,
    MemoryKeyVault,
    PostgresKeyVault,
    new_key,
    new_paper_id,
    seal,
    unseal,
)
from thidua.services.commands.base import CommandsBase


class BallotCommands(CommandsBase):
    """Bỏ phiếu công khai, bỏ phiếu kín, kiểm phiếu."""

    _key_vault: KeyVault | None = None

    @property
    def key_vault(self) -> KeyVault:
        if self._key_vault is None:
            datastore = getattr(self.recorder, "datastore", None)
            self._key_vault = PostgresKeyVault(datastore) if datastore is not None else MemoryKeyVault()
        return self._key_vault

    def _voters(self, electorate: str, block: str | None, year: int | None) -> list[str]:
        if electorate == "council_members":
            council: Council = self._get("council", self.province)
            return council.voters()
        if block is None or year is None:
            raise MalformedCommand("Bỏ phiếu trong khối phải nêu khối và năm.")
        block_year: BlockYear = self._get("block-year", block_year_key(block, year))
        return list(block_year.members)

    def open_ballot(
        self,
        *,
        key: str,
        purpose: str,
        subject: str | None,
        award: str | None,
        secret: bool,
        question: str,
        electorate: str,
        block: str | None,
        year: int | None,
        options: list[str],
        by: Provenance,
    ) -> int:
        """Open a ballot; voters are the block-year's members or the council's members."""
        self._refuse_existing("ballot", key)
        ballot = Ballot.open(
            province=self.province,
            key=key,
            purpose=purpose,
            subject=subject,
            award=award,
            secret=secret,
            question=question,
            electorate=electorate,
            voters=self._voters(electorate, block, year),
            options=options,
            rules=self.rules_on(by.effective_on),
            by=by,
        )
        if not secret:
            return self._commit(ballot)
        self.key_vault.put(ballot.id, new_key())
        try:
            return self._commit(ballot)
        except BaseException:
            self.key_vault.delete(ballot.id)
            raise

    def cast_open_vote(self, *, key: str, voter: str, choice: str, by: Provenance) -> int:
        ballot: Ballot = self._get("ballot", key)
        ballot.cast_open_vote(voter=voter, choice=choice, by=by)
        return self._commit(ballot)

    def cast_secret_vote(self, *, key: str, voter: str, choice: str, by: Provenance) -> tuple[int, str]:
        """Seal and cast; returns (position, receipt). Only the voter may see the receipt: it is
        the paper id they will find in the published tally, and it must never be logged or stored."""
        ballot: Ballot = self._get("ballot", key)
        ballot.check_choice(choice)
        sealing_key = self.key_vault.get(ballot.id)
        if sealing_key is None:
            raise BallotKeyMissing(f"Cuộc bỏ phiếu «{key}» không còn khóa niêm phong.", ballot=key)
        paper_id = new_paper_id()
        ballot.cast_sealed_paper(voter=voter, sealed=seal(sealing_key, ballot.id, paper_id, choice), by=by)
        return self._commit(ballot), paper_id

    def close_ballot(self, *, key: str, present: list[str] | None, by: Provenance) -> int:
        ballot: Ballot = self._get("ballot", key)
        ballot.close(present=present, by=by)
        return self._commit(ballot)

    def tally_ballot(self, *, key: str, tie_break_scores: dict[str, float] | None, by: Provenance) -> int:
        """Count a closed ballot; for a secret ballot open the papers, shuffle, record, then
        destroy the key."""
        return self._tally(self._get("ballot", key), tie_break_scores, by)

    def close_and_tally_ballot(
        self,
        *,
        key: str,
        present: list[str] | None,
        tie_break_scores: dict[str, float] | None,
        by: Provenance,
    ) -> int:
        """Close (unless a crash stopped an earlier close before its tally) and count, saved
        together: a refused tally leaves the ballot open, a crash never leaves it closed but
        uncounted, and an idempotency key is recorded with both (services/idempotency.py)."""
        ballot: Ballot = self._get("ballot", key)
        if ballot.status == "open":
            ballot.close(present=present, by=by)
        return self._tally(ballot, tie_break_scores, by)

    def _tally(self, ballot: Ballot, tie_break_scores: dict[str, float] | None, by: Provenance) -> int:
        opened = None
        if ballot.secret:
            sealing_key = self.key_vault.get(ballot.id)
            if sealing_key is None:
                raise BallotKeyMissing(
                    f"Cuộc bỏ phiếu «{ballot.key}» không còn khóa niêm phong.", ballot=ballot.key
                )
            opened = [unseal(sealing_key, ballot.id, paper) for paper in ballot.sealed_papers]
            secrets.SystemRandom().shuffle(opened)
        ballot.tally(opened_papers=opened, tie_break_scores=tie_break_scores, by=by)
        position = self._commit(ballot)
        if ballot.secret:
            # A follow-up, safe to repeat (destroyBallotKey): the tally above holds the facts.
            position = self.destroy_ballot_key(key=ballot.key, by=by) or position
        return position

    def destroy_ballot_key(self, *, key: str, by: Provenance) -> int:
        """Delete a tallied secret ballot's key and record it (safe to repeat after a crash)."""
        ballot: Ballot = self._get("ballot", key)
        self.key_vault.delete(ballot.id)
        if ballot.key_destroyed:
            return 0
        ballot.record_key_destroyed(by=by)
        return self._commit(ballot)

    def record_ballot_without_figures(
        self, *, key: str, purpose: str, subject: str | None, note: str, by: Provenance
    ) -> int:
        """The minutes say a vote took place but give no figures: record exactly that, no tally."""
        self._refuse_existing("ballot", key)
        return self._commit(
            Ballot.record_without_figures(
                province=self.province, key=key, purpose=purpose, subject=subject, note=note, by=by
            )
        )

    def get_ballot(self, key: str) -> dict[str, Any]:
        """Public facts of a ballot: who may vote, who has, and (after the tally) the result."""
        b: Ballot = self._get("ballot", key)
        return {
            "key": b.key,
            "status": b.status,
            "secret": b.secret,
            "voters": list(b.voters),
            "cast_by": sorted(b.cast_by),
            "result": dict(b.result) if b.result else None,
            "key_destroyed": b.key_destroyed,
        }
