"""Demand that counting alone refutes, before any search (`--strict`).

Plain arithmetic over a `Part`, no solver. Three counts, each a necessary condition on a roster
that staffs every seat:

- at once: the seats of one slot, or of a group of slots nobody may hold two of (overlapping, or
  too close to travel between), need as many different people free then;
- per day and per week: the person-minutes of the seats against what the volunteers can give,
  each at most once per slot, under the daily cap and their weekly cap;
- the same two for leaders' seats (带队) against the leaders.

A count that fails is a `Shortage`: which seats, against whom, how much is needed and how much is
free. `limits` then says, per person, which cap, leave or weekday took hours away, for
`solver.explain` to name. When every count passes, the demand may still be out of reach (leaders
tied up, overlaps); the LP relaxation (`solver.relax`) is the next line of proof.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from roster.model import Leave
from solver.parts import Part, leave_index, on_leave, week_start


class Scope(StrEnum):
    """What a count is over: people in slots held at once, or minutes of a day or a week."""

    AT_ONCE = "at once"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class Shortage:
    """`need` against `free` for the seats of `slots` (leaders' seats only, if `leaders`), counted
    over `people`: people for `Scope.AT_ONCE`, minutes otherwise. The slots of a day or week
    leave out those already short at once."""

    scope: Scope
    slots: tuple[int, ...]
    leaders: bool
    need: int
    free: int
    people: tuple[int, ...]

    def missing(self, part: Part) -> int:
        """A lower bound on the people any roster leaves missing in these slots."""
        if self.scope is Scope.AT_ONCE:
            return self.need - self.free
        longest = max(part.slots[s].minutes for s in self.slots)
        return math.ceil((self.need - self.free) / longest)


@dataclass(frozen=True)
class Limits:
    """Who, among the people of a `Shortage`, gives less because of which rule: their weekly cap,
    the daily cap, leave (with its entries) or a weekday they cannot do (with the weekdays)."""

    weekly: tuple[int, ...]
    daily: tuple[int, ...]
    leave: tuple[tuple[int, tuple[Leave, ...]], ...]
    weekdays: tuple[tuple[int, tuple[int, ...]], ...]


def shortages(part: Part) -> list[Shortage]:
    """Every count that the part's demand fails, seats of everyone first, then leaders' seats:
    single slots and groups held at once, then weeks, then the days of weeks that pass. A slot
    short at once is left out of the counts after it (they would only repeat it)."""
    out: list[Shortage] = []
    leaders = tuple(v for v, vol in enumerate(part.volunteers) if vol.leader)
    reported: set[int] = set()
    for only_leaders, people in ((False, tuple(range(len(part.volunteers)))), (True, leaders)):
        counted = [
            s
            for s, slot in enumerate(part.slots)
            if (slot.leader_required or not only_leaders) and s not in reported
        ]
        at_once = list(_at_once(part, counted, only_leaders, people))
        reported.update(s for x in at_once for s in x.slots)
        counted = [s for s in counted if s not in reported]
        weeks = list(_minute_counts(part, Scope.WEEK, part.weeks, counted, only_leaders, people))
        short = {week_start(part.slots[x.slots[0]].date) for x in weeks}
        days = [d for d in part.days if week_start(part.slots[d[0]].date) not in short]
        out.extend(at_once)
        out.extend(weeks)
        out.extend(_minute_counts(part, Scope.DAY, days, counted, only_leaders, people))
    return out


def _seats(part: Part, s: int, leaders: bool) -> int:
    """People slot s needs: its minimum, or its one leader when counting leaders' seats."""
    return 1 if leaders else part.slots[s].min_people


def fits(part: Part, s: int, v: int, *, daily: bool = True, weekly: bool = True) -> bool:
    """Whether slot s fits in v's caps at all (a 4-hour visit does not fit a 1-hour weekly
    cap); `daily` or `weekly` False ignores that cap."""
    minutes = part.slots[s].minutes
    return (not daily or minutes <= part.daily_cap) and (
        not weekly or minutes <= part.weekly_cap[v]
    )


def holders(part: Part, s: int, people: Collection[int]) -> list[int]:
    """Of `people`, those who may take slot s and whose caps it fits."""
    return [v for v in part.eligible[s] if v in people and fits(part, s, v)]


def _at_once(
    part: Part, counted: list[int], leaders: bool, people: tuple[int, ...]
) -> Iterator[Shortage]:
    """Single slots short of free people, then groups held at once none of whose slots is."""
    mine = set(people)
    short: set[int] = set()
    for s in counted:
        free = holders(part, s, mine)
        if len(free) < _seats(part, s, leaders):
            short.add(s)
            yield Shortage(
                Scope.AT_ONCE, (s,), leaders, _seats(part, s, leaders), len(free), people
            )
    wanted = set(counted)
    for clique in part.cliques:
        group = tuple(s for s in clique if s in wanted)
        if len(group) < 2 or short.intersection(group):
            continue
        anyone = {v for s in group for v in holders(part, s, mine)}
        need = sum(_seats(part, s, leaders) for s in group)
        if len(anyone) < need:
            yield Shortage(Scope.AT_ONCE, group, leaders, need, len(anyone), people)


def _minute_counts(
    part: Part,
    scope: Scope,
    groups: Iterable[tuple[int, ...]],
    counted: list[int],
    leaders: bool,
    people: tuple[int, ...],
) -> Iterator[Shortage]:
    """Per day or week: the seats' person-minutes against what `people` can give there."""
    wanted = set(counted)
    for group in groups:
        slots = tuple(s for s in group if s in wanted)
        if not slots:
            continue
        need = sum(_seats(part, s, leaders) * part.slots[s].minutes for s in slots)
        free = sum(reach(part, slots, people).values())
        if free < need:
            yield Shortage(scope, slots, leaders, need, free, people)


def reach(
    part: Part,
    slots: Collection[int],
    people: Iterable[int],
    *,
    anyone: bool = False,
    daily: bool = True,
    weekly: bool = True,
) -> dict[int, int]:
    """Per person, the most minutes they can give to `slots`: each eligible slot that fits their
    caps once, at most the daily cap a day and their weekly cap a week (as `bounds.reachable`
    counts, and a slot longer than a cap not at all).

    `anyone` counts everyone as eligible for every slot (what leave and weekdays cost them);
    `daily` and `weekly` False drop that cap (what the cap costs them).
    """
    who = list(people)
    mine = set(who)
    per_day: dict[int, dict[date, int]] = {v: defaultdict(int) for v in who}
    for s in slots:
        slot = part.slots[s]
        for v in who if anyone else (v for v in part.eligible[s] if v in mine):
            if fits(part, s, v, daily=daily, weekly=weekly):
                per_day[v][slot.date] += slot.minutes
    g = part.granularity  # every load is a multiple of it: a cap of 1.5 h gives 1 h of hours

    def whole(minutes: int, cap: int, applies: bool) -> int:
        return min(cap, minutes) // g * g if applies else minutes

    out = {}
    for v in who:
        per_week: dict[date, int] = defaultdict(int)
        for day, minutes in per_day[v].items():
            per_week[week_start(day)] += whole(minutes, part.daily_cap, daily)
        out[v] = sum(whole(m, part.weekly_cap[v], weekly) for m in per_week.values())
    return out


def limits(
    part: Part, slots: Collection[int], people: Collection[int], every_absence: bool = False
) -> Limits:
    """Which rule takes minutes from whom of `people` in `slots` (those of a `Shortage`): a rule
    is named for a person when dropping it alone would let them give more. `every_absence`
    names all leave and weekdays in the slots' dates, costly or not (when no single count
    shows which matter)."""
    given = reach(part, slots, people)

    def costs(**dropped: bool) -> tuple[int, ...]:
        more = reach(part, slots, people, **dropped)
        return tuple(v for v in people if more[v] > given[v])

    away = set(people) if every_absence else set(costs(anyone=True))
    dates = sorted({part.slots[s].date for s in slots})
    by_id = leave_index(part.leave)
    leave, weekdays = [], []
    for v in people:
        if v not in away:
            continue
        vol = part.volunteers[v]
        entries = {x for d in dates if (x := on_leave(by_id, vol, d)) is not None}
        if entries:
            leave.append((v, tuple(sorted(entries, key=lambda x: x.start))))
        off = sorted({d.weekday() for d in dates} & vol.unavailable)
        if off:
            weekdays.append((v, tuple(off)))
    return Limits(costs(weekly=False), costs(daily=False), tuple(leave), tuple(weekdays))
