"""Bad credentials (mã xác thực xấu): every way a caller can fail to be who it claims.

Each entry builds an Authorization header value (None: no header) and names the code the API
must answer with. All forged tokens claim province A with every role, so that the token alone
is at fault.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from tests.conftest import TEST_SECRET
from thidua.services.auth import Role, issue_token

ALL_ROLES = [r.value for r in Role]
OTHER_SECRET = "another-secret-of-another-instance-0123456789"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(province: str, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "mallory", "province": province, "roles": ALL_ROLES, "iat": now, "exp": now + 600, **extra}


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return head + "." + _b64(signature)


def _hmac_with_header(alg: str, province: str) -> str:
    """Signed with our secret but declaring another algorithm (key-confusion attempts)."""
    head = (
        _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
        + "."
        + _b64(json.dumps(_claims(province)).encode())
    )
    sig = hmac.new(TEST_SECRET.encode(), head.encode(), hashlib.sha256).digest()
    return head + "." + _b64(sig)


def _tampered(province: str, other: str) -> str:
    """A genuine token of `other`, its payload rewritten to claim `province`."""
    genuine = issue_token(TEST_SECRET, subject="mallory", province=other, roles=ALL_ROLES)
    head, _, sig = genuine.split(".")
    return head + "." + _b64(json.dumps(_claims(province)).encode()) + "." + sig


def _hs512(claims: dict[str, Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns our secret is short for HS512: the point
        return jwt.encode(claims, TEST_SECRET, algorithm="HS512")


@dataclass(frozen=True)
class BadCredential:
    name: str
    header: Callable[[str, str], str | bytes | None]  # (province, other province) -> header
    code: str


BAD_CREDENTIALS = [
    BadCredential("missing_header", lambda p, o: None, "UNAUTHENTICATED"),
    BadCredential("basic_scheme", lambda p, o: "Basic bWFsbG9yeTpzZWNyZXQ=", "UNAUTHENTICATED"),
    BadCredential("bearer_without_token", lambda p, o: "Bearer", "UNAUTHENTICATED"),
    BadCredential("bearer_dot", lambda p, o: "Bearer .", "UNAUTHENTICATED"),
    BadCredential("bearer_twice", lambda p, o: "Bearer Bearer x.y.z", "UNAUTHENTICATED"),
    BadCredential("not_a_jwt", lambda p, o: "Bearer not.a.jwt", "UNAUTHENTICATED"),
    BadCredential("latin1_garbage", lambda p, o: b"Bearer \xff\xfe\xe9.\xc3(.\x80", "UNAUTHENTICATED"),
    BadCredential("oversized_token", lambda p, o: "Bearer " + "A" * 6000, "UNAUTHENTICATED"),
    BadCredential(
        "expired",
        lambda p, o: (
            "Bearer "
            + issue_token(
                TEST_SECRET, subject="m", province=p, roles=ALL_ROLES, now=1_000_000, ttl_seconds=60
            )
        ),
        "TOKEN_EXPIRED",
    ),
    BadCredential(
        "another_key",
        lambda p, o: "Bearer " + issue_token(OTHER_SECRET, subject="m", province=p, roles=ALL_ROLES),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "alg_none",
        lambda p, o: "Bearer " + _unsigned({"alg": "none", "typ": "JWT"}, _claims(p)),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "alg_None_capitalised",
        lambda p, o: "Bearer " + _unsigned({"alg": "None", "typ": "JWT"}, _claims(p)),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "hs512_same_secret",
        lambda p, o: "Bearer " + _hs512(_claims(p)),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "rs256_header_hmac_body", lambda p, o: "Bearer " + _hmac_with_header("RS256", p), "UNAUTHENTICATED"
    ),
    BadCredential(
        "no_expiry",
        lambda p, o: (
            "Bearer "
            + jwt.encode({"sub": "m", "province": p, "roles": ALL_ROLES}, TEST_SECRET, algorithm="HS256")
        ),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "province_not_a_string",
        lambda p, o: "Bearer " + jwt.encode({**_claims(p), "province": [p]}, TEST_SECRET, algorithm="HS256"),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "payload_swapped_to_other_province", lambda p, o: "Bearer " + _tampered(p, o), "UNAUTHENTICATED"
    ),
    BadCredential(
        "no_issued_at",
        lambda p, o: (
            "Bearer "
            + jwt.encode({k: v for k, v in _claims(p).items() if k != "iat"}, TEST_SECRET, algorithm="HS256")
        ),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "valid_until_year_33658",
        lambda p, o: "Bearer " + jwt.encode(_claims(p, exp=999_999_999_999), TEST_SECRET, algorithm="HS256"),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "issued_in_the_future",
        lambda p, o: (
            "Bearer "
            + jwt.encode(
                _claims(p, iat=int(time.time()) + 3600, exp=int(time.time()) + 4200),
                TEST_SECRET,
                algorithm="HS256",
            )
        ),
        "UNAUTHENTICATED",
    ),
    BadCredential(
        "not_yet_valid",
        lambda p, o: (
            "Bearer " + jwt.encode(_claims(p, nbf=int(time.time()) + 3600), TEST_SECRET, algorithm="HS256")
        ),
        "UNAUTHENTICATED",
    ),
]
