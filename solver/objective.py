"""The objective's terms, in priority order. `solver.search` optimizes them one after another.

1. unfilled demand: every missing person, and every slot without its required leader;
2. stability: assignments that differ from the previous roster (only with --previous);
   then extras: people beyond each slot's minimum headcount, so that nobody is added to a slot
   merely to even out hours;
3. fairness: the largest deviation of anyone's hours from their fair share (min–max), enforced
   as load bounds by `solver.search` rather than as a sum; then, among rosters with that largest
   deviation, the smallest spread (highest minus lowest deviation), so no one is left at the
   bottom while others sit at the top of the allowed band;
4. continuity: distinct volunteer–area pairs not served before (the same people on the same area
   week after week).
Each stage keeps the optimum of the stages before it as a hard bound, so a lower priority can never
buy itself a worse value of a higher one. `PRIORITY` is that order, the one place it is written:
the staged search runs its stages in it, and a part's status is decided by its primary terms.
"""

from __future__ import annotations

from typing import cast

from ortools.sat.python import cp_model

from solver.model import UnitModel
from solver.result import Term

PRIORITY: tuple[Term, ...] = (
    Term.DEMAND,
    Term.STABILITY,
    Term.EXTRAS,
    Term.FAIRNESS,
    Term.SPREAD,
    Term.CONTINUITY,
)
# Spread and continuity only break ties among rosters optimal in the terms before them: their
# values and bounds are reported, but they do not decide whether a part is optimal.
TIE_BREAKERS: tuple[Term, ...] = (Term.SPREAD, Term.CONTINUITY)
PRIMARY: tuple[Term, ...] = tuple(t for t in PRIORITY if t not in TIE_BREAKERS)


def unfilled(m: UnitModel) -> cp_model.LinearExpr:
    return cast(cp_model.LinearExpr, sum(m.short.values()) + sum(m.no_leader.values()))


def changes(m: UnitModel) -> cp_model.LinearExpr:
    """Previous pairs dropped plus new pairs added (the symmetric difference)."""
    kept = [var for key, var in m.x.items() if key in m.part.previous]
    added = [var for key, var in m.x.items() if key not in m.part.previous]
    return cast(cp_model.LinearExpr, len(kept) - sum(kept) + sum(added))


def extras(m: UnitModel) -> cp_model.LinearExpr:
    """People assigned in all (their number beyond the minimum, since demand is fixed by now)."""
    return cast(cp_model.LinearExpr, sum(m.x.values()))


def spread(m: UnitModel) -> cp_model.LinearExpr:
    """Highest minus lowest deviation from the fair share, in minutes (history included)."""
    part = m.part
    top = sum(s.minutes * s.max_people for s in part.slots) + max(part.history_minutes, default=0)
    high = m.model.new_int_var(-top - 1, top + 1, "dev_high")
    low = m.model.new_int_var(-top - 1, top + 1, "dev_low")
    for v, load in enumerate(m.load):
        offset = part.history_minutes[v] - round(part.fair[v])
        m.model.add(load + offset <= high)
        m.model.add(load + offset >= low)
    return high - low


def continuity(m: UnitModel, busy: set[int]) -> tuple[cp_model.LinearExpr, int]:
    """Distinct (volunteer, area) pairs not served in the history; returns (cost, its maximum).

    `busy` are volunteers whose load bounds force at least one duty: each of them uses at least
    one area, which the LP relaxation does not see by itself and which closes its bound.
    """
    used: dict[tuple[int, str], cp_model.IntVar] = {}
    for (s, v), var in m.x.items():
        key = (v, m.part.slots[s].area)
        if key in m.part.history_areas:
            continue
        if key not in used:
            used[key] = m.model.new_bool_var(f"area{v}_{len(used)}")
        m.model.add_implication(var, used[key])
    served = {v for v, _ in m.part.history_areas}
    per_volunteer: dict[int, list[cp_model.IntVar]] = {}
    for (v, _), var in used.items():
        per_volunteer.setdefault(v, []).append(var)
    for v in busy - served:
        if v in per_volunteer:
            m.model.add(sum(per_volunteer[v]) >= 1)  # linear, so the LP sees it
    return cast(cp_model.LinearExpr, sum(used.values())), len(used)
