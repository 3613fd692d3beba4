"""What `thidua token issue` checks before it signs: a token the API would refuse, or one that
names a province nobody created, is an error at the terminal, not a puzzle at the first request."""

from __future__ import annotations

from collections.abc import Sequence

from thidua.services.auth import Role
from thidua.services.errors import ApplicationError
from thidua.services.tenancy import validate_province_code


class ProvinceRequired(ApplicationError):
    code = "PROVINCE_REQUIRED"


class UnitRequired(ApplicationError):
    code = "UNIT_REQUIRED"


class TokenLifetimeTooLong(ApplicationError):
    code = "TOKEN_LIFETIME_TOO_LONG"


def check_token_request(
    province: str | None, roles: Sequence[str], unit: str | None, ttl_s: int, max_lifetime_s: int
) -> None:
    """The checks that need no database (ApplicationError with a code when one fails)."""
    if ttl_s < 1 or ttl_s > max_lifetime_s:
        raise TokenLifetimeTooLong(
            f"Thời hạn của mã xác thực phải từ 1 đến {max_lifetime_s} giây "
            "(THIDUA_JWT_MAX_LIFETIME); mã dài hơn sẽ bị từ chối.",
            ttl=ttl_s,
            max_lifetime_s=max_lifetime_s,
        )
    if province is None:
        in_province = sorted(set(roles) - {Role.PLATFORM_OPERATOR.value})
        if in_province:
            raise ProvinceRequired(
                f"Vai trò {', '.join(in_province)} làm việc trong một tỉnh: hãy nêu --province.",
                roles=", ".join(in_province),
            )
        return
    validate_province_code(province)
    if Role.UNIT_CLERK.value in roles and not (unit or "").strip():
        raise UnitRequired(
            "Cán bộ thi đua của đơn vị (unit_clerk) phải có đơn vị: hãy nêu --unit.",
            province=province,
        )
