"""The scope of a role (phạm vi của vai trò): what one role may act on, judged against the record.

The permission matrix says which roles may run an operation at all. Some roles may run it only
within a scope the record decides:

- a unit clerk (cán bộ thi đua) acts for the unit named in the token, which must be a
  registered unit of the province, and for that unit's staff;
- a block officer (Khối trưởng / Khối phó) acts for the blocks named in the token's `blocks`
  claim or, without that claim, for the block-years whose leader or deputy is the token's unit;
- a council member opens and closes the council's own ballots, and votes as themself;
- a vote is cast by its voter only: a member unit's clerk on a block ballot, a council member
  on a council ballot (the domain checks the same again, `Ballot.check_voter_is_actor`).

A token holding several roles may do what any ONE of them may do within that role's scope, and
nothing more: each role is judged alone (`admit`), and the event records the role that acted.
Combining roles never widens a role.

Commands name what they act on with a `Target`; `admit` runs in the command's worker thread,
before the command, and refuses with FORBIDDEN (a `reason` in the details says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, NoReturn, Protocol

from thidua.domain.provenance import Actor
from thidua.services.auth import PermissionDenied, Principal, Role


class Scope(StrEnum):
    """How far one role reaches on one operation; the value is the matrix's published cell."""

    ANY = "yes"
    OWN_UNIT = "own unit"  # the token's unit, registered in the province, and its staff
    OWN_BLOCKS = "own blocks"  # blocks the officer serves that year (or the `blocks` claim)
    COUNCIL_BALLOTS = "council ballots"  # ballots whose electorate is the council
    AS_THEMSELF = "as themself"  # a council member's own paper on a council ballot


class Reason(StrEnum):
    """Why a role's scope refused (`details.reason` of a FORBIDDEN error)."""

    UNIT_CLAIM_MISSING = "UNIT_CLAIM_MISSING"
    UNIT_NOT_REGISTERED = "UNIT_NOT_REGISTERED"
    NOT_OWN_UNIT = "NOT_OWN_UNIT"
    NOT_OWN_STAFF = "NOT_OWN_STAFF"
    BLOCK_OUT_OF_SCOPE = "BLOCK_OUT_OF_SCOPE"
    NOT_A_BLOCK_BALLOT = "NOT_A_BLOCK_BALLOT"
    NOT_A_COUNCIL_BALLOT = "NOT_A_COUNCIL_BALLOT"
    NOT_THE_VOTER = "NOT_THE_VOTER"
    TARGET_UNKNOWN = "TARGET_UNKNOWN"


class Facts(Protocol):
    """What the checks read of the record (services/commands/scope_facts.py provides it)."""

    def unit_registered(self, key: str) -> bool: ...

    def staff_unit(self, key: str) -> str | None: ...

    def block_officers(self, block: str, year: int) -> tuple[str, ...]: ...

    def ballot_electorate(self, key: str) -> tuple[str, str | None, int | None]: ...

    def proposal_block_year(self, key: str) -> tuple[str, int]: ...


COUNCIL = "council_members"
BLOCK_MEMBERS = "block_members"


@dataclass(frozen=True)
class Target:
    """What a command acts on, as far as a scope is concerned (đối tượng của thao tác).

    A clerk's scope reads `unit`, `staff` and `voter` (else the `proposal`'s submitting unit);
    an officer's the block-year (`block` and `year`, or the one of `ballot` or `proposal`); a
    council member's the electorate (given, or the `ballot`'s)."""

    unit: str | None = None
    staff: str | None = None
    block: str | None = None
    year: int | None = None
    electorate: str | None = None
    ballot: str | None = None
    proposal: str | None = None
    voter: str | None = None

    @classmethod
    def registrant(cls, kind: str, key: str) -> Target:
        """A registration's registrant: a staff member, else a unit (any other kind is the
        domain's to refuse, and a clerk naming anything but their own unit is refused first)."""
        return cls(staff=key) if kind == "staff" else cls(unit=key)

    @classmethod
    def officers_choice(cls, block: str, year: int, chosen_in_year: int | None) -> Target:
        """Choosing the officers who serve in `year` is the business of the block-year that
        chooses them (the outgoing officers run the year-end conference): `chosen_in_year`,
        or the year before when the source does not say."""
        return cls(block=block, year=chosen_in_year if chosen_in_year is not None else year - 1)


@dataclass(frozen=True)
class Candidate:
    """A role of the caller that the matrix allows on the operation, with its scope there."""

    role: Role
    scope: Scope


@dataclass(frozen=True)
class Caller:
    """A caller the matrix allows to run one operation in one province: the roles that may act,
    broadest first (`acting_role` is the first; a command's worker may settle on a later one)."""

    principal: Principal
    province: str
    candidates: tuple[Candidate, ...]

    @property
    def acting_role(self) -> Role:
        return self.candidates[0].role

    @property
    def unit(self) -> str | None:
        return self.principal.unit


def admit(app: Facts, principal: Principal, candidates: Sequence[Candidate], target: Target) -> Actor:
    """The actor of the first candidate whose scope holds the target (candidates come broadest
    first); the first refusal when none does."""
    refusal: PermissionDenied | None = None
    for candidate in candidates:
        try:
            check_scope(app, principal, candidate, target)
        except PermissionDenied as refused:
            refusal = refusal or refused
            continue
        return acting_as(principal, candidate.role)
    raise refusal or PermissionDenied("Vai trò của bạn không được phép thực hiện thao tác này.")


