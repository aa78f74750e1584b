"""The staged CP-SAT search of one part: the objective's terms one after another, each optimum kept
as a bound.

Fairness is not handed to CP-SAT as "minimize the largest deviation": its LP bound is weak,
because long duties force their holders above their share, and the search stalls proving it. Here
the bound is computed first (`solver.bounds`), and the search only asks yes/no questions: "is
there a roster with every deviation at most D?", for D among the few values where some
volunteer's allowed hours change. Such questions are answered or refuted quickly, and the smallest
D answered "yes" with the next smaller refuted is optimal (`solver.bisection`). Spread is settled
the same way.

`STAGES` maps each term of `solver.objective.PRIORITY` to the function that optimizes it;
`run_stages` runs them in that order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver import explain, objective
from solver.bisection import bisect
from solver.bounds import (
    EPS,
    Bounds,
    fairness_bounds,
    load_bounds,
    max_deviation,
    spread_candidates,
)
from solver.model import UnitModel, build
from solver.params import Params
from solver.parts import Part
from solver.question import Answer, Pair, ask
from solver.result import Method, Proof, Stage, Status, Term


@dataclass
class Search:
    """The state of one part's staged search: the model, the stages so far, the best roster."""

    part: Part
    params: Params
    m: UnitModel
    stages: list[Stage] = field(default_factory=list)
    values: dict[Pair, bool] = field(default_factory=dict)  # the best roster so far
    bounds: Bounds | None = None  # the load bounds of the fairness optimum, once known
    conflicts: tuple[str, ...] = ()  # --strict: why the demand cannot be met

    @property
    def tie_limit(self) -> float:
        """Spread and continuity only break ties: a short budget per question."""
        return min(self.params.time_limit, self.params.tuning.tie_limit)

    def chosen(self) -> list[Pair]:
        return [k for k, on in self.values.items() if on]

    def run(
        self,
        name: Term,
        model: cp_model.CpModel,
        expr: cp_model.LinearExpr | None = None,
        linearization: int = 1,
        scale: float = 1.0,
        limit: float | None = None,
    ) -> Answer:
        """Solve `model` (minimizing `expr`, if given, and recording it as a stage); keep the
        roster it finds as the hint of the questions after it."""
        if expr is not None:
            model.minimize(expr)
        limit = self.params.time_limit if limit is None else limit
        answer = ask(model, self.m.x, self.params, limit, linearization)
        if answer.yes:
            self.values = answer.values
            self.m.model.clear_hints()
            for k, var in self.m.x.items():
                self.m.model.add_hint(var, self.values[k])
        if expr is not None:
            self.stages.append(
                Stage(
                    name,
                    answer.proof,
                    answer.objective * scale,
                    answer.bound * scale,
                    answer.seconds,
                )
            )
        return answer

    def minimize_then_fix(self, name: Term, expr: cp_model.LinearExpr, scale: float = 1.0) -> bool:
        """Optimize one term, then keep its value as a bound for the terms after it."""
        answer = self.run(name, self.m.model, expr, scale=scale)
        self.m.model.clear_objective()
        if not answer.yes:
            return False
        self.m.model.add(expr <= round(answer.objective))
        return True


Step = Callable[[Search], Status | None]  # a stage: None to go on, or the part's final status


def _strict_demand(search: Search) -> Status | None:
    """--strict: every seat and leader is a hard rule; infeasible, the core says which clash."""
    m = search.m
    literals = [*m.demand_met.values(), *m.leader_met.values()]
    m.model.add_assumptions(literals)
    answer = search.run(Term.DEMAND, m.model)
    if answer.no:
        search.conflicts = explain.conflicts(m, set(answer.core))
        stage = Stage(Term.DEMAND, Proof.INFEASIBLE, math.inf, 1, answer.seconds, Method.CP_SAT)
        search.stages.append(stage)
        return Status.INFEASIBLE
    if not answer.yes:  # out of time: `solve_part` falls back to the normal solve
        return Status.UNKNOWN
    m.model.clear_assumptions()
    for literal in literals:
        m.model.add(literal == 1)
    search.stages.append(Stage(Term.DEMAND, Proof.OPTIMAL, 0, 0, 0.0))
    return None


def _demand(search: Search) -> Status | None:
    if search.params.strict:
        return _strict_demand(search)
    if not search.minimize_then_fix(Term.DEMAND, objective.unfilled(search.m)):
        return Status.UNKNOWN
    return None


def _any_roster(search: Search) -> Status | None:
    """Demand skipped (tests that prove it matters): still a roster to start from."""
    if search.params.strict:
        return _strict_demand(search)
    search.run(Term.DEMAND, search.m.model)
    return None


def _stability(search: Search) -> Status | None:
    if search.part.previous:
        search.minimize_then_fix(Term.STABILITY, objective.changes(search.m))
    return None


def _extras(search: Search) -> Status | None:
    search.minimize_then_fix(Term.EXTRAS, objective.extras(search.m))
    return None


def _with_bounds(m: UnitModel, bounds: Bounds) -> cp_model.CpModel:
    model = m.model.clone()
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        model.add_linear_constraint(load, lo, hi)
    return model


