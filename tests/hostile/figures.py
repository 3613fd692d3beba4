"""The reliability figures the hostile and fault tests count (docs/reliability.md quotes them).

Tests add to named counters while they run; at the end of the session the counters are printed
in pytest's summary and written to `var/reliability-figures.json`, which
`python -m tests.hostile.report` reads back. Counters only ever grow within a session.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = Path(os.environ.get("THIDUA_FIGURES_FILE", ROOT / "var" / "reliability-figures.json"))

_counts: Counter[str] = Counter()
_measures: dict[str, float] = {}
_printed: list[bool] = []

# name -> what it counts (the order of the printed table).
DESCRIPTIONS = {
    "hostile_cases": "hostile requests checked (access matrix, bad input, limits)",
    "access_cases": "  of which: root field x bad credential",
    "foreign_province_cases": "  of which: another province's token on every field",
    "bad_input_cases": "  of which: malformed bodies, headers, limits",
    "transport_cases": "  of which: transport failures answered as GraphQL errors with a code",
    "cursor_cases": "  of which: pages and wrong cursors on every connection",
    "key_cases": "  of which: a malformed key in each key field of each mutation",
    "leaks": "responses or log lines carrying another province's data",
    "fuzz_requests": "fuzzed mutation requests (hypothesis)",
    "fuzz_query_requests": "fuzzed query requests (hypothesis, every argument)",
    "fuzz_errors_logged": "fuzzed requests that logged an error (bad input must not)",
    "fuzz_500s": "HTTP 5xx seen under fuzzing",
    "fuzz_unmasked": "tracebacks or internal details in a fuzzed response",
    "fuzz_internal_errors": "fuzzed requests answered INTERNAL_ERROR (masked crash)",
    "fuzz_refused_but_recorded": "refused fuzzed commands that recorded an event",
    "permission_matrix_calls": "permission matrix calls (every field x every role pair, odd claims)",
    "permission_matrix_mismatches": "  of which: answered otherwise than the independent oracle",
    "permission_refused_but_recorded": "events recorded while the refused matrix calls ran",
    "rls_tables_checked": "read-model tables checked under row-level security",
    "fault_acknowledged": "acknowledged commands across the fault tests",
    "fault_lost": "acknowledged commands missing from the history",
    "fault_duplicated": "commands recorded more than once",
    "fault_failed_cleanly": "requests refused cleanly while PostgreSQL was down",
    "pg_first_write_after_ready_failed": "first writes after /ready said ready again that failed",
    "kill_cut_in_flight": "server SIGKILLed: writes cut in flight",
    "kill_retried": "server SIGKILLed: unanswered writes retried with their key after the restart",
    "kill_replayed": "  of which answered from the outcome the killed server had recorded",
    "kill_never_recorded": "server SIGKILLed: writes never recorded after their retries",
}


def add(name: str, n: int = 1) -> None:
    _counts[name] += n


def measure(name: str, value: float) -> None:
    """A measured figure (memory growth, pool sizes, seconds); the last value wins."""
    _measures[name] = value


def snapshot() -> dict[str, Any]:
    return {"counts": dict(_counts), "measures": dict(_measures), "written_at": time.time()}


def write() -> None:
    if not _counts and not _measures:
        return
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(json.dumps(snapshot(), indent=2, sort_keys=True) + "\n")


def lines(data: dict[str, Any] | None = None) -> list[str]:
    """The figures as printable lines."""
    data = data or snapshot()
    counts: dict[str, int] = data.get("counts", {})
    measures: dict[str, float] = data.get("measures", {})
    # Every described counter is printed, zeros included: a zero is the point of most of them.
    out = [f"{counts.get(name, 0):>8}  {text}" for name, text in DESCRIPTIONS.items()]
    out += [f"{counts[name]:>8}  {name}" for name in sorted(counts) if name not in DESCRIPTIONS]
    out += [f"{value:>8.1f}  {name}" for name, value in sorted(measures.items())]
    return out


def summary(terminalreporter: Any) -> None:
    """Print once per session, whichever conftest asks first; write the file."""
    if _printed or (not _counts and not _measures):
        return
    _printed.append(True)
    write()
    terminalreporter.section("reliability figures (docs/reliability.md)")
    for line in lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"written to {FIGURES_FILE}")