def acting_as(principal: Principal, role: Role) -> Actor:
    """The actor recorded on the events: the unit only for the roles that act through one."""
    unit = principal.unit if role in (Role.UNIT_CLERK, Role.BLOCK_OFFICER) else None
    return Actor(user=principal.subject, role=role.value, unit=unit)


def check_scope(app: Facts, principal: Principal, candidate: Candidate, target: Target) -> None:
    """Refuse (FORBIDDEN) unless the target lies within this one role's scope. A clerk is the
    clerk of a unit: without a registered one the role allows nothing at all."""
    scope = candidate.scope
    unit = clerk_unit(app, principal) if candidate.role is Role.UNIT_CLERK else principal.unit
    if scope is Scope.OWN_UNIT:
        _check_own_unit(app, unit, target)
    elif scope is Scope.OWN_BLOCKS:
        _check_own_block(app, principal, target)
    elif scope is Scope.COUNCIL_BALLOTS and _electorate(app, target) != COUNCIL:
        _refuse(Reason.NOT_A_COUNCIL_BALLOT, "Hội đồng chỉ mở và kết thúc cuộc bỏ phiếu của Hội đồng.")
    elif scope is Scope.AS_THEMSELF and (
        _electorate(app, target) != COUNCIL or target.voter != principal.subject
    ):
        _refuse(Reason.NOT_THE_VOTER, "Thành viên Hội đồng chỉ bỏ phiếu của chính mình, trong Hội đồng.")


def clerk_unit(app: Facts, principal: Principal) -> str:
    """The unit a clerk's token names, once it is known to be a registered unit of the province.

    Refused when the token names none, or one the province never registered (another
    province's unit, a typing error at the identity provider)."""
    unit = principal.unit
    if unit is None:
        _refuse(
            Reason.UNIT_CLAIM_MISSING,
            "Mã xác thực của cán bộ thi đua phải ghi đơn vị («unit»); hãy xin cấp lại mã xác thực.",
        )
    if not app.unit_registered(unit):
        _refuse(
            Reason.UNIT_NOT_REGISTERED,
            f"Đơn vị «{unit}» ghi trong mã xác thực không có trong danh mục đơn vị của tỉnh.",
            unit=unit,
        )
    return unit


def _check_own_unit(app: Facts, unit: str | None, target: Target) -> None:
    if target.proposal is not None and target.unit is None and target.staff is None and target.voter is None:
        # A proposal's business is its submitting unit's (a block's proposal has no clerk).
        target = replace(target, unit=app.proposal_block_year(target.proposal)[0])
    if target.unit is None and target.staff is None and target.voter is None:
        _refuse(Reason.TARGET_UNKNOWN, "Không xác định được đơn vị của thao tác.")
    if target.voter is not None:  # the voter first: refusing an impostor needs no record
        if target.voter != unit:
            _refuse(
                Reason.NOT_THE_VOTER, "Cán bộ thi đua chỉ bỏ phiếu cho đơn vị của mình.", voter=target.voter
            )
        if _electorate(app, target) != BLOCK_MEMBERS:
            _refuse(Reason.NOT_A_BLOCK_BALLOT, "Cán bộ thi đua chỉ bỏ phiếu của đơn vị mình trong khối.")
    if target.unit is not None and target.unit != unit:
        _refuse(
            Reason.NOT_OWN_UNIT, "Bạn chỉ được thực hiện thao tác này cho đơn vị của mình.", unit=target.unit
        )
    if target.staff is not None and app.staff_unit(target.staff) != unit:
        _refuse(
            Reason.NOT_OWN_STAFF,
            "Bạn chỉ được thực hiện thao tác này cho cán bộ của đơn vị mình.",
            staff=target.staff,
        )


def _check_own_block(app: Facts, principal: Principal, target: Target) -> None:
    block, year = _block_year(app, target)
    if block is None or year is None:
        _refuse(Reason.BLOCK_OUT_OF_SCOPE, "Cán bộ khối chỉ thực hiện thao tác này cho một khối xác định.")
    if principal.blocks is not None:
        if block not in principal.blocks:
            _refuse_block(block, year)
        return
    if principal.unit is None or principal.unit not in app.block_officers(block, year):
        _refuse_block(block, year)


def _block_year(app: Facts, target: Target) -> tuple[str | None, int | None]:
    """The block-year a block officer's command concerns: named, or its ballot's or proposal's."""
    if target.ballot is not None:
        electorate, block, year = app.ballot_electorate(target.ballot)
        if electorate != BLOCK_MEMBERS:
            _refuse(
                Reason.NOT_A_BLOCK_BALLOT, "Cán bộ khối không mở, không kết thúc cuộc bỏ phiếu của Hội đồng."
            )
        return block, year
    if target.proposal is not None:
        return app.proposal_block_year(target.proposal)
    if target.electorate is not None and target.electorate != BLOCK_MEMBERS:
        _refuse(Reason.NOT_A_BLOCK_BALLOT, "Cán bộ khối không mở, không kết thúc cuộc bỏ phiếu của Hội đồng.")
    return target.block, target.year


def _electorate(app: Facts, target: Target) -> str | None:
    if target.ballot is not None:
        return app.ballot_electorate(target.ballot)[0]
    return target.electorate


def _refuse_block(block: str, year: int) -> NoReturn:
    _refuse(
        Reason.BLOCK_OUT_OF_SCOPE,
        f"Bạn không phải Khối trưởng, Khối phó của khối «{block}» năm {year}.",
        block=block,
        year=year,
    )


def _refuse(reason: Reason, message_vi: str, **details: Any) -> NoReturn:
    raise PermissionDenied(message_vi, reason=reason.value, **details)
