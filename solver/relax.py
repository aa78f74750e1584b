"""A linear relaxation that refutes a fairness deviation before any search.

The question "can every seat be filled with every load in [lo, hi]?" is asked of the roster's LP
relaxation (GLOP): pairs in [0, 1], every slot at exactly its headcount (extras come after
fairness), a leader's share in every slot that needs one, the per-person limits of
`solver.rules` (one of each group of conflicting slots, daily and weekly caps), loads within the
bounds. Plain, that relaxation is weak where a few long duties meet tight bounds: a 4-hour visit
can be spread as a quarter over four people. So each person who can hold at most one duty longer
than their lower bound also gets the valid cut

    load ≥ lo + Σ (length − lo) · x[long duty]

(holding the duty means a load of at least its length). With it, the relaxation sees counting
arguments that take CP-SAT minutes: leaders tied to leaders' seats, the rest too short of hours.
An infeasible relaxation proves the deviation out of reach; a feasible one proves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from ortools.linear_solver import pywraplp

from solver.parts import Part
from solver.rules import MODELLED, Headcount, Rule, binding, headcounts, limits

Vars = dict[tuple[int, int], pywraplp.Variable]
Terms = list[tuple[int, int]]  # (slot, weight in units of the granularity)


def refutes(
    part: Part, bounds: list[tuple[int, int]], families: Collection[str] = MODELLED
) -> bool:
    """True when no roster fills every seat exactly with every load within `bounds`.

    `families` exists for the tests that drop one rule family and see a refutation go.
    """
    lp = pywraplp.Solver.CreateSolver("GLOP")
    g = part.granularity  # minutes in units of the gcd: small, exact coefficients
    length = [slot.minutes // g for slot in part.slots]
    x: Vars = {}
    for s, vols in enumerate(part.eligible):
        for v in vols:
            # a duty longer than the person's upper bound cannot be theirs, not even in part
            x[(s, v)] = lp.NumVar(0.0, 1.0 if length[s] * g <= bounds[v][1] else 0.0, "")
    _add_headcounts(lp, part, x, families)
    caps = _add_limits(lp, part, x, families)
    held: list[list[int]] = [[] for _ in part.volunteers]
    for s, v in x:
        held[v].append(s)
    for v, slots in enumerate(held):
        lo, hi = bounds[v][0] // g, bounds[v][1] // g
        load = lp.Sum([length[s] * x[(s, v)] for s in slots])
        lp.Add(load >= lo)
        lp.Add(load <= hi)
        for terms, cap in caps[v]:
            lp.Add(lp.Sum([w * x[(s, v)] for s, w in terms]) <= cap)
        _add_holder_cut(lp, x, v, [s for s in slots if length[s] > lo], length, lo, hi, load)
    return lp.Solve() == pywraplp.Solver.INFEASIBLE


def _add_headcounts(lp: pywraplp.Solver, part: Part, x: Vars, families: Collection[str]) -> None:
    """Every slot at exactly its minimum (extras come after fairness) and its leader's share."""
    per_slot: dict[int, list[Headcount]] = defaultdict(list)
    for rule in (Rule.DEMAND, Rule.LEADER):
        if rule in families:
            for h in headcounts(part, rule):
                per_slot[h.slot].append(h)
    for s in range(len(part.slots)):
        for h in per_slot[s]:
            people = lp.Sum([x[(s, v)] for v in h.people])
            lp.Add(people == h.least if h.rule is Rule.DEMAND else people >= h.least)


def _add_limits(
    lp: pywraplp.Solver, part: Part, x: Vars, families: Collection[str]
) -> dict[int, list[tuple[Terms, int]]]:
    """The overlap limits, added now; the caps (in units of the granularity) per person, for
    `refutes` to add next to each person's load, in day then week order."""
    g = part.granularity
    caps: dict[int, list[tuple[Terms, int]]] = defaultdict(list)
    for limit in limits(part, families):
        for v, pairs in binding(part, limit):
            if limit.in_minutes:
                caps[v].append(([(s, w // g) for s, w in pairs], limit.cap(v) // g))
            else:
                lp.Add(lp.Sum([w * x[(s, v)] for s, w in pairs]) <= limit.cap(v))
    return caps


def _add_holder_cut(
    lp: pywraplp.Solver,
    x: Vars,
    v: int,
    longs: list[int],
    length: list[int],
    lo: int,
    hi: int,
    load: pywraplp.LinearExpr,
) -> None:
    """Holding a duty longer than the lower bound means a load of at least its length: valid when
    the person can hold at most one such duty (just one, or two would pass the upper bound)."""
    if longs and (len(longs) == 1 or 2 * min(length[s] for s in longs) > hi):
        lp.Add(load >= lo + lp.Sum([(length[s] - lo) * x[(s, v)] for s in longs]))
