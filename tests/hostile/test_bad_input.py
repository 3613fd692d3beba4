"""Bad input over real HTTP: malformed bodies, hostile strings, wrong types, huge lists, deep,
wide and batched queries, oversized bodies. Each is refused (or handled) within limits, with a
stable code, no 5xx, no traceback, and nothing recorded by a refusal."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.hostile.judge import first_code, judge
from tests.hostile.world import FUZZ, World
from thidua.services.registry import ProvinceRegistry

REGISTER = "mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { ok key errors { code } } }"
VIEWER = "{ viewer { subject } }"
MAX_SECONDS = 10.0  # no hostile request may hold the server longer than this


def _raw(
    world: World, content: bytes, content_type: str = "application/json", **headers: str
) -> httpx.Response:
    send = {"Content-Type": content_type, "Authorization": world.bearer(FUZZ, "province_admin"), **headers}
    started = time.monotonic()
    response = httpx.post(f"{world.served.url}/graphql", content=content, headers=send, timeout=60)
    assert time.monotonic() - started < MAX_SECONDS, "a hostile request held the server too long"
    return response


def _json(world: World, payload: Any, **headers: str) -> httpx.Response:
    return _raw(world, json.dumps(payload).encode(), **headers)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("invalid_utf8", b'{"query": "{ viewer { subject } }\xff\xfe\xc3("}', "application/json"),
        ("truncated_json", b'{"query": "{ viewer ', "application/json"),
        ("json_null", b"null", "application/json"),
        ("json_number", b"42", "application/json"),
        ("json_string", b'"{ viewer { subject } }"', "application/json"),
        ("empty_body", b"", "application/json"),
        ("query_not_a_string", b'{"query": 42}', "application/json"),
        ("query_as_object", b'{"query": {"a": 1}}', "application/json"),
        (
            "variables_not_an_object",
            b'{"query": "{ viewer { subject } }", "variables": [1, 2]}',
            "application/json",
        ),
        ("text_plain", b"{ viewer { subject } }", "text/plain"),
        ("form_encoded", b"query=%7B+viewer+%7B+subject+%7D+%7D", "application/x-www-form-urlencoded"),
        (
            "multipart_upload",
            b"--x\r\nContent-Disposition: form-data; name=operations\r\n\r\n{}\r\n--x--",
            "multipart/form-data; boundary=x",
        ),
        (
            "nested_json_bomb",
            b'{"query": "{ viewer { subject } }", "variables": {"x": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}}",
            "application/json",
        ),
    ],
)
def test_a_malformed_body_is_refused_cleanly(
    world: World, name: str, content: bytes, content_type: str
) -> None:
    head = world.head(FUZZ)
    response = _raw(world, content, content_type)
    judge(response)
    assert response.status_code in {200, 400, 413, 415, 422}, (
        name,
        response.status_code,
        response.text[:300],
    )
    if response.status_code == 200:
        assert first_code(response.json()) is not None, name
    assert world.head(FUZZ) == head


def test_a_nan_literal_in_unused_variables_is_harmless(world: World) -> None:
    """Python's JSON reader accepts NaN; unused, it changes nothing."""
    judge(_raw(world, b'{"query": "{ viewer { subject } }", "variables": {"x": NaN}}'))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("lone_surrogate", "\ud800"),
        ("surrogate_pair_split", "Sở \udc00 Nội vụ"),
    ],
)
def test_invalid_unicode_escapes_in_variables_are_refused_and_record_nothing(
    world: World, name: str, value: str
) -> None:
    """JSON may spell a lone surrogate (`"\\ud800"`), which is no Unicode text at all."""
    head = world.head(FUZZ)
    payload = {"query": REGISTER, "variables": {"input": {"key": f"k-{name}", "name": value}}}
    body = judge(_raw(world, json.dumps(payload, ensure_ascii=True).encode()))
    assert first_code(body) is not None, body
    assert world.head(FUZZ) == head


