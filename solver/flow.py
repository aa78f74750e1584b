"""A roster from a min-cost flow: the fast path that CP-SAT only has to confirm or improve.

Most slots are windows of one common length (one hour); once each person's load is bounded to
[lo, hi] by a candidate fairness deviation, staffing those windows is a flow problem:

    source → slot seats (the leader's seat, the other seats) → (person, day, conflict group)
           → (person, day) [daily cap] → (person, week) [weekly cap] → person → sink

where the person → sink arcs are unit arcs with convex costs: the first `lo` are strongly rewarded
(the lower bound), the rest cost more the further the person goes above their fair share, which
also evens out hours (the spread). Longer duties (a 4-hour visit) are few and are placed greedily
first. A conflict group is a connected set of one person's mutually exclusive windows of one day;
allowing one window per group is exact for disjoint overlaps and otherwise only stricter than the
rules, so any roster found is valid (`violations` re-checks it against every rule family).

When the roster fills every seat with every load in [lo, hi] for the smallest deviation the bound
allows, demand and fairness are proven optimal without a search.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.parts import Part, week_start

BALANCE = 10  # scale of the convex cost per unit above the fair share
FAMILIAR = 3  # discount for a person already serving the area (continuity)


def unit_length(part: Part) -> int:
    """The most common slot length: slots of this length go through the flow."""
    counts = Counter(s.minutes for s in part.slots)
    return max(counts, key=lambda m: (counts[m], -m)) if counts else 60


def conflicting(part: Part) -> dict[int, set[int]]:
    """Per slot, the slots one person may not hold with it (from the part's cliques)."""
    out: dict[int, set[int]] = defaultdict(set)
    for clique in part.cliques:
        for a in clique:
            out[a].update(b for b in clique if b != a)
    return out


def roster(
    part: Part,
    bounds: list[tuple[int, int]],
    fixed: Iterable[tuple[int, int]] = (),
) -> set[tuple[int, int]] | None:
    """(slot, volunteer) pairs filling every seat within `bounds`, or None if this fails.

    `fixed` pairs are kept as they are (a previous roster, when re-planning).
    """
    n = len(part.volunteers)
    u = unit_length(part)
    conflict = conflicting(part)
    chosen: set[tuple[int, int]] = set(fixed)
    load = [0] * n
    day_load: dict[tuple[int, object], int] = defaultdict(int)
    week_load: dict[tuple[int, object], int] = defaultdict(int)
    taken: dict[int, set[int]] = defaultdict(set)  # volunteer -> slots held
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in chosen:
        _take(part, s, v, load, day_load, week_load, taken, team)
    need = [part.fair[v] - part.history_minutes[v] for v in range(n)]

    def free(s: int, v: int) -> bool:
        slot = part.slots[s]
        return (
            v not in team[s]
            and not (conflict[s] & taken[v])
            and day_load[(v, slot.date)] + slot.minutes <= part.daily_cap
            and week_load[(v, week_start(slot.date))] + slot.minutes <= part.weekly_cap[v]
            and load[v] + slot.minutes <= bounds[v][1]
        )

    # Longer duties first, greedily: the leader's seat, then whoever is furthest below their share.
    for s, slot in enumerate(part.slots):
        if slot.minutes == u:
            continue
        while len(team[s]) < slot.min_people:
            has_leader = any(part.volunteers[v].leader for v in team[s])
            leader_seat = slot.leader_required and not has_leader
            pool = [
                v
                for v in part.eligible[s]
                if free(s, v) and (part.volunteers[v].leader or not leader_seat)
            ]
            if not pool:
                return None
            # Leaders are scarce: they take a long duty's other seats only when nobody else can.
            v = max(pool, key=lambda v: (not part.volunteers[v].leader, need[v] - load[v], -v))
            _take(part, s, v, load, day_load, week_load, taken, team)
            chosen.add((s, v))

    flow = _flow(part, u, bounds, need, load, day_load, week_load, taken, team, conflict)
    if flow is None:
        return None
    chosen |= flow
    loads = part.loads(chosen)
    if any(not lo <= x <= hi for x, (lo, hi) in zip(loads, bounds, strict=True)):
        return None
    if unfilled(part, chosen):
        return None
    return chosen


def _take(part, s, v, load, day_load, week_load, taken, team) -> None:
    slot = part.slots[s]
    load[v] += slot.minutes
    day_load[(v, slot.date)] += slot.minutes
    week_load[(v, week_start(slot.date))] += slot.minutes
    taken[v].add(s)
    team[s].append(v)


def _flow(part, u, bounds, need, load, day_load, week_load, taken, team, conflict):
    """The one-length slots by min-cost max-flow; None if some seat stays empty."""
    short = [s for s, slot in enumerate(part.slots) if slot.minutes == u]
    if not short:
        return set()
    is_short = set(short)
    # Conflict groups per day among the short slots: connected components.
    group: dict[int, int] = {}
    for s in short:
        if s in group:
            continue
        stack, group[s] = [s], s
        while stack:
            a = stack.pop()
            for b in conflict[a]:
                if b not in group and b in is_short:
                    group[b] = s
                    stack.append(b)
    arcs: list[tuple[int, int, int, int]] = []  # (tail, head, capacity, unit cost)
    source, sink = 0, 1
    count = 2
    seat_arcs: list[tuple[int, int, int]] = []  # (arc, slot, volunteer)
    seats = 0
    familiar = part.history_areas
    is_leader = [vol.leader for vol in part.volunteers]
    reach = [0] * len(part.volunteers)  # seats open to each person
    days: dict[tuple[int, object], int] = {}  # (person, day) node
    weeks: dict[tuple[int, object], int] = {}  # (person, week) node
    blocks: dict[tuple[int, object, int], int] = {}  # (person, day, group) node
    for s in short:
        slot = part.slots[s]
        have = team[s]
        missing = slot.min_people - len(have)
        if missing <= 0:
            continue
        day, area, g = slot.date, slot.area, group[s]
        monday = week_start(day)
        need_leader = slot.leader_required and not any(is_leader[v] for v in have)
        general = count
        others = missing - int(need_leader)
        arcs.append((source, general, others, 0))
        count += 1
        leader = -1
        if need_leader:
            leader = count
            count += 1
            arcs.append((source, leader, 1, 0))
        seats += missing
        clashes = conflict[s]
        for v in part.eligible[s]:
            if v in have or (clashes and clashes & taken[v]) or load[v] + u > bounds[v][1]:
                continue
            reach[v] += 1
            block = blocks.get((v, day, g))
            if block is None:
                block = blocks[(v, day, g)] = count
                count += 1
                person_day = days.get((v, day))
                if person_day is None:
                    person_day = days[(v, day)] = count
                    count += 1
                    week = weeks.get((v, monday))
                    if week is None:
                        week = weeks[(v, monday)] = count
                        count += 1
                    room = (part.daily_cap - day_load[(v, day)]) // u
                    arcs.append((person_day, week, room, 0))
                arcs.append((block, person_day, 1, 0))
            cost = -FAMILIAR if (v, area) in familiar else 0
            if others > 0:
                seat_arcs.append((len(arcs), s, v))
                arcs.append((general, block, 1, cost))
            if leader >= 0 and is_leader[v]:
                seat_arcs.append((len(arcs), s, v))
                arcs.append((leader, block, 1, cost))
    persons: dict[int, int] = {}
    for (v, monday), week in weeks.items():
        if v not in persons:
            persons[v] = count
            count += 1
        room = (part.weekly_cap[v] - week_load[(v, monday)]) // u
        arcs.append((week, persons[v], room, 0))
    balance: list[tuple[int, int, int]] = []  # (person node, cost, below the lower bound)
    for v, person in persons.items():
        lo = max(0, math.ceil((bounds[v][0] - load[v]) / u))
        hi = min((bounds[v][1] - load[v]) // u, reach[v])
        for k in range(1, hi + 1):
            above = ((2 * k - 1) * u + 2 * (load[v] - need[v])) / (2 * u)
            balance.append((person, round(BALANCE * above), k <= lo))
    # The reward for a unit below a lower bound must outweigh whatever balancing and continuity
    # any rerouting could gain (a cycle crosses the sink once and each seat arc at most once);
    # kept this small, the cost-scaling algorithm needs far fewer phases than with a huge one.
    spread = max((abs(c) for _, c, _ in balance), default=0)
    reward = 2 * spread + FAMILIAR * count + 1
    for person, cost, below in balance:
        arcs.append((person, sink, 1, cost - reward if below else cost))
    flow = min_cost_flow.SimpleMinCostFlow()
    table = np.array(arcs, dtype=np.int64).reshape(-1, 4)  # no arcs: every seat already held
    flow.add_arcs_with_capacity_and_unit_cost(
        table[:, 0].astype(np.int32), table[:, 1].astype(np.int32), table[:, 2], table[:, 3]
    )
    supplies = np.zeros(count, dtype=np.int64)
    supplies[source], supplies[sink] = seats, -seats
    flow.set_nodes_supplies(np.arange(count, dtype=np.int32), supplies)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL or flow.maximum_flow() < seats:
        return None
    values = flow.flows(np.array([a for a, _, _ in seat_arcs], dtype=np.int32))
    return {(s, v) for (_, s, v), f in zip(seat_arcs, values, strict=True) if f > 0}


def unfilled(part: Part, chosen: Iterable[tuple[int, int]]) -> int:
    """Missing people plus slots without their required leader."""
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in chosen:
        team[s].append(v)
    missing = 0
    for s, slot in enumerate(part.slots):
        missing += max(0, slot.min_people - len(team[s]))
        if slot.leader_required and not any(part.volunteers[v].leader for v in team[s]):
            missing += 1
    return missing


def violations(part: Part, chosen: Iterable[tuple[int, int]]) -> list[str]:
    """Every hard rule a roster breaks (eligibility, headcount, overlap, daily and weekly caps)."""
    chosen = set(chosen)
    out: list[str] = []
    team: dict[int, set[int]] = defaultdict(set)
    for s, v in chosen:
        team[s].add(v)
        if v not in part.eligible[s]:
            out.append(f"volunteer {v} is not eligible for slot {s}")
    for s, members in team.items():
        if len(members) > part.slots[s].max_people:
            out.append(f"slot {s} has {len(members)} people, more than its maximum")
    held: dict[int, set[int]] = defaultdict(set)
    for s, v in chosen:
        held[v].add(s)
    for clique in part.cliques:
        members = set(clique)
        for v, slots in held.items():
            if len(slots & members) > 1:
                out.append(f"volunteer {v} holds overlapping slots {sorted(slots & members)}")
    for groups, cap_of, name in (
        (part.days, lambda v: part.daily_cap, "daily"),
        (part.weeks, lambda v: part.weekly_cap[v], "weekly"),
    ):
        for g in groups:
            members = set(g)
            for v, slots in held.items():
                minutes = sum(part.slots[s].minutes for s in slots & members)
                if minutes > cap_of(v):
                    out.append(f"volunteer {v} is over the {name} cap")
    return out
