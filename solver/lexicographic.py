"""`solve_part`: one part's lexicographic solve, the fast path first, then the staged search.

The flow's roster (`solver.fast`) is taken when it proves the primary terms optimal; CP-SAT then
only breaks its ties. Otherwise the staged search (`solver.search`) runs every term of
`solver.objective.PRIORITY` in turn.

With --strict a part always ends staffed or refuted, never unknown: demand that counting refutes
(`solver.refute`) is refuted before any search, then the flow may staff it, then the LP relaxation
may refute it, then CP-SAT's assumptions name the clash; when CP-SAT runs out of time, the normal
staged solve decides: every seat filled is a roster, gaps are the stated (unproven) conflict.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

from solver import explain, refute, relax, rules
from solver.fast import fast_roster
from solver.model import build
from solver.objective import PRIMARY, PRIORITY
from solver.outcome import part_result
from solver.params import Params
from solver.parts import Part
from solver.question import Pair
from solver.result import Method, PartResult, Proof, Stage, Status, Term
from solver.search import Search, run_stages, tie_breakers


def solve_part(
    part: Part,
    params: Params,
    families: tuple[str, ...] | None = None,
    skip: frozenset[str] = frozenset(),
) -> PartResult:
    """The lexicographic solve of one part (see `solver.objective` for the order).

    `families` and `skip` exist for the tests that prove each rule and term matters; either
    turns the fast path off, and `families` the strict refutations (they assume every rule).
    """
    start = time.perf_counter()
    if not part.slots:
        return part_result(part, (), (), Status.OPTIMAL, start)
    strict = params.strict and families is None
    if strict and (counted := _counted(part, start)) is not None:
        return counted
    if families is None and not skip:
        found = _fast(part, params)
        if found is not None:
            chosen, stages = found
            return part_result(part, chosen, stages, status_of(stages), start)
    if strict and (relaxed := _relaxed(part, start)) is not None:
        return relaxed
    search = Search(part, params, build(part, params.strict, families))
    stopped = run_stages(search, PRIORITY, skip)
    if stopped is Status.UNKNOWN and params.strict:
        return _fallback(part, params, families, skip, start)
    status = status_of(search.stages) if stopped is None else stopped
    return part_result(part, search.chosen(), search.stages, status, start, search.conflicts)


def _fast(part: Part, params: Params) -> tuple[set[Pair], list[Stage]] | None:
    """The flow's roster with its tie-breakers settled by CP-SAT (when the part is small
    enough and fairness is proven), or None for the staged search."""
    found = fast_roster(part, params)
    if found is None:
        return None
    chosen, stages, bounds = found
    if bounds is not None and params.tie_breakers is not False:
        chosen, stages = tie_breakers(part, params, chosen, stages, bounds)
    return chosen, stages


def _refuted(
    part: Part, start: float, method: Method, missing: int, conflicts: tuple[str, ...]
) -> PartResult:
    """--strict, no roster: the demand stage proven infeasible (at least `missing` people
    missing), by `method`, with the conflicts in words."""
    stage = Stage(
        Term.DEMAND, Proof.INFEASIBLE, math.inf, missing, time.perf_counter() - start, method
    )
    return part_result(part, (), (stage,), Status.INFEASIBLE, start, conflicts)


def _counted(part: Part, start: float) -> PartResult | None:
    """--strict: the demand refuted by counting alone, before any search, or None."""
    found = refute.shortages(part)
    if not found:
        return None
    missing = max(x.missing(part) for x in found)
    return _refuted(part, start, Method.COUNTING, missing, explain.counting_conflicts(part, found))


def _relaxed(part: Part, start: float) -> PartResult | None:
    """--strict: the demand refuted by the LP relaxation (every seat filled, loads unbounded),
    or None: its infeasibility settles in a fraction of a second what CP-SAT may not."""
    if not relax.refutes(part, [(0, 10**9)] * len(part.volunteers)):
        return None
    return _refuted(part, start, Method.RELAXATION, 1, explain.relaxation_conflict(part))


def _fallback(
    part: Part,
    params: Params,
    families: tuple[str, ...] | None,
    skip: frozenset[str],
    start: float,
) -> PartResult:
    """--strict, CP-SAT out of time: the normal staged solve. A roster filling every seat meets
    the demand; otherwise its gaps are the conflict, worded as not proven."""
    search = Search(part, replace(params, strict=False), build(part, False, families))
    stopped = run_stages(search, PRIORITY, skip)
    chosen = search.chosen()
    missing = rules.unfilled(part, chosen)
    if stopped is None and missing == 0:
        stages = [
            replace(s, method=Method.FALLBACK) if s.name == Term.DEMAND else s
            for s in search.stages
        ]
        return part_result(part, chosen, stages, status_of(stages), start)
    team: dict[int, list[int]] = {}
    for s, v in sorted(chosen):
        team.setdefault(s, []).append(v)
    gaps = explain.shortfalls(part, team) if chosen else ()
    seconds = time.perf_counter() - start
    stage = Stage(Term.DEMAND, Proof.UNKNOWN, missing, 0, seconds, Method.FALLBACK)
    conflicts = explain.unstaffed(part, gaps)
    return part_result(part, (), (stage,), Status.INFEASIBLE, start, conflicts)


def status_of(stages: Sequence[Stage]) -> Status:
    """Optimal when every primary term is proven; spread and continuity are tie-breakers whose
    values and bounds are reported but do not decide the status."""
    proven = all(s.status is Proof.OPTIMAL for s in stages if s.name in PRIMARY)
    return Status.OPTIMAL if proven else Status.FEASIBLE