SQLISH = [
    "'; DROP TABLE readmodel.tracking; --",
    "x' OR '1'='1",
    "$$; SELECT pg_sleep(5); $$",
    "\\x00\\'; COMMIT; DROP SCHEMA p_nghe_an CASCADE; --",
    "nghe-an/unit/so-noi-vu",
    "../../etc/passwd",
    "{{7*7}} ${7*7} <script>alert(1)</script>",
]


@pytest.mark.parametrize("text", SQLISH)
def test_sql_looking_strings_are_plain_text_and_come_back_exactly(world: World, text: str) -> None:
    head = world.head(FUZZ)
    key = f"sql-{abs(hash(text)) % 10**8}"
    body = judge(_json(world, {"query": REGISTER, "variables": {"input": {"key": key, "name": text}}}))
    if _accepted(body):
        assert world.head(FUZZ) == head + 1
        assert _recorded_name(world, key) == text
    else:
        assert world.head(FUZZ) == head
        assert first_code(body)
    with world_conn(world) as conn:  # nothing was executed as SQL
        assert conn.execute("SELECT to_regclass('readmodel.tracking') IS NOT NULL").fetchone() == (True,)
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'p_nghe_an'").fetchone() == (
            1,
        )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("c0_controls", "".join(chr(c) for c in range(1, 32))),
        ("c1_controls_and_del", "\x7f\x80\x9f"),
        ("bidi_override", "Sở \u202eụv iộN\u202c"),
        ("zero_width", "Sở\u200b\u200c\u200dNội\ufeffvụ"),
        ("noncharacters", "\ufffe\uffff\U0010ffff"),
        ("astral_emoji", "Đơn vị 🏆🇻🇳"),
        ("long_100k", "Ư" * 100_000),
    ],
)
def test_hostile_strings_are_recorded_exactly_or_refused_with_a_code(
    world: World, name: str, text: str
) -> None:
    """Either refused (a code, nothing recorded) or recorded byte for byte, and the projections
    keep up afterwards: a stored string must never poison a read model."""
    head = world.head(FUZZ)
    key = f"str-{name}"
    body = judge(_json(world, {"query": REGISTER, "variables": {"input": {"key": key, "name": text}}}))
    if _accepted(body):
        assert world.head(FUZZ) == head + 1
        # The domain strips surrounding whitespace from names (str.strip counts \x1c-\x1f).
        assert _recorded_name(world, key) in {text, text.strip()}
        world.wait_projected(FUZZ, head + 1, seconds=15)
    else:
        assert world.head(FUZZ) == head, body
        assert first_code(body)


@pytest.mark.parametrize(
    ("name", "input_"),
    [
        ("int_for_string", {"key": 1, "name": "x"}),
        ("list_for_string", {"key": ["a"], "name": "x"}),
        ("object_for_string", {"key": {"a": 1}, "name": "x"}),
        ("null_for_required", {"key": None, "name": "x"}),
        ("missing_required", {"name": "x"}),
        ("unknown_field", {"key": "k", "name": "x", "province": "nghe-an"}),
    ],
)
def test_wrong_types_are_refused_before_anything_runs(
    world: World, name: str, input_: dict[str, Any]
) -> None:
    head = world.head(FUZZ)
    body = judge(_json(world, {"query": REGISTER, "variables": {"input": input_}}))
    assert first_code(body) in {
        "GRAPHQL_VALIDATION_FAILED",
        "GRAPHQL_ERROR",
        "INVALID_ARGUMENT",
        "BAD_USER_INPUT",
    }, (
        name,
        body,
    )
    assert world.head(FUZZ) == head


@pytest.mark.parametrize(
    "value",
    [
        "2025-02-30",
        "0000-01-01",
        "99999-01-01",
        "0001-01-01",
        "9999-12-31",
        20250101,
        "20250101",
        "2025-W26-1",
        "30/06/2025",
        "2025-06-30T08:00:00",
        "",
    ],
)
def test_a_date_that_does_not_parse_says_the_expected_format(world: World, value: object) -> None:
    """Vietnamese, with the format (YYYY-MM-DD), the code INVALID_DATE and the variable's path;
    years outside 1900–2199 too (date arithmetic near year 9999 overflows)."""
    head = world.head(FUZZ)
    input_ = {"key": "k-date", "name": "x", "effectiveOn": value}
    body = judge(_json(world, {"query": REGISTER, "variables": {"input": input_}}))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_DATE", body
    assert error["extensions"]["field"] == "input.effectiveOn", body
    assert "YYYY-MM-DD" in error["message"] or "1900" in error["message"], body
    assert error["message"].startswith("Biến «$input.effectiveOn»: Ngày"), body
    assert world.head(FUZZ) == head


