"""The roster as the exports see it: one team per slot, built from assignment rows.

Both `roster solve` (from its result) and `roster export` (from assignments.csv) build this view
from the same rows, so a re-export of a saved roster gives exactly the bytes the solve wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from roster.assignments import AssignmentRow, ShortfallRow
from roster.days import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from roster.expand import Slot, expand
from roster.i18n import ENGLISH, language
from roster.model import Plan, TimeWindow


def weekday_name(day: date) -> str:
    """周一…周日, or Mon…Sun in English: the day as the workbooks and the events name it."""
    names = WEEKDAY_NAMES_EN if language() == ENGLISH else WEEKDAY_NAMES_ZH
    return names[day.weekday()]


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    unit: str
    phone: str
    leader: bool


@dataclass(frozen=True)
class Team(TimeWindow):
    """One slot with the people on it; `gap` says why it is short, empty when it is not."""

    key: str
    date: date
    start: int
    end: int
    duty: str
    area: str
    unit: str
    requirement: str
    needed: int
    members: tuple[Member, ...]  # the leader first, then by volunteer id
    gap: str = ""
    current: bool = True  # in the exported period; False for --history rows

    @property
    def leader(self) -> Member | None:
        return next((m for m in self.members if m.leader), None)

    @property
    def missing(self) -> int:
        return max(0, self.needed - len(self.members))


@dataclass(frozen=True)
class RosterView:
    campaign: str
    timezone: str
    first: date
    last: date
    teams: tuple[Team, ...]  # by date, start, area, duty
    units: tuple[str, ...]
    volunteers: tuple[tuple[str, str, str, bool], ...]  # (id, name, unit, leader) of the plan

    @cached_property
    def current(self) -> tuple[Team, ...]:
        return tuple(t for t in self.teams if t.current)

    def teams_of(self, unit: str) -> tuple[Team, ...]:
        """The unit's teams in the period, in the order of `current`."""
        return self._by_unit[0].get(unit, ())

    def people_of(self, unit: str) -> tuple[tuple[str, str, str, bool], ...]:
        """The unit's volunteers, in the plan's order."""
        return self._by_unit[1].get(unit, ())

    @cached_property
    def _by_unit(
        self,
    ) -> tuple[dict[str, tuple[Team, ...]], dict[str, tuple[tuple[str, str, str, bool], ...]]]:
        """Teams and people per unit, grouped once: a province's 1,680 workbooks each looking
        through every team and person took most of its export."""
        teams: dict[str, list[Team]] = defaultdict(list)
        for t in self.current:
            teams[t.unit].append(t)
        people: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
        for v in self.volunteers:
            people[v[2]].append(v)
        return (
            {u: tuple(ts) for u, ts in teams.items()},
            {u: tuple(vs) for u, vs in people.items()},
        )

    @cached_property
    def served(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Minutes in the period, minutes in all, and duties in the period, per volunteer id:
        computed once per view, where every unit's hours sheet reads them."""
        period: dict[str, int] = defaultdict(int)
        total: dict[str, int] = defaultdict(int)
        count: dict[str, int] = defaultdict(int)
        for t in self.teams:
            for m in t.members:
                total[m.id] += t.minutes
                if t.current:
                    period[m.id] += t.minutes
                    count[m.id] += 1
        return period, total, count

    @property
    def weeks(self) -> tuple[date, ...]:
        """Mondays of the weeks the period touches."""
        monday = self.first - timedelta(days=self.first.weekday())
        out = []
        while monday <= self.last:
            out.append(monday)
            monday += timedelta(days=7)
        return tuple(out)


def build_view(
    plan: Plan,
    rows: Iterable[AssignmentRow],
    shortfalls: Iterable[ShortfallRow],
    first: date,
    last: date,
    history: Iterable[AssignmentRow] = (),
) -> RosterView:
    """Every slot of the period (staffed or not) plus history rows outside it, as teams."""
    phones = {v.id: v.phone for v in plan.volunteers}
    current = [r for r in rows if first <= r.date <= last]
    past = [r for r in history if not first <= r.date <= last]
    slots = {s.key: s for s in expand(plan, first, last)}
    gaps = {s.slot_key: s for s in shortfalls}
    teams: list[Team] = []
    by_key = _group(current)
    for key in sorted(slots.keys() | by_key.keys(), key=lambda k: _order(slots, by_key, k)):
        teams.append(_team(key, slots.get(key), by_key.get(key, []), gaps.get(key), phones, True))
    if past:
        old = {s.key: s for s in expand(plan, min(r.date for r in past), max(r.date for r in past))}
        for key, group in _group(past).items():
            teams.append(_team(key, old.get(key), group, None, phones, False))
    teams.sort(key=lambda t: (t.date, t.start, t.area, t.duty))
    return RosterView(
        campaign=plan.settings.name,
        timezone=plan.settings.timezone,
        first=first,
        last=last,
        teams=tuple(teams),
        units=tuple(u.name for u in plan.units),
        volunteers=tuple((v.id, v.name, v.unit, v.leader) for v in plan.volunteers),
    )


def _group(rows: Iterable[AssignmentRow]) -> dict[str, list[AssignmentRow]]:
    out: dict[str, list[AssignmentRow]] = defaultdict(list)
    for r in rows:
        out[r.slot_key].append(r)
    return out


def _order(
    slots: dict[str, Slot], rows: dict[str, list[AssignmentRow]], key: str
) -> tuple[date, int, str, str]:
    s = slots.get(key)
    if s is not None:
        return (s.date, s.start, s.area, s.kind)
    r = rows[key][0]
    return (r.date, r.start, r.area, r.duty)


def _team(
    key: str,
    slot: Slot | None,
    rows: list[AssignmentRow],
    gap: ShortfallRow | None,
    phones: dict[str, str],
    current: bool,
) -> Team:
    members = tuple(
        sorted(
            (
                Member(
                    r.volunteer_id,
                    r.volunteer_name,
                    r.unit,
                    phones.get(r.volunteer_id, ""),
                    r.leader,
                )
                for r in rows
            ),
            key=lambda m: (not m.leader, m.id),
        )
    )
    if slot is not None:
        unit = rows[0].unit if rows else gap.unit if gap else slot.units[0]
        return Team(
            key,
            slot.date,
            slot.start,
            slot.end,
            slot.kind,
            slot.area,
            unit,
            slot.requirement,
            slot.min_people,
            members,
            gap.reason if gap else "",
            current,
        )
    r = rows[0]
    # A row whose slot is no longer in the table (the table changed after the solve).
    return Team(
        key, r.date, r.start, r.end, r.duty, r.area, r.unit, "", len(rows), members, "", current
    )
