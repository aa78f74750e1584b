"""A baseline for the benchmark: the roster a careful clerk would make, slot by slot.

Slots in date order; each seat (the leader's first) goes to the eligible, free person of the unit
with the fewest hours so far (history included), ties by id. Same hard rules as the model
(eligibility, no overlap with travel time, daily and weekly caps), no look-ahead.
"""

from __future__ import annotations

from collections import defaultdict

from solver.flow import conflicting
from solver.parts import Part, week_start


def greedy(part: Part) -> set[tuple[int, int]]:
    """(slot, volunteer) pairs of the greedy roster of one part."""
    conflict = conflicting(part)
    hours = list(part.history_minutes)
    day: dict[tuple[int, object], int] = defaultdict(int)
    week: dict[tuple[int, object], int] = defaultdict(int)
    held: dict[int, set[int]] = defaultdict(set)
    chosen: set[tuple[int, int]] = set()
    for s in sorted(range(len(part.slots)), key=lambda s: part.slots[s]):
        slot = part.slots[s]
        team: list[int] = []
        for seat in range(slot.min_people):
            leader_seat = seat == 0 and slot.leader_required
            pool = [
                v
                for v in part.eligible[s]
                if v not in team
                and (part.volunteers[v].leader or not leader_seat)
                and not conflict[s] & held[v]
                and day[(v, slot.date)] + slot.minutes <= part.daily_cap
                and week[(v, week_start(slot.date))] + slot.minutes <= part.weekly_cap[v]
            ]
            if not pool:
                continue
            v = min(pool, key=lambda v: (hours[v], part.volunteers[v].id))
            team.append(v)
            chosen.add((s, v))
            hours[v] += slot.minutes
            day[(v, slot.date)] += slot.minutes
            week[(v, week_start(slot.date))] += slot.minutes
            held[v].add(s)
    return chosen
