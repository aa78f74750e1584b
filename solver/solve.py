"""`solve(plan, start, end, params) -> Result`: one entry point for the CLI, tests, benchmarks.

Level one chooses the unit of each shared area; the slots are then split into independent parts
(one per unit), solved in parallel across the machine's cores with one CP-SAT worker each, which
keeps every part's result independent of scheduling and so reproducible.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

from roster.i18n import language, set_language
from roster.model import Plan
from roster.processes import die_with_parent
from solver.lexicographic import solve_part
from solver.params import Params
from solver.parts import DayCache, Part
from solver.prepare import Prepared, make_parts
from solver.result import Assignment, PartResult, Result, Shortfall, Status, VolunteerHours

Progress = Callable[[PartResult], None]


_PARTS: tuple[Part, ...] = ()  # in a worker: the parts the caller had when it forked


def _start_worker(parts: tuple[Part, ...], lang: str) -> None:
    """A worker's start: its texts in the caller's language (a process started afresh, as on
    Windows, would read only ROSTER_LANG), and the parts, when forked, without pickling them."""
    global _PARTS
    die_with_parent()
    set_language(lang)
    _PARTS = parts


def _solve_one(args: tuple[int, Part | None, Params]) -> _Packed:
    """Part `n`, sent or (forked) already here."""
    n, part, params = args
    part = part or _PARTS[n]
    return _pack(part, solve_part(part, params))


@dataclass(frozen=True)
class _Packed:
    """A part's result on its way back from a worker: slots and volunteers by their index in the
    part, which the caller holds already. Sent as objects, each slot and person (with where in
    the tables they came from) would be pickled and rebuilt, a third of a city week's solve."""

    result: PartResult  # without assignments, hours and shortfalls
    assignments: tuple[tuple[int, int, bool], ...]
    hours: tuple[tuple[int, int, int, float, float | None], ...]
    shortfalls: tuple[tuple[int, str, int, int, bool, str], ...]


def _pack(part: Part, result: PartResult) -> _Packed:
    slot = {id(s): n for n, s in enumerate(part.slots)}
    person = {id(v): n for n, v in enumerate(part.volunteers)}
    return _Packed(
        replace(result, assignments=(), hours=(), shortfalls=()),
        tuple((slot[id(a.slot)], person[id(a.volunteer)], a.leader) for a in result.assignments),
        tuple(
            (person[id(h.volunteer)], h.minutes, h.history_minutes, h.fair_minutes, h.even_minutes)
            for h in result.hours
        ),
        tuple(
            (slot[id(x.slot)], x.unit, x.needed, x.assigned, x.leader_missing, x.reason)
            for x in result.shortfalls
        ),
    )


def _unpack(part: Part, packed: _Packed) -> PartResult:
    slots, people = part.slots, part.volunteers
    return replace(
        packed.result,
        assignments=tuple(Assignment(slots[s], people[v], x) for s, v, x in packed.assignments),
        hours=tuple(
            VolunteerHours(people[v], minutes, before, fair, even)
            for v, minutes, before, fair, even in packed.hours
        ),
        shortfalls=tuple(
            Shortfall(slots[s], unit, needed, assigned, leader, reason)
            for s, unit, needed, assigned, leader, reason in packed.shortfalls
        ),
    )


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
    goes through only the history's new days and rows. `prepared` is what `make_parts` gave for
    the same arguments, for a caller that looked at the parts first (the benchmarks time it).
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
        # A forked worker has the parts already: only their numbers travel.
        forked = multiprocessing.get_start_method() == "fork"
        tasks = [(n, None if forked else p, light) for n, p in enumerate(order)]
        with ProcessPoolExecutor(
            max_workers=min(params.workers, len(parts)),
            initializer=_start_worker,
            initargs=(tuple(order) if forked else (), language()),
        ) as pool:
            packed = pool.map(_solve_one, tasks)
            for part, one in zip(order, packed, strict=True):
                result = _unpack(part, one)
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
