"""`thidua token issue` signs only tokens the API would accept, for a province that exists."""

from __future__ import annotations

import jwt
import pytest

from tests.conftest import TEST_SECRET
from tests.integration.test_ledger_cli import thidua
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry


@pytest.fixture
def with_province(registry: ProvinceRegistry, database: ConnectionParams) -> ConnectionParams:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    return database


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--province", "ha-noi", "--role", "auditor"], "PROVINCE_NOT_FOUND"),
        (["--province", "Nghệ An", "--role", "auditor"], "INVALID_PROVINCE_CODE"),
        (["--province", "nghe-an", "--role", "unit_clerk"], "UNIT_REQUIRED"),
        (["--province", "nghe-an", "--role", "auditor", "--role", "unit_clerk"], "UNIT_REQUIRED"),
        (["--role", "province_admin"], "PROVINCE_REQUIRED"),
        (["--province", "nghe-an", "--role", "auditor", "--ttl", "31536000"], "TOKEN_LIFETIME_TOO_LONG"),
    ],
)
def test_a_token_the_api_would_refuse_is_not_issued(
    with_province: ConnectionParams, args: list[str], code: str
) -> None:
    issued = thidua(with_province, "token", "issue", *args)
    assert issued.returncode != 0, issued.stdout
    assert f"[{code}]" in issued.stderr, issued.stderr
    assert issued.stdout == ""


def test_a_clerk_of_an_existing_province_with_a_unit_gets_a_token(with_province: ConnectionParams) -> None:
    issued = thidua(
        with_province,
        *("token", "issue", "--province", "nghe-an", "--role", "unit_clerk"),
        *("--unit", "so-noi-vu", "--user", "can-bo-1"),
    )
    assert issued.returncode == 0, issued.stderr
    claims = jwt.decode(issued.stdout.strip(), TEST_SECRET, algorithms=["HS256"])
    assert (claims["province"], claims["unit"]) == ("nghe-an", "so-noi-vu")
    assert claims["exp"] - claims["iat"] == 8 * 3600
    operator = thidua(with_province, "token", "issue", "--role", "platform_operator")
    assert operator.returncode == 0, operator.stderr
