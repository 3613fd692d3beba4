"""Claims of odd shapes never widen what a token allows: the whole token is refused, or the claim
gives nothing (an unknown role name, an empty unit)."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from thidua.services.auth import AuthError, Role, TokenVerifier, issue_token
from thidua.services.settings import AuthSettings

SECRET = "s" * 40


def verify(**claims: Any) -> Any:
    now = int(time.time())
    token = jwt.encode({"sub": "u", "province": "nghe-an", "iat": now, "exp": now + 60, **claims}, SECRET)
    settings = AuthSettings(jwt_secret=SECRET, jwks=None, issuer=None, audience=None)
    return TokenVerifier(settings).verify(token)


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("unit", 42),
        ("unit", ["cong-an"]),
        ("unit", {"key": "cong-an"}),
        ("unit", True),
        ("roles", ["province_admin", 7]),
        ("roles", {"province_admin": True}),
        ("roles", [["province_admin"]]),
        ("roles", 1),
        ("blocks", "khoi-a"),
        ("blocks", ["khoi-a", 3]),
        ("blocks", [""]),
        ("blocks", {"khoi-a": True}),
    ],
)
def test_a_claim_of_the_wrong_shape_refuses_the_whole_token(claim: str, value: Any) -> None:
    with pytest.raises(AuthError) as refused:
        verify(**{"roles": ["unit_clerk"], "unit": "cong-an", claim: value})
    assert refused.value.code == "UNAUTHENTICATED"
    assert refused.value.details["reason"] == claim


def test_duplicated_unknown_and_single_roles_give_only_the_roles_named() -> None:
    assert verify(roles=["unit_clerk", "unit_clerk"]).roles == frozenset({Role.UNIT_CLERK})
    assert verify(roles=["unit_clerk", "superuser", "PROVINCE_ADMIN"]).roles == frozenset({Role.UNIT_CLERK})
    assert verify(roles="auditor").roles == frozenset({Role.AUDITOR})
    assert verify().roles == frozenset()


def test_an_empty_unit_is_no_unit_and_the_blocks_claim_is_kept_apart_from_its_absence() -> None:
    assert verify(roles=["unit_clerk"], unit="").unit is None
    assert verify(roles=["unit_clerk"], unit=None).unit is None
    assert verify(roles=["block_officer"]).blocks is None  # the record decides
    assert verify(roles=["block_officer"], blocks=[]).blocks == frozenset()  # no block at all
    issued = issue_token(SECRET, subject="k", province="nghe-an", roles=["block_officer"], blocks=["khoi-a"])
    settings = AuthSettings(jwt_secret=SECRET, jwks=None, issuer=None, audience=None)
    assert TokenVerifier(settings).verify(issued).blocks == frozenset({"khoi-a"})
