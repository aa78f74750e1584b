"""The fast path of one part: a flow roster checked against bounds computed before any search.

1. Fairness: the lower bound on the largest deviation (`fairness_bounds`, valid once every seat is
   filled) gives the smallest candidate D. If the flow fills every seat with every load within D of
   the fair share, demand (0 missing) and fairness (D equals its lower bound) are proven optimal
   with no CP-SAT search at all.
   When the flow succeeds only at a larger candidate, the LP relaxation of `solver.relax` refutes
   the smaller ones it can, and CP-SAT yes/no questions settle any left in between.
2. Re-planning (`--previous`): every previous pair that is still valid is kept and only the seats
   it leaves empty are refilled. Changes can be no fewer than the pairs that became invalid plus
   the seats left empty, so reaching that count proves stability optimal.

Spread and continuity are tie-breakers: their values and lower bounds are reported. Anything the
fast path cannot prove returns None, and the part goes to the staged CP-SAT search.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict

from solver import flow, relax, rules
from solver.params import Params
from solver.parts import Part
from solver.result import Stage

Pairs = set[tuple[int, int]]


REFUTE_LIMIT = 1.0
TRIES = 40  # candidate deviations tried by the flow before handing the part to CP-SAT


def fast_roster(
    part: Part, params: Params
) -> tuple[Pairs, list[Stage], list[tuple[int, int]] | None] | None:
    """A roster with demand and fairness (or, re-planning, stability) proven optimal, or None."""
    from solver.search import _load_bounds, fairness_bounds, smallest_feasible, spread_candidates

    began = time.perf_counter()
    if part.previous:
        return _replan(part, began)
    _, candidates = fairness_bounds(part, all_filled=True)
    # The conditions only weaken as D grows: the first candidate passing them starts the list.
    first = bisect.bisect_left(
        candidates, True, key=lambda d: _sums_fit(part, _load_bounds(part, d))
    )
    candidates = candidates[first:]
    chosen = None
    i = 0
    for i, d in enumerate(candidates[:TRIES]):  # noqa: B007 - i is the index found
        bounds = _load_bounds(part, d)
        if bounds is not None:
            chosen = flow.roster(part, bounds, tuning=params.tuning)
            if chosen is not None:
                break
    if chosen is None or bounds is None or rules.check(part, chosen):
        return None
    # The flow is stricter than the rules, so the smaller candidates are still open. The LP
    # relaxation refutes the smallest ones first (fractions of a second each).
    bound = d
    if i > 0:
        cut = bisect.bisect_left(
            range(i), True, key=lambda j: not relax.refutes(part, _load_bounds(part, candidates[j]))
        )
        candidates = candidates[cut:]
        i -= cut
    # Whatever it leaves below the flow's deviation: yes/no questions to CP-SAT (bisection, each on
    # a short budget). A "yes" comes with a better roster; an unanswered question leaves the best
    # roster in hand with its gap to the bound reported.
    if i > 0:
        rosters: dict[int, Pairs] = {}

        def feasible(j: int) -> bool | None:
            answer, found = _ask(part, candidates[j], params)
            if found is not None:
                rosters[j] = found
            return answer

        best, refuted = smallest_feasible(i, feasible)
        if best is not None:
            chosen, d = rosters[best], candidates[best]
            bounds = _load_bounds(part, d)
        top = i if best is None else best
        if not (top == 0 or top - 1 in refuted):
            bound = candidates[max(refuted) + 1] if refuted else candidates[0]
        else:
            bound = d
    seconds = time.perf_counter() - began
    people = len(chosen)
    minimum = sum(s.min_people for s in part.slots)
    stages = [
        Stage("demand", "OPTIMAL", 0, 0, seconds),
        Stage("extras", "OPTIMAL" if people == minimum else "FEASIBLE", people, minimum, 0.0),
        Stage(
            "fairness",
            "OPTIMAL" if bound == d else "FEASIBLE",
            _max_dev(part, chosen) / 60,
            # proven: the roster's largest deviation is the smallest candidate the bounds allow
            (_max_dev(part, chosen) if bound == d else bound) / 60,
            time.perf_counter() - began - seconds,
        ),
    ]
    spread_low = spread_candidates(part, bounds)[0]
    stages.append(_spread_stage(part, chosen, spread_low))
    busy = {v for v, (lo, _) in enumerate(bounds) if lo > 0}
    stages.append(_continuity_stage(part, chosen, busy))
    return chosen, stages, (bounds if bound == d else None)


def _sums_fit(part: Part, bounds: list[tuple[int, int]] | None) -> bool:
    """Necessary conditions on the load bounds of a deviation, each weaker as it grows.

    With every seat filled by exactly its minimum the loads sum to the demand in minutes; the
    seats of each duty length need that many holders who can fit one more such duty (leaders'
    seats among leaders). A deviation failing one of these cannot be reached, so the smallest
    deviation passing them all is a lower bound too.
    """
    if bounds is None:
        return False
    demand = sum(s.min_people * s.minutes for s in part.slots)
    if not sum(lo for lo, _ in bounds) <= demand <= sum(hi for _, hi in bounds):
        return False
    seats: dict[int, int] = defaultdict(int)
    leader_seats: dict[int, int] = defaultdict(int)
    for s in part.slots:
        seats[s.minutes] += s.min_people
        if s.leader_required:
            leader_seats[s.minutes] += 1
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    for length, count in seats.items():
        if sum(hi // length for _, hi in bounds) < count:
            return False
    for length, count in leader_seats.items():
        if sum(bounds[v][1] // length for v in leaders) < count:
            return False
    return sum(bounds[v][1] for v in leaders) >= sum(m * c for m, c in leader_seats.items())


def _ask(part: Part, d: float, params: Params) -> tuple[bool | None, Pairs | None]:
    """Is there a roster filling every seat with every deviation at most `d`? See `_within`."""
    from solver.search import _load_bounds

    bounds = _load_bounds(part, d)
    if bounds is None:
        return False, None
    return _within(part, bounds, params)


def _within(
    part: Part, bounds: list[tuple[int, int]], params: Params
) -> tuple[bool | None, Pairs | None]:
    """Is there a roster filling every seat exactly with every load within `bounds`? CP-SAT's
    answer (None when the time limit ends the search first) and the roster when it is yes."""
    from ortools.sat.python import cp_model

    from solver.model import build

    m = build(part)
    for var in (*m.short.values(), *m.no_leader.values()):
        m.model.add(var == 0)
    m.model.add(sum(m.x.values()) <= sum(s.min_people for s in part.slots))  # extras come first
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        m.model.add_linear_constraint(load, lo, hi)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = params.seed
    # One question, on a short budget: unanswered, the roster stands with its gap reported.
    solver.parameters.max_deterministic_time = min(params.time_limit, REFUTE_LIMIT)
    status = solver.solve(m.model)
    if status == cp_model.INFEASIBLE:
        return False, None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, {k for k, var in m.x.items() if solver.boolean_value(var)}
    return None, None


def _replan(part: Part, began: float) -> tuple[Pairs, list[Stage]] | None:
    valid = {(s, v) for s, v in part.previous if v in part.eligible[s]}
    if rules.check(part, valid):
        return None
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in valid:
        team[s].append(v)
    empty = sum(max(0, slot.min_people - len(team[s])) for s, slot in enumerate(part.slots))
    wide = [(0, 10**9)] * len(part.volunteers)
    chosen = flow.roster(part, wide, valid)
    if chosen is None or rules.check(part, chosen):
        return None
    changes = len(part.previous - chosen) + len(chosen - part.previous)
    least = len(part.previous - valid) + empty
    if changes != least:
        return None
    seconds = time.perf_counter() - began
    people = len(chosen)
    minimum = sum(s.min_people for s in part.slots)
    dev = _max_dev(part, chosen) / 60
    # With nothing to change the roster is the only one at the optimum of stability, so every
    # later term is settled; otherwise fairness among the minimal changes is not proven here.
    settled = changes == 0
    stages = [
        Stage("demand", "OPTIMAL", 0, 0, seconds),
        Stage("stability", "OPTIMAL", changes, least, 0.0),
        Stage(
            "extras",
            "OPTIMAL" if settled or people == minimum else "FEASIBLE",
            people,
            people if settled else minimum,
            0.0,
        ),
        Stage("fairness", "OPTIMAL" if settled else "FEASIBLE", dev, dev if settled else 0.0, 0.0),
    ]
    spread = _spread_stage(part, chosen, None)
    stages.append(spread)
    stages.append(_continuity_stage(part, chosen, set(), settled))
    return chosen, stages, None


def _deviations(part: Part, chosen: Pairs) -> list[float]:
    loads = part.loads(chosen)
    return [part.history_minutes[v] + loads[v] - part.fair[v] for v in range(len(loads))]


def _max_dev(part: Part, chosen: Pairs) -> float:
    return max((abs(d) for d in _deviations(part, chosen)), default=0.0)


def _spread_stage(part: Part, chosen: Pairs, lower: int | None) -> Stage:
    devs = [
        part.history_minutes[v] + x - round(part.fair[v]) for v, x in enumerate(part.loads(chosen))
    ]
    value = max(devs, default=0) - min(devs, default=0)
    bound = value if lower is None else lower
    return Stage("spread", "OPTIMAL" if value <= bound else "FEASIBLE", value / 60, bound / 60, 0.0)


def _continuity_stage(part: Part, chosen: Pairs, busy: set[int], settled: bool = False) -> Stage:
    pairs = {(v, part.slots[s].area) for s, v in chosen} - part.history_areas
    served = {v for v, _ in part.history_areas}
    bound = len(pairs) if settled else len(busy - served)
    status = "OPTIMAL" if len(pairs) <= bound else "FEASIBLE"
    return Stage("continuity", status, len(pairs), bound, 0.0)
