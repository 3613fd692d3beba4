"""SQL identifiers built only from our own constants and validated province codes."""

from __future__ import annotations

import re

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def quote_ident(name: str) -> str:
    """Double-quote an identifier; anything but lower-case letters, digits and _ is refused."""
    if not _IDENT.fullmatch(name):
        msg = f"not a safe SQL identifier: {name!r}"
        raise ValueError(msg)
    return f'"{name}"'


def events_table(province: str) -> str:
    """`"p_nghe_an"."ledger_events"`: the province's event store (same rule as services.tenancy)."""
    return f'{quote_ident("p_" + province.replace("-", "_"))}."ledger_events"'
