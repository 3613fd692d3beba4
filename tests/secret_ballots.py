"""Shared by the tests of secret ballots (bỏ phiếu kín): tellers and their shares."""

from __future__ import annotations

from typing import Any

TELLERS = ["kiem-phieu-1", "kiem-phieu-2", "kiem-phieu-3"]

# What the domain records for a secret ballot's tellers, when a test builds the aggregate
# without services (the domain never looks inside the key or the digests).
SEALING: dict[str, Any] = {
    "tellers": TELLERS,
    "tellers_needed": 2,
    "public_key": "khoa-cong-khai",
    "share_digests": ["ma-kiem-1", "ma-kiem-2", "ma-kiem-3"],
}
