"""Bound arithmetic of one part: what no roster can beat, computed before any search.

Pure arithmetic on a `Part` (no solver): the hours each volunteer could reach, the lower bound on
the largest deviation from the fair share and the candidate values above it, the load bounds a
deviation allows, the candidate spreads, and the necessary sum conditions on load bounds. Both the
fast path (`solver.fast`) and the staged search (`solver.search`) ask their questions from these.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from solver.parts import Part

EPS = 1e-6

Bounds = list[tuple[int, int]]  # per volunteer: (lowest, highest) load in minutes


def reachable(part: Part) -> list[int]:
    """Per volunteer, the most minutes they could be given: their eligible slots, under the
    daily and weekly caps."""
    day_of = {s: d for d, group in enumerate(part.days) for s in group}
    week_of = {s: w for w, group in enumerate(part.weeks) for s in group}
    minutes = [slot.minutes for slot in part.slots]
    per_day: list[dict[int, int]] = [defaultdict(int) for _ in part.volunteers]
    per_week: list[dict[int, int]] = [defaultdict(int) for _ in part.volunteers]
    for s, vols in enumerate(part.eligible):
        d, w, m = day_of[s], week_of[s], minutes[s]  # days and weeks cover every slot
        for v in vols:
            per_day[v][d] += m
            per_week[v][w] += m
    return [
        min(
            sum(min(part.daily_cap, x) for x in per_day[v].values()),
            sum(min(part.weekly_cap[v], x) for x in per_week[v].values()),
        )
        for v in range(len(part.volunteers))
    ]


def fairness_bounds(part: Part, all_filled: bool) -> tuple[float, list[float]]:
    """A lower bound on the optimal largest deviation, and the candidate values above it.

    The bound takes the largest of: for each volunteer, the distance from their fair share to the
    nearest load they can reach in whole slot lengths; and, when every slot must be filled, for
    each slot, the p-th smallest excess of its p required holders (someone must take a 4-hour
    visit even if it puts them 3 hours over their share).
    """
    g = part.granularity
    lower = 0.0
    candidates: set[float] = {0.0}
    most = reachable(part)
    for v in range(len(part.volunteers)):
        need = part.fair[v] - part.history_minutes[v]
        top = most[v] // g
        devs = [abs(k * g - need) for k in range(top + 1)]
        lower = max(lower, min(devs))
        candidates.update(round(d, 6) for d in devs)
    if all_filled:
        for s, slot in enumerate(part.slots):
            excess = sorted(
                part.history_minutes[v] + slot.minutes - part.fair[v] for v in part.eligible[s]
            )
            if len(excess) >= slot.min_people:
                lower = max(lower, excess[slot.min_people - 1])
    return lower, sorted(c for c in candidates if c >= lower - EPS)


def load_bounds(part: Part, d: float) -> Bounds | None:
    """Per volunteer, the loads (whole multiples of the granularity) within `d` of the fair
    share; None when someone has none, so that no roster reaches a largest deviation of `d`."""
    g = part.granularity
    out = []
    for v in range(len(part.volunteers)):
        need = part.fair[v] - part.history_minutes[v]
        lo = max(0, math.ceil((need - d - EPS) / g) * g)
        hi = math.floor((need + d + EPS) / g) * g
        if lo > hi:
            return None
        out.append((lo, hi))
    return out


def deviations(part: Part, chosen: Iterable[tuple[int, int]]) -> list[float]:
    """Per volunteer, minutes above (+) or below (−) the fair share, history included."""
    loads = part.loads(chosen)
    return [part.history_minutes[v] + loads[v] - part.fair[v] for v in range(len(loads))]


def max_deviation(part: Part, chosen: Iterable[tuple[int, int]]) -> float:
    """The fairness term of a roster: the largest deviation from anyone's fair share."""
    return max((abs(d) for d in deviations(part, chosen)), default=0.0)


def spread_of(part: Part, chosen: Iterable[tuple[int, int]]) -> int:
    """The spread term of a roster: highest minus lowest deviation, with the fair shares rounded
    to whole minutes as `solver.objective.spread` counts them."""
    devs = [
        part.history_minutes[v] + x - round(part.fair[v]) for v, x in enumerate(part.loads(chosen))
    ]
    return max(devs, default=0) - min(devs, default=0)


def spread_candidates(part: Part, bounds: Bounds) -> list[int]:
    """Possible spreads, smallest first, from the narrowest window catching everyone on.

    Each volunteer's allowed loads (multiples of the slot length within their fairness bounds)
    give a few possible deviations; no roster can have a spread below the narrowest window that
    catches one of each (a bound that ignores how people compete for slots), and any spread is
    the difference of two such deviations.
    """
    g = part.granularity
    values = sorted(
        (load + part.history_minutes[v] - round(part.fair[v]), v)
        for v, (lo, hi) in enumerate(bounds)
        for load in range(lo, hi + 1, g)
    )
    need = len(bounds)
    count: dict[int, int] = {}
    lower = None
    left = 0
    for value, v in values:
        count[v] = count.get(v, 0) + 1
        while len(count) == need:
            width = value - values[left][0]
            lower = width if lower is None else min(lower, width)
            w = values[left][1]
            count[w] -= 1
            if not count[w]:
                del count[w]
            left += 1
    if lower is None:
        return [0]
    distinct = sorted({v for v, _ in values})
    return sorted({b - a for a in distinct for b in distinct if b - a >= lower})


def sums_fit(part: Part, bounds: Bounds | None) -> bool:
    """Necessary conditions on the load bounds of a deviation, each weaker as it grows.

    With every seat filled by exactly its minimum the loads sum to the demand in minutes; the
    seats of each duty length need that many holders who can fit one more such duty (leaders'
    seats among leaders). A deviation failing one of these cannot be reached, so the smallest
    deviation passing them all is a lower bound too.
    """
    if bounds is None:
        return False
    demand = sum(s.min_people * s.minutes for s in part.slots)
    if not sum(lo for lo, _ in bounds) <= demand <= sum(hi for _, hi in bounds):
        return False
    seats: dict[int, int] = defaultdict(int)
    leader_seats: dict[int, int] = defaultdict(int)
    for s in part.slots:
        seats[s.minutes] += s.min_people
        if s.leader_required:
            leader_seats[s.minutes] += 1
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    for length, count in seats.items():
        if sum(hi // length for _, hi in bounds) < count:
            return False
    for length, count in leader_seats.items():
        if sum(bounds[v][1] // length for v in leaders) < count:
            return False
    return sum(bounds[v][1] for v in leaders) >= sum(m * c for m, c in leader_seats.items())
