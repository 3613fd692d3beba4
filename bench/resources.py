"""CPU and memory of a process tree while it is measured (tài nguyên máy chủ): the served product
(`thidua serve` and its workers) and the embedded PostgreSQL (the postmaster and its backends).

CPU is user + system seconds over the window; a child that exits during the window is still
counted, through its parent's cutime/cstime (the parent reaps it). Memory is the largest sum
of the tree's resident (and proportional) sets seen by a sampler every `interval` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name (field 3 onwards)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(pid: int) -> list[int]:
    """`pid` and its living descendants (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents.setdefault(int(_stat(int(stat.parent.name))[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system seconds of `pid`, its living descendants and its reaped children."""
    ticks = 0
    for n, proc in enumerate(_tree(pid)):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = _stat(proc)
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if n == 0:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: children reaped
    return ticks / CLOCK_TICKS


def memory_bytes(pid: int) -> tuple[int, int, int]:
    """(resident bytes of the tree, proportional bytes (PSS: a shared page split among the
    processes mapping it), processes in it), from /proc/<pid>/smaps_rollup."""
    procs = _tree(pid)
    rss = pss = 0
    for proc in procs:
        with contextlib.suppress(OSError, IndexError, ValueError):
            for line in Path(f"/proc/{proc}/smaps_rollup").read_text().splitlines():
                name, _, rest = line.partition(":")
                if name == "Rss":
                    rss += int(rest.split()[0]) * 1024
                elif name == "Pss":
                    pss += int(rest.split()[0]) * 1024
    return rss, pss, len(procs)


def postmaster_pid(pgdata: Path) -> int | None:
    """The embedded server's postmaster, from its `postmaster.pid`."""
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Usage:
    """What one process tree used over a window of `seconds`."""

    cpu_s: float = 0.0
    seconds: float = 0.0
    peak_rss_bytes: int = 0
    peak_pss_bytes: int = 0
    peak_processes: int = 0

    @property
    def cores(self) -> float:
        """CPU seconds per second of wall time (1.0 = one core busy)."""
        return self.cpu_s / self.seconds if self.seconds > 0 else 0.0

    def summary(self, prefix: str) -> dict[str, float | int]:
        return {
            f"{prefix}_cpu_s": round(self.cpu_s, 1),
            f"{prefix}_cores": round(self.cores, 2),
            f"{prefix}_peak_rss_mb": round(self.peak_rss_bytes / 2**20, 1),
            f"{prefix}_peak_pss_mb": round(self.peak_pss_bytes / 2**20, 1),
            f"{prefix}_processes": self.peak_processes,
        }


@contextlib.asynccontextmanager
async def watched(pid: int | None, *, interval: float = 0.5) -> AsyncIterator[Usage]:
    """Measure the tree under `pid` for the duration of the block (nothing when `pid` is None)."""
    usage = Usage()
    if pid is None:
        yield usage
        return
    loop = asyncio.get_running_loop()
    started, cpu_before = loop.time(), cpu_seconds(pid)
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            # In a thread: the scan of /proc must not delay the load generator's requests.
            rss, pss, count = await asyncio.to_thread(memory_bytes, pid)
            usage.peak_rss_bytes = max(usage.peak_rss_bytes, rss)
            usage.peak_pss_bytes = max(usage.peak_pss_bytes, pss)
            usage.peak_processes = max(usage.peak_processes, count)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    sampler = asyncio.create_task(sample())
    try:
        yield usage
    finally:
        stop.set()
        await sampler
        usage.cpu_s = cpu_seconds(pid) - cpu_before
        usage.seconds = loop.time() - started
