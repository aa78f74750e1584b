"""Splitting a plan into independent parts, and the plain data each part's model is built from.

Once every area has its responsible unit, units share no volunteers and no slots, so each unit is
a part that can be solved on its own (and in parallel). A `Part` holds only indices, minutes and
the few domain objects explanations need; it pickles cheaply to a worker process.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, reduce

from roster.assignments import AssignmentRow
from roster.expand import Slot, expand
from roster.model import Leave, Plan, Volunteer


@dataclass(frozen=True)
class Part:
    unit: str
    slots: tuple[Slot, ...]
    volunteers: tuple[Volunteer, ...]  # sorted by id
    eligible: tuple[tuple[int, ...], ...]  # per slot: indices of volunteers who may take it
    cliques: tuple[tuple[int, ...], ...]  # groups of slots nobody may hold two of
    days: tuple[tuple[int, ...], ...]  # slot indices per calendar day
    weeks: tuple[tuple[int, ...], ...]  # slot indices per ISO week (Monday to Sunday)
    daily_cap: int  # minutes
    weekly_cap: tuple[int, ...]  # minutes, per volunteer
    history_minutes: tuple[int, ...]
    fair: tuple[float, ...]  # fair share in minutes, history included
    previous: frozenset[tuple[int, int]]  # (slot, volunteer) pairs of the previous roster
    history_areas: frozenset[tuple[int, str]]  # (volunteer, area) pairs served before
    leave: tuple[Leave, ...]  # of this unit's volunteers, for explanations

    @property
    def pairs(self) -> int:
        return sum(len(e) for e in self.eligible)

    @cached_property
    def granularity(self) -> int:
        """Every load is a multiple of this many minutes (the gcd of the slot lengths)."""
        return reduce(math.gcd, (s.minutes for s in self.slots), 0) or 60

    def loads(self, chosen: Iterable[tuple[int, int]]) -> list[int]:
        """Minutes per volunteer of the (slot, volunteer) pairs in `chosen`."""
        out = [0] * len(self.volunteers)
        for s, v in chosen:
            out[v] += self.slots[s].minutes
        return out


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week: weekly caps count from there."""
    return day - timedelta(days=day.weekday())


def leave_index(leave: Iterable[Leave]) -> dict[str, list[Leave]]:
    """Leave entries by volunteer id."""
    out: dict[str, list[Leave]] = defaultdict(list)
    for x in leave:
        out[x.volunteer_id].append(x)
    return out


def on_leave(leave_by_id: dict[str, list[Leave]], volunteer: Volunteer, day: date) -> Leave | None:
    return next((x for x in leave_by_id.get(volunteer.id, ()) if x.covers(day)), None)


def may_take(volunteer: Volunteer, slot: Slot, leave_by_id: dict[str, list[Leave]]) -> bool:
    """The eligibility rule: a free weekday and no leave on the slot's date."""
    return slot.date.weekday() not in volunteer.unavailable and not on_leave(
        leave_by_id, volunteer, slot.date
    )


def conflicts(a: Slot, b: Slot, buffer: int) -> bool:
    """Two slots one person cannot both hold: they overlap, or leave too little time to travel."""
    if a.date != b.date:
        return False
    if a.start < b.end and b.start < a.end:
        return True
    gap = max(a.start, b.start) - min(a.end, b.end)
    return (a.area, a.kind) != (b.area, b.kind) and gap < buffer


def maximal_cliques(nodes: list[int], adjacent: dict[int, set[int]]) -> list[tuple[int, ...]]:
    """Bron–Kerbosch with pivoting; the graphs here are one unit's slots of one day."""
    out: list[tuple[int, ...]] = []

    def grow(r: list[int], p: set[int], x: set[int]) -> None:
        if not p and not x:
            if len(r) > 1:
                out.append(tuple(sorted(r)))
            return
        pivot = max(p | x, key=lambda n: len(adjacent[n] & p))
        for n in sorted(p - adjacent[pivot]):
            grow([*r, n], p & adjacent[n], x & adjacent[n])
            p = p - {n}
            x = x | {n}

    grow([], set(nodes), set())
    return sorted(out)


def _group(slots: tuple[Slot, ...], key) -> tuple[tuple[int, ...], ...]:
    groups: dict[object, list[int]] = defaultdict(list)
    for i, s in enumerate(slots):
        groups[key(s)].append(i)
    return tuple(tuple(v) for _, v in sorted(groups.items()))


