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

REWARD = 10**9  # per unit below a person's lower bound: dominates every balancing cost
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
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    nodes: dict[object, int] = {}

    def node(key: object) -> int:
        if key not in nodes:
            nodes[key] = len(nodes)
        return nodes[key]

    def arc(a: int, b: int, cap: int, cost: int = 0) -> int:
        tails.append(a)
        heads.append(b)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    source, sink = node("source"), node("sink")
    # Conflict groups per day among the short slots: connected components.
    group: dict[int, int] = {}
    for s in short:
        if s in group:
            continue
        stack, group[s] = [s], s
        while stack:
            a = stack.pop()
            for b in conflict[a]:
                if b not in group and part.slots[b].minutes == u:
                    group[b] = s
                    stack.append(b)
    seat_arcs: list[tuple[int, int, int]] = []  # (arc, slot, volunteer)
    seats = 0
    used_days: set[tuple[int, object]] = set()
    used_weeks: set[tuple[int, object]] = set()
    familiar = part.history_areas
    reach: dict[int, int] = defaultdict(int)  # seats open to each person
    for s in short:
        slot = part.slots[s]
        have = team[s]
        missing = slot.min_people - len(have)
        if missing <= 0:
            continue
        need_leader = slot.leader_required and not any(part.volunteers[v].leader for v in have)
        general = node(("seats", s))
        arc(source, general, missing - int(need_leader))
        leader = node(("leader", s)) if need_leader else None
        if leader is not None:
            arc(source, leader, 1)
        seats += missing
        for v in part.eligible[s]:
            if v in have or conflict[s] & taken[v]:
                continue
            if load[v] + u > bounds[v][1]:
                continue
            reach[v] += 1
            block = node(("block", v, slot.date, group[s]))
            cost = -FAMILIAR if (v, slot.area) in familiar else 0
            if missing - int(need_leader) > 0:
                seat_arcs.append((arc(general, block, 1, cost), s, v))
            if leader is not None and part.volunteers[v].leader:
                seat_arcs.append((arc(leader, block, 1, cost), s, v))
            if (v, slot.date, group[s]) not in used_days:
                used_days.add((v, slot.date, group[s]))
                arc(block, node(("day", v, slot.date)), 1)
            if (v, slot.date) not in used_weeks:
                used_weeks.add((v, slot.date))
                room = (part.daily_cap - day_load[(v, slot.date)]) // u
                arc(node(("day", v, slot.date)), node(("week", v, week_start(slot.date))), room)
    weeks_done: set[tuple[int, object]] = set()
    for key in list(nodes):
        if isinstance(key, tuple) and key[0] == "week" and (key[1], key[2]) not in weeks_done:
            v, monday = key[1], key[2]
            weeks_done.add((v, monday))
            room = (part.weekly_cap[v] - week_load[(v, monday)]) // u
            arc(nodes[key], node(("person", v)), room)
    for key in list(nodes):
        if isinstance(key, tuple) and key[0] == "person":
            v = key[1]
            lo = max(0, math.ceil((bounds[v][0] - load[v]) / u))
            hi = min((bounds[v][1] - load[v]) // u, reach[v])
            person = nodes[key]
            for k in range(1, hi + 1):
                above = ((2 * k - 1) * u + 2 * (load[v] - need[v])) / (2 * u)
                cost = round(BALANCE * above) - (REWARD if k <= lo else 0)
                arc(person, sink, 1, cost)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    supplies = np.zeros(len(nodes), dtype=np.int64)
    supplies[source], supplies[sink] = seats, -seats
    flow.set_nodes_supplies(np.arange(len(nodes), dtype=np.int32), supplies)
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
