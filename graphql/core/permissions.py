"""Who may do what (ma trận phân quyền): one table, enforced by every field and published as docs.

`PERMISSIONS` maps each root field (query, mutation, subscription; a converted mutation by its
typed command, services/handlers/) to the roles allowed to call it (`MATRIX` is the same table
by field name), and, for a role limited there, its scope (services/access.py): a unit clerk acts for the unit
named in their token (a registered unit of the province) and its staff, a block officer for the
blocks they serve, a council member on the council's own ballots. `docs/permissions.md` is
generated from this table and a test keeps them equal, so the published matrix is the enforced
one.

Each role of a token is judged alone: the gate here drops the roles whose scope the token alone
already rules out (a clerk token naming no unit), and a mutation's worker thread admits the
first remaining role whose scope holds what the command acts on (`services.access.admit`),
which is the role recorded on its events. Holding several roles never widens any of them.

The province is always the token's. A platform operator has no province in the token and names
one with the field's `province` argument, where the field offers it; anyone else naming a
province other than their own is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from thidua.services.access import Caller, Candidate, Reason, Scope, clerk_unit
from thidua.services.auth import AuthError, PermissionDenied, Principal, Role
from thidua.services.handlers.awards import (
    AbsorbRecord,
    AttachDocument,
    DecideAward,
    ForwardProposal,
    NoteMemberStats,
    OpenDisclosure,
    ProposeAward,
    RecognizeInitiative,
    RecordComment,
    RecordCouncilVote,
    RevokeAward,
    WithdrawProposal,
)
from thidua.services.handlers.ballots import (
    CastVote,
    CloseBallot,
    DeclareBallotUnopenable,
    DestroyBallotKey,
    OpenBallot,
    RecordBallotWithoutFigures,
)
from thidua.services.handlers.base import Command
from thidua.services.handlers.blocks import (
    AddBlockMember,
    AddBlockMemberForPeriod,
    ChooseLeadingUnits,
    ChooseOfficers,
    CreateBlock,
    DisbandBlock,
    EndBlockMemberPeriod,
    EndMovement,
    HoldBlockMeeting,
    HoldReview,
    LaunchMovement,
    OpenBlockYear,
    ReformBlock,
    RegisterExemplary,
    RegisterTitle,
    RemoveBlockMember,
    RenameBlock,
    SignPledge,
)
from thidua.services.handlers.dossiers import (
    AppraiseDossier,
    AssignDossier,
    RecallDossier,
    ReceiveDossier,
    ResubmitDossier,
    ReturnDossier,
)
from thidua.services.handlers.organisation import (
    AdoptRules,
    AppointCouncilMember,
    ConstituteCouncil,
    DeclarePublicHolidays,
    ReleaseCouncilMember,
)
from thidua.services.handlers.ratings import CorrectRating, DeriveYearRating, RecordMonthlyRatings
from thidua.services.handlers.scoring import (
    AdoptScoringTable,
    ClassifyUnit,
    CrossCheckAssessment,
    SubmitSelfAssessment,
)
from thidua.services.handlers.tenancy import LinkPersonIdentity, RecordSuccession, RevokePredecessorAward
from thidua.services.handlers.units import (
    ChangeRatingGroup,
    ChangeStaffKind,
    CloseDisciplinaryCase,
    DissolveUnit,
    ImposeDiscipline,
    OpenDisciplinaryCase,
    RegisterStaff,
    RegisterUnit,
    RenameUnit,
    TransferStaff,
)

if TYPE_CHECKING:
    from strawberry.types import Info

    from thidua.graphql.context import GraphQLContext

A, C, B, U, AU, P = (
    Role.PROVINCE_ADMIN,
    Role.COUNCIL_MEMBER,
    Role.BLOCK_OFFICER,
    Role.UNIT_CLERK,
    Role.AUDITOR,
    Role.PLATFORM_OPERATOR,
)
PROVINCE_READERS = frozenset({A, C, B, U, AU})
OWN_UNIT = {U: Scope.OWN_UNIT}
OWN_BLOCKS = {B: Scope.OWN_BLOCKS}
BALLOT_SCOPES = {B: Scope.OWN_BLOCKS, C: Scope.COUNCIL_BALLOTS}

# The `province` argument of fields a platform operator may call for a named province.
ProvinceArg = Annotated[
    str | None, strawberry.argument(description="Mã tỉnh (chỉ người vận hành nền tảng nêu).")
]


@dataclass(frozen=True)
class Access:
    """The roles allowed on one operation; a role named in `scopes` only within that scope."""

    roles: frozenset[Role]
    scopes: tuple[tuple[Role, Scope], ...] = ()
    kind: str = "query"
    note: str = ""

    def scope(self, role: Role) -> Scope:
        return dict(self.scopes).get(role, Scope.ANY)

    @property
    def own_unit(self) -> frozenset[Role]:
        """Roles that act only for the unit named in their token."""
        return frozenset(r for r, s in self.scopes if s is Scope.OWN_UNIT)


def _access(kind: str, roles: tuple[Role, ...], scoped: Mapping[Role, Scope] | None, note: str) -> Access:
    scopes = tuple((role, scope) for role, scope in (scoped or {}).items() if role in roles)
    return Access(frozenset(roles), scopes, kind, note)


def _q(*roles: Role, scoped: Mapping[Role, Scope] | None = None, note: str = "") -> Access:
    return _access("query", roles, scoped, note)


def _m(*roles: Role, scoped: Mapping[Role, Scope] | None = None, note: str = "") -> Access:
    return _access("mutation", roles, scoped, note)


def _s(*roles: Role, note: str = "") -> Access:
    return _access("subscription", roles, None, note)


# Keyed by the typed command (services/handlers/) for a converted mutation, else by field name.
PERMISSIONS: dict[str | type[Command], Access] = {
    # Queries (truy vấn)
    "province": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "node": _q(*PROVINCE_READERS, note="any object by global ID; its own query's row applies too"),
    "units": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "unit": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "blocks": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "block": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "standings": _q(*PROVINCE_READERS),
    "ballots": _q(*PROVINCE_READERS, note="secret ballots show tallies only"),
    "ballot": _q(*PROVINCE_READERS, note="secret ballots show tallies only"),
    "awardProposals": _q(*PROVINCE_READERS),
    "awardDecisions": _q(*PROVINCE_READERS),
    "dossiers": _q(*PROVINCE_READERS, note="the board's worklist of dossiers"),
    "awardHistory": _q(*PROVINCE_READERS, note="decisions are public acts: clerks see every unit's"),
    "awardTotals": _q(*PROVINCE_READERS, note="prize money per achievement year"),
    "awardCatalogue": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "ruleSet": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "ratingSheets": _q(A, AU, U, scoped=OWN_UNIT, note="staff ratings are personnel data"),
    "auditTrail": _q(A, AU),
    "ledger": _q(A, AU, P, note="operators name the province"),
    # Subscriptions (theo dõi trực tiếp)
    "standingsChanged": _s(*PROVINCE_READERS),
    # (`auditTrail` is also a subscription: new events, for an auditor's live view)
    # Mutations (thao tác ghi): the province's organisation
    AdoptRules: _m(A, note="a stricter rule version from a date"),
    DeclarePublicHolidays: _m(A, note="the year's days off, from the government's notice"),
    RegisterUnit: _m(A),
    RenameUnit: _m(A),
    DissolveUnit: _m(A),
    RegisterStaff: _m(A, U, scoped=OWN_UNIT),
    ChangeRatingGroup: _m(A, U, scoped=OWN_UNIT),
    ChangeStaffKind: _m(A, U, scoped=OWN_UNIT, note="công chức, viên chức or người lao động"),
    TransferStaff: _m(A),
    OpenDisciplinaryCase: _m(A),
    CloseDisciplinaryCase: _m(A),
    ImposeDiscipline: _m(A),
    ConstituteCouncil: _m(A),
    AppointCouncilMember: _m(A),
    ReleaseCouncilMember: _m(A),
    # blocks, movements, registrations
    CreateBlock: _m(A, note="with its founding decision, if named"),
    ReformBlock: _m(A, note="re-formed by a decision (kiện toàn)"),
    RenameBlock: _m(A),
    DisbandBlock: _m(A),
    OpenBlockYear: _m(A),
    AddBlockMember: _m(A, B, scoped=OWN_BLOCKS),
    AddBlockMemberForPeriod: _m(A, B, scoped=OWN_BLOCKS, note="for a period inside the year (a merger)"),
    RemoveBlockMember: _m(A, B, scoped=OWN_BLOCKS),
    EndBlockMemberPeriod: _m(A, B, scoped=OWN_BLOCKS, note="ends a period membership early"),
    ChooseOfficers: _m(A, B, scoped=OWN_BLOCKS, note="block: the officers of the choosing year"),
    SignPledge: _m(A, U, scoped=OWN_UNIT),
    HoldReview: _m(A, B, scoped=OWN_BLOCKS),
    HoldBlockMeeting: _m(A, B, scoped=OWN_BLOCKS, note="launch, regulation, criteria, plan"),
    ChooseLeadingUnits: _m(A, B, scoped=OWN_BLOCKS, note="acclamation (suy tôn) or after a vote"),
    LaunchMovement: _m(A),
    EndMovement: _m(A),
    RegisterTitle: _m(A, U, scoped=OWN_UNIT, note="clerks for their unit and its staff"),
    RegisterExemplary: _m(A, U, scoped=OWN_UNIT, note="clerks for their unit and its staff"),
    # scoring and ratings
    AdoptScoringTable: _m(A, B, scoped=OWN_BLOCKS),
    SubmitSelfAssessment: _m(A, U, scoped=OWN_UNIT),
    CrossCheckAssessment: _m(A, B, scoped=OWN_BLOCKS),
    ClassifyUnit: _m(A, B, scoped=OWN_BLOCKS),
    RecordMonthlyRatings: _m(A, U, scoped=OWN_UNIT),
    CorrectRating: _m(A, U, scoped=OWN_UNIT),
    DeriveYearRating: _m(A, U, scoped=OWN_UNIT),
    # votes
    OpenBallot: _m(A, B, C, scoped=BALLOT_SCOPES, note="block: ballots of its block-years"),
    CastVote: _m(
        U,
        C,
        scoped={U: Scope.OWN_UNIT, C: Scope.AS_THEMSELF},
        note="only the voter: a unit's clerk for the unit in a block ballot, a member in a council one",
    ),
    CloseBallot: _m(
        A, B, C, scoped=BALLOT_SCOPES, note="closes and tallies; a secret ballot with its tellers' shares"
    ),
    DeclareBallotUnopenable: _m(
        A, B, C, scoped=BALLOT_SCOPES, note="a secret ballot whose tellers' shares are lost, with a reason"
    ),
    RecordBallotWithoutFigures: _m(
        A, B, scoped=OWN_BLOCKS, note="block: a vote its minutes record, naming its block-year"
    ),
    DestroyBallotKey: _m(A, note="ballots opened before the tellers' keys: a kept key left by a crash"),
    # awards
    ProposeAward: _m(A, B, scoped=OWN_BLOCKS, note="block: its block as proposer, for a year it serves"),
    AttachDocument: _m(A, B, scoped=OWN_BLOCKS),
    OpenDisclosure: _m(A),
    RecordComment: _m(A, note="comments and objections received during disclosure"),
    RecordCouncilVote: _m(A, C),
    ForwardProposal: _m(A, C),
    WithdrawProposal: _m(A, B, scoped=OWN_BLOCKS),
    # the board's handling of a dossier; the submitting block or unit resubmits and recalls
    ReceiveDossier: _m(A, note="the board takes the dossier in (tiếp nhận)"),
    AssignDossier: _m(A, note="to an officer of the board (chuyên viên)"),
    AppraiseDossier: _m(A),
    ReturnDossier: _m(A, note="for correction, with reasons, at any stage before the decision"),
    ResubmitDossier: _m(
        A, B, U, scoped={B: Scope.OWN_BLOCKS, U: Scope.OWN_UNIT}, note="the submitting block or unit"
    ),
    RecallDossier: _m(
        A, B, U, scoped={B: Scope.OWN_BLOCKS, U: Scope.OWN_UNIT}, note="the submitting block or unit"
    ),
    DecideAward: _m(A),
    RevokeAward: _m(A),
    RecognizeInitiative: _m(A),
    NoteMemberStats: _m(A, U, scoped=OWN_UNIT),
    AbsorbRecord: _m(A, note="a merged predecessor's record"),
    # province mergers (sáp nhập tỉnh)
    "mergeProvinces": _m(P, note="the operator names the successor; predecessors' ledgers close"),
    RecordSuccession: _m(A, note="a unit or person succeeding others, in a predecessor province too"),
    LinkPersonIdentity: _m(A, note="a national ID kept only as a keyed hash"),
    RevokePredecessorAward: _m(A, note="after a merger, by the successor's competent authority"),
}


def field_name(entry: str | type[Command]) -> str:
    return entry if isinstance(entry, str) else entry.operation()


# The same table by root field name: what every field's guard and the published docs read.
MATRIX: dict[str, Access] = {field_name(entry): access for entry, access in PERMISSIONS.items()}


def _context(info: Info[GraphQLContext, Any]) -> GraphQLContext:
    return info.context


def authenticated(info: Info[GraphQLContext, Any]) -> Principal:
    """The verified caller, or the reason there is none."""
    context = _context(info)
    if context.auth_error is not None:
        raise context.auth_error
    if context.principal is None:
        raise AuthError("Cần đăng nhập (mã xác thực Bearer) để dùng chức năng này.")
    return context.principal


def authorize(
    info: Info[GraphQLContext, Any],
    operation: str,
    *,
    province: str | None = None,
    unit: str | None = None,
) -> Caller:
    """Check the matrix for `operation`; `unit` is the unit acted for, when the input names one.

    What the token alone decides is decided here, before anything runs; what needs the record
    (is the unit registered, whose staff, which block's officers) is `services.access`'s."""
    return allow(authenticated(info), operation, province=province, unit=unit)


def allow(
    principal: Principal, operation: str, *, province: str | None = None, unit: str | None = None
) -> Caller:
    """The matrix check for a verified caller, shared by GraphQL fields and the file endpoints."""
    access = MATRIX[operation]
    allowed = principal.roles & access.roles
    if not allowed:
        raise PermissionDenied(
            f"Vai trò của bạn không được phép thực hiện «{operation}».",
            operation=operation,
        )
    order = list(Role)
    ranked = sorted(allowed, key=lambda r: (access.scope(r) is not Scope.ANY, order.index(r)))
    candidates: list[Candidate] = []
    refusal: PermissionDenied | None = None
    for role in ranked:
        candidate = Candidate(role, access.scope(role))
        try:
            _check_token(principal, candidate, operation, unit)
        except PermissionDenied as refused:
            refusal = refusal or refused
            continue
        candidates.append(candidate)
    if not candidates:
        assert refusal is not None
        raise refusal
    return Caller(principal, resolve_province(principal, province), tuple(candidates))


def _check_token(principal: Principal, candidate: Candidate, operation: str, unit: str | None) -> None:
    """The part of a role's scope the token alone decides (a clerk's token names a unit)."""
    if candidate.role is Role.UNIT_CLERK and principal.unit is None:
        raise PermissionDenied(
            "Mã xác thực của cán bộ thi đua phải ghi đơn vị («unit»); hãy xin cấp lại mã xác thực.",
            operation=operation,
            reason=Reason.UNIT_CLAIM_MISSING.value,
        )
    if candidate.scope is Scope.OWN_UNIT and unit is not None and unit != principal.unit:
        raise PermissionDenied(
            f"Bạn chỉ được thực hiện «{operation}» cho đơn vị của mình.",
            operation=operation,
            unit=unit,
            reason=Reason.NOT_OWN_UNIT.value,
        )
    if candidate.scope is Scope.OWN_BLOCKS and principal.blocks is None and principal.unit is None:
        raise PermissionDenied(
            "Mã xác thực của cán bộ khối phải ghi đơn vị («unit») hoặc các khối («blocks»).",
            operation=operation,
            reason=Reason.BLOCK_OUT_OF_SCOPE.value,
        )


async def authorize_read(
    info: Info[GraphQLContext, Any],
    operation: str,
    *,
    province: str | None = None,
    unit: str | None = None,
) -> Caller:
    """`authorize`, then, when only the clerk role may read this (reads limit no other role),
    the record's word that the token's unit is a registered unit of the province."""
    caller = authorize(info, operation, province=province, unit=unit)
    if all(c.role is Role.UNIT_CLERK for c in caller.candidates):
        principal = caller.principal
        await info.context.runtime.run_command(caller.province, lambda app: clerk_unit(app, principal))
    return caller


def resolve_province(principal: Principal, explicit: str | None) -> str:
    """The province the call acts on: the token's, or the one an operator names."""
    if principal.province is not None:
        if explicit is not None and explicit != principal.province:
            raise PermissionDenied(
                "Mã xác thực của bạn chỉ có hiệu lực trong tỉnh của bạn.", province=explicit
            )
        return principal.province
    if Role.PLATFORM_OPERATOR in principal.roles and explicit is not None:
        return explicit
    raise PermissionDenied(
        "Không xác định được tỉnh: mã xác thực không ghi tỉnh và yêu cầu không nêu tỉnh.",
    )


def forbid(operation: str, message_vi: str) -> None:
    """Refuse with FORBIDDEN for a reason the matrix alone cannot express."""
    raise PermissionDenied(message_vi, operation=operation)


class Allowed(BasePermission):
    """The field-level gate: raises UNAUTHENTICATED / TOKEN_EXPIRED / FORBIDDEN with its code."""

    def __init__(self, operation: str) -> None:
        self.operation = operation

    def has_permission(self, source: Any, info: Info[GraphQLContext, Any], **kwargs: Any) -> bool:
        authorize(info, self.operation, province=kwargs.get("province"))
        return True


def guard(operation: str) -> list[FieldExtension]:
    """Field extensions enforcing the matrix row for `operation`."""
    if operation not in MATRIX:
        raise KeyError(f"{operation} is missing from the permission matrix")
    return [PermissionExtension(permissions=[Allowed(operation)], use_directives=False)]