@pytest.mark.parametrize(
    ("query", "code", "expected"),
    [
        ('{ awardProposals(effectiveOn: "2025-13-01") { edges { cursor } } }', "INVALID_DATE", "YYYY-MM-DD"),
        ('{ awardProposals(asOf: "yesterday") { edges { cursor } } }', "INVALID_DATETIME", "ISO 8601"),
        ('{ awardProposals(asOf: "9999-12-31T23:00-14:00") { edges { cursor } } }', "INVALID_DATETIME", "21"),
        (
            '{ auditTrail(filter: {recordedBefore: "0001-01-01T00:00:00Z"}) { edges { cursor } } }',
            "INVALID_DATETIME",
            "1900",
        ),
    ],
)
def test_a_date_written_in_the_query_says_the_expected_format(
    world: World, query: str, code: str, expected: str
) -> None:
    body = judge(_json(world, {"query": query}))
    error = body["errors"][0]
    assert error["extensions"]["code"] == code, body
    assert expected in error["message"], body


def test_a_nul_character_is_refused_or_never_stops_the_projections(world: World) -> None:
    """Run in a province of its own: a NUL that got recorded would stop that province's
    projections for good (read models store text, and PostgreSQL text refuses NUL)."""
    province = f"nul-{uuid.uuid4().hex[:6]}"
    registry = ProvinceRegistry(world.params)
    try:
        registry.create_province(province, "Tỉnh thử NUL", created_by="hostile-test")
    finally:
        registry.close()
    head = world.head(province)
    admin = world.bearer(province, "province_admin")
    payload = {"query": REGISTER, "variables": {"input": {"key": "nul", "name": "Sở\x00Nội vụ"}}}
    response = httpx.post(
        f"{world.served.url}/graphql", json=payload, headers={"Authorization": admin}, timeout=30
    )
    body = judge(response)
    if _accepted(body):
        world.wait_projected(province, head + 1, seconds=10)
    else:
        assert world.head(province) == head


def test_a_huge_list_is_refused_or_handled_within_the_time_limit(world: World) -> None:
    """A list input with 200,000 entries (about 1.6 MB, under the body limit)."""
    mutations = world.schema.mutation_type
    assert mutations is not None
    head = world.head(FUZZ)
    query = (
        "mutation($input: OpenBallotInput!) { openBallot(input: $input) { ok errors { code } } }"
        if "openBallot" in mutations.fields
        else REGISTER
    )
    options = [f"o{i}" for i in range(200_000)]
    base = {"key": "huge", "purpose": "classification", "question": "approve", "electorate": "block_members"}
    body = judge(_json(world, {"query": query, "variables": {"input": {**base, "options": options}}}))
    codes = [first_code(body)]
    assert codes[0] is not None, body
    assert world.head(FUZZ) == head


def test_deeply_nested_values_and_selections_are_refused_with_a_code(world: World) -> None:
    deep_list = "mutation { registerUnit(input: {key: " + "[" * 1200 + "]" * 1200 + ', name: "x"}) { ok } }'
    deep_object = "{ viewer " + "{ subject " * 1200 + "}" * 1201 + " }"
    deep_fragments = (
        "query { viewer { ...F0 } } "
        + " ".join(f"fragment F{i} on Viewer {{ ...F{i + 1} }}" for i in range(300))
        + " fragment F300 on Viewer { subject }"
    )
    cyclic = "query { viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }"
    for query in (deep_list, deep_object, deep_fragments, cyclic):
        body = judge(_json(world, {"query": query}))
        assert first_code(body) in {
            "QUERY_TOO_LARGE",
            "QUERY_TOO_DEEP",
            "GRAPHQL_PARSE_FAILED",
            "GRAPHQL_VALIDATION_FAILED",
        }, body


