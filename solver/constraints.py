"""The hard rules as CP-SAT constraints, read from their one definition in `solver.rules`.

Each function takes the model pieces it writes to (the part, the model, the pair variables) and
returns the variables it creates, so this module needs nothing from `solver.model`, which
assembles the model (`build`) in the order `rules.MODELLED` lists. Order does not matter for
correctness, but it steers CP-SAT's search: it is kept fixed so the same inputs give the same
roster.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.parts import Part
from solver.rules import Limit, Rule, binding, headcounts, limits

Pairs = dict[tuple[int, int], cp_model.IntVar]  # (slot, volunteer) -> assigned


def add_demand(
    part: Part, model: cp_model.CpModel, x: Pairs, strict: bool
) -> dict[int, cp_model.IntVar]:
    """At least the minimum headcount, or a counted shortfall: per slot, the missing people, or
    under --strict (demand is hard) the assumption literal that the minimum is met."""
    out: dict[int, cp_model.IntVar] = {}
    for h in headcounts(part, Rule.DEMAND):
        assigned = sum(x[(h.slot, v)] for v in h.people)
        if strict:
            met = out[h.slot] = model.new_bool_var(f"demand{h.slot}")
            model.add(assigned >= h.least).only_enforce_if(met)
        else:
            short = out[h.slot] = model.new_int_var(0, h.least, f"short{h.slot}")
            model.add(assigned + short >= h.least)
    return out


def add_max_headcount(part: Part, model: cp_model.CpModel, x: Pairs) -> None:
    """At most the maximum headcount."""
    for h in headcounts(part, Rule.MAX_HEADCOUNT):
        if h.most is not None:
            model.add(sum(x[(h.slot, v)] for v in h.people) <= h.most)


def add_leader(
    part: Part, model: cp_model.CpModel, x: Pairs, strict: bool
) -> dict[int, cp_model.IntVar]:
    """A leader among the people of every slot that requires one: per such slot, the "no leader"
    indicator, or under --strict the assumption literal that a leader is there."""
    out: dict[int, cp_model.IntVar] = {}
    for h in headcounts(part, Rule.LEADER):
        leaders = [x[(h.slot, v)] for v in h.people]
        if strict:
            met = out[h.slot] = model.new_bool_var(f"leader{h.slot}")
            model.add(sum(leaders) >= h.least).only_enforce_if(met)
        else:
            missing = out[h.slot] = model.new_bool_var(f"noleader{h.slot}")
            model.add(sum(leaders) + missing >= h.least)
    return out


def add_limit(part: Part, model: cp_model.CpModel, x: Pairs, limit: Limit) -> None:
    """One per-person limit (an overlap clique, a day's or a week's cap) for each person it binds;
    a count of at most one, as in overlaps, is CP-SAT's at-most-one."""
    for v, pairs in binding(part, limit):
        cap = limit.cap(v)
        if cap == 1 and all(w == 1 for _, w in pairs):
            model.add_at_most_one([x[(s, v)] for s, _ in pairs])
        else:
            model.add(sum(w * x[(s, v)] for s, w in pairs) <= cap)


def add_limits(part: Part, model: cp_model.CpModel, x: Pairs, rule: Rule) -> None:
    """Every limit of one per-person family."""
    for limit in limits(part, (rule,)):
        add_limit(part, model, x, limit)


def add_loads(part: Part, model: cp_model.CpModel, x: Pairs) -> list[cp_model.IntVar]:
    """load[v] = the minutes volunteer v is assigned in the period (objective and fairness)."""
    held: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in part.volunteers]
    for (s, v), var in x.items():
        held[v].append((s, var))
    out = []
    for v, pairs in enumerate(held):
        top = sum(part.slots[s].minutes for s, _ in pairs)
        load = model.new_int_var(0, top, f"load{v}")
        model.add(load == sum(part.slots[s].minutes * var for s, var in pairs))
        out.append(load)
    return out


def _limited(rule: Rule) -> Callable[[Part, cp_model.CpModel, Pairs], None]:
    return lambda part, model, x: add_limits(part, model, x, rule)


PLAIN: dict[Rule, Callable[[Part, cp_model.CpModel, Pairs], None]] = {
    Rule.MAX_HEADCOUNT: add_max_headcount,
    Rule.NO_OVERLAP: _limited(Rule.NO_OVERLAP),
    Rule.DAILY_CAP: _limited(Rule.DAILY_CAP),
    Rule.WEEKLY_CAP: _limited(Rule.WEEKLY_CAP),
}
"""The families that only add constraints; demand and leader also return their slack variables."""
