"""Province codes (tenants) and the PostgreSQL schema each one's history lives in."""

from __future__ import annotations

import re

from thidua.services.errors import InvalidProvinceCode

PROVINCE_CODE = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
EVENTS_TABLE = "ledger_events"


def validate_province_code(code: str) -> str:
    """Return the code if it is a valid province code, else raise InvalidProvinceCode."""
    if not isinstance(code, str) or not PROVINCE_CODE.fullmatch(code) or code.endswith("-"):
        raise InvalidProvinceCode(
            f"Mã tỉnh «{str(code)[:40]}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và "
            "dấu gạch ngang, bắt đầu bằng chữ cái, từ 2 đến 31 ký tự (ví dụ: nghe-an).",
            province=str(code)[:40],
        )
    return code


def schema_for(code: str) -> str:
    """The province's schema name, derived only from a validated code (never from raw input)."""
    return "p_" + validate_province_code(code).replace("-", "_")
