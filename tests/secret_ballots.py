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


def open_secret_ballot(
    app: Any, key: str, by: Any, *, options: list[str] | None = None, **where: Any
) -> list[str]:
    """Open a secret approve-ballot among block «khoi-1»'s 2025 members (or `where`) with three
    tellers, two of whom open it; the tellers' shares, as the opening answered them."""
    opened = app.open_ballot(
        key=key,
        purpose=where.pop("purpose", "classification"),
        subject=where.pop("subject", None),
        award=where.pop("award", None),
        secret=True,
        question=where.pop("question", "approve"),
        electorate=where.pop("electorate", "block_members"),
        block=where.pop("block", "khoi-1"),
        year=where.pop("year", 2025),
        options=options or ["approve", "reject", "abstain"],
        tellers=TELLERS,
        tellers_needed=2,
        by=by,
        **where,
    )
    return [share.share for share in opened.shares]
