"""What a re-plan with the fewest changes leaves open: arithmetic over a `Part` and its previous
roster, no solver.

With every seat filled, changes are the previous pairs dropped plus the pairs added. Each
previous pair that is no longer valid (leave, a weekday) must go, and each slot needs at least
its minimum minus the valid pairs it keeps, so no roster makes fewer changes than

    least = invalid pairs + Σ per slot max(0, minimum − valid pairs kept).

A roster reaching `least` keeps every valid pair (dropping one costs a change that nothing
saves) and adds exactly each slot's deficit, nowhere else. Among those rosters, each person's
load is their kept minutes plus some of the open seats they could take: `fairness_bound` and
`spread_bound` bound the largest deviation and the spread from that, as `solver.bounds` does for
a fresh roster. The fast path's re-plan (`solver.fast`) reports these bounds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from solver.parts import Part, week_start

Pairs = set[tuple[int, int]]


def valid(part: Part) -> Pairs:
    """The previous pairs that still obey eligibility (the rest must change)."""
    return {(s, v) for s, v in part.previous if v in part.eligible[s]}


def deficits(part: Part, kept: Pairs) -> list[int]:
    """Per slot, the people it still needs on top of the `kept` pairs."""
    have = [0] * len(part.slots)
    for s, _ in kept:
        have[s] += 1
    return [max(0, slot.min_people - have[s]) for s, slot in enumerate(part.slots)]


def least_changes(part: Part, kept: Pairs) -> int:
    """No roster filling every seat changes fewer pairs than this (`kept` = `valid(part)`)."""
    return len(part.previous - kept) + sum(deficits(part, kept))


def _extra_room(part: Part, kept: Pairs, open_: list[int]) -> list[int]:
    """Per person, the most minutes they could add in open seats: each open slot they may take
    once, within what their kept pairs leave of the daily and weekly caps, in whole slot
    lengths (loads are multiples of the granularity)."""
    g = part.granularity
    n = len(part.volunteers)
    used_day: list[dict[date, int]] = [defaultdict(int) for _ in range(n)]
    used_week: list[dict[date, int]] = [defaultdict(int) for _ in range(n)]
    for s, v in kept:
        slot = part.slots[s]
        used_day[v][slot.date] += slot.minutes
        used_week[v][week_start(slot.date)] += slot.minutes
    mine = {(s, v) for s, v in kept}
    offered: list[dict[date, int]] = [defaultdict(int) for _ in range(n)]
    for s in open_:
        for v in part.eligible[s]:
            if (s, v) not in mine:
                offered[v][part.slots[s].date] += part.slots[s].minutes
    out = []
    for v in range(n):
        per_week: dict[date, int] = defaultdict(int)
        for day, minutes in offered[v].items():
            room = max(0, part.daily_cap - used_day[v][day])
            per_week[week_start(day)] += min(room, minutes) // g * g
        out.append(
            sum(
                min(max(0, part.weekly_cap[v] - used_week[v][w]), m) // g * g
                for w, m in per_week.items()
            )
        )
    return out


def _load_ranges(part: Part, kept: Pairs) -> list[tuple[int, int]]:
    """Per person, the lowest and highest load a roster with the fewest changes can give."""
    open_ = [s for s, d in enumerate(deficits(part, kept)) if d > 0]
    fixed = part.loads(kept)
    room = _extra_room(part, kept, open_)
    return [(fixed[v], fixed[v] + room[v]) for v in range(len(part.volunteers))]


def fairness_bound(part: Part, kept: Pairs) -> float:
    """A lower bound, in minutes, on the largest deviation from the fair share among rosters
    that keep `kept` (the valid previous pairs) and add only each slot's deficit.

    The largest of: per person, the distance from their fair share to the nearest load they can
    still reach (kept minutes plus whole slot lengths of open seats); per open slot, the d-th
    smallest excess of its possible holders, d the people it still needs (someone must take it),
    and the smallest excess of its leaders when the kept team has none and the slot needs one.
    """
    g = part.granularity
    lower = 0.0
    for v, (lo, hi) in enumerate(_load_ranges(part, kept)):
        need = part.fair[v] - part.history_minutes[v]
        lower = max(lower, min(abs(load - need) for load in range(lo, hi + 1, g)))
    fixed = part.loads(kept)
    led = {s for s, v in kept if part.volunteers[v].leader}
    for s, d in enumerate(deficits(part, kept)):
        if d == 0:
            continue
        slot = part.slots[s]
        excess = {
            v: part.history_minutes[v] + fixed[v] + slot.minutes - part.fair[v]
            for v in part.eligible[s]
            if (s, v) not in kept
        }
        ranked = sorted(excess.values())
        if len(ranked) >= d:
            lower = max(lower, ranked[d - 1])
        leaders = [x for v, x in excess.items() if part.volunteers[v].leader]
        if slot.leader_required and s not in led and leaders:
            lower = max(lower, min(leaders))  # one of them must be a leader
    return lower


def spread_bound(part: Part, kept: Pairs) -> int:
    """A lower bound, in minutes, on the spread (highest minus lowest deviation, fair shares
    rounded as `bounds.spread_of` counts them) among the same rosters: the highest lowest
    deviation anyone can have minus the lowest highest one."""
    ranges = _load_ranges(part, kept)
    offset = [part.history_minutes[v] - round(part.fair[v]) for v in range(len(ranges))]
    if not ranges:
        return 0
    low = max(lo + offset[v] for v, (lo, _) in enumerate(ranges))
    high = min(hi + offset[v] for v, (_, hi) in enumerate(ranges))
    return max(0, low - high)
