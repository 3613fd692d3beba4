"""OpenTelemetry tracing (THIDUA_OTEL=true, off by default): each HTTP request is a server span,
exported over OTLP/HTTP, carrying the GraphQL operation; without the optional packages the app
says so once and serves untraced."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from structlog.testing import capture_logs

from tests import conftest
from tests.conftest import ServedApp
from thidua.services.database import ConnectionParams
from thidua.services.tracing import tracing


class Collector(ThreadingHTTPServer):
    """A stand-in OpenTelemetry collector on loopback: keeps every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[Any] = []
        super().__init__(("127.0.0.1", 0), _Receive)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Receive(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/v1/traces":
            request = ExportTraceServiceRequest.FromString(body)
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    self.server.spans.extend(scope.spans)
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", server.url)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def attributes(span: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kv in span.attributes:
        v = kv.value
        found[kv.key] = (
            [x.string_value for x in v.array_value.values]
            if v.HasField("array_value")
            else (v.string_value or v.int_value)
        )
    return found


def test_a_graphql_request_is_exported_as_a_span_with_its_operation(
    collector: Collector, database: ConnectionParams
) -> None:
    app = ServedApp(conftest.test_settings(THIDUA_OTEL="true"), database)
    app.start()
    try:
        token = app.token("nghe-an", "auditor")
        answer = httpx.post(
            f"{app.url}/graphql",
            json={"query": "{ viewer { subject } }"},
            headers={"Authorization": f"Bearer {token}", "traceparent": f"00-{'ab' * 16}-{'cd' * 8}-01"},
        )
        assert answer.json()["data"]["viewer"]["subject"] == "tester"
    finally:
        app.stop()  # flushes the spans still queued
    served = [s for s in collector.spans if attributes(s).get("graphql.operation.fields") == ["viewer"]]
    assert len(served) == 1, [s.name for s in collector.spans]
    span = served[0]
    assert "/graphql" in span.name
    assert attributes(span)["thidua.outcome"] == "ok"
    assert span.trace_id.hex() == "ab" * 16  # joined the caller's trace (W3C traceparent)


def test_tracing_is_off_by_default() -> None:
    assert conftest.test_settings().ops.tracing is False
    assert tracing(conftest.test_settings()).middleware == []


def test_without_the_optional_packages_the_app_says_so_and_serves_untraced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # as if the 'otel' extra were absent
    with capture_logs() as logs:
        traced = tracing(conftest.test_settings(THIDUA_OTEL="true"))
    assert traced.middleware == []
    traced.shutdown()
    assert [entry["event"] for entry in logs] == ["tracing_unavailable"]
    assert "otel" in logs[0]["hint"]
