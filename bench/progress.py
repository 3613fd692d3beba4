"""Progress of long work (tiến độ): a rich bar on a terminal, progress log events always."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import structlog
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

log = structlog.get_logger()

LOG_EVERY_S = 10.0


@contextmanager
def progress_bar(console: Console, what: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """Yields `update(done, total)`; draws a bar on a terminal and logs every ~10 s."""
    last_log = time.monotonic()
    started = last_log

    def log_step(done: int, target: int) -> None:
        nonlocal last_log
        now = time.monotonic()
        if now - last_log >= LOG_EVERY_S or done >= target:
            last_log = now
            rate = done / (now - started) if now > started else 0.0
            log.info("bench_progress", what=what, done=done, total=target, per_second=round(rate))

    if not console.is_terminal:
        yield log_step
        return
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task(what, total=total)

        def update(done: int, target: int) -> None:
            bar.update(task, completed=done, total=target)
            log_step(done, target)

        yield update
