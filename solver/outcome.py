"""A part's result from the roster chosen, whichever engine (flow or CP-SAT) chose it."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from roster.i18n import tr
from solver import explain
from solver.parts import Part
from solver.result import Assignment, PartResult, Shortfall, Stage, Status, VolunteerHours


def part_result(
    part: Part,
    chosen: Iterable[tuple[int, int]],
    stages: Sequence[Stage],
    status: Status,
    start: float,
    conflicts: tuple[str, ...] = (),
) -> PartResult:
    """Assignments (the lowest id among a team's leaders leads), hours and shortfalls; with no
    roster at all (`Status.UNKNOWN`) every slot is reported short, with what to try next."""
    pairs = sorted(chosen)
    loads = part.loads(pairs)
    team: dict[int, list[int]] = {}
    for s, v in pairs:
        team.setdefault(s, []).append(v)
    assignments = []
    for s, members in team.items():
        leaders = [v for v in members if part.volunteers[v].leader]
        lead = min(leaders, key=lambda v: part.volunteers[v].id) if leaders else None
        for v in members:
            assignments.append(Assignment(part.slots[s], part.volunteers[v], v == lead))
    hours = tuple(
        VolunteerHours(
            vol,
            loads[v],
            part.history_minutes[v],
            part.fair[v],
            part.even[v] if part.even else None,
        )
        for v, vol in enumerate(part.volunteers)
    )
    if status is Status.UNKNOWN:
        reason = tr("no roster found within the time limit: run again with a larger --time-limit")
        shortfalls: tuple[Shortfall, ...] = tuple(
            Shortfall(slot, part.unit, slot.min_people, 0, slot.leader_required, reason)
            for slot in part.slots
        )
    elif status is Status.INFEASIBLE:
        shortfalls = ()
    else:
        shortfalls = explain.shortfalls(part, team)
    return PartResult(
        unit=part.unit,
        status=status,
        stages=tuple(stages),
        variables=part.pairs,
        seconds=time.perf_counter() - start,
        hours=hours,
        assignments=tuple(assignments),
        shortfalls=shortfalls,
        conflicts=conflicts,
        forced_excess=part.forced_excess,
    )