def _smallest_deviation(search: Search, all_filled: bool) -> Bounds | None:
    """Find the smallest feasible largest deviation; returns the load bounds that achieve it."""
    part, m = search.part, search.m
    start = time.perf_counter()
    lower, candidates = fairness_bounds(part, all_filled)
    upper = max_deviation(part, search.chosen())  # the roster in hand already achieves this
    candidates = [c for c in candidates if c <= upper + EPS] or [upper]

    def feasible(i: int) -> bool | None:
        bounds = load_bounds(part, candidates[i])
        if bounds is None:
            return False
        return search.run(Term.FAIRNESS, _with_bounds(m, bounds)).verdict

    found = bisect(len(candidates), feasible)
    # No "yes": the roster in hand (not a candidate) stands, over the arithmetic bound.
    value = candidates[found.best] if found.best is not None else upper
    proven = found.best is not None and found.proven
    if proven:
        bound = value
    else:
        bound = candidates[found.bound] if found.best is not None and found.bound else lower
    search.stages.append(
        Stage(
            Term.FAIRNESS,
            Proof.OPTIMAL if proven else Proof.FEASIBLE,
            value / 60,
            bound / 60,
            time.perf_counter() - start,
        )
    )
    return load_bounds(part, value)


def _fairness(search: Search) -> Status | None:
    """The smallest largest deviation, kept as load bounds for the stages after it."""
    stages = search.stages
    all_filled = search.params.strict or (bool(stages) and stages[0].objective == 0)
    search.bounds = _smallest_deviation(search, all_filled)
    if search.bounds is not None:
        for load, (lo, hi) in zip(search.m.load, search.bounds, strict=True):
            search.m.model.add_linear_constraint(load, lo, hi)
    return None


def _spread(search: Search) -> Status | None:
    """Smallest spread of deviations, by the same yes/no questions as fairness."""
    m, bounds = search.m, search.bounds
    expr = objective.spread(m)
    if not bounds:
        search.minimize_then_fix(Term.SPREAD, expr, scale=1 / 60)
        return None
    started = time.perf_counter()
    candidates = spread_candidates(search.part, bounds)

    def feasible(i: int) -> bool | None:
        model = m.model.clone()
        model.add(expr <= candidates[i])
        return search.run(Term.SPREAD, model, limit=search.tie_limit).verdict

    found = bisect(len(candidates), feasible)
    if found.best is None:  # keep the roster in hand
        search.stages.append(
            Stage(
                Term.SPREAD,
                Proof.UNKNOWN,
                float("inf"),
                candidates[0] / 60,
                time.perf_counter() - started,
            )
        )
        return None
    m.model.add(expr <= candidates[found.best])
    search.stages.append(
        Stage(
            Term.SPREAD,
            Proof.OPTIMAL if found.proven else Proof.FEASIBLE,
            candidates[found.best] / 60,
            candidates[found.bound] / 60,
            time.perf_counter() - started,
        )
    )
    return None


def _continuity(search: Search) -> Status | None:
    """Fewest new person–area pairs among rosters giving everyone the same hours as the roster
    in hand: continuity only swaps who stands where, so it never buys unfairness."""
    busy = {v for v, (lo, _) in enumerate(search.bounds or []) if lo > 0}
    if search.values:
        loads = search.part.loads(search.chosen())
        for load, minutes in zip(search.m.load, loads, strict=True):
            search.m.model.add(load == minutes)
    cost, _ = objective.continuity(search.m, busy)
    # Clauses "each busy volunteer uses an area" close the LP bound only at linearization 2.
    search.run(Term.CONTINUITY, search.m.model, cost, linearization=2, limit=search.tie_limit)
    return None


STAGES: dict[Term, Step] = {
    Term.DEMAND: _demand,
    Term.STABILITY: _stability,
    Term.EXTRAS: _extras,
    Term.FAIRNESS: _fairness,
    Term.SPREAD: _spread,
    Term.CONTINUITY: _continuity,
}
# What a skipped term still does; a term missing here is simply not optimized.
SKIPPED: dict[Term, Step] = {Term.DEMAND: _any_roster}


def run_stages(
    search: Search, terms: Iterable[Term], skip: frozenset[str] = frozenset()
) -> Status | None:
    """Optimize `terms` in order; stops with a status when a stage leaves no roster to improve."""
    for term in terms:
        step = SKIPPED.get(term) if term in skip else STAGES[term]
        if step is not None and (status := step(search)) is not None:
            return status
    return None


def tie_breakers(
    part: Part,
    params: Params,
    chosen: set[Pair],
    stages: list[Stage],
    bounds: Bounds,
) -> tuple[set[Pair], list[Stage]]:
    """Continuity by CP-SAT from the flow's roster, its proven optima kept as rules: every seat
    filled, nobody beyond the minimum, every load within the fairness bounds; and, since the
    flow's loads are its balanced ones, every load exactly the flow's (`_continuity`). The
    flow's spread stands, reported with its lower bound."""
    m = build(part)
    for var in (*m.short.values(), *m.no_leader.values()):
        m.model.add(var == 0)
    m.model.add(objective.extras(m) <= len(chosen))
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        m.model.add_linear_constraint(load, lo, hi)
    for k, var in m.x.items():
        m.model.add_hint(var, k in chosen)
    kept = [s for s in stages if s.name is not Term.CONTINUITY]
    search = Search(part, params, m, kept, {k: k in chosen for k in m.x}, bounds)
    run_stages(search, (Term.CONTINUITY,))
    return set(search.chosen()), search.stages
