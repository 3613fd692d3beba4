"""Who is calling: bearer JWTs verified with HS256 (a shared secret) or RS256 (JWKS keys).

The province always comes from the verified token, never from a field the client sets; only a
platform operator may act on a province named explicitly.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt

from thidua.services.errors import ApplicationError
from thidua.services.settings import DEV_JWT_SECRET, AuthSettings


class Role(StrEnum):
    """Roles follow the domain (vai trò)."""

    PROVINCE_ADMIN = "province_admin"  # Ban Thi đua – Khen thưởng tỉnh
    COUNCIL_MEMBER = "council_member"  # thành viên Hội đồng Thi đua – Khen thưởng
    BLOCK_OFFICER = "block_officer"  # Khối trưởng / Khối phó, cán bộ khối
    UNIT_CLERK = "unit_clerk"  # cán bộ thi đua của đơn vị
    AUDITOR = "auditor"  # thanh tra, kiểm toán: read-only, full history
    PLATFORM_OPERATOR = "platform_operator"  # vận hành hệ thống


class AuthError(ApplicationError):
    """The caller could not be identified (HTTP 401 / GraphQL UNAUTHENTICATED)."""

    code = "UNAUTHENTICATED"


class TokenExpired(AuthError):
    code = "TOKEN_EXPIRED"


class PermissionDenied(ApplicationError):
    """The caller is known but may not do this (GraphQL FORBIDDEN)."""

    code = "FORBIDDEN"


@dataclass(frozen=True)
class Principal:
    """A verified caller."""

    subject: str
    province: str | None
    roles: frozenset[Role]
    unit: str | None = None
    # The `blocks` claim: the blocks a block officer acts for, as the identity provider says.
    # None when the token has no such claim (then the record says, from the token's unit).
    blocks: frozenset[str] | None = None
    # The token's `exp` (seconds since the epoch): a subscription ends then (TOKEN_EXPIRED).
    expires_at: int | None = field(default=None, compare=False)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> str:
        order = list(Role)
        return min(self.roles, key=order.index).value if self.roles else "anonymous"


ALGORITHMS_HS = ["HS256"]
VERIFIED_TOKENS = 4096  # tokens remembered as verified (LRU), a few MB at most
ALGORITHMS_RS = ["RS256"]
# How far in the future `iat` may be: the identity provider's clock may run a little ahead.
IAT_LEEWAY_S = 30


class TokenVerifier:
    """Verifies bearer tokens; `alg: none` and unexpected algorithms are always refused."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._jwks: jwt.PyJWKSet | None = None
        self._jwks_client: jwt.PyJWKClient | None = None
        self._verified = _Verified(VERIFIED_TOKENS)
        # The development secret is public: beside a JWKS it would let anybody sign tokens
        # (settings refuse that combination; this holds for an AuthSettings built directly too).
        public = settings.jwks is not None and settings.jwt_secret == DEV_JWT_SECRET
        self._secret = None if public else settings.jwt_secret
        if settings.jwks:
            if settings.jwks.startswith(("https://", "http://")):
                self._jwks_client = jwt.PyJWKClient(settings.jwks, cache_keys=True)
            else:
                self._jwks = jwt.PyJWKSet.from_dict(json.loads(Path(settings.jwks).read_text()))

    def verify(self, token: str) -> Principal:
        """The caller a token names; AuthError (TokenExpired) when it does not verify.

        Tokens that verified are remembered, by their exact text, with the times they are valid
        between: checking the signature, issuer and audience again would give the same answer
        (the secret and a JWKS file are fixed for this verifier's life), so only the clock is
        checked again, as PyJWT checks it (`exp`, `nbf` and `iat` as integers, no leeway). It is
        a quarter of the CPU of a cached standings answer. The other rules (`iat` present and
        not ahead by more than IAT_LEEWAY_S, `exp - iat` within the maximum lifetime) do not
        change with time once met. Keys fetched from a JWKS URL may be rotated out, so those
        tokens are verified every time."""
        remembered = self._verified.get(token)
        if remembered is not None:
            principal, valid_from, expires = remembered
            if valid_from <= time.time() < expires:
                return principal
        principal, claims = self._verify(token)
        if self._jwks_client is None:
            self._verified.put(token, principal, claims)
        return principal

    def _verify(self, token: str) -> tuple[Principal, dict[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("Mã xác thực không hợp lệ.", reason="malformed") from None
        alg = header.get("alg")
        try:
            if alg in ALGORITHMS_HS and self._secret:
                claims = self._decode(token, self._secret, ALGORITHMS_HS)
            elif alg in ALGORITHMS_RS and (self._jwks or self._jwks_client):
                claims = self._decode(token, self._rsa_key(token, header), ALGORITHMS_RS)
            else:
                raise AuthError("Thuật toán ký của mã xác thực không được chấp nhận.", reason="algorithm")
        except jwt.ExpiredSignatureError:
            raise TokenExpired("Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.") from None
        except jwt.PyJWTError as exc:
            raise AuthError("Mã xác thực không hợp lệ.", reason=type(exc).__name__) from None
        self._check_times(claims)
        return replace(_principal(claims), expires_at=int(claims["exp"])), claims

    def _decode(self, token: str, key: Any, algorithms: list[str]) -> dict[str, Any]:
        # `iat` is checked by `_check_times`, with a leeway PyJWT would also give `exp`.
        options = {
            "require": ["sub", "exp", "iat"],
            "verify_aud": self.settings.audience is not None,
            "verify_iat": False,
        }
        decoded: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=self.settings.audience,
            issuer=self.settings.issuer,
            options=options,  # type: ignore[arg-type]
        )
        return decoded

    def _check_times(self, claims: dict[str, Any]) -> None:
        """`iat` a number not ahead of the clock by more than IAT_LEEWAY_S, and a lifetime
        (`exp - iat`) within the setting: a token valid for centuries is refused, not trusted."""
        issued, expires = claims["iat"], claims["exp"]
        if not _finite_number(issued):
            raise AuthError("Trường «iat» của mã xác thực không hợp lệ.", reason="iat")
        if issued > time.time() + IAT_LEEWAY_S:
            raise AuthError("Mã xác thực được phát hành trong tương lai.", reason="iat_future")
        if int(expires) - int(issued) > self.settings.max_lifetime_s:
            raise AuthError(
                "Thời hạn của mã xác thực dài hơn mức cho phép; vui lòng đăng nhập lại.",
                reason="lifetime",
                max_lifetime_s=self.settings.max_lifetime_s,
            )

    def _rsa_key(self, token: str, header: dict[str, Any]) -> Any:
        if self._jwks_client is not None:
            return self._jwks_client.get_signing_key_from_jwt(token).key
        assert self._jwks is not None
        kid = header.get("kid")
        for key in self._jwks.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise AuthError("Không tìm thấy khóa ký của mã xác thực.", reason="unknown_kid")


class _Verified:
    """Tokens that verified: principal, first second valid (`nbf`, or `iat` less the leeway)
    and expiry (`exp`)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Principal, int, int]] = OrderedDict()
        self._lock = threading.Lock()  # verify may run on a worker thread too

    def get(self, token: str) -> tuple[Principal, int, int] | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None:
                self._entries.move_to_end(token)
            return entry

    def put(self, token: str, principal: Principal, claims: dict[str, Any]) -> None:
        try:  # as PyJWT reads them; it already refused values int() cannot read
            expires = int(claims["exp"])
            valid_from = max(int(claims.get("nbf", 0)), int(claims["iat"]) - IAT_LEEWAY_S)
        except (KeyError, ValueError, TypeError, OverflowError):
            return
        with self._lock:
            self._entries[token] = (principal, valid_from, expires)
            self._entries.move_to_end(token)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def _finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _principal(claims: dict[str, Any]) -> Principal:
    """The caller a verified token names. A claim of the wrong shape refuses the whole token:
    reading it leniently (a number as "no unit", a list with junk as the roles it also holds)
    is how odd tokens used to widen what they allowed."""
    province = claims.get("province")
    if province is not None and not isinstance(province, str):
        raise AuthError("Trường «province» của mã xác thực không hợp lệ.", reason="province")
    unit = claims.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise AuthError("Trường «unit» của mã xác thực không hợp lệ.", reason="unit")
    return Principal(
        subject=str(claims["sub"]),
        province=province,
        roles=_roles(claims.get("roles", [])),
        unit=unit or None,
        blocks=_blocks(claims.get("blocks")),
    )


def _roles(raw: Any) -> frozenset[Role]:
    """A list of role names (one name alone is read as a list of one). Names this product does
    not know (another application's roles at the identity provider) give nothing."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise AuthError("Trường «roles» của mã xác thực không hợp lệ.", reason="roles")
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in raw if r in known)


def _blocks(raw: Any) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(b, str) and b for b in raw):
        raise AuthError("Trường «blocks» của mã xác thực không hợp lệ.", reason="blocks")
    return frozenset(raw)


def issue_token(
    secret: str,
    *,
    subject: str,
    province: str | None,
    roles: list[str],
    unit: str | None = None,
    blocks: list[str] | None = None,
    ttl_seconds: int = 8 * 3600,
    issuer: str | None = None,
    audience: str | None = None,
    now: float | None = None,
) -> str:
    """An HS256 token for development and tests (production tokens come from the identity provider)."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "roles": roles,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    if province is not None:
        claims["province"] = province
    if unit is not None:
        claims["unit"] = unit
    if blocks is not None:
        claims["blocks"] = blocks
    if issuer is not None:
        claims["iss"] = issuer
    if audience is not None:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm="HS256")
