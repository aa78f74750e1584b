"""The hard rules, one function per family. Each has a test that fails when it is removed.

Order does not matter for correctness; `add_loads` comes last because the objective and the
fairness bounds read the per-volunteer load it defines.
"""

from __future__ import annotations

from collections.abc import Callable

from solver.model import UnitModel


def add_demand(m: UnitModel) -> None:
    """At least the minimum headcount, or a counted shortfall (a hard rule under --strict)."""
    for s, slot in enumerate(m.part.slots):
        assigned = sum(m.by_slot(s))
        if m.strict:
            met = m.demand_met[s] = m.model.new_bool_var(f"demand{s}")
            m.model.add(assigned >= slot.min_people).only_enforce_if(met)
        else:
            short = m.short[s] = m.model.new_int_var(0, slot.min_people, f"short{s}")
            m.model.add(assigned + short >= slot.min_people)


def add_max_headcount(m: UnitModel) -> None:
    """At most the maximum headcount."""
    for s, slot in enumerate(m.part.slots):
        if len(m.part.eligible[s]) > slot.max_people:
            m.model.add(sum(m.by_slot(s)) <= slot.max_people)


def add_leader(m: UnitModel) -> None:
    """A leader among the people of every slot that requires one."""
    for s, slot in enumerate(m.part.slots):
        if not slot.leader_required:
            continue
        leaders = [m.x[(s, v)] for v in m.part.eligible[s] if m.part.volunteers[v].leader]
        if m.strict:
            met = m.leader_met[s] = m.model.new_bool_var(f"leader{s}")
            m.model.add(sum(leaders) >= 1).only_enforce_if(met)
        else:
            missing = m.no_leader[s] = m.model.new_bool_var(f"noleader{s}")
            m.model.add(sum(leaders) + missing >= 1)


def add_no_overlap(m: UnitModel) -> None:
    """Nobody in two slots that overlap or leave too little time to travel between areas."""
    for clique in m.part.cliques:
        per_volunteer: dict[int, list] = {}
        for s in clique:
            for v in m.part.eligible[s]:
                per_volunteer.setdefault(v, []).append(m.x[(s, v)])
        for xs in per_volunteer.values():
            if len(xs) > 1:
                m.model.add_at_most_one(xs)


def _cap(m: UnitModel, groups: tuple[tuple[int, ...], ...], cap_of: Callable[[int], int]) -> None:
    slots = m.part.slots
    for group in groups:
        per_volunteer: dict[int, list[tuple[int, object]]] = {}
        for s in group:
            for v in m.part.eligible[s]:
                per_volunteer.setdefault(v, []).append((slots[s].minutes, m.x[(s, v)]))
        for v, terms in per_volunteer.items():
            if sum(minutes for minutes, _ in terms) > cap_of(v):
                m.model.add(sum(minutes * x for minutes, x in terms) <= cap_of(v))


def add_daily_cap(m: UnitModel) -> None:
    """At most the daily cap of duty minutes per person per day."""
    _cap(m, m.part.days, lambda v: m.part.daily_cap)


def add_weekly_cap(m: UnitModel) -> None:
    """At most each person's weekly cap per ISO week (the part of it inside the period)."""
    _cap(m, m.part.weeks, lambda v: m.part.weekly_cap[v])


def add_loads(m: UnitModel) -> None:
    """load[v] = the minutes volunteer v is assigned in the period."""
    for v, pairs in enumerate(m.by_volunteer()):
        top = sum(m.part.slots[s].minutes for s, _ in pairs)
        load = m.model.new_int_var(0, top, f"load{v}")
        m.model.add(load == sum(m.part.slots[s].minutes * x for s, x in pairs))
        m.load.append(load)


FAMILIES: tuple[tuple[str, Callable[[UnitModel], None]], ...] = (
    ("demand", add_demand),
    ("max_headcount", add_max_headcount),
    ("leader", add_leader),
    ("no_overlap", add_no_overlap),
    ("daily_cap", add_daily_cap),
    ("weekly_cap", add_weekly_cap),
)
