"""The API server SIGKILLed in the middle of a write load, then restarted (máy chủ bị tắt đột ngột).

`thidua serve` in a child process; 8 clients send 300 unit registrations, each with its own
idempotency key; the process is killed with SIGKILL while writes are in flight (no shutdown,
no clean-up: what a power cut or the OOM killer does), then started again. Every write that was
not answered is retried with its key until it is. A retried command must end exactly once: the
retry either hears the outcome the dead process had recorded, or runs the command itself. In the
end every one of the 300 writes is acknowledged and in the history exactly once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.conftest import create_database, drop_database
from tests.faults.load import Attempt, register, registrations
from tests.hostile import figures
from tests.hostile.served import ServedProcess
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

PROVINCE = "nghe-an"
WRITES = 300
CLIENTS = 8
KILL_AFTER = 120  # acknowledged writes before the kill: the load is in full flow
SETTLE_S = 30.0  # a retried write must be answered within this after the restart


def test_writes_cut_by_a_killed_server_end_exactly_once_after_retries(
    pg_server: ConnectionParams, private_dir: Path
) -> None:
    params = create_database(pg_server)
    registry = ProvinceRegistry(params)
    registry.ensure_platform_schema()
    registry.create_province(PROVINCE, "Tỉnh Nghệ An", created_by="op")
    registry.close()
    served = ServedProcess(params, private_dir / "app.log")
    served.start()
    token = served.token(PROVINCE, "province_admin")
    units = [f"don-vi-{i:03d}" for i in range(WRITES)]
    acknowledged = threading.Semaphore(0)
    killed = threading.Event()
    try:
        with httpx.Client(limits=httpx.Limits(max_connections=CLIENTS)) as client:

            def write(unit: str) -> Attempt:
                attempt = register(client, served.url, token, unit, timeout=30)
                if attempt.ok:
                    acknowledged.release()
                return attempt

            def kill_in_flow() -> None:
                for _ in range(KILL_AFTER):
                    acknowledged.acquire(timeout=30)
                os.kill(served.pid, signal.SIGKILL)
                killed.set()

            killer = threading.Thread(target=kill_in_flow)
            killer.start()
            with ThreadPoolExecutor(CLIENTS) as pool:
                first = list(pool.map(write, units))
            killer.join()
            assert killed.is_set()
            assert served.proc is not None
            served.proc.wait(timeout=10)
            served.start()
            unanswered = [a.unit for a in first if a.status is None or not a.ok]
            with ThreadPoolExecutor(CLIENTS) as pool:
                retried = list(
                    pool.map(lambda u: _retry_until_answered(client, served, token, u), unanswered)
                )
        counts = registrations(params, PROVINCE, units)
        answered_before = {a.unit for a in first if a.ok}
        never_recorded = [u for u, n in counts.items() if n == 0]
        doubled = [u for u, n in counts.items() if n > 1]
        lost = [u for u in answered_before if counts[u] != 1]
        not_ok = [(a.unit, a.codes) for a in retried if not a.ok]
        # Cut in flight: sent to the process that died (the others found the port closed).
        cut = [a for a in first if a.status is None and a.codes != ["transport:ConnectError"]]
        replayed = sum(a.replayed for a in retried)
        print(  # noqa: T201
            f"server kill: {len(answered_before)} acknowledged before the kill, {len(cut)} cut in flight, "
            f"{len(unanswered)} retried after the restart ({replayed} answered from the recorded outcome, "
            f"{len(unanswered) - replayed} run); never recorded {len(never_recorded)}, "
            f"doubled {len(doubled)}, lost {len(lost)}, retries not answered ok {len(not_ok)}"
        )
        figures.add("fault_acknowledged", len(answered_before) + sum(a.ok for a in retried))
        figures.add("fault_lost", len(lost))
        figures.add("fault_duplicated", len(doubled))
        figures.add("kill_cut_in_flight", len(cut))
        figures.add("kill_retried", len(unanswered))
        figures.add("kill_replayed", replayed)
        figures.add("kill_never_recorded", len(never_recorded))
        assert cut, "the kill cut no request in flight: the test proves nothing"
        assert not lost, lost
        assert not doubled, doubled
        assert not not_ok, not_ok
        assert not never_recorded, never_recorded
    finally:
        served.stop()
        drop_database(pg_server, params)


def _retry_until_answered(client: httpx.Client, served: ServedProcess, token: str, unit: str) -> Attempt:
    """The same write with the same key until the server answers it with an outcome."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        attempt = register(client, served.url, token, unit, timeout=30)
        if attempt.ok or time.monotonic() > deadline:
            return attempt
        time.sleep(0.2)
