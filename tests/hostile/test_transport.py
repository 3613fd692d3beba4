"""Transport failures (lỗi truyền tải) over real HTTP: a request that never becomes a GraphQL
operation is answered like every other error, `{"errors": [{"message", "extensions": {"code"}}]}`
with a Vietnamese message and a fitting status, records nothing and logs nothing at error level.

Before: an integer of over 4,300 digits gave a 500 (Python's int conversion limit), a
subscription sent over POST an INTERNAL_ERROR with a traceback in the log, and the rest English
plain text ("Unable to parse request body as JSON", "Batching is not enabled")."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.hostile import figures
from tests.hostile.judge import STABLE_CODE, errors_logged, judge
from tests.hostile.schema_walk import operation
from tests.hostile.world import FUZZ, World

VIEWER = "{ viewer { subject } }"
HUGE = "9" * 5000  # Python refuses to convert an integer of more than 4,300 digits
VIETNAMESE = set("ạảãàáâậầấẩẫăắằặẳẵêềếểễệẹẻẽèéôồốổỗộơờớởỡợọỏõòóưừứửữựụủũùúịỉĩìíỳýỷỹỵđĐ")
MAX_SECONDS = 10.0


def _send(
    world: World,
    method: str,
    content: bytes | Iterator[bytes] | None = None,
    content_type: str | None = "application/json",
    url_suffix: str = "",
) -> httpx.Response:
    headers = {"Authorization": world.bearer(FUZZ, "province_admin", "auditor")}
    if content_type is not None:
        headers["Content-Type"] = content_type
    started = time.monotonic()
    response = httpx.request(
        method, f"{world.served.url}/graphql{url_suffix}", content=content, headers=headers, timeout=60
    )
    assert time.monotonic() - started < MAX_SECONDS
    return response


def _refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The answer is GraphQL-shaped JSON with `code`, a Vietnamese message, and `status`."""
    judge(response)
    figures.add("transport_cases")
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code, body
    assert STABLE_CODE.match(code)
    assert VIETNAMESE & set(error["message"]), error["message"]
    return body


def _with_variables(variables: bytes, query: bytes = b'"{ viewer { subject } }"') -> bytes:
    return b'{"query": ' + query + b', "variables": ' + variables + b"}"


BODIES = [
    ("integer_of_5000_digits", _with_variables(b'{"n": ' + HUGE.encode() + b"}")),
    ("negative_integer_of_5000_digits", _with_variables(b'{"n": -' + HUGE.encode() + b"}")),
    ("integer_of_5000_digits_as_query", b'{"query": ' + HUGE.encode() + b"}"),
    ("integer_of_5000_digits_deep_in_a_list", _with_variables(b'{"a": [[[' + HUGE.encode() + b"]]]}")),
    (
        "integer_of_5000_digits_in_a_standings_body",  # the kept-answers path parses it first
        _with_variables(
            b'{"y": ' + HUGE.encode() + b"}",
            b'"query($y: Int!) { standings(blockId: \\"k\\", year: $y) { year } }"',
        ),
    ),
    ("invalid_utf8", b'{"query": "{ viewer { subject } }\xff\xfe"}'),
    ("truncated_json", b'{"query": "{ viewer '),
    ("json_null", b"null"),
    ("json_number", b"42"),
    ("json_string", b'"{ viewer { subject } }"'),
    ("json_true", b"true"),
    ("nested_json_bomb", _with_variables(b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")),
]


@pytest.mark.parametrize(("name", "content"), BODIES, ids=[n for n, _ in BODIES])
def test_a_body_that_does_not_parse_is_invalid_json(world: World, name: str, content: bytes) -> None:
    since, head = world.served.log_offset(), world.head(FUZZ)
    body = _refused(_send(world, "POST", content), 400, "INVALID_JSON")
    assert "JSON" in body["errors"][0]["message"], name
    assert world.head(FUZZ) == head
    assert not errors_logged(world.served, since)


@pytest.mark.parametrize("content", [b"", b"   \n\t "])
def test_an_empty_body_says_so(world: World, content: bytes) -> None:
    since = world.served.log_offset()
    _refused(_send(world, "POST", content), 400, "EMPTY_BODY")
    assert not errors_logged(world.served, since)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/xml",
        None,
    ],
)
def test_a_wrong_content_type_is_415(world: World, content_type: str | None) -> None:
    since = world.served.log_offset()
    body = json.dumps({"query": VIEWER}).encode()
    answer = _refused(_send(world, "POST", body, content_type), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "application/json" in answer["errors"][0]["message"]
    assert not errors_logged(world.served, since)


@pytest.mark.parametrize("size", [0, 1, 2, 50])
def test_a_batch_is_refused_with_a_code(world: World, size: int) -> None:
    head = world.head(FUZZ)
    batch = [{"query": VIEWER} for _ in range(size)]
    _refused(_send(world, "POST", json.dumps(batch).encode()), 400, "BATCH_NOT_SUPPORTED")
    assert world.head(FUZZ) == head


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"query": 42}, "INVALID_REQUEST"),
        ({"query": {"a": 1}}, "INVALID_REQUEST"),
        ({"query": VIEWER, "variables": [1, 2]}, "INVALID_REQUEST"),
        ({"query": VIEWER, "variables": "x"}, "INVALID_REQUEST"),
        ({"query": VIEWER, "extensions": 7}, "INVALID_REQUEST"),
        ({"variables": {}}, "QUERY_MISSING"),
        ({"query": None}, "QUERY_MISSING"),
        ({"query": ""}, "QUERY_MISSING"),
        ({"query": "query A { viewer { subject } }", "operationName": "B"}, "UNKNOWN_OPERATION"),
        ({"query": float("nan")}, "INVALID_REQUEST"),
    ],
)
def test_a_malformed_request_object_is_refused_with_a_code(
    world: World, payload: dict[str, Any], code: str
) -> None:
    since = world.served.log_offset()
    _refused(_send(world, "POST", json.dumps(payload).encode()), 400, code)
    assert not errors_logged(world.served, since)


