"""The awards register as read (pure): proposals with their timeline, decisions, recipients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Doc = dict[str, Any]


@dataclass(frozen=True)
class TimelineStep:
    status: (
        str  # submitted | received | ... (dossier_flow.ProposalStatus) | disclosed | objected | council_vote
    )
    position: int
    recorded_at: str
    effective_on: str | None
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class DossierEntry:
    """A paper added to a proposal's dossier: its reference and/or stored file, and when."""

    item: str
    reference: str | None
    file: Mapping[str, Any] | None  # sha256, name, media_type, size
    position: int
    recorded_at: str
    effective_on: str | None
    version: int = 1  # the dossier version it was added to


@dataclass(frozen=True)
class DossierVersion:
    """An earlier version of a dossier, as it stood when it was returned and resubmitted."""

    version: int
    entries: tuple[DossierEntry, ...]


@dataclass(frozen=True)
class Proposal:
    """Đề nghị khen thưởng with its status timeline; status "revoked" when its decision was."""

    key: str
    year: int
    award: str
    authority: str | None
    proposer: str | None
    recipient_kind: str
    recipient: str
    recipient_name: str | None
    status: str
    decision: str | None
    comments: int
    objections: int
    prerequisites_met: tuple[str, ...]
    prerequisites_missing: tuple[str, ...]
    timeline: tuple[TimelineStep, ...]
    dossier: tuple[DossierEntry, ...] = ()
    award_type: str = "thuong_xuyen"
    version: int = 1
    versions: tuple[DossierVersion, ...] = ()
    assigned_to: str | None = None
    assigned_name: str | None = None
    due_on: str | None = None  # ISO date the current stage is due (received, assigned, returned)
    return_reasons: tuple[str, ...] = ()
    group: str | None = None  # a grouped proposal's tờ trình
    group_claimed_count: int | None = None  # the count it claims
    group_named: int | None = None  # proposals recorded under it (filled by the queries)

    @property
    def group_count_mismatch(self) -> bool:
        return (
            self.group_claimed_count is not None
            and self.group_named is not None
            and self.group_claimed_count != self.group_named
        )

    def overdue(self, today: str) -> bool:
        """Past its stage's deadline (`today` as an ISO date)."""
        return self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class Decision:
    """Quyết định khen thưởng; `revocations` lists the decisions that cancelled it (hủy bỏ)."""

    number: str
    year: int
    award: str
    authority: str | None
    signer: str | None
    status: str  # in_force | revoked
    recipients: tuple[Mapping[str, Any], ...]
    claimed_count: int | None
    count_mismatch: bool
    proposals: tuple[str, ...]
    historical: bool
    prize_multiple_total: str | None  # a decimal, as text (never a float)
    decided_on: str | None
    revocations: tuple[Mapping[str, Any], ...]
    # recipient kind -> multiple (exact, as the decision recorded it; None: that kind cannot receive it)
    prize_multiple_each: Mapping[str, Decimal | None] = field(default_factory=dict)
    prizes: tuple[Mapping[str, Any], ...] = ()  # per recipient: recipient, kind, multiple, amount
    prize_total: int | None = None  # đồng; None when not priced (recorded before amounts were kept)
    base_salary: int | None = None
    base_salary_source: str | None = None
    prize_table: str | None = None
    award_type: str | None = None
    prerequisites_missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # historical
    # Per title or form granted: award, claimed_count, named, count_mismatch (event v3; one
    # grant of `award` before).
    grants: tuple[Mapping[str, Any], ...] = ()

    @property
    def recovered(self) -> int | None:
        """Đồng recovered by the revocations (None when one of them has no amount)."""
        amounts = [r.get("recover_amount") for r in self.revocations]
        return None if None in amounts else sum(int(a) for a in amounts if a is not None)

    def prize_of(self, recipient: str) -> Mapping[str, Any] | None:
        return next((p for p in self.prizes if p.get("recipient") == recipient), None)


@dataclass(frozen=True)
class YearTotal:
    """Prize money of the decisions of one achievement year (năm thành tích), in đồng."""

    year: int
    decisions: int
    recipients: int
    amount: int  # of the priced decisions, revoked ones included (they were paid)
    recovered: int  # recovered by revocations
    unpriced: int  # decisions recorded without an amount

    @property
    def net(self) -> int:
        return self.amount - self.recovered


def year_total(year: int, decisions: list[Decision]) -> YearTotal:
    priced = [d for d in decisions if d.prize_total is not None]
    return YearTotal(
        year=year,
        decisions=len(decisions),
        recipients=sum(len(d.recipients) for d in decisions),
        amount=sum(int(d.prize_total or 0) for d in priced),
        recovered=sum(d.recovered or 0 for d in decisions),
        unpriced=len(decisions) - len(priced),
    )


@dataclass(frozen=True)
class Title:
    year: int
    award: str
    decision: str
    struck_by: str | None
    carried_from: str | None  # the predecessor merged into the recipient


@dataclass(frozen=True)
class RecipientHistory:
    """A unit's or person's record: titles by year and consecutive-year counts per award."""

    recipient_kind: str
    recipient: str
    titles: tuple[Title, ...]
    consecutive_years: Mapping[str, int]  # award -> run of consecutive years up to the latest
    predecessors: tuple[str, ...]
    initiatives: tuple[Mapping[str, Any], ...]


