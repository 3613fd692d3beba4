"""Natural keys over real HTTP: every input field the schema documents as a key (or as a decision
number), in every mutation, refuses a malformed value with MALFORMED_COMMAND naming the field,
and records nothing. The fields come from the served schema, so a key field added later is
covered once its description carries the note (graphql/core/keys.py).

Before: `registerUnit(key: "Bad Key!")` was recorded, as was any key in any other command."""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLInputType, GraphQLList, GraphQLNonNull

from tests.hostile import figures
from tests.hostile.credentials import ALL_ROLES
from tests.hostile.judge import errors_logged, judge
from tests.hostile.schema_walk import SCALAR_SAMPLES, RootField, operation, post, sample
from tests.hostile.world import World, wait_projected_at
from thidua.domain.provenance import Actor, Provenance
from thidua.graphql.core.keys import DOCUMENT_NOTE, KEY_NOTE
from thidua.services.registry import ProvinceRegistry

SAMPLE = SCALAR_SAMPLES["String"]  # every other string of the request: an existing key below
BAD_KEY = "Bad Key!"
BAD_NUMBER = "1/QĐ\n2"
# The voter of a vote is the caller (the permission rules say so before any key is read).
MAY_BE_FORBIDDEN = {("castVote", "voter")}

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class KeyField:
    mutation: RootField
    path: Path  # inside `input`: ("members", 0), ("recipient", "key")
    bad: str

    @property
    def field(self) -> str:
        """The field as errors name it: members[0], recipient.key, criteria[0].code."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out


def _unwrap(type_: GraphQLInputType) -> tuple[GraphQLInputType, bool]:
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


def _key_paths(type_: GraphQLInputObjectType, prefix: Path = ()) -> Iterator[tuple[Path, str]]:
    for name, field in type_.fields.items():
        inner, is_list = _unwrap(field.type)
        path = (*prefix, name, 0) if is_list else (*prefix, name)
        description = field.description or ""
        if KEY_NOTE in description:
            yield path, BAD_KEY
        elif DOCUMENT_NOTE in description:
            yield path, BAD_NUMBER
        elif isinstance(inner, GraphQLInputObjectType):
            yield from _key_paths(inner, path)


def key_fields(world: World) -> list[KeyField]:
    found: list[KeyField] = []
    for root in world.fields:
        argument = root.field.args.get("input") if root.kind == "mutation" else None
        if argument is None:
            continue
        input_type, _ = _unwrap(argument.type)
        assert isinstance(input_type, GraphQLInputObjectType)
        found += [KeyField(root, path, bad) for path, bad in _key_paths(input_type)]
    return found


def _with(value: Any, type_: GraphQLInputType, path: Path, bad: str) -> Any:
    """`value` (a sample of `type_`) with `bad` at `path`, creating what the path passes through."""
    if not path:
        return bad
    inner, _ = _unwrap(type_)
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(value or [sample(inner)])
        items[head] = _with(items[head], inner, rest, bad)
        return items
    assert isinstance(inner, GraphQLInputObjectType)
    out = dict(value or {})
    field_type = inner.fields[str(head)].type
    out[str(head)] = _with(out.get(str(head), sample(field_type)), field_type, rest, bad)
    return out


@dataclass
class Province:
    code: str
    token: str


@pytest.fixture(scope="module")
def province(world: World) -> Province:
    """A province where the sample key names a unit, a block with its year and an open ballot,
    so that a command reaches its key checks even where a resolver reads the ballot first."""
    code = f"keys-{uuid.uuid4().hex[:6]}"
    registry = ProvinceRegistry(world.params)
    seeder = Actor("keys-seed", "province_admin", None)
    on = Provenance(seeder, datetime.now(UTC), date(2025, 3, 1), "keys-seed")
    try:
        registry.create_province(code, "Tỉnh thử mã khóa", created_by="hostile-test")
        app = registry.app(code)
        app.register_unit(key=SAMPLE, name="Đơn vị mẫu", by=on)
        app.create_block(key=SAMPLE, name="Khối mẫu", kind="block", by=on)
        app.open_block_year(block=SAMPLE, year=2025, members=[SAMPLE], members_claimed=None, by=on)
        opened = app.open_ballot(
            key=SAMPLE,
            purpose="classification",
            subject=None,
            award=None,
            secret=False,
            question="approve",
            electorate="block_members",
            block=SAMPLE,
            year=2025,
            options=["approve", "reject"],
            by=on,
        )
    finally:
        registry.close()
    wait_projected_at(world.served, code, opened.position)
    roles = [r for r in ALL_ROLES if r != "platform_operator"]
    return Province(code, world.bearer(code, *roles, unit=SAMPLE))


def test_the_walk_finds_the_keys_of_every_kind_of_record(world: World) -> None:
    fields = {f"{k.mutation.name}.{k.field}" for k in key_fields(world)}
    for expected in (
        "registerUnit.key",
        "registerStaff.key",
        "createBlock.key",
        "launchMovement.key",
        "openBallot.key",
        "proposeAward.key",
        "appointCouncilMember.member",
        "openDisciplinaryCase.case",
        "recognizeInitiative.initiative",
        "adoptScoringTable.criteria[0].code",
        "openBlockYear.members[0]",
        "proposeAward.recipient.key",
        "recordMonthlyRatings.scores[0].staff",
        "decideAward.number",
        "decideAward.recipients[0].key",
    ):
        assert expected in fields, expected


def test_every_key_field_of_every_mutation_refuses_a_malformed_key(world: World, province: Province) -> None:
    since = world.served.log_offset()
    problems: list[str] = []
    for key in key_fields(world):
        argument = key.mutation.field.args["input"]
        value = _with(sample(argument.type), argument.type, key.path, key.bad)
        query, variables = operation(key.mutation, {"input": value})
        head = world.head(province.code)
        body = judge(post(world.served.url, query, variables, authorization=province.token))
        figures.add("key_cases")
        payload = (body.get("data") or {}).get(key.mutation.name) or {}
        errors = payload.get("errors") or body.get("errors") or []
        first = errors[0] if errors else {}
        code = first.get("code") or (first.get("extensions") or {}).get("code")
        field = first.get("field")
        where = f"{key.mutation.name}.{key.field}"
        if (key.mutation.name, key.field) in MAY_BE_FORBIDDEN and code == "FORBIDDEN":
            pass
        elif code != "MALFORMED_COMMAND" or field != key.field:
            problems.append(f"{where}: {code} on {field!r}: {first.get('message', body)}")
        if world.head(province.code) != head:
            problems.append(f"{where}: recorded an event")
    assert not problems, "\n".join(problems)
    assert not errors_logged(world.served, since)


def test_a_long_correlation_id_is_refused_and_never_stops_the_projections(
    world: World, province: Province
) -> None:
    """The audit trail indexes the correlation id: a 3,000-character one that is not
    compressible (random) exceeded PostgreSQL's index row limit, and the province's audit
    projection stopped for good at that event."""
    rng = random.Random(7)
    long_id = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(3000))
    register = (
        "mutation($input: RegisterUnitInput!) "
        "{ registerUnit(input: $input) { ok position errors { code field } } }"
    )
    head = world.head(province.code)
    refused = judge(
        post(
            world.served.url,
            register,
            {"input": {"key": "dv-cid", "name": "x", "correlationId": long_id}},
            authorization=province.token,
        )
    )["data"]["registerUnit"]
    assert refused["errors"] == [{"code": "MALFORMED_COMMAND", "field": "correlationId"}]
    assert world.head(province.code) == head
    ok = judge(
        post(
            world.served.url,
            register,
            {"input": {"key": "dv-cid", "name": "x", "correlationId": long_id[:200]}},
            authorization=province.token,
        )
    )["data"]["registerUnit"]
    assert ok["ok"], ok
    wait_projected_at(world.served, province.code, ok["position"], seconds=15)
