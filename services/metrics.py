"""`/metrics` in Prometheus' text format (prometheus-client).

What each process counts itself (requests, operations, latencies, events written, pool use)
goes through prometheus-client's multi-process mode when `thidua serve --workers N` runs several
processes: the parent gives them one directory (`PROMETHEUS_MULTIPROC_DIR`, a fresh temporary
one unless the operator names one), every worker writes its samples there, and whichever worker
answers a scrape adds up all of them. What the database knows (projection positions and lag,
ledger heads per province) is read at scrape time instead, so any process answers it whole,
the projection worker's progress included.

Who may read it: operators scrape from a private network. With THIDUA_METRICS_TOKEN set,
/metrics answers only `Authorization: Bearer <that token>`; in production it is off unless a
token is set or THIDUA_METRICS=true (then keep /metrics off the public proxy: deploy/proxy).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import Counter, Gauge, Histogram

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

HTTP_REQUESTS = Counter(
    "thidua_http_requests",
    "HTTP requests answered, by route, method and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "thidua_http_request_duration_seconds", "Time to answer an HTTP request, by route.", ["route"]
)
OPERATIONS = Counter(
    "thidua_graphql_operations",
    "GraphQL root fields executed, by field, kind (query, mutation) and outcome (ok, or the first "
    "error's code).",
    ["operation", "kind", "outcome"],
)
OPERATION_SECONDS = Histogram(
    "thidua_graphql_request_duration_seconds",
    "Time to answer a GraphQL request over HTTP, by root field and kind.",
    ["operation", "kind"],
)
EVENTS_WRITTEN = Counter("thidua_events_written", "Events recorded by commands, by province.", ["province"])
POOL_CONNECTIONS = Gauge(
    "thidua_pool_connections",
    "Database connections of this service's pools: in_use, idle, open (size) and max, by pool "
    "(read: the asyncpg read pool; write: a province's event store pool).",
    ["pool", "province", "state"],
    multiprocess_mode="livesum",
)
POOL_SAMPLE_S = 5.0


def events_written(province: str, count: int) -> None:
    if count:
        EVENTS_WRITTEN.labels(province).inc(count)


@contextmanager
def multiprocess_directory() -> Iterator[Path]:
    """The directory the server processes share their samples through, set in the environment
    before they start (prometheus-client reads it when first imported). Emptied first: samples
    of an earlier run must not be added to this one's. A temporary one is removed afterwards."""
    named = os.environ.get(MULTIPROC_ENV)
    path = Path(named) if named else Path(tempfile.mkdtemp(prefix="thidua-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(path)
    try:
        yield path
    finally:
        if not named:
            shutil.rmtree(path, ignore_errors=True)
