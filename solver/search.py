"""Solving one part: the objective's terms one after another, each optimum kept as a bound.

Fairness is not handed to CP-SAT as "minimize the largest deviation": its LP bound is weak,
because long duties force their holders above their share, and the search stalls proving it. Here
the bound is computed first (integrality, reachable hours, and who must take the long duties), and
the search only asks yes/no questions: "is there a roster with every deviation at most D?", for D
among the few values where some volunteer's allowed hours change. Such questions are answered or
refuted quickly, and the smallest D answered "yes" with the next smaller refuted is optimal.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver import explain, objective
from solver.fast import fast_roster
from solver.model import UnitModel, build
from solver.params import Params
from solver.parts import Part
from solver.result import Assignment, PartResult, Shortfall, Stage, Status, VolunteerHours

EPS = 1e-6
TIE_LIMIT = 1.0


@dataclass
class _Search:
    part: Part
    params: Params
    m: UnitModel | None
    stages: list[Stage] = field(default_factory=list)
    values: dict[tuple[int, int], bool] = field(default_factory=dict)  # the best roster so far
    proven: bool = True

    @property
    def tie_limit(self) -> float:
        """Spread and continuity only break ties: a short budget per question."""
        return min(self.params.time_limit, TIE_LIMIT)

    def solver(self, linearization: int = 1, limit: float | None = None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1
        p.linearization_level = linearization
        p.random_seed = self.params.seed
        p.max_deterministic_time = self.params.time_limit if limit is None else limit
        return solver

    def run(
        self,
        name: str,
        model: cp_model.CpModel,
        expr=None,
        linearization: int = 1,
        scale: float = 1.0,
        limit: float | None = None,
    ) -> tuple[int, cp_model.CpSolver]:
        """Solve `model` (minimizing `expr`, if given); keep the roster it finds as the hint."""
        if expr is not None:
            model.minimize(expr)
        solver = self.solver(linearization, limit)
        start = time.perf_counter()
        status = solver.solve(model)
        seconds = time.perf_counter() - start
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found:
            self.values = {k: solver.boolean_value(v) for k, v in self.m.x.items()}
            self.m.model.clear_hints()
            for k, var in self.m.x.items():
                self.m.model.add_hint(var, self.values[k])
        if expr is not None:
            objective_value = solver.objective_value if found else math.inf
            bound = solver.best_objective_bound if found else 0.0
            self.stages.append(
                Stage(
                    name,
                    solver.status_name(status),
                    objective_value * scale,
                    bound * scale,
                    seconds,
                )
            )
            if status != cp_model.OPTIMAL:
                self.proven = False
        return status, solver

    def minimize_then_fix(self, name: str, expr, scale: float = 1.0) -> bool:
        """Optimize one term, then keep its value as a bound for the terms after it."""
        status, solver = self.run(name, self.m.model, expr, scale=scale)
        self.m.model.clear_objective()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        self.m.model.add(expr <= round(solver.objective_value))
        return True


def _reachable(part: Part) -> list[int]:
    """Per volunteer, the most minutes they could be given: their eligible slots, under the
    daily and weekly caps."""
    day_of = {s: d for d, group in enumerate(part.days) for s in group}
    week_of = {s: w for w, group in enumerate(part.weeks) for s in group}
    minutes = [slot.minutes for slot in part.slots]
    per_day: list[dict[int, int]] = [defaultdict(int) for _ in part.volunteers]
    per_week: list[dict[int, int]] = [defaultdict(int) for _ in part.volunteers]
    for s, vols in enumerate(part.eligible):
        d, w, m = day_of[s], week_of[s], minutes[s]  # days and weeks cover every slot
        for v in vols:
            per_day[v][d] += m
            per_week[v][w] += m
    return [
        min(
            sum(min(part.daily_cap, x) for x in per_day[v].values()),
            sum(min(part.weekly_cap[v], x) for x in per_week[v].values()),
        )
        for v in range(len(part.volunteers))
    ]


def fairness_bounds(part: Part, all_filled: bool) -> tuple[float, list[float]]:
    """A lower bound on the optimal largest deviation, and the candidate values above it.

    The bound takes the largest of: for each volunteer, the distance from their fair share to the
    nearest load they can reach in whole slot lengths; and, when every slot must be filled, for
    each slot, the p-th smallest excess of its p required holders (someone must take a 4-hour
    visit even if it puts them 3 hours over their share).
    """
    g = part.granularity
    lower = 0.0
    candidates: set[float] = {0.0}
    reachable = _reachable(part)
    for v in range(len(part.volunteers)):
        need = part.fair[v] - part.history_minutes[v]
        top = reachable[v] // g
        devs = [abs(k * g - need) for k in range(top + 1)]
        lower = max(lower, min(devs))
        candidates.update(round(d, 6) for d in devs)
    if all_filled:
        for s, slot in enumerate(part.slots):
            excess = sorted(
                part.history_minutes[v] + slot.minutes - part.fair[v] for v in part.eligible[s]
            )
            if len(excess) >= slot.min_people:
                lower = max(lower, excess[slot.min_people - 1])
    return lower, sorted(c for c in candidates if c >= lower - EPS)


def _load_bounds(part: Part, d: float) -> list[tuple[int, int]] | None:
    g = part.granularity
    out = []
    for v in range(len(part.volunteers)):
        need = part.fair[v] - part.history_minutes[v]
        lo = max(0, math.ceil((need - d - EPS) / g) * g)
        hi = math.floor((need + d + EPS) / g) * g
        if lo > hi:
            return None
        out.append((lo, hi))
    return out


def _with_bounds(m: UnitModel, bounds: list[tuple[int, int]]) -> cp_model.CpModel:
    model = m.model.clone()
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        model.add_linear_constraint(load, lo, hi)
    return model


def _deviation(part: Part, values: dict[tuple[int, int], bool]) -> float:
    loads = part.loads(k for k, on in values.items() if on)
    return max(
        (abs(part.history_minutes[v] + loads[v] - part.fair[v]) for v in range(len(loads))),
        default=0.0,
    )


def smallest_feasible(
    count: int, feasible: Callable[[int], bool | None]
) -> tuple[int | None, set[int]]:
    """Smallest index i in [0, count) with feasible(i), for a monotone yes/no question.

    Gallops up (0, 1, 3, 7, …), then bisects between the last "no" and the first "yes". Returns
    the index (None if no "yes") and the indices proven "no" (feasible(i) reports them by
    returning None instead of False when the answer was only "not found in time").
    """
    refuted: set[int] = set()

    def ask(i: int) -> bool:
        answer = feasible(i)
        if answer is False:
            refuted.add(i)
        return bool(answer)

    best: int | None = None
    low, probe, step = 0, 0, 1
    while probe < count:
        if ask(probe):
            best = probe
            break
        low, probe, step = probe + 1, probe + step, step * 2
    if best is None and low < count and ask(count - 1):
        best = count - 1
    if best is not None:
        a, b = low, best - 1
        while a <= b:
            mid = (a + b) // 2
            if ask(mid):
                best, b = mid, mid - 1
            else:
                a = mid + 1
    return best, refuted


def _fairness(search: _Search, all_filled: bool) -> list[tuple[int, int]] | None:
    """Find the smallest feasible largest deviation; returns the load bounds that achieve it."""
    part, m = search.part, search.m
    start = time.perf_counter()
    lower, candidates = fairness_bounds(part, all_filled)
    upper = _deviation(part, search.values)  # the roster in hand already achieves this
    candidates = [c for c in candidates if c <= upper + EPS] or [upper]

    def feasible(i: int) -> bool | None:
        bounds = _load_bounds(part, candidates[i])
        if bounds is None:
            return False
        status, _ = search.run("fairness", _with_bounds(m, bounds))
        if status == cp_model.INFEASIBLE:
            return False
        return True if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    best, refuted = smallest_feasible(len(candidates), feasible)
    value = candidates[best] if best is not None else upper
    proven = best is not None and (best == 0 or best - 1 in refuted)
    if proven:
        bound = value
    else:
        search.proven = False
        bound = candidates[min(max(refuted) + 1, best)] if refuted and best else lower
    search.stages.append(
        Stage(
            "fairness",
            "OPTIMAL" if proven else "FEASIBLE",
            value / 60,
            bound / 60,
            time.perf_counter() - start,
        )
    )
    return _load_bounds(part, value)


def spread_candidates(part: Part, bounds: list[tuple[int, int]]) -> list[int]:
    """Possible spreads, smallest first, from the narrowest window catching everyone on.

    Each volunteer's allowed loads (multiples of the slot length within their fairness bounds)
    give a few possible deviations; no roster can have a spread below the narrowest window that
    catches one of each (a bound that ignores how people compete for slots), and any spread is
    the difference of two such deviations.
    """
    g = part.granularity
    values = sorted(
        (load + part.history_minutes[v] - round(part.fair[v]), v)
        for v, (lo, hi) in enumerate(bounds)
        for load in range(lo, hi + 1, g)
    )
    need = len(bounds)
    count: dict[int, int] = {}
    lower = None
    left = 0
    for value, v in values:
        count[v] = count.get(v, 0) + 1
        while len(count) == need:
            width = value - values[left][0]
            lower = width if lower is None else min(lower, width)
            w = values[left][1]
            count[w] -= 1
            if not count[w]:
                del count[w]
            left += 1
    if lower is None:
        return [0]
    distinct = sorted({v for v, _ in values})
    return sorted({b - a for a in distinct for b in distinct if b - a >= lower})


def _spread(search: _Search, bounds: list[tuple[int, int]] | None) -> None:
    """Smallest spread of deviations, by the same yes/no questions as fairness."""
    m = search.m
    expr = objective.spread(m)
    if not bounds:
        search.minimize_then_fix("spread", expr, scale=1 / 60)
        return
    started = time.perf_counter()
    candidates = spread_candidates(search.part, bounds)

    def feasible(i: int) -> bool | None:
        model = m.model.clone()
        model.add(expr <= candidates[i])
        status, _ = search.run("spread", model, limit=search.tie_limit)
        if status == cp_model.INFEASIBLE:
            return False
        return True if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    best, refuted = smallest_feasible(len(candidates), feasible)
    if best is None:  # keep the roster in hand
        search.proven = False
        search.stages.append(
            Stage("spread", "UNKNOWN", math.inf, candidates[0] / 60, time.perf_counter() - started)
        )
        return
    m.model.add(expr <= candidates[best])
    proven = best == 0 or best - 1 in refuted
    bound = candidates[best] if proven else candidates[min(max(refuted, default=-1) + 1, best)]
    if not proven:
        search.proven = False
    search.stages.append(
        Stage(
            "spread",
            "OPTIMAL" if proven else "FEASIBLE",
            candidates[best] / 60,
            bound / 60,
            time.perf_counter() - started,
        )
    )


def solve_part(
    part: Part,
    params: Params,
    families: tuple[str, ...] | None = None,
    skip: frozenset[str] = frozenset(),
) -> PartResult:
    """The lexicographic solve of one part (see `solver.objective` for the order).

    `families` and `skip` exist for the tests that prove each rule and term matters.
    """
    start = time.perf_counter()
    if families is None and not skip and part.slots:
        found = fast_roster(part, params)
        if found is not None:
            chosen, stages, bounds = found
            if bounds is not None and params.tie_breakers is not False:
                stages = _tie_breakers(part, params, chosen, stages, bounds)
            return _result(
                _Search(part, params, None, stages, {k: k in chosen for k in _all_pairs(part)}),
                _status(stages),
                start,
            )
    m = build(part, params.strict, families)
    search = _Search(part, params, m)
    if not part.slots:
        return _result(search, Status.OPTIMAL, start)

    if params.strict:
        literals = [*m.demand_met.values(), *m.leader_met.values()]
        m.model.add_assumptions(literals)
        status, solver = search.run("demand", m.model)
        if status == cp_model.INFEASIBLE:
            core = solver.sufficient_assumptions_for_infeasibility()
            conflicts = explain.conflicts(m, set(core))
            return _result(search, Status.INFEASIBLE, start, conflicts=conflicts)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _result(search, Status.UNKNOWN, start)
        m.model.clear_assumptions()
        for literal in literals:
            m.model.add(literal == 1)
        search.stages.append(Stage("demand", "OPTIMAL", 0, 0, 0.0))
    elif "demand" not in skip:
        if not search.minimize_then_fix("demand", objective.unfilled(m)):
            return _result(search, Status.UNKNOWN, start)
    else:
        search.run("demand", m.model)

    if part.previous and "stability" not in skip:
        search.minimize_then_fix("stability", objective.changes(m))
    if "extras" not in skip:
        search.minimize_then_fix("extras", objective.extras(m))

    bounds = None
    if "fairness" not in skip:
        all_filled = params.strict or (bool(search.stages) and search.stages[0].objective == 0)
        bounds = _fairness(search, all_filled)
        if bounds is not None:
            for load, (lo, hi) in zip(m.load, bounds, strict=True):
                m.model.add_linear_constraint(load, lo, hi)
    if "spread" not in skip:
        _spread(search, bounds)
    if "continuity" not in skip:
        busy = {v for v, (lo, _) in enumerate(bounds or []) if lo > 0}
        cost, _ = objective.continuity(m, busy)
        # Clauses "each busy volunteer uses an area" close the LP bound only at linearization 2.
        search.run("continuity", m.model, cost, linearization=2, limit=search.tie_limit)
    return _result(search, _status(search.stages), start)


PRIMARY = ("demand", "stability", "extras", "fairness")


def _all_pairs(part: Part) -> list[tuple[int, int]]:
    return [(s, v) for s, vols in enumerate(part.eligible) for v in vols]


def _tie_breakers(
    part: Part,
    params: Params,
    chosen: set[tuple[int, int]],
    stages: list[Stage],
    bounds: list[tuple[int, int]],
) -> list[Stage]:
    """Spread and continuity by CP-SAT from the flow's roster, its proven optima kept as rules:
    every seat filled, nobody beyond the minimum, every load within the fairness bounds."""
    m = build(part)
    for var in (*m.short.values(), *m.no_leader.values()):
        m.model.add(var == 0)
    m.model.add(objective.extras(m) <= len(chosen))
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        m.model.add_linear_constraint(load, lo, hi)
    for k, var in m.x.items():
        m.model.add_hint(var, k in chosen)
    kept = [s for s in stages if s.name not in ("spread", "continuity")]
    search = _Search(part, params, m, kept, {k: k in chosen for k in m.x})
    _spread(search, bounds)
    busy = {v for v, (lo, _) in enumerate(bounds) if lo > 0}
    cost, _ = objective.continuity(m, busy)
    search.run("continuity", m.model, cost, linearization=2, limit=search.tie_limit)
    chosen.clear()
    chosen.update(k for k, on in search.values.items() if on)
    return search.stages


def _status(stages: list[Stage]) -> Status:
    """Optimal when every primary term is proven; spread and continuity are tie-breakers whose
    values and bounds are reported but do not decide the status."""
    proven = all(s.status == "OPTIMAL" for s in stages if s.name in PRIMARY)
    return Status.OPTIMAL if proven else Status.FEASIBLE


def _result(
    search: _Search, status: Status, start: float, conflicts: tuple[str, ...] = ()
) -> PartResult:
    part = search.part
    chosen = sorted(k for k, on in search.values.items() if on)
    loads = part.loads(chosen)
    team: dict[int, list[int]] = {}
    for s, v in chosen:
        team.setdefault(s, []).append(v)
    assignments = []
    for s, members in team.items():
        leaders = [v for v in members if part.volunteers[v].leader]
        lead = min(leaders, key=lambda v: part.volunteers[v].id) if leaders else None
        for v in members:
            assignments.append(Assignment(part.slots[s], part.volunteers[v], v == lead))
    hours = tuple(
        VolunteerHours(vol, loads[v], part.history_minutes[v], part.fair[v])
        for v, vol in enumerate(part.volunteers)
    )
    if status is Status.UNKNOWN:
        reason = "no roster found within the time limit: run again with a larger --time-limit"
        shortfalls = tuple(
            Shortfall(slot, part.unit, slot.min_people, 0, slot.leader_required, reason)
            for slot in part.slots
        )
    elif status is Status.INFEASIBLE:
        shortfalls = ()
    else:
        shortfalls = explain.shortfalls(part, team)
    return PartResult(
        unit=part.unit,
        status=status,
        stages=tuple(search.stages),
        variables=search.part.pairs,
        seconds=time.perf_counter() - start,
        hours=hours,
        assignments=tuple(assignments),
        shortfalls=shortfalls,
        conflicts=conflicts,
    )
