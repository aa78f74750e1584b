"""Solver settings: one object for the command line, the tests and the benchmarks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from roster.assignments import AssignmentRow


@dataclass(frozen=True)
class Params:
    """How to solve.

    `time_limit` is CP-SAT's deterministic time (about seconds, but the same on every machine)
    per part and stage, so the same inputs and seed give the same roster. `workers` is the number
    of parts solved at once, each with one CP-SAT worker.
    """

    seed: int = 0
    time_limit: float = 10.0
    strict: bool = False
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    previous: tuple[AssignmentRow, ...] = ()
    history: tuple[AssignmentRow, ...] = ()
    # Spread and continuity by CP-SAT after the flow: None decides by size (see solver.solve).
    tie_breakers: bool | None = None

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValueError("time_limit must be positive")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