def proposal_of(doc: Doc, decision: Doc | None) -> Proposal:
    timeline = [
        TimelineStep(
            status=s["status"],
            position=int(s["position"]),
            recorded_at=s["recorded_at"],
            effective_on=s.get("effective_on"),
            detail={
                k: v for k, v in s.items() if k not in ("status", "position", "recorded_at", "effective_on")
            },
        )
        for s in doc.get("timeline", [])
    ]
    status = str(doc.get("status"))
    if decision is not None and decision.get("status") == "revoked":
        for r in decision.get("revocations", []):
            named = r.get("recipients") or []
            if not named or doc.get("recipient") in named:
                status = "revoked"
                timeline.append(
                    TimelineStep(
                        "revoked",
                        int(r["position"]),
                        r["recorded_at"],
                        r.get("effective_on"),
                        {"revoking_decision": r.get("revoking_decision"), "ground": r.get("ground")},
                    )
                )
    return Proposal(
        key=str(doc.get("key")),
        year=int(doc.get("year") or 0),
        award=str(doc.get("award")),
        authority=doc.get("authority"),
        proposer=doc.get("proposer"),
        recipient_kind=str(doc.get("recipient_kind")),
        recipient=str(doc.get("recipient")),
        recipient_name=doc.get("recipient_name"),
        status=status,
        decision=doc.get("decision"),
        comments=int(doc.get("comments", 0)),
        objections=int(doc.get("objections", 0)),
        prerequisites_met=tuple(doc.get("prerequisites_met") or ()),
        prerequisites_missing=tuple(doc.get("prerequisites_missing") or ()),
        timeline=tuple(timeline),
        dossier=_entries(doc.get("dossier")),
        award_type=str(doc.get("award_type") or "thuong_xuyen"),
        version=int(doc.get("version") or 1),
        versions=tuple(
            DossierVersion(int(v.get("version") or 1), _entries(v.get("dossier")))
            for v in doc.get("versions") or ()
        ),
        assigned_to=doc.get("assigned_to"),
        assigned_name=doc.get("assigned_name"),
        due_on=doc.get("due_on"),
        return_reasons=tuple(doc.get("return_reasons") or ()),
        group=doc.get("group"),
        group_claimed_count=doc.get("group_claimed_count"),
    )


def _entries(raw: Any) -> tuple[DossierEntry, ...]:
    return tuple(
        DossierEntry(
            item=str(e.get("item")),
            reference=e.get("reference"),
            file=e.get("file") if isinstance(e.get("file"), dict) else None,
            position=int(e.get("position") or 0),
            recorded_at=str(e.get("recorded_at")),
            effective_on=e.get("effective_on"),
            version=int(e.get("version") or 1),
        )
        for e in raw or ()
    )


def decision_of(doc: Doc) -> Decision:
    return Decision(
        number=str(doc.get("number")),
        year=int(doc.get("year") or 0),
        award=str(doc.get("award")),
        authority=doc.get("authority"),
        signer=doc.get("signer"),
        status=str(doc.get("status")),
        recipients=tuple(doc.get("recipients") or ()),
        claimed_count=doc.get("claimed_count"),
        count_mismatch=bool(doc.get("count_mismatch")),
        proposals=tuple(doc.get("proposals") or ()),
        historical=bool(doc.get("historical")),
        prize_multiple_total=None
        if doc.get("prize_multiple_total") is None
        else str(doc["prize_multiple_total"]),
        decided_on=(doc.get("decided") or {}).get("effective_on"),
        revocations=tuple(doc.get("revocations") or ()),
        prize_multiple_each={
            kind: None if m is None else Decimal(str(m))
            for kind, m in (doc.get("prize_multiple_each") or {}).items()
        },
        prizes=tuple(doc.get("prizes") or ()),
        prize_total=doc.get("prize_total"),
        base_salary=doc.get("base_salary"),
        base_salary_source=doc.get("base_salary_source"),
        prize_table=doc.get("prize_table"),
        award_type=doc.get("award_type"),
        prerequisites_missing={k: tuple(v) for k, v in (doc.get("prerequisites_missing") or {}).items()},
        grants=tuple(doc.get("grants") or ()),
    )


def consecutive_years(titles: list[Title]) -> dict[str, int]:
    """Per award, the run of consecutive years ending at its latest unstruck year (the count
    prerequisites read, e.g. 3 years of Chiến sĩ thi đua cơ sở); carries across mergers."""
    years: dict[str, set[int]] = {}
    for t in titles:
        if t.struck_by is None:
            years.setdefault(t.award, set()).add(t.year)
    runs = {}
    for award, held in years.items():
        latest, run = max(held), 0
        while latest - run in held:
            run += 1
        runs[award] = run
    return runs


def run_ending(titles: Iterable[Title], award: str, year: int) -> int:
    """The run of consecutive years holding `award` (unstruck) that ends with `year`: 3 for the
    2023 title of someone who also held it in 2021 and 2022; 0 when not held that year."""
    held = {t.year for t in titles if t.award == award and t.struck_by is None}
    run = 0
    while year - run in held:
        run += 1
    return run


def history_of(doc: Doc) -> RecipientHistory:
    titles = [
        Title(int(t["year"]), str(t["award"]), str(t["decision"]), t.get("struck_by"), t.get("from"))
        for t in doc.get("titles", [])
    ]
    titles.sort(key=lambda t: (t.year, t.award, t.decision))
    return RecipientHistory(
        recipient_kind=str(doc.get("recipient_kind")),
        recipient=str(doc.get("recipient")),
        titles=tuple(titles),
        consecutive_years=consecutive_years(titles),
        predecessors=tuple(doc.get("predecessors") or ()),
        initiatives=tuple(doc.get("initiatives") or ()),
    )
