"""Print the reliability figures of the last test session: `python -m tests.hostile.report`."""

from __future__ import annotations

import json
import sys

from tests.hostile.figures import FIGURES_FILE, lines


def main() -> int:
    if not FIGURES_FILE.exists():
        sys.stderr.write(f"no figures yet: run `pytest tests/hostile tests/faults` ({FIGURES_FILE})\n")
        return 1
    data = json.loads(FIGURES_FILE.read_text())
    sys.stdout.write("\n".join(lines(data)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
