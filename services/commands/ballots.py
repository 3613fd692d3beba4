"""Commands on ballots (bỏ phiếu): open or secret, among block members or council members.

Secret ballots are sealed to a per-ballot public key whose private key exists only as the
tellers' shares (`ballot_seal`): the opening hands the shares back once and keeps none; the
tally rebuilds the key from the shares it is given, opens and shuffles the papers, records the
result and lets the key go with the command. Ballots opened before the tellers' keys are still
tallied with their kept key (`ballot_seal_legacy`), which is then deleted and the deletion
recorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua.domain.ballots import Ballot, ballot_tellers
from thidua.domain.block_year import BlockYear, block_year_key
from thidua.domain.council import Council
from thidua.domain.errors import MalformedCommand
from thidua.domain.ids import aggregate_id
from thidua.domain.provenance import Provenance
from thidua.services.ballot_seal import (
    BallotKeyMissing,
    BallotKeyNotStored,
    BallotSharesTooFew,
    TellerShare,
    new_ballot_key,
    new_paper_id,
    open_paper,
    recover_private_key,
    seal_paper,
)
from thidua.services.ballot_seal_legacy import KeptKeys, open_kept_key_paper, seal_kept_key_paper
from thidua.services.commands.base import CommandsBase


@dataclass(frozen=True)
class OpenedBallot:
    """The opening's position and, for a secret ballot, the tellers' shares: shown once."""

    position: int
    shares: list[TellerShare] = field(default_factory=list)


class BallotCommands(CommandsBase):
    """Bỏ phiếu công khai, bỏ phiếu kín, kiểm phiếu."""

    @property
    def kept_keys(self) -> KeptKeys:
        """The keys of secret ballots opened before the tellers' keys (read and delete only)."""
        return KeptKeys(getattr(self.recorder, "datastore", None))

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
        tellers: list[str] | None = None,
        tellers_needed: int | None = None,
    ) -> OpenedBallot:
        """Open a ballot; voters are the block-year's members or the council's members.

        A secret ballot gets a fresh key pair: the public key is recorded, the private key is
        split among `tellers` (any `tellers_needed` of them open the papers) and the shares are
        returned here once; nothing else ever holds them."""
        self._refuse_existing("ballot", key)
        sealing = None
        sealed_for = aggregate_id(self.province, "ballot", key.strip())
        if secret:
            names, needed = ballot_tellers(tellers, tellers_needed)
            sealing = new_ballot_key(sealed_for, names, needed)
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
            tellers=tellers,
            tellers_needed=tellers_needed,
            public_key=sealing.public_key if sealing else None,
            share_digests=sealing.share_digests if sealing else None,
            block=block,
            year=year,
        )
        if sealing is not None and ballot.id != sealed_for:  # the key is bound to the ballot's id
            raise RuntimeError("the ballot's id differs from the one its key was made for")
        return OpenedBallot(self._commit(ballot), sealing.shares if sealing else [])

    def cast_vote(self, *, key: str, voter: str, choice: str, by: Provenance) -> tuple[int, str | None]:
        """Cast on an open or a secret ballot (the ballot says which), loading it once; returns
        (position, receipt), the receipt being a secret paper's id (None for an open vote)."""
        ballot: Ballot = self._get("ballot", key)
        if not ballot.secret:
            ballot.cast_open_vote(voter=voter, choice=choice, by=by)
            return self._commit(ballot), None
        return self._cast_secret(ballot, voter=voter, choice=choice, by=by)

    def cast_open_vote(self, *, key: str, voter: str, choice: str, by: Provenance) -> int:
        ballot: Ballot = self._get("ballot", key)
        ballot.cast_open_vote(voter=voter, choice=choice, by=by)
        return self._commit(ballot)

    def cast_secret_vote(self, *, key: str, voter: str, choice: str, by: Provenance) -> tuple[int, str]:
        """Seal and cast; returns (position, receipt)."""
        return self._cast_secret(self._get("ballot", key), voter=voter, choice=choice, by=by)

    def _cast_secret(self, ballot: Ballot, *, voter: str, choice: str, by: Provenance) -> tuple[int, str]:
        """Seal and cast; returns (position, receipt). Only the voter may see the receipt: it is
        the paper id they will find in the published tally, and it must never be logged or stored.

        Nothing raised from here may carry the choice: a refusal is stored with the voter's
        idempotency key and an unexpected error is logged with the request's user."""
        counted = ballot.check_choice(choice)
        kept = self.kept_keys.get(ballot.id) if ballot.sealed_with_kept_key else None
        if ballot.sealed_with_kept_key and kept is None:
            raise BallotKeyMissing(
                f"Cuộc bỏ phiếu «{ballot.key}» không còn khóa niêm phong.", ballot=ballot.key
            )
        paper_id = new_paper_id()
        sealed = _seal_or_fail(ballot, paper_id, counted, kept)
        ballot.cast_sealed_paper(voter=voter, sealed=sealed, by=by)
        return self._commit(ballot), paper_id

    def close_ballot(self, *, key: str, present: list[str] | None, by: Provenance) -> int:
        ballot: Ballot = self._get("ballot", key)
        ballot.close(present=present, by=by)
        return self._commit(ballot)

    def tally_ballot(
        self,
        *,
        key: str,
        tie_break_scores: dict[str, float] | None,
        by: Provenance,
        shares: Sequence[str] = (),
    ) -> int:
        """Count a closed ballot; a secret one is opened with its tellers' `shares`."""
        return self.close_and_tally(
            key=key, present=None, shares=shares, tie_break_scores=tie_break_scores, by=by, close=False
        )

    def close_and_tally(
        self,
        *,
        key: str,
        present: list[str] | None,
        shares: Sequence[str],
        tie_break_scores: dict[str, float] | None,
        by: Provenance,
        close: bool = True,
    ) -> int:
        """Close (if still open) and count, in one commit. A secret ballot's papers are opened
        first, so wrong or too few shares record nothing, not even the closing."""
        ballot: Ballot = self._get("ballot", key)
        opened = self._open_papers(ballot, shares) if ballot.secret else None
        if opened is not None:
            secrets.SystemRandom().shuffle(opened)
        if close and ballot.status == "open":
            ballot.close(present=present, by=by)
        ballot.tally(opened_papers=opened, tie_break_scores=tie_break_scores, by=by)
        position = self._commit(ballot)
        if ballot.sealed_with_kept_key:
            position = self.destroy_ballot_key(key=key, by=by) or position
        return position

    def _open_papers(self, ballot: Ballot, shares: Sequence[str]) -> list[dict[str, str]]:
        if ballot.status not in ("open", "closed"):
            return []  # the domain refuses the tally with the ballot's own reason
        if ballot.sealed_with_kept_key:
            kept = self.kept_keys.get(ballot.id)
            if kept is None:
                raise BallotKeyMissing(
                    f"Cuộc bỏ phiếu «{ballot.key}» không còn khóa niêm phong.", ballot=ballot.key
                )
            return [open_kept_key_paper(kept, ballot.id, paper) for paper in ballot.sealed_papers]
        if not shares:
            raise BallotSharesTooFew(
                f"Cần mảnh khóa của {ballot.tellers_needed} người kiểm phiếu để mở phiếu kín.",
                field="shares",
                needed=ballot.tellers_needed,
                given=0,
            )
        private_key = recover_private_key(
            ballot.id,
            public_key=str(ballot.public_key),
            tellers=ballot.tellers,
            needed=ballot.tellers_needed,
            share_digests=ballot.share_digests,
            shares=shares,
        )
        return [open_paper(private_key, ballot.id, paper) for paper in ballot.sealed_papers]

    def declare_ballot_unopenable(self, *, key: str, reason: str, by: Provenance) -> int:
        """Too few shares remain to open a secret ballot's papers: record it, with the reason."""
        ballot: Ballot = self._get("ballot", key)
        ballot.declare_unopenable(reason=reason, by=by)
        position = self._commit(ballot)
        if ballot.sealed_with_kept_key:
            self.kept_keys.delete(ballot.id)
        return position

    def destroy_ballot_key(self, *, key: str, by: Provenance) -> int:
        """Delete a tallied old-style secret ballot's kept key and record it (safe to repeat
        after a crash between the tally and the deletion). Ballots sealed to their tellers have
        no stored key: nothing to destroy, and the refusal says so."""
        ballot: Ballot = self._get("ballot", key)
        if ballot.sealed_to_tellers:
            raise BallotKeyNotStored(
                f"Cuộc bỏ phiếu «{key}» không lưu khóa ở đâu: khóa chỉ dựng lại khi kiểm phiếu rồi bỏ đi.",
                ballot=key,
            )
        self.kept_keys.delete(ballot.id)
        if ballot.key_destroyed:
            return 0
        ballot.record_key_destroyed(by=by)
        return self._commit(ballot)

    def record_ballot_without_figures(
        self,
        *,
        key: str,
        purpose: str,
        subject: str | None,
        note: str,
        by: Provenance,
        form: str = "unrecorded",
        block: str | None = None,
        year: int | None = None,
    ) -> int:
        """The minutes say a vote took place but give no figures: record exactly that, no tally.
        A block's vote names its block-year (which must exist): its officers may record it."""
        self._refuse_existing("ballot", key)
        if block is not None and year is not None:
            self._get("block-year", block_year_key(block, year))
        return self._commit(
            Ballot.record_without_figures(
                province=self.province,
                key=key,
                purpose=purpose,
                subject=subject,
                note=note,
                by=by,
                form=form,
                block=block,
                year=year,
            )
        )

    def get_ballot(self, key: str) -> dict[str, Any]:
        """Public facts of a ballot: who may vote, who has, and (after the tally) the result."""
        b: Ballot = self._get("ballot", key)
        return {
            "key": b.key,
            "status": b.status,
            "secret": b.secret,
            "form": b.form,
            "block": b.block,
            "year": b.year,
            "voters": list(b.voters),
            "cast_by": sorted(b.cast_by),
            "result": dict(b.result) if b.result else None,
            "key_destroyed": b.key_destroyed,
            "tellers": list(b.tellers),
            "tellers_needed": b.tellers_needed,
            "unopenable_reason": b.unopenable_reason,
        }


class PaperNotSealed(Exception):
    """Sealing failed for a reason other than the choice (checked before). Raised without the
    original error, whose message or traceback might say something about the choice."""


def _seal_or_fail(ballot: Ballot, paper_id: str, choice: str, kept: bytes | None) -> str:
    sealed: str | None = None
    try:
        if kept is not None:
            sealed = seal_kept_key_paper(kept, ballot.id, paper_id, choice)
        else:
            sealed = seal_paper(str(ballot.public_key), ballot.id, paper_id, choice)
    except Exception:
        sealed = None
    if sealed is None:  # raised outside the handler: no chained error, no frame of the sealing
        raise PaperNotSealed("sealing a paper failed")
    return sealed
