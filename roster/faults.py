"""Named points where a test may kill the process, to prove that a crash there loses nothing.

`ROSTER_FAULT=<point>` kills the process with SIGKILL (as `kill -9` would) the first time it
reaches that point; `ROSTER_FAULT_TRACE=<file>` appends the name of every point reached, so a
test can find them all and kill at each in turn. Neither is set in normal use: then a point
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

FAULT = "ROSTER_FAULT"
TRACE = "ROSTER_FAULT_TRACE"


def point(name: str) -> None:
    """Mark a step; killed here when the environment asks for it."""
    trace = os.environ.get(TRACE)
    if trace:
        with open(trace, "a", encoding="utf-8") as f:
            f.write(name + "\n")
    if os.environ.get(FAULT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
