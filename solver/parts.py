"""Splitting a plan into independent parts, and the plain data each part's model is built from.

Once every area has its responsible unit, units share no volunteers and no slots, so each unit is
a part that can be solved on its own (and in parallel). A `Part` holds only indices, minutes and
the few domain objects explanations need; it pickles cheaply to a worker process.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field
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
    fair: tuple[float, ...]  # fair share in minutes, history included (see `fair_shares`)
    previous: frozenset[tuple[int, int]]  # (slot, volunteer) pairs of the previous roster
    history_areas: frozenset[tuple[int, str]]  # (volunteer, area) pairs served before
    leave: tuple[Leave, ...]  # of this unit's volunteers, for explanations
    even: tuple[float, ...] = ()  # the share if anyone could take a leader's seat (`fair_shares`)
    locked: frozenset[tuple[int, int]] = frozenset()  # (slot, volunteer) pairs every roster keeps

    @property
    def pairs(self) -> int:
        return sum(len(e) for e in self.eligible)

    @cached_property
    def granularity(self) -> int:
        """Every load is a multiple of this many minutes (the gcd of the slot lengths)."""
        return reduce(math.gcd, (s.minutes for s in self.slots), 0) or 60

    @property
    def forced_excess(self) -> float:
        """Minutes each leader carries above an even share, on average, because only leaders may
        take leaders' seats: their fair share less the share they would have if anyone could."""
        leaders = [v for v, vol in enumerate(self.volunteers) if vol.leader]
        if not leaders or not self.even:
            return 0.0
        return sum(self.fair[v] - self.even[v] for v in leaders) / len(leaders)

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


def overlap(a: Slot, b: Slot) -> bool:
    """Two slots at the same time (on the same day)."""
    return a.date == b.date and a.start < b.end and b.start < a.end


def conflicts(a: Slot, b: Slot, buffer: int) -> bool:
    """Two slots one person cannot both hold: they overlap, or leave too little time to travel."""
    if a.date != b.date:
        return False
    if overlap(a, b):
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


class Demand:
    """Seat minutes of one unit's slots over some days, as fair shares count them: per weekday
    (Monday first), and on any one day (for days of leave). Seats are minutes × people and
    leaders' seats minutes × 1, integers, so sums gathered in any order are exact and a share
    does not depend on how its days were gathered."""

    __slots__ = ("lead", "on", "seats")

    def __init__(
        self,
        seats: tuple[int, ...],
        lead: tuple[int, ...],
        on: Callable[[date], tuple[int, int]],
    ) -> None:
        self.seats, self.lead, self.on = seats, lead, on

    @classmethod
    def of(cls, slots: Iterable[Slot]) -> Demand:
        days: dict[date, tuple[int, int]] = {}
        seats, lead = [0] * 7, [0] * 7
        for s in slots:
            n, x = seat_minutes(s)
            a, b = days.get(s.date, NOTHING)
            days[s.date] = (a + n, b + x)
            seats[s.date.weekday()] += n
            lead[s.date.weekday()] += x
        return cls(tuple(seats), tuple(lead), lambda day: days.get(day, NOTHING))


def seat_minutes(slot: Slot) -> tuple[int, int]:
    """What a slot adds to its day's demand: minutes × people, and its leader's seat minutes."""
    return slot.min_people * slot.minutes, slot.minutes * slot.leader_required


NOTHING = (0, 0)
NO_DEMAND = Demand((0,) * 7, (0,) * 7, lambda day: NOTHING)


@dataclass(frozen=True)
class Past:
    """What earlier periods bring to a unit's part: the demand of the history range (availability
    then counts toward fair shares), and the minutes and areas each volunteer served, by id."""

    demand: Demand = NO_DEMAND
    minutes: Mapping[str, int] = field(default_factory=dict)
    areas: Mapping[str, Set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[AssignmentRow]) -> Past:
        """The rows' minutes and areas, without the history range's demand."""
        minutes: dict[str, int] = defaultdict(int)
        areas: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            minutes[r.volunteer_id] += r.minutes
            areas[r.volunteer_id].add(r.area)
        return cls(NO_DEMAND, minutes, areas)


