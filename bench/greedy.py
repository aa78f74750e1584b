"""A baseline for the benchmark: the roster a careful clerk would make, slot by slot.

Slots in date order; each seat (the leader's first) goes to the eligible, free person of the unit
with the fewest hours so far (history included), ties by id. Same hard rules as the model
(eligibility, no overlap with travel time, daily and weekly caps), no look-ahead.
"""

from __future__ import annotations

from solver.parts import Part
from solver.rules import Ledger


def greedy(part: Part) -> set[tuple[int, int]]:
    """(slot, volunteer) pairs of the greedy roster of one part."""
    hours = list(part.history_minutes)
    ledger = Ledger(part)  # overlap and travel time, daily and weekly caps: the rules' own
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
                and ledger.fits(s, v)
            ]
            if not pool:
                continue
            v = min(pool, key=lambda v: (hours[v], part.volunteers[v].id))
            team.append(v)
            chosen.add((s, v))
            hours[v] += slot.minutes
            ledger.take(s, v)
    return chosen