def build_part(
    plan: Plan,
    unit: str,
    slots: tuple[Slot, ...],
    history_slots: tuple[Slot, ...],
    previous: tuple[AssignmentRow, ...],
    history: tuple[AssignmentRow, ...],
) -> Part:
    """The data of one unit's model; `history_slots` are the unit's slots of the history range."""
    volunteers = tuple(sorted(plan.volunteers_of(unit), key=lambda v: v.id))
    ids = [v.id for v in volunteers]
    index = {v: i for i, v in enumerate(ids)}
    leave_by_id = leave_index(x for x in plan.leave if x.volunteer_id in index)
    on_day: dict[date, tuple[int, ...]] = {}  # eligibility depends on the date alone
    for s in slots:
        if s.date not in on_day:
            on_day[s.date] = tuple(
                i for i, v in enumerate(volunteers) if may_take(v, s, leave_by_id)
            )
    eligible = tuple(on_day[s.date] for s in slots)
    buffer = plan.settings.travel_buffer_minutes
    days = _group(slots, lambda s: s.date)
    cliques: list[tuple[int, ...]] = []
    for members in days:
        adjacent = {
            a: {b for b in members if b != a and conflicts(slots[a], slots[b], buffer)}
            for a in members
        }
        cliques.extend(maximal_cliques(list(members), adjacent))
    weeks = _group(slots, lambda s: week_start(s.date))

    # Fair shares: the unit's hours (history and this period) in proportion to the demand each
    # person was available for, so that leave lowers a share instead of pinning the balance.
    served = [0] * len(volunteers)
    for row in history:
        if row.volunteer_id in index:
            served[index[row.volunteer_id]] += row.minutes
    available = _available(volunteers, history_slots, leave_by_id)
    for s, vols in zip(slots, eligible, strict=True):  # this period: eligibility is known
        for i in vols:
            available[i] += s.min_people * s.minutes
    total = sum(served) + sum(s.min_people * s.minutes for s in slots)
    scale = total / sum(available) if sum(available) else 0.0
    fair = tuple(a * scale for a in available)

    keys = {s.key: n for n, s in enumerate(slots)}
    prev = frozenset(
        (keys[r.slot_key], index[r.volunteer_id])
        for r in previous
        if r.slot_key in keys and r.volunteer_id in index
    )
    areas = frozenset((index[r.volunteer_id], r.area) for r in history if r.volunteer_id in index)
    return Part(
        unit=unit,
        slots=slots,
        volunteers=volunteers,
        eligible=eligible,
        cliques=tuple(cliques),
        days=days,
        weeks=weeks,
        daily_cap=round(plan.settings.daily_cap_hours * 60),
        weekly_cap=tuple(round(plan.weekly_cap(v) * 60) for v in volunteers),
        history_minutes=tuple(served),
        fair=fair,
        previous=prev,
        history_areas=areas,
        leave=tuple(x for xs in leave_by_id.values() for x in xs),
    )


def _available(
    volunteers: tuple[Volunteer, ...],
    slots: tuple[Slot, ...],
    leave_by_id: dict[str, list[Leave]],
) -> list[float]:
    """Demand minutes of `slots` each volunteer could have taken: all of it, less the weekdays
    they cannot do and their days of leave. Sums per day first, so a long history costs its days,
    not its days times the people."""
    per_day: dict[date, float] = defaultdict(float)
    for s in slots:
        per_day[s.date] += s.min_people * s.minutes
    total = sum(per_day.values())
    per_weekday = [0.0] * 7
    for day, minutes in per_day.items():
        per_weekday[day.weekday()] += minutes
    out = []
    for v in volunteers:
        free = total - sum(per_weekday[w] for w in v.unavailable)
        away: set[date] = set()
        for x in leave_by_id.get(v.id, ()):
            day = x.start
            while day <= x.end:
                if day in per_day and day.weekday() not in v.unavailable:
                    away.add(day)
                day += timedelta(days=1)
        out.append(free - sum(per_day[d] for d in away))
    return out


def history_range(plan: Plan, start: date, history: tuple[AssignmentRow, ...]) -> tuple[date, date]:
    """Dates whose availability counts toward fair shares: from the first history row on."""
    first = min((r.date for r in history), default=start)
    return max(first, plan.settings.start), start - timedelta(days=1)


class DayCache:
    """Each day's slots of one plan, kept by the caller across solves: a campaign solved week by
    week asks for a longer history every week, and only its new days need expanding. The cache
    belongs to one plan; given another one it starts over."""

    def __init__(self) -> None:
        self._plan: Plan | None = None
        self._days: dict[date, tuple[Slot, ...]] = {}

    def days_of(self, plan: Plan) -> dict[date, tuple[Slot, ...]]:
        if self._plan is not plan:
            self._plan, self._days = plan, {}
        return self._days


def history_slots(
    plan: Plan, start: date, history: tuple[AssignmentRow, ...], cache: DayCache | None = None
) -> tuple[Slot, ...]:
    first, last = history_range(plan, start, history)
    return expand_days(plan, first, last, cache) if first <= last else ()


def expand_days(
    plan: Plan, first: date, last: date, cache: DayCache | None = None
) -> tuple[Slot, ...]:
    """`expand`, by day, reusing the days `cache` already holds (a fresh cache if None)."""
    days = (cache or DayCache()).days_of(plan)
    wanted = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    missing = [d for d in wanted if d not in days]
    if missing:
        grouped: dict[date, list[Slot]] = defaultdict(list)
        for slot in expand(plan, missing[0], missing[-1]):
            grouped[slot.date].append(slot)
        day = missing[0]
        while day <= missing[-1]:
            days[day] = tuple(grouped.get(day, ()))
            day += timedelta(days=1)
    return tuple(s for d in wanted for s in days[d])
