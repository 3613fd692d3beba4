"""Who may do what (ma trận phân quyền): one table, enforced by every field and published as docs.

`MATRIX` maps each root field (query, mutation, subscription) to the roles allowed to call it;
roles in `own_unit` may act only for the unit named in their token (a unit clerk signs its own
unit's pledge, never another's). `docs/permissions.md` is generated from this table and a test
keeps them equal, so the published matrix is the enforced one.

The province is always the token's. A platform operator has no province in the token and names
one with the field's `province` argument, where the field offers it; anyone else naming a
province other than their own is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from thidua.services.auth import AuthError, PermissionDenied, Principal, Role

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

# The `province` argument of fields a platform operator may call for a named province.
ProvinceArg = Annotated[
    str | None, strawberry.argument(description="Mã tỉnh (chỉ người vận hành nền tảng nêu).")
]


@dataclass(frozen=True)
class Access:
    """The roles allowed on one operation; `own_unit` roles only for their token's unit."""

    roles: frozenset[Role]
    own_unit: frozenset[Role] = frozenset()
    kind: str = "query"
    note: str = ""


def _q(*roles: Role, own_unit: tuple[Role, ...] = (), note: str = "") -> Access:
    return Access(frozenset(roles), frozenset(own_unit), "query", note)


def _m(*roles: Role, own_unit: tuple[Role, ...] = (), note: str = "") -> Access:
    return Access(frozenset(roles), frozenset(own_unit), "mutation", note)


def _s(*roles: Role, note: str = "") -> Access:
    return Access(frozenset(roles), frozenset(), "subscription", note)


MATRIX: dict[str, Access] = {
    # Queries (truy vấn)
    "province": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "units": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "unit": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "blocks": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "block": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "standings": _q(*PROVINCE_READERS),
    "ballots": _q(*PROVINCE_READERS, note="secret ballots show tallies only"),
    "ballot": _q(*PROVINCE_READERS, note="secret ballots show tallies only"),
    "awardProposals": _q(*PROVINCE_READERS),
    "awardDecisions": _q(*PROVINCE_READERS),
    "awardTotals": _q(*PROVINCE_READERS, note="prize money per achievement year"),
    "awardCatalogue": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "ruleSet": _q(*PROVINCE_READERS, P, note="operators name the province"),
    "ratingSheets": _q(A, AU, U, own_unit=(U,), note="staff ratings are personnel data"),
    "auditTrail": _q(A, AU),
    "ledger": _q(A, AU, P, note="operators name the province"),
    # Subscriptions (theo dõi trực tiếp)
    "standingsChanged": _s(*PROVINCE_READERS),
    # (`auditTrail` is also a subscription: new events, for an auditor's live view)
    # Mutations (thao tác ghi): the province's organisation
    "adoptRules": _m(A, note="a stricter rule version from a date"),
    "declarePublicHolidays": _m(A, note="the year's days off, from the government's notice"),
    "registerUnit": _m(A),
    "renameUnit": _m(A),
    "dissolveUnit": _m(A),
    "registerStaff": _m(A, U, own_unit=(U,)),
    "changeRatingGroup": _m(A, U, own_unit=(U,)),
    "changeStaffKind": _m(A, U, own_unit=(U,), note="công chức, viên chức or người lao động"),
    "transferStaff": _m(A),
    "openDisciplinaryCase": _m(A),
    "closeDisciplinaryCase": _m(A),
    "imposeDiscipline": _m(A),
    "constituteCouncil": _m(A),
    "appointCouncilMember": _m(A),
    "releaseCouncilMember": _m(A),
    # blocks, movements, registrations
    "createBlock": _m(A),
    "renameBlock": _m(A),
    "disbandBlock": _m(A),
    "openBlockYear": _m(A),
    "addBlockMember": _m(A, B),
    "removeBlockMember": _m(A, B),
    "chooseOfficers": _m(A, B),
    "signPledge": _m(A, U, own_unit=(U,)),
    "holdReview": _m(A, B),
    "chooseLeadingUnits": _m(A, B, note="acclamation (suy tôn) or after a vote"),
    "launchMovement": _m(A),
    "endMovement": _m(A),
    "registerTitle": _m(A, U, own_unit=(U,), note="clerks for their unit and its staff"),
    "registerExemplary": _m(A, U, own_unit=(U,), note="clerks for their unit and its staff"),
    # scoring and ratings
    "adoptScoringTable": _m(A, B),
    "submitSelfAssessment": _m(A, U, own_unit=(U,)),
    "crossCheckAssessment": _m(A, B),
    "classifyUnit": _m(A, B),
    "recordMonthlyRatings": _m(A, U, own_unit=(U,)),
    "correctRating": _m(A, U, own_unit=(U,)),
    "deriveYearRating": _m(A, U, own_unit=(U,)),
    # votes
    "openBallot": _m(A, B, C),
    "castVote": _m(U, C, own_unit=(U,), note="a unit's clerk votes for the unit; a member as themself"),
    "closeBallot": _m(A, B, C, note="closes and tallies; a secret ballot with its tellers' shares"),
    "declareBallotUnopenable": _m(
        A, B, C, note="a secret ballot whose tellers' shares are lost, with a reason"
    ),
    "recordBallotWithoutFigures": _m(A),
    "destroyBallotKey": _m(A, note="ballots opened before the tellers' keys: a kept key left by a crash"),
    # awards
    "proposeAward": _m(A, B),
    "attachDocument": _m(A, B),
    "openDisclosure": _m(A),
    "recordComment": _m(A, note="comments and objections received during disclosure"),
    "recordCouncilVote": _m(A, C),
    "forwardProposal": _m(A, C),
    "withdrawProposal": _m(A, B),
    "decideAward": _m(A),
    "revokeAward": _m(A),
    "recognizeInitiative": _m(A),
    "noteMemberStats": _m(A, U, own_unit=(U,)),
    "absorbRecord": _m(A, note="a merged predecessor's record"),
}


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


@dataclass(frozen=True)
class Caller:
    """A caller allowed to run one operation in one province."""

    principal: Principal
    province: str
    acting_role: Role

    @property
    def unit(self) -> str | None:
        return self.principal.unit


def authorize(
    info: Info[GraphQLContext, Any],
    operation: str,
    *,
    province: str | None = None,
    unit: str | None = None,
) -> Caller:
    """Check the matrix for `operation`; `unit` is the unit acted for, when there is one."""
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
    # Roles not limited to their unit win over limited ones (an admin who is also a clerk).
    unlimited = sorted(allowed - access.own_unit, key=list(Role).index)
    if unlimited:
        acting = unlimited[0]
    else:
        acting = sorted(allowed, key=list(Role).index)[0]
        if unit is not None and unit != principal.unit:
            raise PermissionDenied(
                f"Bạn chỉ được thực hiện «{operation}» cho đơn vị của mình.",
                operation=operation,
                unit=unit,
            )
    return Caller(principal, resolve_province(principal, province), acting)


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
