"""Optional OpenTelemetry tracing (THIDUA_OTEL=true): a server span per HTTP request, named after
its route, with the GraphQL operation's kind, root fields and outcome as attributes.

The packages are the optional 'otel' extra (requirements-otel.lock), not installed in the image
by default: asked for without them, the app logs `tracing_unavailable` once and serves untraced.
The exporter is OTLP over HTTP, configured by the standard variables
(OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from litestar.middleware import DefineMiddleware

from thidua.services.settings import Settings

log = structlog.get_logger()

_tracing = False


@dataclass
class Tracing:
    """The middleware that opens a span per request (none when tracing is off or not installed),
    and what flushes the spans still queued when the app stops."""

    middleware: list[DefineMiddleware] = field(default_factory=list)
    shutdown: Callable[[], None] = lambda: None


def tracing(settings: Settings) -> Tracing:
    global _tracing  # noqa: PLW0603 - one tracer provider per process, set once
    if not settings.ops.tracing:
        return Tracing()
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig  # noqa: PLC0415
        from opentelemetry import trace  # noqa: PLC0415
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,
        )
        from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
        from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
        from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415
    except ImportError as missing:
        log.warning(
            "tracing_unavailable",
            missing=getattr(missing, "name", None) or str(missing),
            hint="install the 'otel' extra (requirements-otel.lock) or unset THIDUA_OTEL",
        )
        return Tracing()
    provider = TracerProvider(resource=Resource.create({"service.name": "thidua"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if not _tracing:
        trace.set_tracer_provider(provider)
    _tracing = True
    log.info("tracing_on")
    return Tracing([OpenTelemetryConfig(tracer_provider=provider).middleware], provider.shutdown)


def annotate(kind: str, fields: tuple[str, ...], outcome: str) -> None:
    """Put the GraphQL operation on the request's span (nothing when tracing is off)."""
    if not _tracing:
        return
    from opentelemetry import trace  # noqa: PLC0415

    span = trace.get_current_span()
    span.set_attribute("graphql.operation.type", kind)
    span.set_attribute("graphql.operation.fields", list(fields))
    span.set_attribute("thidua.outcome", outcome)
