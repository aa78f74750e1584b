"""A linear relaxation that refutes a fairness deviation before any search.

The question "can every seat be filled with every load in [lo, hi]?" is asked of the roster's LP
relaxation (GLOP): pairs in [0, 1], every slot at exactly its headcount (extras come after
fairness), a leader's share in every slot that needs one, one of each group of conflicting slots,
daily and weekly caps, loads within the bounds. Plain, that relaxation is weak where a few long
duties meet tight bounds: a 4-hour visit can be spread as a quarter over four people. So each
person who can hold at most one duty longer than their lower bound also gets the valid cut

    load ≥ lo + Σ (length − lo) · x[long duty]

(holding the duty means a load of at least its length). With it, the relaxation sees counting
arguments that take CP-SAT minutes: leaders tied to leaders' seats, the rest too short of hours.
An infeasible relaxation proves the deviation out of reach; a feasible one proves nothing.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver import pywraplp

from solver.parts import Part, week_start


def refutes(part: Part, bounds: list[tuple[int, int]]) -> bool:
    """True when no roster fills every seat exactly with every load within `bounds`."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    g = part.granularity  # minutes in units of the gcd: small, exact coefficients
    length = [slot.minutes // g for slot in part.slots]
    x: dict[tuple[int, int], pywraplp.Variable] = {}
    for s, vols in enumerate(part.eligible):
        for v in vols:
            # a duty longer than the person's upper bound cannot be theirs, not even in part
            x[(s, v)] = lp.NumVar(0.0, 1.0 if length[s] * g <= bounds[v][1] else 0.0, "")
    held: list[list[int]] = [[] for _ in part.volunteers]
    for s, v in x:
        held[v].append(s)
    for s, slot in enumerate(part.slots):
        lp.Add(lp.Sum([x[(s, v)] for v in part.eligible[s]]) == slot.min_people)
        if slot.leader_required:
            leaders = [x[(s, v)] for v in part.eligible[s] if part.volunteers[v].leader]
            lp.Add(lp.Sum(leaders) >= 1)
    for clique in part.cliques:
        per_person: dict[int, list] = defaultdict(list)
        for s in clique:
            for v in part.eligible[s]:
                per_person[v].append(x[(s, v)])
        for xs in per_person.values():
            if len(xs) > 1:
                lp.Add(lp.Sum(xs) <= 1)
    for v, slots in enumerate(held):
        lo, hi = bounds[v][0] // g, bounds[v][1] // g
        load = lp.Sum([length[s] * x[(s, v)] for s in slots])
        lp.Add(load >= lo)
        lp.Add(load <= hi)
        days: dict[object, list[int]] = defaultdict(list)
        weeks: dict[object, list[int]] = defaultdict(list)
        for s in slots:
            days[part.slots[s].date].append(s)
            weeks[week_start(part.slots[s].date)].append(s)
        for groups, cap in ((days, part.daily_cap // g), (weeks, part.weekly_cap[v] // g)):
            for group in groups.values():
                if sum(length[s] for s in group) > cap:
                    lp.Add(lp.Sum([length[s] * x[(s, v)] for s in group]) <= cap)
        longs = [s for s in slots if length[s] > lo]
        if longs and (len(longs) == 1 or 2 * min(length[s] for s in longs) > hi):
            lp.Add(load >= lo + lp.Sum([(length[s] - lo) * x[(s, v)] for s in longs]))
    return lp.Solve() == pywraplp.Solver.INFEASIBLE
