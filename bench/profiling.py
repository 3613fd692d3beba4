"""Profiles of the served product (phân tích hiệu năng) with py-spy, when asked (`--profile`).

py-spy attaches to the server process for the measuring window and writes collapsed stacks to
`var/bench/profiles/<case>.txt`; `summarize` turns them into the functions where time goes
(inclusive and self), which is what the README's notes quote. py-spy is a profiling tool, not a
project dependency: `.venv/bin/pip install py-spy` before using `--profile`.
"""

from __future__ import annotations

import asyncio
import collections
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog

log = structlog.get_logger()


def _py_spy() -> str | None:
    local = Path(sys.executable).with_name("py-spy")
    return str(local) if local.exists() else shutil.which("py-spy")


@asynccontextmanager
async def profiled(pid: int | None, path: Path, seconds: float, *, enabled: bool) -> AsyncIterator[None]:
    """Record `pid` for `seconds` while the body runs (no-op unless enabled and py-spy exists)."""
    exe = _py_spy() if enabled and pid is not None else None
    if exe is None:
        if enabled:
            log.warning("bench_profile_unavailable", reason="py-spy not installed")
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    proc = await asyncio.create_subprocess_exec(
        exe, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))), "--rate", "200",
        "--format", "raw", "--nonblocking", "--subprocesses", "--output", str(path),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        try:
            await asyncio.wait_for(proc.wait(), timeout=seconds + 30)
        except TimeoutError:
            proc.kill()
        log.info("bench_profile_written", path=str(path))


def _frame(frame: str) -> str:
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].rsplit('/', 2)[-1]})" if where else name


def summarize(path: Path, top: int = 25, *, skip_idle: bool = True) -> str:
    """Inclusive and self shares of the busiest functions in a py-spy raw profile."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    idle_leaves = ("Condition.wait (threading.py)", "EpollSelector.select (selectors.py)")
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame(f) for f in stack.split(";")]
        if skip_idle and frames[-1] in idle_leaves:
            continue
        n = int(count)
        total += n
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    if not total:
        return "no busy samples"
    lines = [f"busy samples: {total}", "inclusive:"]
    lines += [f"  {v / total:6.1%}  {k}" for k, v in inclusive.most_common(top)]
    lines.append("self:")
    lines += [f"  {v / total:6.1%}  {k}" for k, v in own.most_common(top)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 25))
