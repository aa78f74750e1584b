"""`solve(plan, start, end, params) -> Result`: one entry point for the CLI, tests, benchmarks.

Level one chooses the unit of each shared area; the slots are then split into independent parts
(one per unit), solved in parallel across the machine's cores with one CP-SAT worker each, which
keeps every part's result independent of scheduling and so reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date

from roster.i18n import language, set_language
from roster.model import Plan
from roster.processes import die_with_parent
from solver.lexicographic import solve_part
from solver.params import Params
from solver.parts import DayCache, Part
from solver.prepare import Prepared, make_parts
from solver.result import PartResult, Result, Status

Progress = Callable[[PartResult], None]


def _solve_one(args: tuple[Part, Params, str]) -> PartResult:
    """One part in a worker process, its texts in the caller's language (a process started
    afresh, as on Windows, would read only ROSTER_LANG)."""
    part, params, lang = args
    set_language(lang)
    return solve_part(part, params)


def solve(
    plan: Plan,
    start: date,
    end: date,
    params: Params | None = None,
    progress: Progress | None = None,
    cache: DayCache | None = None,
    prepared: Prepared | None = None,
    started: Callable[[list[str]], None] | None = None,
) -> Result:
    """Staff every slot of `plan` from `start` to `end` (inclusive) as well as the rules allow.

    Solving a campaign week by week, pass one `DayCache` to every week's solve: each week then
    goes through only the history's new days and rows. `prepared` is what `make_parts` gave for the same
    arguments, for a caller that looked at the parts first (the benchmarks time it on its own).
    """
    params = params or Params()
    began = time.perf_counter()
    slots, parts, unit_of = prepared or make_parts(plan, start, end, params, cache)
    if params.tie_breakers is None:
        params = replace(
            params, tie_breakers=sum(p.pairs for p in parts) <= params.tuning.tie_break_pairs
        )
    if started:
        started([p.unit for p in parts])  # the units about to be solved, for a progress display
    results: list[PartResult] = []
    # Largest parts first, so the slowest one starts at once.
    order = sorted(parts, key=lambda p: -p.pairs)
    # Re-plans are mostly kept rosters: sending parts to other processes would cost more.
    if params.workers > 1 and len(parts) > 1 and not params.previous:
        # Each part carries its own rows; the whole history would be pickled once per part.
        light = replace(params, history=(), previous=(), locked=())
        with ProcessPoolExecutor(
            max_workers=min(params.workers, len(parts)), initializer=die_with_parent
        ) as pool:
            for result in pool.map(_solve_one, [(p, light, language()) for p in order]):
                results.append(result)
                if progress:
                    progress(result)
    else:
        for part in order:
            results.append(solve_part(part, params))
            if progress:
                progress(results[-1])
    results.sort(key=lambda r: r.unit)
    status = _overall({r.status for r in results})
    keys = {s.key for s in slots}
    ids = {v.id for v in plan.volunteers}
    ignored = sum(1 for r in params.previous if r.slot_key not in keys or r.volunteer_id not in ids)
    return Result(status, slots, tuple(results), unit_of, time.perf_counter() - began, ignored)


def _overall(statuses: set[Status]) -> Status:
    """The whole roster's status: its weakest part's."""
    for status in (Status.INFEASIBLE, Status.UNKNOWN, Status.FEASIBLE):
        if status in statuses:
            return status
    return Status.OPTIMAL