def build_part(
    plan: Plan,
    unit: str,
    slots: tuple[Slot, ...],
    past: Past,
    previous: tuple[AssignmentRow, ...],
    locked: tuple[AssignmentRow, ...] = (),
) -> Part:
    """The data of one unit's model: its `slots` of the period, and what its history brings."""
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

    served = [past.minutes.get(v, 0) for v in ids]
    total = sum(served) + sum(s.min_people * s.minutes for s in slots)
    fair, even = fair_shares(volunteers, (past.demand, Demand.of(slots)), leave_by_id, total)

    keys = {s.key: n for n, s in enumerate(slots)}
    prev, fixed = (
        frozenset(
            (keys[r.slot_key], index[r.volunteer_id])
            for r in rows
            if r.slot_key in keys and r.volunteer_id in index
        )
        for rows in (previous, locked)
    )
    areas = frozenset((i, a) for i, v in enumerate(ids) for a in past.areas.get(v, ()))
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
        even=even,
        # A lock the rules no longer allow (leave since, another weekday) is not kept.
        locked=frozenset((s, v) for s, v in fixed if v in eligible[s]),
    )


def fair_shares(
    volunteers: tuple[Volunteer, ...],
    demands: tuple[Demand, ...],
    leave_by_id: dict[str, list[Leave]],
    total: float,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Fair shares of `total` minutes (the unit's history and this period), and even shares.

    Availability is the seat minutes of `demands` (history range and period) a person could take,
    less the weekdays they cannot do and their days of leave, so that leave lowers a share instead
    of pinning the balance. Leaders' seats (one per slot that needs a leader) are shared among
    the leaders in proportion to their availability for them; then the other seats fill everyone
    up to a common level in proportion to their availability for ordinary seats ("water-filling":
    a leader whose leaders' seats already reach the level gets none of them). The even shares are
    `total` in proportion to that same availability, as if anyone could lead.

    What the leaders' seats force: the leaders together carry at least those seats' minutes, so
    at least that less their even shares above their even shares. Their fair shares together are
    that much above (when the seats exceed the even shares and the leaders' availability for
    leaders' seats is in proportion to their other availability, e.g. leaders alike), or more
    when a few leaders hold most of the leaders' availability (`Part.forced_excess`).
    """
    seats = _available(volunteers, demands, leave_by_id, 0)
    leading = _available(volunteers, demands, leave_by_id, 1)
    lead = [x if v.leader else 0.0 for v, x in zip(volunteers, leading, strict=True)]
    if not sum(lead):  # no leader can take them: the leaders' seats are ordinary seats
        weight, lead = seats, [0.0] * len(volunteers)
    else:
        weight = [s - x for s, x in zip(seats, leading, strict=True)]
    leader_minutes = sum(sum(d.lead) for d in demands) if sum(lead) else 0
    base = [leader_minutes * x / sum(lead) if sum(lead) else 0.0 for x in lead]
    even_scale = total / sum(weight) if sum(weight) else 0.0
    return tuple(water_fill(base, weight, total)), tuple(w * even_scale for w in weight)


def water_fill(base: list[float], weight: list[float], total: float) -> list[float]:
    """Shares max(base[v], r·weight[v]) adding up to `total`, the level r found exactly.

    When `total` is less than the bases (a history served short of its leaders' seats) or nobody
    has any weight, the bases are scaled to `total` instead."""
    fixed = sum(base)
    if total <= fixed or not any(weight):
        return [b * total / fixed if fixed else 0.0 for b in base]
    order = sorted((b / w, v) for v, (b, w) in enumerate(zip(base, weight, strict=True)) if w > 0)
    slope = 0.0
    for level, v in order:  # below `level`, the people before v are at r·weight, the rest at base
        if slope > 0 and (total - fixed) / slope <= level:
            break
        slope += weight[v]
        fixed -= base[v]
    r = (total - fixed) / slope
    return [max(b, r * w) for b, w in zip(base, weight, strict=True)]


def _available(
    volunteers: tuple[Volunteer, ...],
    demands: tuple[Demand, ...],
    leave_by_id: dict[str, list[Leave]],
    which: int,
) -> list[float]:
    """The seat minutes (`which` 0) or leaders' seat minutes (1) of `demands` each volunteer
    could have taken: all of them, less the weekdays they cannot do and their days of leave."""
    per_weekday = [sum((d.seats, d.lead)[which][w] for d in demands) for w in range(7)]
    total = sum(per_weekday)
    out = []
    for v in volunteers:
        free = total - sum(per_weekday[w] for w in v.unavailable)
        away: set[date] = set()
        for x in leave_by_id.get(v.id, ()):
            day = x.start
            while day <= x.end:
                if day.weekday() not in v.unavailable:
                    away.add(day)
                day += timedelta(days=1)
        out.append(float(free - sum(d.on(day)[which] for day in away for d in demands)))
    return out


class DayCache:
    """What a campaign solved week by week carries from one week to the next, kept by the caller:
    each history day's seat minutes per unit, their running totals over the history range, and
    what each volunteer served. Every week the history grows by a week, and only the new days
    and rows are gone through. The day sums belong to one plan and one choice of unit per area;
    given others they start over; rows not extending the last history start those over."""

    def __init__(self) -> None:
        self._start_over(None, {})

    def _start_over(self, plan: Plan | None, unit_of: dict[tuple[str, str], str]) -> None:
        self._plan, self._unit_of = plan, dict(unit_of)
        self._sums: dict[date, dict[str, tuple[int, int]]] = {}  # per day, per unit
        self._range: tuple[date, date] | None = None  # of the running totals
        self._totals: dict[str, tuple[list[int], list[int]]] = {}  # per unit, per weekday
        self._rows: tuple[AssignmentRow, ...] = ()
        self._minutes: dict[str, int] = {}
        self._areas: dict[str, set[str]] = {}
        self._first: date | None = None

    def pasts(
        self,
        plan: Plan,
        unit_of: dict[tuple[str, str], str],
        start: date,
        history: tuple[AssignmentRow, ...],
    ) -> Callable[[str], Past]:
        """Each unit's `Past` for a period from `start`, with `history` the rows before it."""
        if self._plan is not plan or self._unit_of != unit_of:
            self._start_over(plan, unit_of)
        self._absorb(history)
        first = max(min(start, self._first or start), plan.settings.start)
        last = start - timedelta(days=1)
        sums, minutes, areas = self._sums, self._minutes, self._areas
        if first > last:
            return lambda unit: Past(NO_DEMAND, minutes, areas)
        self._extend(plan, first, last)
        totals = self._totals

        def past(unit: str) -> Past:
            seats, lead = totals.get(unit, ([0] * 7, [0] * 7))

            def on(day: date) -> tuple[int, int]:
                return sums[day].get(unit, NOTHING) if first <= day <= last else NOTHING

            return Past(Demand(tuple(seats), tuple(lead), on), minutes, areas)

        return past

    def _absorb(self, history: tuple[AssignmentRow, ...]) -> None:
        old = self._rows
        if len(history) < len(old) or not all(map(operator.is_, old, history)):
            self._minutes, self._areas, self._first, old = {}, {}, None, ()
        minutes, areas = self._minutes, self._areas
        for r in history[len(old) :]:
            minutes[r.volunteer_id] = minutes.get(r.volunteer_id, 0) + r.minutes
            areas.setdefault(r.volunteer_id, set()).add(r.area)
            if self._first is None or r.date < self._first:
                self._first = r.date
        self._rows = history

    def _extend(self, plan: Plan, first: date, last: date) -> None:
        """Running totals from `first` to `last`: the days past the last range's end only, when
        it began on `first` too."""
        if self._range is None or self._range[0] != first or self._range[1] > last:
            self._totals, begin = {}, first
        else:
            begin = self._range[1] + timedelta(days=1)
        if begin <= last:
            missing = [d for d in _days(begin, last) if d not in self._sums]
            if missing:
                self._sum_days(plan, missing)
            for day in _days(begin, last):
                weekday = day.weekday()
                for unit, (n, x) in self._sums[day].items():
                    seats, lead = self._totals.setdefault(unit, ([0] * 7, [0] * 7))
                    seats[weekday] += n
                    lead[weekday] += x
        self._range = (first, last)

    def _sum_days(self, plan: Plan, days: list[date]) -> None:
        """Each of `days` (in order, not necessarily one run) summed per unit; the days between
        them that are summed already stay as they are."""
        new: dict[date, dict[str, tuple[int, int]]] = {day: {} for day in days}
        for s in expand(plan, days[0], days[-1]):
            sums = new.get(s.date)
            if sums is None:
                continue
            unit = self._unit_of[(s.kind, s.area)]
            n, x = sums.get(unit, NOTHING)
            more, lead = seat_minutes(s)
            sums[unit] = (n + more, x + lead)
        self._sums.update(new)


def _days(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=n) for n in range((last - first).days + 1))
