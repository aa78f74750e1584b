"""A roster from a min-cost flow: the fast path that CP-SAT only has to confirm or improve.

Most slots are windows of one common length (one hour); once each person's load is bounded to
[lo, hi] by a candidate fairness deviation, staffing those windows is a flow problem:

    source → slot seats (the leader's seat, the other seats) → (person, day, conflict group)
           → (person, day) [daily cap] → (person, week) [weekly cap] → person → sink

where the person → sink arcs are unit arcs with convex costs: the first `lo` are strongly rewarded
(the lower bound), and each further one costs the person's deviation from their fair share at that
window, the same convex function for everyone, cheapest far below the share. Longer duties (a
4-hour visit) are few and are placed greedily first, to whoever is furthest below their share
(when that fails, each other slot length is tried as the flow's, `unit_lengths`).

What the balancing proves, among the rosters this network can build with the long duties placed
and every load within [lo, hi]: the flow minimizes the sum over people of one convex function of
their deviation (a quadratic, counted in steps of 1/`Tuning.balance` window), and continuity only
breaks its ties (`_balance_arcs`). A min-cost flow has no negative cycle, so no chain of window
swaps the rules allow can hand a window from someone to someone else whose deviation is more than
one window (and one step) lower: nobody is left far below their share while someone who could
have given them a window is above it. When all fair shares are alike this is the leximin load
vector: the loads a flow can deliver form an M-convex set, on which the minimizers of a sum of
squares are exactly the lexicographically most even vectors (Frank and Murota, "Discrete
decreasing minimization", 2022). With shares that differ, the swap property holds but the
leximin of the deviations is not claimed.

A conflict group is a connected set of one person's mutually exclusive windows of one day; allowing
one window per group is exact for disjoint overlaps and otherwise only stricter than the
rules, so any roster found is valid (`rules.check` re-checks it against every hard rule).

The per-person rules come from `solver.rules`: the greedy part asks a `Ledger`, the network's
conflict groups and day and week arcs exist only for the families it is given (tests drop one).

When the roster fills every seat with every load in [lo, hi] for the smallest deviation the bound
allows, demand and fairness are proven optimal without a search.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.params import Tuning
from solver.parts import Part, week_start
from solver.rules import MODELLED, Ledger, Rule, limits, unfilled

Bounds = list[tuple[int, int]]
DEFAULT = Tuning()


def unit_length(part: Part) -> int:
    """The most common slot length: slots of this length go through the flow first."""
    return unit_lengths(part)[0]


def unit_lengths(part: Part) -> list[int]:
    """The slot lengths, most common first (ties: shorter first); each is tried in turn as the
    flow's length until a roster fills every seat: when 4-hour visits outnumber the 1-hour
    windows, placing the windows greedily can leave a leader an hour off any load in bounds."""
    counts = Counter(s.minutes for s in part.slots)
    return sorted(counts, key=lambda m: (-counts[m], m)) or [60]


def conflicting(part: Part) -> dict[int, set[int]]:
    """Per slot, the slots one person may not hold with it (from the no-overlap limits)."""
    out: dict[int, set[int]] = defaultdict(set)
    for clique in limits(part, (Rule.NO_OVERLAP,)):
        for a in clique.slots:
            out[a].update(b for b in clique.slots if b != a)
    return out


@dataclass
class _Held:
    """The roster so far: minutes per person, people per slot, and the per-person limits used."""

    part: Part
    ledger: Ledger
    load: list[int]
    team: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def take(self, s: int, v: int) -> None:
        self.load[v] += self.part.slots[s].minutes
        self.ledger.take(s, v)
        self.team[s].append(v)


def roster(
    part: Part,
    bounds: Bounds,
    fixed: Iterable[tuple[int, int]] = (),
    *,
    tuning: Tuning = DEFAULT,
    families: Collection[str] = MODELLED,
) -> set[tuple[int, int]] | None:
    """(slot, volunteer) pairs filling every seat within `bounds`, or None if this fails.

    `fixed` pairs are kept as they are (a previous roster, when re-planning). `tuning` sets the
    balancing and continuity costs; `families` the rules obeyed (tests drop one). Each slot
    length is tried as the flow's (`unit_lengths`), the first roster found returned.
    """
    for u in unit_lengths(part):
        chosen = _roster(part, u, bounds, fixed, tuning, families)
        if chosen is not None:
            return chosen
    return None


def _roster(
    part: Part,
    u: int,
    bounds: Bounds,
    fixed: Iterable[tuple[int, int]],
    tuning: Tuning,
    families: Collection[str],
) -> set[tuple[int, int]] | None:
    """`roster` with slots of `u` minutes through the flow, the others placed greedily first."""
    chosen: set[tuple[int, int]] = set(fixed)
    held = _Held(part, Ledger(part, families), [0] * len(part.volunteers))
    for s, v in chosen:
        held.take(s, v)
    need = [part.fair[v] - part.history_minutes[v] for v in range(len(part.volunteers))]
    if not _long_duties(part, u, bounds, need, held, chosen, families):
        return None
    flow = _flow(part, u, bounds, need, held, tuning, families)
    if flow is None:
        return None
    chosen |= flow
    loads = part.loads(chosen)
    if any(not lo <= x <= hi for x, (lo, hi) in zip(loads, bounds, strict=True)):
        return None
    if unfilled(part, chosen, families):
        return None
    return chosen


def _long_duties(
    part: Part,
    u: int,
    bounds: Bounds,
    need: list[float],
    held: _Held,
    chosen: set[tuple[int, int]],
    families: Collection[str],
) -> bool:
    """Longer duties first, greedily: the leader's seat, then whoever is furthest below their
    share. False when some seat finds nobody free."""

    def free(s: int, v: int) -> bool:
        return (
            v not in held.team[s]
            and held.ledger.fits(s, v)
            and held.load[v] + part.slots[s].minutes <= bounds[v][1]
        )

    for s, slot in enumerate(part.slots):
        if slot.minutes == u:
            continue
        while len(held.team[s]) < slot.min_people:
            has_leader = any(part.volunteers[v].leader for v in held.team[s])
            leader_seat = Rule.LEADER in families and slot.leader_required and not has_leader
            pool = [
                v
                for v in part.eligible[s]
                if free(s, v) and (part.volunteers[v].leader or not leader_seat)
            ]
            if not pool:
                return False
            # Leaders are scarce: they take a long duty's other seats only when nobody else can.
            v = max(pool, key=lambda v: (not part.volunteers[v].leader, need[v] - held.load[v], -v))
            held.take(s, v)
            chosen.add((s, v))
    return True


def _groups(part: Part, short: list[int], conflict: dict[int, set[int]]) -> dict[int, int]:
    """Conflict groups per day among the short slots: connected components, by first slot."""
    is_short = set(short)
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
    return group


@dataclass
class _Network:
    """The flow network under construction: arcs as (tail, head, capacity, unit cost)."""

    arcs: list[tuple[int, int, int, int]] = field(default_factory=list)
    count: int = 2  # nodes; 0 is the source, 1 the sink
    seat_arcs: list[tuple[int, int, int]] = field(default_factory=list)  # (arc, slot, volunteer)
    seats: int = 0
    reach: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # seats per person
    days: dict[tuple[int, date], int] = field(default_factory=dict)  # (person, day) node
    weeks: dict[tuple[int, date], int] = field(default_factory=dict)  # (person, week) node
    week_slot: dict[tuple[int, date], int] = field(default_factory=dict)  # a slot of that week
    blocks: dict[tuple[int, date, int], int] = field(default_factory=dict)  # (person, day, group)

    def node(self) -> int:
        self.count += 1
        return self.count - 1


def _flow(
    part: Part,
    u: int,
    bounds: Bounds,
    need: list[float],
    held: _Held,
    tuning: Tuning,
    families: Collection[str],
) -> set[tuple[int, int]] | None:
    """The one-length slots by min-cost max-flow; None if some seat stays empty."""
    short = [s for s, slot in enumerate(part.slots) if slot.minutes == u]
    if not short:
        return set()
    conflict = conflicting(part) if Rule.NO_OVERLAP in families else defaultdict(set)
    group = _groups(part, short, conflict)
    net = _Network()
    leaders = Rule.LEADER in families
    for s in short:
        _slot_arcs(part, u, bounds, held, tuning, net, s, group[s], len(short), leaders)
    persons = _week_arcs(part, u, held, net, len(short))
    _balance_arcs(part, u, bounds, need, held, tuning, net, persons)
    return _solve(net)


def _slot_arcs(
    part: Part,
    u: int,
    bounds: Bounds,
    held: _Held,
    tuning: Tuning,
    net: _Network,
    s: int,
    g: int,
    unbounded: int,
    leaders: bool,
) -> None:
    """Slot s's seats (the leader's, the others) and the arcs to each free person's nodes."""
    slot = part.slots[s]
    have = held.team[s]
    missing = slot.min_people - len(have)
    if missing <= 0:
        return
    day, area = slot.date, slot.area
    need_leader = (
        leaders and slot.leader_required and not any(part.volunteers[v].leader for v in have)
    )
    general = net.node()
    others = missing - int(need_leader)
    net.arcs.append((0, general, others, 0))
    leader = -1
    if need_leader:
        leader = net.node()
        net.arcs.append((0, leader, 1, 0))
    net.seats += missing
    free = held.ledger.fitter(s, (Rule.NO_OVERLAP,))
    room_of = held.ledger.roomer(s, Rule.DAILY_CAP)
    load, arcs, seat_arcs = held.load, net.arcs, net.seat_arcs  # the hot loop of a city solve
    for v in part.eligible[s]:
        if v in have or load[v] + u > bounds[v][1] or not free(v):
            continue
        net.reach[v] += 1
        block = net.blocks.get((v, day, g))
        if block is None:
            block = net.blocks[(v, day, g)] = net.node()
            person_day = net.days.get((v, day))
            if person_day is None:
                person_day = net.days[(v, day)] = net.node()
                week = _week_node(net, v, week_start(day), s)
                room = room_of(v)
                net.arcs.append((person_day, week, unbounded if room is None else room // u, 0))
            net.arcs.append((block, person_day, 1, 0))
        cost = -tuning.familiar if (v, area) in part.history_areas else 0
        if others > 0:
            seat_arcs.append((len(arcs), s, v))
            arcs.append((general, block, 1, cost))
        if leader >= 0 and part.volunteers[v].leader:
            seat_arcs.append((len(arcs), s, v))
            arcs.append((leader, block, 1, cost))


def _week_node(net: _Network, v: int, monday: date, s: int) -> int:
    week = net.weeks.get((v, monday))
    if week is None:
        week = net.weeks[(v, monday)] = net.node()
        net.week_slot[(v, monday)] = s
    return week


def _week_arcs(part: Part, u: int, held: _Held, net: _Network, unbounded: int) -> dict[int, int]:
    """(person, week) → person arcs, the weekly cap's room; returns the person nodes."""
    persons: dict[int, int] = {}
    for (v, monday), week in net.weeks.items():
        if v not in persons:
            persons[v] = net.node()
        room = held.ledger.room(net.week_slot[(v, monday)], v, Rule.WEEKLY_CAP)
        net.arcs.append((week, persons[v], unbounded if room is None else room // u, 0))
    return persons


def _balance_arcs(
    part: Part,
    u: int,
    bounds: Bounds,
    need: list[float],
    held: _Held,
    tuning: Tuning,
    net: _Network,
    persons: dict[int, int],
) -> None:
    """Person → sink unit arcs with convex costs: the first `lo` strongly rewarded, the k-th
    costing its deviation at mid-window, in `1/tuning.balance` windows.

    A person's k arcs cost the same function of their deviation for everyone, convex on both
    sides of the fair share (below it, cheapest), so the flow minimizes a sum of one convex
    function of each person's deviation. The costs are multiplied by more than the largest
    discount continuity could add up to (`tuning.familiar` per seat), so continuity only breaks
    ties between rosters whose balance costs are equal."""
    load = held.load
    weight = tuning.familiar * net.seats + 1  # > every continuity discount of the roster together
    balance: list[tuple[int, int, bool]] = []  # (person node, cost, below the lower bound)
    for v, person in persons.items():
        lo = max(0, math.ceil((bounds[v][0] - load[v]) / u))
        hi = min((bounds[v][1] - load[v]) // u, net.reach[v])
        for k in range(1, hi + 1):
            above = ((2 * k - 1) * u + 2 * (load[v] - need[v])) / (2 * u)
            balance.append((person, round(tuning.balance * above) * weight, k <= lo))
    # The reward for a unit below a lower bound must outweigh whatever balancing and continuity
    # any rerouting could gain (a cycle crosses the sink once and each seat arc at most once);
    # kept this small, the cost-scaling algorithm needs far fewer phases than with a huge one.
    spread = max((abs(c) for _, c, _ in balance), default=0)
    reward = 2 * spread + tuning.familiar * net.count + 1
    for person, cost, below in balance:
        net.arcs.append((person, 1, 1, cost - reward if below else cost))


def _solve(net: _Network) -> set[tuple[int, int]] | None:
    """The seat pairs of a min-cost max flow that fills every seat, or None."""
    flow = min_cost_flow.SimpleMinCostFlow()
    table = np.array(net.arcs, dtype=np.int64).reshape(-1, 4)  # no arcs: every seat already held
    flow.add_arcs_with_capacity_and_unit_cost(
        table[:, 0].astype(np.int32), table[:, 1].astype(np.int32), table[:, 2], table[:, 3]
    )
    supplies = np.zeros(net.count, dtype=np.int64)
    supplies[0], supplies[1] = net.seats, -net.seats
    flow.set_nodes_supplies(np.arange(net.count, dtype=np.int32), supplies)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL or flow.maximum_flow() < net.seats:
        return None
    values = flow.flows(np.array([a for a, _, _ in net.seat_arcs], dtype=np.int32))
    return {(s, v) for (_, s, v), f in zip(net.seat_arcs, values, strict=True) if f > 0}
