"""A period's slots split into parts (one per unit), ready for any engine or for the checker.

Apart from `solver.solve` so that checking a roster (`roster publish`, `roster export`) does not
load CP-SAT.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from roster.expand import Slot, expand
from roster.model import Plan
from solver.params import Params
from solver.parts import DayCache, Part, build_part
from solver.rules import check
from solver.units import choose_units


def resolve_units(slots: tuple[Slot, ...], unit_of: dict[tuple[str, str], str]) -> tuple[Slot, ...]:
    """Each slot with the one unit chosen for its area. A slot already naming only that unit (all
    but the shared areas') is kept as it is rather than copied."""
    out = []
    for s in slots:
        unit = unit_of[(s.kind, s.area)]
        out.append(s if s.units == (unit,) else replace(s, units=(unit,)))
    return tuple(out)


Prepared = tuple[tuple[Slot, ...], list[Part], dict[tuple[str, str], str]]


def make_parts(
    plan: Plan, start: date, end: date, params: Params, cache: DayCache | None = None
) -> Prepared:
    """The period's slots (units resolved), the parts, and the unit chosen for each area.

    `cache` keeps what the history brings between calls (see `DayCache`); None goes through it
    anew.
    """
    unit_of = choose_units(plan, params.tuning)
    slots = resolve_units(expand(plan, start, end), unit_of)
    past = (cache or DayCache()).pasts(
        plan, unit_of, max(start, plan.settings.start), params.history
    )
    # Rows of --previous and --locked by the volunteer's unit, once rather than once per part.
    unit_of_volunteer = {v.id: v.unit for v in plan.volunteers}
    previous: dict[str, list] = defaultdict(list)
    locked: dict[str, list] = defaultdict(list)
    for rows, into in ((params.previous, previous), (params.locked, locked)):
        for row in rows:
            if row.volunteer_id in unit_of_volunteer:
                into[unit_of_volunteer[row.volunteer_id]].append(row)
    by_unit: dict[str, list[Slot]] = defaultdict(list)
    for s in slots:
        by_unit[s.units[0]].append(s)
    parts = []
    for unit in sorted({u.name for u in plan.units}):
        mine = tuple(by_unit.get(unit, ()))
        if not mine:
            continue
        parts.append(
            _lockable(
                build_part(
                    plan,
                    unit,
                    mine,
                    past(unit),
                    tuple(previous.get(unit, ())),
                    tuple(locked.get(unit, ())),
                )
            )
        )
    return slots, parts, unit_of


def _lockable(part: Part) -> Part:
    """The part with only the locks that together break no rule: a person whose locked duties
    now overlap or exceed a cap keeps none of them (the draft shows them as ordinary rows)."""
    if not part.locked:
        return part
    broken = {x.volunteer for x in check(part, part.locked) if x.volunteer is not None}
    return replace(part, locked=frozenset((s, v) for s, v in part.locked if v not in broken))
