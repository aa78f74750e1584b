"""`solve_part`: one part's lexicographic solve, the fast path first, then the staged search.

The flow's roster (`solver.fast`) is taken when it proves the primary terms optimal; CP-SAT then
only breaks its ties. Otherwise the staged search (`solver.search`) runs every term of
`solver.objective.PRIORITY` in turn.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from solver.fast import fast_roster
from solver.model import build
from solver.objective import PRIMARY, PRIORITY
from solver.outcome import part_result
from solver.params import Params
from solver.parts import Part
from solver.question import Pair
from solver.result import PartResult, Proof, Stage, Status
from solver.search import Search, run_stages, tie_breakers


def solve_part(
    part: Part,
    params: Params,
    families: tuple[str, ...] | None = None,
    skip: frozenset[str] = frozenset(),
) -> PartResult:
    """The lexicographic solve of one part (see `solver.objective` for the order).

    `families` and `skip` exist for the tests that prove each rule and term matters; either
    turns the fast path off.
    """
    start = time.perf_counter()
    if not part.slots:
        return part_result(part, (), (), Status.OPTIMAL, start)
    if families is None and not skip:
        found = _fast(part, params)
        if found is not None:
            chosen, stages = found
            return part_result(part, chosen, stages, status_of(stages), start)
    search = Search(part, params, build(part, params.strict, families))
    stopped = run_stages(search, PRIORITY, skip)
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


def status_of(stages: Sequence[Stage]) -> Status:
    """Optimal when every primary term is proven; spread and continuity are tie-breakers whose
    values and bounds are reported but do not decide the status."""
    proven = all(s.status is Proof.OPTIMAL for s in stages if s.name in PRIMARY)
    return Status.OPTIMAL if proven else Status.FEASIBLE
