"""The CP-SAT model of one part: variables, then the hard rules, one function per family.

Variables exist only for eligible (volunteer, slot) pairs: a volunteer of the responsible unit,
not on leave that day and free that weekday. Eligibility is therefore a rule of construction, not
a constraint; everything else is added by `solver.constraints`, in the order `build` lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.parts import Part


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


def build(part: Part, strict: bool = False, families: tuple[str, ...] | None = None) -> UnitModel:
    """The model with every hard-rule family (or only `families`, for tests that drop one)."""
    from solver import constraints

    m = UnitModel(part, strict)
    for s, vols in enumerate(part.eligible):
        for v in vols:
            m.x[(s, v)] = m.model.new_bool_var(f"x{s}_{v}")
    for name, add in constraints.FAMILIES:
        if families is None or name in families:
            add(m)
    constraints.add_loads(m)
    return m
