"""Ballots (bỏ phiếu): open or secret (bỏ phiếu kín), among member units or council members.

One paper per eligible voter. An open ballot records voter and choice. A secret ballot records
only the voter and an opaque sealed paper. Services seal "paper_id|choice" to the ballot's
public key, recorded at opening with its tellers (ban kiểm phiếu), how many of them must come
together to open the papers, and a digest of each teller's share of the private key (the key
and the shares are never recorded). At the tally services hand over the opened papers, which are
recorded sorted by their random paper ids (so their order says nothing about who cast them).
Anyone can check that the number of papers counted equals the number of distinct eligible
voters who cast one, and that the counts are the sum of the published papers. A ballot whose
shares are lost is declared unopenable, with a reason; its papers stay sealed for ever.

Ballots opened before the tellers' keys (`public_key` None: the per-ballot AES key was kept in a
table beside the events) still replay, and services still tally them with that kept key, then
record `SealingKeyDestroyed`.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from .ballot_options import ballot_choice, ballot_options
from .base import LedgerAggregate, require_text
from .block_minutes import BALLOT_FORMS, require_code
from .errors import AlreadyRecorded, Conflict, MalformedCommand, RuleViolation
from .ids import aggregate_id
from .provenance import Provenance
from .rules import RuleSet
from .tally import QUESTIONS, TallySettings, tally

ELECTORATES = ("block_members", "council_members")
# Who casts a paper for a voter of each electorate: a member unit votes through its clerk (the
# voter is the actor's unit), a council member votes in person (the voter is the actor).
VOTING_ROLES = {"block_members": "unit_clerk", "council_members": "council_member"}
MIN_TELLERS_NEEDED = 2  # no single teller can open the papers
MAX_TELLERS = 25


def ballot_tellers(tellers: list[str] | None, needed: int | None) -> tuple[list[str], int]:
    """The tellers (ban kiểm phiếu) of a secret ballot and how many must bring their share to
    open the papers (default: a majority of them, at least two)."""
    names = [require_text(t, "tellers") for t in tellers or []]
    if not MIN_TELLERS_NEEDED <= len(names) <= MAX_TELLERS or len(set(names)) != len(names):
        raise BallotTellersInvalid(
            f"Bỏ phiếu kín cần từ {MIN_TELLERS_NEEDED} đến {MAX_TELLERS} người kiểm phiếu, không trùng "
            f"nhau (đã nêu {len(names)}).",
            field="tellers",
        )
    k = len(names) // 2 + 1 if needed is None else needed
    if not MIN_TELLERS_NEEDED <= k <= len(names):
        raise BallotTellersInvalid(
            f"Số người kiểm phiếu cần có mặt để mở phiếu phải từ {MIN_TELLERS_NEEDED} đến {len(names)} "
            f"(đã nêu {k}).",
            field="tellersNeeded",
        )
    return names, k


class Ballot(LedgerAggregate):
    """One question put to one electorate. Id from the ballot key."""

    class Opened(LedgerAggregate.Created):
        province: str
        key: str
        purpose: str
        subject: str | None
        award: str | None
        secret: bool
        question: str
        electorate: str
        block: str | None
        year: int | None
        voters: list[str]
        options: list[str]
        quorum: list[int]
        threshold: list[int]
        denominator: str
        tie_rule: str
        rule_version: str
        # Version 2: secret papers are sealed to `public_key`; its private key is split among
        # `tellers`, `tellers_needed` of whom open the papers; one digest per teller's share.
        # Version 3: `block` and `year` name the block-year of a block_members electorate.
        class_version = 3
        public_key: str | None
        tellers: list[str]
        tellers_needed: int
        share_digests: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Ballots opened when the sealing key was kept in a table beside the events."""
            state["public_key"] = None
            state["tellers"] = []
            state["tellers_needed"] = 0
            state["share_digests"] = []

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Ballots opened before they named their block-year (only the board closes them)."""
            state["block"] = None
            state["year"] = None

    class RecordedWithoutFigures(LedgerAggregate.Created):
        """A ballot the sources say took place, without any figures: nothing is invented."""

        class_version = 2  # v1 said nothing of the form and named no block-year
        province: str
        key: str
        purpose: str
        subject: str | None
        note: str
        form: str  # open | secret | unrecorded (block_minutes.BALLOT_FORMS)
        block: str | None  # the block-year whose meeting held it, when the minutes are a block's
        year: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(form="unrecorded", block=None, year=None)

    class OpenVoteCast(LedgerAggregate.Event):
        voter: str
        choice: str

    class SealedPaperCast(LedgerAggregate.Event):
        voter: str
        sealed: str

    class Closed(LedgerAggregate.Event):
        present: list[str]

    class Tallied(LedgerAggregate.Event):
        counts: dict[str, int]
        papers: list[dict[str, str]]
        present: int
        eligible: int
        quorum_met: bool
        denominator_size: int
        outcome: str
        winner: str | None
        tied: list[str]
        tie_settled_by: str | None

    class SealingKeyDestroyed(LedgerAggregate.Event):
        """Ballots opened before the tellers' keys only: the kept key row was deleted."""

    class DeclaredUnopenable(LedgerAggregate.Event):
        """Too few tellers' shares remain to open the papers: they stay sealed for ever."""

        reason: str

    def __init__(
        self,
        *,
        province: str,
        key: str,
        purpose: str,
        subject: str | None,
        award: str | None = None,
        secret: bool = False,
        question: str = "",
        electorate: str = "",
        block: str | None = None,
        year: int | None = None,
        voters: list[str] | None = None,
        options: list[str] | None = None,
        quorum: list[int] | None = None,
        threshold: list[int] | None = None,
        denominator: str = "all",
        tie_rule: str = "",
        note: str | None = None,
        public_key: str | None = None,
        tellers: list[str] | None = None,
        tellers_needed: int = 0,
        share_digests: list[str] | None = None,
        form: str | None = None,
    ) -> None:
        self.province = province
        self.key = key
        self.purpose = purpose
        self.subject = subject
        self.award = award
        self.secret = secret
        self.question = question
        self.electorate = electorate
        self.block = block  # the block-year whose members vote (None for the council)
        self.year = year
        self.voters = list(voters or [])
        self.options = list(options or [])
        self.quorum = list(quorum or [])
        self.threshold = list(threshold or [])
        self.denominator = denominator
        self.tie_rule = tie_rule
        self.note = note
        self.status = "recorded_without_figures" if note is not None else "open"
        self.cast_by: list[str] = []  # who has cast a paper (never what they chose, if secret)
        self.open_votes: dict[str, str] = {}
        self.sealed_papers: list[str] = []
        self.present: list[str] = []
        self.result: dict[str, Any] | None = None
        self.key_destroyed = False
        self.public_key = public_key
        self.tellers = list(tellers or [])
        self.tellers_needed = tellers_needed
        self.share_digests = list(share_digests or [])
        self.unopenable_reason: str | None = None
        self.form = form  # recorded without figures: open | secret | unrecorded

    @property
    def sealed_to_tellers(self) -> bool:
        """A secret ballot whose papers only its tellers' shares can open."""
        return self.secret and self.public_key is not None

    @property
    def sealed_with_kept_key(self) -> bool:
        """A secret ballot opened before the tellers' keys: its AES key was kept in a table."""
        return self.secret and self.public_key is None

    @classmethod
    def open(
        cls,
        *,
        province: str,
        key: str,
        purpose: str,
        subject: str | None,
        award: str | None,
        secret: bool,
        question: str,
        electorate: str,
        voters: list[str],
        options: list[str],
        rules: RuleSet,
        by: Provenance,
        tellers: list[str] | None = None,
        tellers_needed: int | None = None,
        public_key: str | None = None,
        share_digests: list[str] | None = None,
        block: str | None = None,
        year: int | None = None,
    ) -> Ballot:
        """Quorum, threshold (per award), denominator and tie rule come from `rules`.

        A secret ballot needs its tellers and the public key and share digests services made
        for them (`ballot_tellers` checks the tellers before services make the key)."""
        if question not in QUESTIONS:
            raise MalformedCommand(f"Loại câu hỏi «{question}» không hợp lệ.", field="question")
        if electorate not in ELECTORATES:
            raise MalformedCommand(f"Cử tri «{electorate}» không hợp lệ.", field="electorate")
        if not voters or len(set(voters)) != len(voters):
            raise MalformedCommand("Danh sách cử tri rỗng hoặc trùng lặp.")
        options = ballot_options(options, secret=secret)
        if question == "approve" and "approve" not in options:
            raise MalformedCommand("Phiếu tán thành phải có phương án «approve».", field="options")
        names: list[str] = []
        needed = 0
        digests: list[str] = []
        if secret:
            names, needed = ballot_tellers(tellers, tellers_needed)
            digests = list(share_digests or [])
            if not public_key or len(digests) != len(names):
                raise MalformedCommand(
                    "Bỏ phiếu kín cần khóa công khai và một mã kiểm cho mỗi người kiểm phiếu."
                )
        elif tellers or tellers_needed is not None:
            raise MalformedCommand("Chỉ bỏ phiếu kín mới có người kiểm phiếu giữ khóa.", field="tellers")
        key = require_text(key, "key")
        return cls._start(
            cls.Opened,
            by,
            id=aggregate_id(province, "ballot", key),
            province=province,
            key=key,
            purpose=require_text(purpose, "purpose"),
            subject=subject,
            award=award,
            secret=secret,
            question=question,
            electorate=electorate,
            block=block if electorate == "block_members" else None,
            year=year if electorate == "block_members" else None,
            voters=list(voters),
            options=list(options),
            quorum=list(rules.ballot_quorum),
            threshold=list(rules.threshold_for(award)),
            denominator=rules.ballot_threshold_denominator,
            tie_rule=rules.tie_rule,
            rule_version=rules.version,
            public_key=public_key if secret else None,
            tellers=names,
            tellers_needed=needed,
            share_digests=digests,
        )

    @classmethod
    def record_without_figures(
        cls,
        *,
        province: str,
        key: str,
        purpose: str,
        subject: str | None,
        note: str,
        by: Provenance,
        form: str = "unrecorded",
        block: str | None = None,
        year: int | None = None,
    ) -> Ballot:
        """The minutes say a vote was held but give no figures: record exactly that, with the
        form they give (open, secret) or that they give none, and the block-year if theirs."""
        key = require_text(key, "key")
        require_code(form, BALLOT_FORMS, "form", "Hình thức bỏ phiếu")
        if (block is None) != (year is None):
            raise MalformedCommand(
                "Nêu cả khối và năm của cuộc bỏ phiếu, hoặc không nêu cả hai.", field="year"
            )
        return cls._start(
            cls.RecordedWithoutFigures,
            by,
            id=aggregate_id(province, "ballot", key),
            province=province,
            key=key,
            purpose=require_text(purpose, "purpose"),
            subject=subject,
            note=require_text(note, "note"),
            form=form,
            block=block,
            year=year,
        )

    def check_voter_is_actor(self, voter: str, by: Provenance) -> None:
        """Only the voter casts their paper: the clerk of the voting unit, or the council
        member in person, acting in that role (holding other roles too changes nothing)."""
        role = VOTING_ROLES.get(self.electorate)
        actor = by.actor
        acting_for = actor.unit if role == "unit_clerk" else actor.user
        if role is None or actor.role != role or acting_for != voter:
            raise NotTheVoter(
                f"Chỉ «{voter}» mới được bỏ lá phiếu của mình trong cuộc bỏ phiếu «{self.key}».",
                voter=voter,
                ballot=self.key,
            )

    def _check_can_cast(self, voter: str, secret: bool, by: Provenance) -> None:
        if self.status != "open":
            raise BallotClosed(f"Cuộc bỏ phiếu «{self.key}» không còn mở.", ballot=self.key)
        if self.secret != secret:
            kind = "kín" if self.secret else "công khai"
            raise WrongBallotKind(f"Cuộc bỏ phiếu «{self.key}» là bỏ phiếu {kind}.")
        self.check_voter_is_actor(voter, by)
        if voter not in self.voters:
            raise NotEligibleVoter(f"«{voter}» không có quyền bỏ phiếu.", voter=voter)
        if voter in self.cast_by:
            raise DuplicateVote(f"«{voter}» đã bỏ phiếu.", voter=voter, ballot=self.key)

    def check_choice(self, choice: str) -> str:
        """The choice as it is counted (NFC); refused when it is not on the paper. A secret
        ballot's refusal does not repeat the choice: it is stored and shown with the voter."""
        counted = ballot_choice(choice)
        if counted not in self.options:
            if self.secret:
                raise InvalidChoice("Phương án đã chọn không có trên phiếu.", field="choice")
            raise InvalidChoice(f"Phương án «{choice}» không có trên phiếu.", choice=choice, field="choice")
        return counted

    def cast_open_vote(self, *, voter: str, choice: str, by: Provenance) -> None:
        self._check_can_cast(voter, secret=False, by=by)
        self._record(self.OpenVoteCast, by, voter=voter, choice=self.check_choice(choice))

    @event(OpenVoteCast)
    def _on_open_vote(self, voter: str, choice: str) -> None:
        self.cast_by.append(voter)
        self.open_votes[voter] = choice

    def cast_sealed_paper(self, *, voter: str, sealed: str, by: Provenance) -> None:
        """Services validated the choice with `check_choice` before sealing it."""
        self._check_can_cast(voter, secret=True, by=by)
        self._record(self.SealedPaperCast, by, voter=voter, sealed=require_text(sealed, "sealed"))

    @event(SealedPaperCast)
    def _on_sealed(self, voter: str, sealed: str) -> None:
        self.cast_by.append(voter)
        self.sealed_papers.append(sealed)

    def close(self, *, present: list[str] | None, by: Provenance) -> None:
        """Close casting; `present` (attendance) defaults to those who cast a paper."""
        if self.status != "open":
            raise BallotClosed(f"Cuộc bỏ phiếu «{self.key}» không còn mở.", ballot=self.key)
        attendance = sorted(set(present if present is not None else self.cast_by))
        if set(self.cast_by) - set(attendance) or set(attendance) - set(self.voters):
            raise MalformedCommand("Danh sách có mặt phải gồm người đã bỏ phiếu, trong số cử tri.")
        self._record(self.Closed, by, present=attendance)

    @event(Closed)
    def _on_closed(self, present: list[str]) -> None:
        self.status = "closed"
        self.present = list(present)

    def settings(self) -> TallySettings:
        return TallySettings(
            self.question,
            tuple(self.options),
            len(self.voters),
            (self.quorum[0], self.quorum[1]),
            (self.threshold[0], self.threshold[1]),
            self.denominator,
            self.tie_rule,
        )

    def tally(
        self,
        *,
        opened_papers: list[dict[str, str]] | None,
        tie_break_scores: dict[str, float] | None,
        by: Provenance,
    ) -> str:
        """Count and record. Secret: `opened_papers` = [{paper_id, choice}], one per sealed paper."""
        if self.status == "tallied":
            raise AlreadyRecorded(f"Cuộc bỏ phiếu «{self.key}» đã kiểm phiếu.")
        if self.status != "closed":
            raise BallotNotClosed(f"Cuộc bỏ phiếu «{self.key}» chưa kết thúc.", ballot=self.key)
        papers: list[dict[str, str]] = []
        if self.secret:
            papers = self._check_papers(opened_papers or [])
            choices = [p["choice"] for p in papers]
        else:
            choices = list(self.open_votes.values())
        result = tally(choices, len(self.present), self.settings(), tie_break_scores)
        self._record(
            self.Tallied,
            by,
            counts=result.counts,
            papers=papers,
            present=result.present,
            eligible=len(self.voters),
            quorum_met=result.quorum_met,
            denominator_size=result.denominator_size,
            outcome=result.outcome,
            winner=result.winner,
            tied=result.tied,
            tie_settled_by=result.tie_settled_by,
        )
        return result.outcome

    def _check_papers(self, opened: list[dict[str, str]]) -> list[dict[str, str]]:
        if len(opened) != len(self.sealed_papers):
            raise TallyMismatch(
                f"Số phiếu mở ({len(opened)}) khác số phiếu đã bỏ ({len(self.sealed_papers)}).",
                opened=len(opened),
                cast=len(self.sealed_papers),
            )
        ids = [p.get("paper_id", "") for p in opened]
        if len(set(ids)) != len(ids) or not all(ids):
            raise TallyMismatch("Mã phiếu trùng lặp hoặc trống.")
        for paper in opened:
            self.check_choice(paper.get("choice", ""))
        # Sorted by random id: the published order carries no trace of the casting order.
        return sorted(
            ({"paper_id": p["paper_id"], "choice": p["choice"]} for p in opened), key=lambda p: p["paper_id"]
        )

    @event(Tallied)
    def _on_tallied(
        self,
        *,
        counts: dict[str, int],
        papers: list[dict[str, str]],
        quorum_met: bool,
        outcome: str,
        winner: str | None,
    ) -> None:
        self.status = "tallied"
        self.result = {
            "counts": counts,
            "papers": papers,
            "quorum_met": quorum_met,
            "outcome": outcome,
            "winner": winner,
        }

    def declare_unopenable(self, *, reason: str, by: Provenance) -> None:
        """Too few shares remain to open the papers (tellers lost them, the opening's answer
        never arrived): say so, with the reason, instead of leaving the ballot open for ever."""
        if not self.secret:
            raise WrongBallotKind(f"Cuộc bỏ phiếu «{self.key}» là bỏ phiếu công khai.")
        if self.status not in ("open", "closed"):
            raise BallotClosed(
                f"Cuộc bỏ phiếu «{self.key}» đã kiểm phiếu hoặc đã được ghi là không mở được.",
                ballot=self.key,
            )
        self._record(self.DeclaredUnopenable, by, reason=require_text(reason, "reason"))

    @event(DeclaredUnopenable)
    def _on_unopenable(self, reason: str) -> None:
        self.status = "unopenable"
        self.unopenable_reason = reason

    def record_key_destroyed(self, *, by: Provenance) -> None:
        """Services deleted the kept sealing key (ballots opened before the tellers' keys)."""
        if not self.sealed_with_kept_key or self.status != "tallied":
            raise BallotNotClosed("Chỉ hủy khóa lưu giữ của cuộc bỏ phiếu kín (kiểu cũ) đã kiểm phiếu.")
        if self.key_destroyed:
            raise AlreadyRecorded("Khóa niêm phong đã được hủy.")
        self._record(self.SealingKeyDestroyed, by)

    @event(SealingKeyDestroyed)
    def _on_key_destroyed(self) -> None:
        self.key_destroyed = True


class BallotClosed(Conflict):
    code = "BALLOT_CLOSED"


class BallotNotClosed(Conflict):
    code = "BALLOT_NOT_CLOSED"


class WrongBallotKind(MalformedCommand):
    code = "WRONG_BALLOT_KIND"


class NotEligibleVoter(RuleViolation):
    code = "NOT_ELIGIBLE_VOTER"


class NotTheVoter(RuleViolation):
    code = "NOT_THE_VOTER"


class DuplicateVote(Conflict):
    code = "DUPLICATE_VOTE"


class InvalidChoice(MalformedCommand):
    code = "INVALID_CHOICE"


class TallyMismatch(RuleViolation):
    code = "TALLY_MISMATCH"


class BallotTellersInvalid(MalformedCommand):
    code = "BALLOT_TELLERS_INVALID"
