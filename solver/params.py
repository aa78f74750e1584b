"""Solver settings: one object for the command line, the tests and the benchmarks.

Every number that steers the search lives here, documented once: `Params` says what to solve
with (seed, limits, the rows to keep or count), `Tuning` how the engines trade speed for proof.
Nothing else in the solver keeps a tunable constant of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from roster.assignments import AssignmentRow
from roster.i18n import tr


@dataclass(frozen=True)
class Tuning:
    """How the engines are tuned; the defaults are what the benchmarks in the README measured.

    - `tie_break_pairs`: up to this many eligible (slot, volunteer) pairs in all, spread and
      continuity are also searched by CP-SAT after the flow (seconds per part); beyond it, the
      flow's own balancing stands (a city in seconds).
    - `tie_limit`: deterministic seconds per yes/no question of the tie-breakers (spread,
      continuity), which only break ties among rosters already optimal in the primary terms.
    - `refute_limit`: deterministic seconds per CP-SAT question of the fast path ("is every
      deviation at most D?"); unanswered, the roster in hand stands with its gap reported.
    - `flow_tries`: candidate deviations the flow tries before the part goes to CP-SAT.
    - `balance`: the flow's balancing cost counts deviations from the fair share in steps of
      1/`balance` of a window (convex on both sides of the share, `flow._balance_arcs`).
    - `familiar`: the flow's discount for a person already serving the area (continuity); it
      only breaks ties, since the balancing costs are scaled above all discounts together.
    - `unit_choice_limit`: deterministic seconds for choosing the unit of shared areas.
    """

    tie_break_pairs: int = 20_000
    tie_limit: float = 1.0
    refute_limit: float = 1.0
    flow_tries: int = 40
    balance: int = 10
    familiar: int = 3
    unit_choice_limit: float = 10.0

    def __post_init__(self) -> None:
        for name in ("tie_limit", "refute_limit", "unit_choice_limit"):
            if getattr(self, name) <= 0:
                raise ValueError(tr("{name} must be positive", name=name))
        for name in ("tie_break_pairs", "flow_tries", "balance", "familiar"):
            if getattr(self, name) < 0:
                raise ValueError(tr("{name} must not be negative", name=name))


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
    # Assignments the office fixed by hand: every roster keeps those the rules still allow.
    locked: tuple[AssignmentRow, ...] = ()
    history: tuple[AssignmentRow, ...] = ()
    # Spread and continuity by CP-SAT after the flow: None decides by size (Tuning.tie_break_pairs).
    tie_breakers: bool | None = None
    tuning: Tuning = field(default_factory=Tuning)

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValueError(tr("{name} must be positive", name="time_limit"))
        if self.workers < 1:
            raise ValueError(tr("{name} must be at least {least}", name="workers", least=1))
