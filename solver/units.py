"""Level one: which unit takes an area that the table gives to several candidate units.

Each area goes to one unit for the whole campaign (people plan around it, and a weekly solve must
not move it), chosen so that the largest demand per volunteer over the units is as small as it can
be. Demand is measured per ordinary week from the table alone, so the choice never depends on
which period is being solved.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from roster.expand import weekly_count
from roster.model import Plan, Season
from solver.params import Tuning

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

SCALE = 1000  # demand-minutes per volunteer are compared in thousandths


def area_demand(plan: Plan) -> dict[tuple[str, str], int]:
    """Person-minutes per ordinary week (summer and winter averaged) of each (duty, area)."""
    demand: dict[tuple[str, str], float] = defaultdict(float)
    for rule in plan.duties:
        per_week = sum(weekly_count(rule, s, plan) for s in (Season.SUMMER, Season.WINTER)) / 2
        demand[(rule.kind, rule.area)] += per_week * rule.minutes * rule.min_people
    return {k: round(v) for k, v in demand.items()}


def choose_units(plan: Plan, tuning: Tuning | None = None) -> dict[tuple[str, str], str]:
    """The responsible unit of every (duty, area) of the plan, searched for at most
    `tuning.unit_choice_limit` deterministic seconds."""
    candidates: dict[tuple[str, str], tuple[str, ...]] = {}
    for rule in plan.duties:
        candidates.setdefault((rule.kind, rule.area), rule.units)
    fixed = {k: units[0] for k, units in candidates.items() if len(units) == 1}
    open_ = {k: units for k, units in candidates.items() if len(units) > 1}
    if not open_:
        return fixed
    from ortools.sat.python import cp_model  # only here: checking a roster need not load it

    demand = area_demand(plan)
    heads = {u.name: len(plan.volunteers_of(u.name)) for u in plan.units}
    load: dict[str, int] = defaultdict(int)
    for key, unit in fixed.items():
        load[unit] += demand[key]

    model = cp_model.CpModel()
    choice: dict[tuple[tuple[str, str], str], cp_model.IntVar] = {}
    for key, units in sorted(open_.items()):
        staffed = [u for u in units if heads.get(u, 0) > 0] or list(units[:1])
        for unit in staffed:
            choice[(key, unit)] = model.new_bool_var(f"{key}->{unit}")
        model.add_exactly_one(choice[(key, u)] for u in staffed)
    units_involved = sorted({u for (_, u) in choice})
    worst = model.new_int_var(0, 10**12, "worst")
    for unit in units_involved:
        terms = [demand[key] * var for (key, u), var in choice.items() if u == unit]
        model.add(SCALE * (load[unit] + sum(terms)) <= worst * max(heads.get(unit, 0), 1))
    model.minimize(worst)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = (tuning or Tuning()).unit_choice_limit
    status = solver.solve(model)
    chosen = dict(fixed)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    for (key, unit), var in sorted(choice.items()):
        if found and solver.boolean_value(var):
            chosen[key] = unit
    for key, units in open_.items():  # only if the model failed: the first candidate
        chosen.setdefault(key, units[0])
    return chosen