@pytest.mark.parametrize(
    "query",
    [
        VIEWER,
        'mutation { registerUnit(input: {key: "qua-get", name: "x"}) { ok } }',
    ],
)
def test_an_operation_sent_with_get_is_405_and_records_nothing(world: World, query: str) -> None:
    head, since = world.head(FUZZ), world.served.log_offset()
    response = _send(world, "GET", None, None, f"?query={httpx.QueryParams({'q': query})['q']}")
    _refused(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    assert world.head(FUZZ) == head
    assert not errors_logged(world.served, since)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_method_other_than_get_and_post_is_405(world: World, method: str) -> None:
    since = world.served.log_offset()
    response = _send(world, method, json.dumps({"query": VIEWER}).encode())
    _refused(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"
    assert not errors_logged(world.served, since)


def test_every_subscription_sent_over_post_is_refused_with_a_code(world: World) -> None:
    """Every subscription root field of the served schema, over POST and over GET."""
    subscriptions = [f for f in world.fields if f.kind == "subscription"]
    assert subscriptions
    since = world.served.log_offset()
    for root in subscriptions:
        query, variables = operation(root)
        content = json.dumps({"query": query, "variables": variables}).encode()
        _refused(_send(world, "POST", content), 400, "SUBSCRIPTION_NEEDS_WEBSOCKET")
        suffix = "?" + str(httpx.QueryParams({"query": query, "variables": json.dumps(variables)}))
        _refused(_send(world, "GET", None, None, suffix), 400, "SUBSCRIPTION_NEEDS_WEBSOCKET")
    assert not errors_logged(world.served, since)


def test_a_body_over_the_limit_is_413_with_the_limit_named(world: World) -> None:
    limit = 2 * 1024 * 1024
    since, head = world.served.log_offset(), world.head(FUZZ)
    payload = {"query": VIEWER, "variables": {"x": "x" * (limit + 1)}}
    body = _refused(_send(world, "POST", json.dumps(payload).encode()), 413, "REQUEST_TOO_LARGE")
    assert "2.097.152" in body["errors"][0]["message"]
    # Chunked, with no Content-Length to check up front: refused while reading.
    chunks = (b"x" * 65536 for _ in range(64))
    _refused(_send(world, "POST", chunks), 413, "REQUEST_TOO_LARGE")
    assert world.head(FUZZ) == head
    assert not errors_logged(world.served, since)
