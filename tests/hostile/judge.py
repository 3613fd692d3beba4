"""How a hostile request must be answered: never a 5xx, never a traceback, always a stable code."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from tests.hostile import figures

STABLE_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,63}$")
# Signs that internals escaped: a traceback, a file path, an exception class name from a driver.
UNMASKED = ("Traceback", 'File "/', "psycopg", "asyncpg", "site-packages", "Exception:", "Error:\n")


def codes_of(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    codes = [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            codes += [str(e.get("code")) for e in payload.get("errors") or []]
    return codes


def judge(response: httpx.Response, *, allow_internal: bool = False) -> Any:
    """Assert the answer is a clean refusal or a clean success; returns the JSON body (or None)."""
    figures.add("hostile_cases")
    figures.add("bad_input_cases")
    text = response.text
    assert response.status_code < 500, (response.status_code, text[:500])
    assert not any(sign in text for sign in UNMASKED), text[:1000]
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    for code in codes_of(body):
        assert STABLE_CODE.match(code), (code, text[:500])
        assert allow_internal or code != "INTERNAL_ERROR", text[:500]
    return body


def errors_logged(served: Any, since: int) -> list[str]:
    """Lines the served app logged at error level (or with a traceback) since byte `since`:
    a client's bad input must never be one of them."""
    return [
        str(line["raw"])[:300]
        for line in served.log_lines(since)
        if line.get("level") in {"error", "critical"} or "Traceback" in str(line["raw"])
    ]


def first_code(body: Any) -> str | None:
    codes = codes_of(body)
    return codes[0] if codes else None
