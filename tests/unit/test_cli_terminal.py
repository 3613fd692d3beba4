"""The command line on a terminal: `--version`, log lines that do not break the progress bars,
the libraries' INFO lines left out, and the role names the README uses."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from thidua.services.auth import Role

ROOT = Path(__file__).resolve().parents[2]
THIDUA = str(Path(sys.executable).parent / "thidua")

# Logs while a rich progress bar runs, as `ledger verify` or `projections rebuild` do.
PROGRESS_WITH_LOGS = """
import logging, time, structlog
from rich.console import Console
from rich.progress import Progress
from thidua.services.logging import configure_logging
configure_logging("auto", "INFO")
log = structlog.get_logger()
logging.getLogger("asyncpg").info("library chatter")
logging.getLogger("asyncpg").warning("library warning")
with Progress(console=Console(stderr=True)) as bar:
    task = bar.add_task("verifying", total=4)
    for i in range(4):
        log.info("step_done", step=i)
        bar.update(task, advance=1)
        time.sleep(0.12)
"""


def on_a_terminal(code: str) -> str:
    """What a program writes to a terminal (a pseudo-terminal, 200 columns), raw."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "LINES": "40"}
    env.pop("THIDUA_LOG_FORMAT", None)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the program closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=30) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_log_lines_are_printed_above_the_progress_bar_not_through_it() -> None:
    raw = on_a_terminal(PROGRESS_WITH_LOGS)
    assert raw.count("step_done") == 4
    assert "━" in raw  # the bar was drawn
    for match in re.finditer("step_done", raw):
        # What shares the terminal line with the log line: everything since the last carriage
        # return or newline. The bar is cleared first, so none of it may be there.
        line_start = max(raw.rfind("\r", 0, match.start()), raw.rfind("\n", 0, match.start()))
        assert "━" not in raw[line_start + 1 : match.start()], repr(raw[line_start : match.end()])


def test_on_a_terminal_the_libraries_info_lines_are_left_out_but_not_their_warnings() -> None:
    raw = on_a_terminal(PROGRESS_WITH_LOGS)
    assert "library warning" in raw
    assert "library chatter" not in raw
    assert "step_done" in raw  # ours stay at INFO


def test_version_is_the_project_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = subprocess.run([THIDUA, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"thidua {version}"


def test_the_readme_and_the_cli_name_the_same_roles() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    values = {role.value for role in Role}
    used = set(re.findall(r"--role ([a-z_]+)", readme))
    assert used, "the README shows no token command"
    assert used <= values, f"the README uses roles the CLI refuses: {sorted(used - values)}"
    roles_line = readme[readme.index("Roles: ") :].split("\n\n")[0]
    assert all(value in roles_line for value in values), "the README's roles paragraph misses one"
    helped = subprocess.run([THIDUA, "token", "issue", "--help"], capture_output=True, text=True, check=True)
    assert all(value in helped.stdout for value in values)
