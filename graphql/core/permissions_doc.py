"""Render the permission matrix as Markdown (docs/permissions.md is this output; a test checks).

Regenerate with: `python -m thidua.graphql.core.permissions_doc > docs/permissions.md`
"""

from __future__ import annotations

import sys
import textwrap

from thidua.graphql.core.permissions import MATRIX, Access
from thidua.graphql.schema import schema
from thidua.services.access import Reason
from thidua.services.auth import Role

HEADINGS = {
    "query": "Queries (truy vấn)",
    "mutation": "Mutations (thao tác ghi)",
    "subscription": "Subscriptions (theo dõi trực tiếp)",
}
SHORT = {
    Role.PROVINCE_ADMIN: "admin",
    Role.COUNCIL_MEMBER: "council",
    Role.BLOCK_OFFICER: "block",
    Role.UNIT_CLERK: "clerk",
    Role.AUDITOR: "auditor",
    Role.PLATFORM_OPERATOR: "operator",
}


def _cell(access: Access, role: Role) -> str:
    """`yes`, `–`, or the role's scope on the operation (*own unit*, *own blocks*, ...)."""
    if role not in access.roles:
        return "–"
    return access.scope(role).value


def _served() -> set[str]:
    """Root fields the schema serves today (the matrix also lists planned ones)."""
    roots = (schema._schema.query_type, schema._schema.mutation_type, schema._schema.subscription_type)
    return {name for root in roots if root is not None for name in root.fields}


def render() -> str:
    served = _served()
    lines = [
        "# Permission matrix (ma trận phân quyền)",
        "",
        "Generated from `graphql/core/permissions.py` (`PERMISSIONS`: a mutation's row is keyed by its",
        "typed command, `services/handlers/`), which every GraphQL field enforces;",
        "`tests/e2e/test_graphql_schema.py` fails when this file is out of date. Regenerate with",
        "`python -m thidua.graphql.core.permissions_doc > docs/permissions.md`.",
        "",
        "Roles: **admin** = province_admin (Ban Thi đua – Khen thưởng), **council** = council_member",
        "(Hội đồng Thi đua – Khen thưởng), **block** = block_officer (Khối trưởng / Khối phó),",
        "**clerk** = unit_clerk (cán bộ thi đua của đơn vị), **auditor** = auditor (thanh tra,",
        "read-only), **operator** = platform_operator. The province is always the token's; an",
        "operator's token has none and names one with the field's `province` argument where the field",
        "offers it. `viewer` is open to every caller (null when unauthenticated).",
        "",
        "A unit clerk's token must name a registered unit of the province in its `unit` claim: without",
        "one the clerk role allows nothing, reads included. A cell other than *yes* limits the role to",
        "a scope, judged against the record:",
        "",
        "- *own unit*: the unit named in the token's `unit` claim, and that unit's current staff.",
        "- *own blocks*: the block-years whose Khối trưởng or Khối phó is the token's unit, or, when the",
        "  token carries a `blocks` claim (a list of block keys), the blocks it names, in any year. The",
        "  block-year is the input's (`block`, `year`), a ballot's or a proposal's (its proposer and",
        "  year); choosing officers belongs to the choosing year (`chosenInYear`, else the year before",
        "  the one they serve); a council ballot is never a block officer's, nor is a ballot opened",
        "  before ballots recorded their block-year, nor a proposal whose proposer is a unit.",
        "- *council ballots*: ballots whose electorate is the council (`council_members`).",
        "- *as themself*: a council member casts only their own paper (the token's `sub`), on a council",
        "  ballot. A clerk casts only their unit's paper, on a block ballot.",
        "",
        "A token holding several roles may do what any one of its roles may do within that role's",
        "scope, never more; the events record the role that acted. A token whose `roles`, `unit` or",
        "`blocks` claim has the wrong shape (not a list of strings, a number for the unit, ...) is",
        "refused as a whole; role names the product does not know are ignored.",
        "",
        *textwrap.wrap(
            "Refusals are GraphQL errors with `extensions.code`: `UNAUTHENTICATED`, `TOKEN_EXPIRED`, "
            "`FORBIDDEN`; a scope refusal says why in `extensions.details.reason`: "
            + ", ".join(f"`{reason.value}`" for reason in Reason)
            + ".",
            width=95,
        ),
    ]
    if set(MATRIX) - served:
        lines[-1] += " Rows marked *planned* are in the matrix but not served yet."
    for kind, heading in HEADINGS.items():
        lines += ["", f"## {heading}", ""]
        lines.append("| operation | " + " | ".join(SHORT[r] for r in Role) + " | note |")
        lines.append("|---|" + "---|" * len(Role) + "---|")
        for name, access in MATRIX.items():
            if access.kind != kind:
                continue
            cells = " | ".join(_cell(access, r) for r in Role)
            note = access.note if name in served else f"*planned* {access.note}".strip()
            lines.append(f"| `{name}` | {cells} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
