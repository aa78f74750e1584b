"""Splitting a plan into independent parts, and the plain data each part's model is built from.

Once every area has its responsible unit, units share no volunteers and no slots, so each unit is
a part that can be solved on its own (and in parallel). A `Part` holds only indices, minutes and
the few domain objects explanations need; it pickles cheaply to a worker process.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
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


def build_part(
    plan: Plan,
    unit: str,
    slots: tuple[Slot, ...],
    history_slots: tuple[Slot, ...],
    previous: tuple[AssignmentRow, ...],
    history: tuple[AssignmentRow, ...],
    locked: tuple[AssignmentRow, ...] = (),
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

    served = [0] * len(volunteers)
    for row in history:
        if row.volunteer_id in index:
            served[index[row.volunteer_id]] += row.minutes
    total = sum(served) + sum(s.min_people * s.minutes for s in slots)
    fair, even = fair_shares(volunteers, (*history_slots, *slots), leave_by_id, total)

    keys = {s.key: n for n, s in enumerate(slots)}
    prev, fixed = (
        frozenset(
            (keys[r.slot_key], index[r.volunteer_id])
            for r in rows
            if r.slot_key in keys and r.volunteer_id in index
        )
        for rows in (previous, locked)
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
        even=even,
        # A lock the rules no longer allow (leave since, another weekday) is not kept.
        locked=frozenset((s, v) for s, v in fixed if v in eligible[s]),
    )


def fair_shares(
    volunteers: tuple[Volunteer, ...],
    slots: tuple[Slot, ...],
    leave_by_id: dict[str, list[Leave]],
    total: float,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Fair shares of `total` minutes (the unit's history and this period), and even shares.

    Availability is the demand minutes of `slots` (history range and period) a person could take,
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
    seats = _available(volunteers, slots, leave_by_id, lambda s: s.min_people * s.minutes)
    leading = _available(volunteers, slots, leave_by_id, lambda s: s.minutes * s.leader_required)
    lead = [x if v.leader else 0.0 for v, x in zip(volunteers, leading, strict=True)]
    if not sum(lead):  # no leader can take them: the leaders' seats are ordinary seats
        weight, lead = seats, [0.0] * len(volunteers)
    else:
        weight = [s - x for s, x in zip(seats, leading, strict=True)]
    leader_minutes = sum(s.minutes for s in slots if s.leader_required) if sum(lead) else 0
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
    slots: tuple[Slot, ...],
    leave_by_id: dict[str, list[Leave]],
    weight: Callable[[Slot], float],
) -> list[float]:
    """The `weight` (minutes of seats) of `slots` each volunteer could have taken: all of it,
    less the weekdays they cannot do and their days of leave. Sums per day first, so a long
    history costs its days, not its days times the people."""
    per_day: dict[date, float] = defaultdict(float)
    for s in slots:
        per_day[s.date] += weight(s)
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
