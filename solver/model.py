"""The CP-SAT model of one part: variables, then the hard rules, family by family.

Variables exist only for eligible (volunteer, slot) pairs: a volunteer of the responsible unit,
not on leave that day and free that weekday. Eligibility is therefore a rule of construction, not
a constraint; everything else comes from `solver.constraints`, in the order of `rules.MODELLED`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver import constraints
from solver.parts import Part
from solver.rules import MODELLED, Rule


@dataclass
class UnitModel:
    part: Part
    strict: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (slot, volunteer)
    short: dict[int, cp_model.IntVar] = field(default_factory=dict)  # missing people per slot
    no_leader: dict[int, cp_model.IntVar] = field(default_factory=dict)  # leader missing
    demand_met: dict[int, cp_model.IntVar] = field(default_factory=dict)  # --strict assumptions
    leader_met: dict[int, cp_model.IntVar] = field(default_factory=dict)
    load: list[cp_model.IntVar] = field(default_factory=list)  # minutes per volunteer

    def by_slot(self, s: int) -> list[cp_model.IntVar]:
        return [self.x[(s, v)] for v in self.part.eligible[s]]

    def by_volunteer(self) -> list[list[tuple[int, cp_model.IntVar]]]:
        out: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in self.part.volunteers]
        for (s, v), var in self.x.items():
            out[v].append((s, var))
        return out


def build(part: Part, strict: bool = False, families: Collection[str] | None = None) -> UnitModel:
    """The model with every hard-rule family (or only `families`, for tests that drop one)."""
    m = UnitModel(part, strict)
    for s, vols in enumerate(part.eligible):
        for v in vols:
            m.x[(s, v)] = m.model.new_bool_var(f"x{s}_{v}")
    for pair in part.locked:
        m.model.add(m.x[pair] == 1)
    for rule in MODELLED:
        if families is None or rule in families:
            _add(m, rule)
    m.load = constraints.add_loads(part, m.model, m.x)
    return m


def _add(m: UnitModel, rule: Rule) -> None:
    """One family; demand and leader keep their slack (or --strict assumption) variables."""
    if rule is Rule.DEMAND:
        found = constraints.add_demand(m.part, m.model, m.x, m.strict)
        (m.demand_met if m.strict else m.short).update(found)
    elif rule is Rule.LEADER:
        found = constraints.add_leader(m.part, m.model, m.x, m.strict)
        (m.leader_met if m.strict else m.no_leader).update(found)
    else:
        constraints.PLAIN[rule](m.part, m.model, m.x)
