"""structlog set-up: JSON lines in production, a console renderer on a terminal.

Request id, province and user are bound per request as context variables (see `services.http`),
so every line a request writes carries them, stdlib loggers (uvicorn, asyncpg) included.

On a terminal the libraries' INFO lines are left out (their warnings stay; THIDUA_LOG_LEVEL=DEBUG
shows everything), and lines are written to whatever `sys.stderr` is when they are written: while
a rich progress bar runs, that is rich's proxy, which prints them above the bar instead of through
it.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal

import structlog

# Loggers that keep the configured level on a terminal; every other library says only warnings.
VOICED = ("thidua", "uvicorn.error", "__main__")


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler on the current `sys.stderr`, looked up at each line, not at set-up."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


def configure_logging(fmt: Literal["auto", "json", "console"] = "auto", level: str = "INFO") -> None:
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        # No local variables in tracebacks: a failing secret vote's frames hold the voter and
        # the choice, and structlog's console default prints every frame's locals.
        structlog.dev.ConsoleRenderer(
            exception_formatter=structlog.dev.RichTracebackFormatter(show_locals=False)
        )
        if use_console
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *([] if use_console else [structlog.processors.format_exc_info]),
            renderer,
        ],
    )
    handler = _CurrentStderr()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    quiet = use_console and logging.getLevelName(level) > logging.DEBUG
    root.setLevel(max(logging.getLevelName(level), logging.WARNING) if quiet else level)
    for name in VOICED:  # ours, and the server saying where it listens
        logging.getLogger(name).setLevel(level)
    # uvicorn installs its own handlers; route them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
