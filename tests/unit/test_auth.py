"""Bearer tokens: HS256 and RS256 (JWKS) verified; forged, expired and `alg: none` refused."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from thidua.services.auth import IAT_LEEWAY_S, AuthError, Role, TokenExpired, TokenVerifier, issue_token
from thidua.services.settings import DEV_JWT_SECRET, AuthSettings

SECRET = "s" * 40


def verifier(**overrides: str | int | None) -> TokenVerifier:
    fields: dict[str, str | int | None] = {
        "jwt_secret": SECRET,
        "jwks": None,
        "issuer": None,
        "audience": None,
    }
    fields.update(overrides)
    return TokenVerifier(AuthSettings(**fields))  # type: ignore[arg-type]


def signed(**claims: object) -> str:
    body = {"sub": "u", "province": "nghe-an", "roles": ["auditor"], **claims}
    return jwt.encode(body, SECRET, algorithm="HS256")


def test_a_valid_token_gives_the_caller_with_province_roles_and_unit() -> None:
    token = issue_token(SECRET, subject="u1", province="nghe-an", roles=["unit_clerk"], unit="cong-an")
    principal = verifier().verify(token)
    assert principal.subject == "u1"
    assert principal.province == "nghe-an"
    assert principal.roles == frozenset({Role.UNIT_CLERK})
    assert principal.unit == "cong-an"


def test_unknown_roles_are_dropped_not_trusted() -> None:
    token = issue_token(SECRET, subject="u1", province="nghe-an", roles=["superuser", "auditor"])
    assert verifier().verify(token).roles == frozenset({Role.AUDITOR})


def test_an_expired_token_is_refused_with_its_own_code() -> None:
    token = issue_token(SECRET, subject="u", province="x", roles=[], now=time.time() - 3600, ttl_seconds=60)
    with pytest.raises(TokenExpired) as err:
        verifier().verify(token)
    assert err.value.code == "TOKEN_EXPIRED"


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = issue_token("o" * 40, subject="u", province="x", roles=["province_admin"])
    with pytest.raises(AuthError):
        verifier().verify(token)


def test_alg_none_is_refused() -> None:
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=")
    claims = {"sub": "u", "province": "x", "roles": ["province_admin"], "exp": int(time.time()) + 60}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    with pytest.raises(AuthError):
        verifier().verify(f"{header.decode()}.{body.decode()}.")


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "x" * 5000])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(AuthError):
        verifier().verify(token)


def test_a_token_without_expiry_is_refused() -> None:
    token = jwt.encode({"sub": "u", "roles": []}, SECRET, algorithm="HS256")
    with pytest.raises(AuthError):
        verifier().verify(token)


def test_rs256_tokens_are_verified_against_a_jwks_file(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    now = int(time.time())
    claims = {"sub": "idp-user", "province": "nghe-an", "roles": ["auditor"], "iat": now, "exp": now + 60}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    v = verifier(jwt_secret=None, jwks=str(jwks))
    assert v.verify(token).subject == "idp-user"
    # An HS256 token must not pass when only RS256 keys are configured (algorithm confusion).
    with pytest.raises(AuthError):
        v.verify(issue_token(SECRET, subject="u", province="x", roles=["auditor"]))


def test_issuer_and_audience_are_checked_when_configured() -> None:
    v = verifier(issuer="https://id.example", audience="thidua")
    good = issue_token(
        SECRET, subject="u", province="x", roles=[], issuer="https://id.example", audience="thidua"
    )
    assert v.verify(good).subject == "u"
    with pytest.raises(AuthError):
        v.verify(
            issue_token(SECRET, subject="u", province="x", roles=[], issuer="https://evil", audience="thidua")
        )


def test_a_remembered_token_still_expires_on_time() -> None:
    """Verified tokens are remembered (services/auth.py); only the clock is checked again, and
    exactly as PyJWT checks it: expired from `exp` on."""
    v = verifier()
    issued = time.time() - 58.5  # expires 0.5 to 1.5 s from now (exp is a whole second)
    token = issue_token(
        SECRET, subject="u1", province="nghe-an", roles=["auditor"], ttl_seconds=60, now=issued
    )
    assert v.verify(token).subject == "u1"
    assert v.verify(token).subject == "u1"  # remembered
    expires = int(issued) + 60
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(TokenExpired):
        v.verify(token)


def test_a_refused_token_is_never_remembered() -> None:
    v = verifier()
    forged = issue_token("x" * 40, subject="u1", province="nghe-an", roles=["province_admin"])
    for _ in range(2):
        with pytest.raises(AuthError):
            v.verify(forged)
    assert v._verified.get(forged) is None


def test_a_token_without_iat_is_refused() -> None:
    with pytest.raises(AuthError) as refused:
        verifier().verify(signed(exp=int(time.time()) + 60))
    assert refused.value.code == "UNAUTHENTICATED"


@pytest.mark.parametrize("iat", ["yesterday", None, True, [1]])
def test_an_iat_that_is_not_a_number_is_refused(iat: object) -> None:
    with pytest.raises(AuthError):
        verifier().verify(signed(iat=iat, exp=int(time.time()) + 60))


def test_a_token_valid_for_millennia_is_refused() -> None:
    """`exp` in the year 33658 was accepted: the lifetime (`exp - iat`) is bounded by a setting."""
    now = int(time.time())
    with pytest.raises(AuthError) as refused:
        verifier().verify(signed(iat=now, exp=999_999_999_999))
    assert refused.value.details["reason"] == "lifetime"
    v = verifier(max_lifetime_s=3600)
    assert v.verify(signed(iat=now, exp=now + 3600)).subject == "u"
    with pytest.raises(AuthError):
        v.verify(signed(iat=now, exp=now + 3601))
    # An old `iat` with a far `exp` is the same long lifetime, not a fresh token.
    with pytest.raises(AuthError):
        v.verify(signed(iat=now - 86_400, exp=now + 60))


def test_an_iat_in_the_future_is_refused_beyond_a_small_leeway() -> None:
    now = int(time.time())
    with pytest.raises(AuthError) as refused:
        verifier().verify(signed(iat=now + IAT_LEEWAY_S + 60, exp=now + 3600))
    assert refused.value.details["reason"] == "iat_future"
    # A clock a few seconds ahead is tolerated, and the token is remembered from the first answer.
    v = verifier()
    ahead = signed(iat=now + IAT_LEEWAY_S // 2, exp=now + 3600)
    assert v.verify(ahead).subject == "u"
    remembered = v._verified.get(ahead)
    assert remembered is not None
    assert remembered[1] <= time.time() < remembered[2]  # answered from memory, not re-verified


def test_a_refused_long_lived_token_is_never_remembered() -> None:
    v = verifier()
    forever = signed(iat=int(time.time()), exp=999_999_999_999)
    for _ in range(2):
        with pytest.raises(AuthError):
            v.verify(forever)
    assert v._verified.get(forever) is None


def test_the_caller_carries_the_expiry_of_their_token() -> None:
    now = int(time.time())
    v = verifier()
    token = signed(iat=now, exp=now + 600)
    assert v.verify(token).expires_at == now + 600
    assert v.verify(token).expires_at == now + 600  # from memory too


def test_beside_a_jwks_the_development_secret_signs_nothing(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))]}))
    v = verifier(jwt_secret=DEV_JWT_SECRET, jwks=str(jwks))
    with pytest.raises(AuthError):
        v.verify(issue_token(DEV_JWT_SECRET, subject="u", province="x", roles=["province_admin"]))
