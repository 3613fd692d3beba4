"""Every cell of the permission matrix, over HTTP: each role is refused exactly the mutations and
queries its row denies (FORBIDDEN before anything runs), and never refused one it allows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServedApp, served_provinces
from tests.e2e.graphql_client import GraphQLClient
from tests.e2e.test_graphql_isolation import BLOCK, SAMPLES, UNIT
from thidua.graphql.core.permissions import MATRIX
from thidua.services.auth import Role
from thidua.services.database import ConnectionParams

PROVINCE_ROLES = [r for r in Role if r is not Role.PLATFORM_OPERATOR]
QUERIES = {
    "units": "{ units { nodes { key } } }",
    "unit": '{ unit(key: "x") { key } }',
    "blocks": "{ blocks { nodes { key } } }",
    "block": '{ block(key: "x") { key } }',
    "standings": '{ standings(blockId: "x", year: 2025) { year } }',
    "ballots": "{ ballots { nodes { key } } }",
    "ballot": '{ ballot(key: "x") { key } }',
    "awardProposals": "{ awardProposals { nodes { key } } }",
    "awardDecisions": "{ awardDecisions { nodes { number } } }",
    "awardHistory": "{ awardHistory { nodes { decision } } }",
    "ratingSheets": f'{{ ratingSheets(unit: "{UNIT}", year: 2025) {{ nodes {{ month }} }} }}',
    "auditTrail": "{ auditTrail { nodes { position } } }",
    "ledger": "{ ledger { headPosition } }",
    "province": "{ province { code } }",
}


@pytest.fixture(scope="module")
def served(pg_server: ConnectionParams) -> Iterator[ServedApp]:
    with served_provinces(pg_server, {"nghe-an": "Tỉnh Nghệ An"}) as app:
        yield app


def _code(client: GraphQLClient, query: str, variables: dict[str, object] | None = None) -> str | None:
    body = client.post(query, variables)
    errors = body.get("errors") or []
    return str(errors[0]["extensions"]["code"]) if errors else None


@pytest.mark.parametrize("role", PROVINCE_ROLES, ids=lambda r: r.value)
def test_each_role_is_refused_exactly_what_its_row_denies(served: ServedApp, role: Role) -> None:
    # A clerk's token names its unit (the samples act for it); council members vote as "m0" and
    # open the council's ballots; a block officer's token names the samples' block.
    token = served.token("nghe-an", role.value, unit=UNIT, user="m0", blocks=[BLOCK])
    client = GraphQLClient(served, token)
    wrong: list[str] = []
    for name, sample in SAMPLES.items():
        kind = name[0].upper() + name[1:]
        input_ = sample
        if role is Role.COUNCIL_MEMBER and name == "castVote":
            input_ = {**sample, "voter": "m0"}
        if role is Role.COUNCIL_MEMBER and name == "openBallot":
            input_ = {**sample, "electorate": "council_members"}
        code = _code(client, f"mutation($i: {kind}Input!) {{ {name}(input: $i) {{ ok }} }}", {"i": input_})
        if (code == "FORBIDDEN") == (role in MATRIX[name].roles):
            wrong.append(f"{name}: {code}")
    for name, query in QUERIES.items():
        code = _code(client, query)
        if (code == "FORBIDDEN") == (role in MATRIX[name].roles):
            wrong.append(f"{name}: {code}")
    assert not wrong, wrong


def test_a_clerk_is_refused_another_units_business(served: ServedApp) -> None:
    clerk = GraphQLClient(served, served.token("nghe-an", "unit_clerk", unit="so-tu-phap"))
    own_unit_rows = [name for name, access in MATRIX.items() if Role.UNIT_CLERK in access.own_unit]
    refused = []
    for name in own_unit_rows:
        if name not in SAMPLES:
            continue
        kind = name[0].upper() + name[1:]
        code = _code(
            clerk, f"mutation($i: {kind}Input!) {{ {name}(input: $i) {{ ok }} }}", {"i": SAMPLES[name]}
        )
        # Rows naming a staff member check the unit on the record (no such staff here: not found);
        # the whole-year test covers a clerk refused another unit's staff.
        refused.append(
            code == "FORBIDDEN" or name in {"changeRatingGroup", "changeStaffKind", "deriveYearRating"}
        )
    assert all(refused)
    assert _code(clerk, QUERIES["ratingSheets"]) == "FORBIDDEN"