def test_very_wide_and_alias_heavy_queries_are_refused_with_a_code(world: World) -> None:
    wide = "{ viewer { " + " ".join(["subject"] * 5000) + " } }"
    aliases = "{ " + " ".join(f"a{i}: viewer {{ subject }}" for i in range(200)) + " }"
    costly = (
        "{ "
        + " ".join(f"a{i}: auditTrail(first: 1000) {{ edges {{ node {{ position }} }} }}" for i in range(25))
        + " }"
    )
    many_operations = " ".join(f"query Q{i} {{ viewer {{ subject }} }}" for i in range(500))
    expected: dict[str, set[str | None]] = {
        wide: {"QUERY_TOO_LARGE"},
        aliases: {"TOO_MANY_ALIASES", "QUERY_TOO_LARGE"},
        costly: {"QUERY_TOO_COSTLY", "INVALID_ARGUMENT"},
        many_operations: {None, "QUERY_TOO_LARGE", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_ERROR"},
    }
    for query, codes in expected.items():
        body = judge(_json(world, {"query": query}))
        assert first_code(body) in codes, (query[:80], body)


@pytest.mark.parametrize("size", [2, 100, 5000])
def test_batched_queries_are_refused_whatever_their_number(world: World, size: int) -> None:
    head = world.head(FUZZ)
    batch = [
        {"query": REGISTER, "variables": {"input": {"key": f"batch-{i}", "name": "x"}}} for i in range(size)
    ]
    response = _json(world, batch)
    judge(response)
    assert response.status_code in {400, 413}
    assert world.head(FUZZ) == head


def test_an_oversized_body_is_refused_before_it_is_read_whole(world: World) -> None:
    limit = 2 * 1024 * 1024
    head = world.head(FUZZ)
    for size in (limit + 1, 3 * limit):
        payload = {"query": REGISTER, "variables": {"input": {"key": "big", "name": "x" * size}}}
        response = _json(world, payload)
        judge(response)
        assert response.status_code == 413
    # Chunked, with no Content-Length to check up front.
    chunks = (b"x" * 65536 for _ in range(64))
    started = time.monotonic()
    response = httpx.post(
        f"{world.served.url}/graphql",
        content=chunks,
        headers={"Content-Type": "application/json", "Authorization": world.bearer(FUZZ, "province_admin")},
        timeout=60,
    )
    assert time.monotonic() - started < MAX_SECONDS
    judge(response)
    assert response.status_code in {400, 413}
    assert world.head(FUZZ) == head


def test_hostile_request_ids_are_cut_and_never_break_a_log_line(world: World) -> None:
    since = world.served.log_offset()
    hostile = '"}, {"level": "critical", "event": "forged' + "\u202e" * 3 + "x" * 500
    response = httpx.post(
        f"{world.served.url}/graphql",
        json={"query": VIEWER},
        headers={b"X-Request-Id": hostile.encode("utf-8")},
        timeout=10,
    )
    judge(response)
    assert len(response.headers["x-request-id"]) <= 64
    time.sleep(0.2)
    forged = [line for line in world.served.log_lines(since) if line.get("level") == "critical"]
    assert not forged


def _accepted(body: Any) -> bool:
    payload = (body.get("data") or {}).get("registerUnit") or {}
    return bool(payload.get("ok"))


def _recorded_name(world: World, key: str) -> str:
    from thidua.domain.ids import aggregate_id
    from thidua.services.tenancy import schema_for

    with world_conn(world) as conn:
        row = conn.execute(
            f"SELECT state FROM {schema_for(FUZZ)}.ledger_events WHERE originator_id = %s "
            "ORDER BY originator_version LIMIT 1",
            (aggregate_id(FUZZ, "unit", key),),
        ).fetchone()
    assert row is not None
    return str(json.loads(bytes(row[0]))["name"])


def world_conn(world: World) -> Any:
    import psycopg

    return psycopg.connect(world.params.psycopg_conninfo(), autocommit=True)
