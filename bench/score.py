"""The referee of bench/compare.py: scores any roster of a period from plain rows, with no solver.

It reads the slots, the people, their leave and the two limits as CSV rows (`write_week` writes
them, `read_week` reads them back), and a roster as rows of (date, start, duty, area, volunteer),
and recomputes everything from the rules as the README states them, not from any engine's code:

- seats unfilled: per slot, the minimum headcount less the distinct people on it; a slot that
  requires a leader and has none is a leader missing;
- rule violations, by rule: `unit` (the person is not of the slot's unit), `leave`, `weekday`
  (a weekday they never do), `max_headcount`, `overlap` (two duties of one person that overlap,
  or are on the same day at different places with less than the travel buffer between them; the
  same person twice on one slot counts too), `daily_cap`, `weekly_cap` (per person and day or
  ISO week over the cap), `unknown` (a row naming no slot or no person);
- fairness, per unit: each person's deviation from their fair share, the largest one (in absolute
  value) and the spread (highest minus lowest deviation); the worst unit of each, and the mean of
  the largest deviations over the units.

Fair shares are recomputed here from their definition: each unit's demand minutes, shared in
proportion to each person's availability (the seat minutes of the unit's slots on days they are
free: not on leave, not a weekday they never do); leaders first share the leaders' seats in
proportion to their availability for them, then everyone is filled up to a common level in
proportion to their availability for the other seats (water-filling). With no history (one
period solved on its own), that is all of it. `python3 bench/score.py FOLDER ROSTER.csv` scores one
roster file.

This module must not import `solver`: it is the one judge of both solvers.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

RULES = (
    "unit",
    "leave",
    "weekday",
    "max_headcount",
    "overlap",
    "daily_cap",
    "weekly_cap",
    "unknown",
)

SlotKey = tuple[date, int, str, str]  # date, start, duty, area


@dataclass(frozen=True)
class SlotRow:
    """One dated duty at one area, with its responsible unit and headcount; times in minutes."""

    date: date
    start: int
    end: int
    duty: str
    area: str
    unit: str
    min_people: int
    max_people: int
    leader_required: bool

    @property
    def key(self) -> SlotKey:
        return (self.date, self.start, self.duty, self.area)

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class PersonRow:
    """One volunteer: unit, leader flag, weekly cap (minutes), weekdays never done (0 = Monday)."""

    id: str
    unit: str
    leader: bool
    weekly_cap: int
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class LeaveRow:
    volunteer_id: str
    first: date
    last: date


@dataclass(frozen=True)
class Week:
    """The problem both solvers solve, as plain rows."""

    slots: tuple[SlotRow, ...]
    people: tuple[PersonRow, ...]
    leave: tuple[LeaveRow, ...]
    daily_cap: int  # minutes
    travel_buffer: int  # minutes

    def free(self, person: PersonRow, day: date) -> bool:
        """Whether the person may work that day: not a weekday they never do, not on leave."""
        return day.weekday() not in person.unavailable and not self.away(person.id, day)

    def away(self, volunteer_id: str, day: date) -> bool:
        return any(x.first <= day <= x.last for x in self._leave_of.get(volunteer_id, ()))

    @cached_property
    def _leave_of(self) -> dict[str, list[LeaveRow]]:
        out: dict[str, list[LeaveRow]] = defaultdict(list)
        for x in self.leave:
            out[x.volunteer_id].append(x)
        return out


@dataclass(frozen=True, order=True)
class Pick:
    """One person on one slot: a row of a roster."""

    date: date
    start: int
    duty: str
    area: str
    volunteer_id: str

    @property
    def key(self) -> SlotKey:
        return (self.date, self.start, self.duty, self.area)


@dataclass(frozen=True)
class Score:
    unfilled: int
    leaders_missing: int
    violations: dict[str, int] = field(default_factory=dict)
    worst_deviation: float = 0.0  # hours
    worst_spread: float = 0.0  # hours
    mean_deviation: float = 0.0  # hours, the mean over units of their largest deviation
    units: int = 0

    @property
    def broken(self) -> int:
        return sum(self.violations.values())

    def violations_text(self) -> str:
        found = [f"{rule} {n}" for rule, n in self.violations.items() if n]
        return ", ".join(found) if found else "0"


def conflict(a: SlotRow, b: SlotRow, buffer: int) -> bool:
    """Two slots one person cannot both hold: same day, and they overlap, or they are at different
    places (area or duty) with less than the travel buffer between them."""
    if a.date != b.date:
        return False
    if a.start < b.end and b.start < a.end:
        return True
    gap = max(a.start, b.start) - min(a.end, b.end)
    return (a.area, a.duty) != (b.area, b.duty) and gap < buffer


def score(week: Week, roster: Iterable[Pick]) -> Score:
    """Every count and fairness measure of `roster` on `week` (see the module's docstring)."""
    slots = {s.key: s for s in week.slots}
    people = {p.id: p for p in week.people}
    broken = dict.fromkeys(RULES, 0)
    team: dict[SlotKey, list[str]] = defaultdict(list)
    for pick in roster:
        slot, person = slots.get(pick.key), people.get(pick.volunteer_id)
        if slot is None or person is None:
            broken["unknown"] += 1
            continue
        if person.id in team[slot.key]:
            broken["overlap"] += 1  # one person holding two seats of one slot
            continue
        team[slot.key].append(person.id)
        broken["unit"] += person.unit != slot.unit
        broken["leave"] += week.away(person.id, slot.date)
        broken["weekday"] += slot.date.weekday() in person.unavailable
    unfilled = leaders_missing = 0
    held: dict[str, list[SlotRow]] = defaultdict(list)
    for slot in week.slots:
        members = team.get(slot.key, [])
        unfilled += max(0, slot.min_people - len(members))
        broken["max_headcount"] += len(members) > slot.max_people
        leaders_missing += slot.leader_required and not any(people[v].leader for v in members)
        for v in members:
            held[v].append(slot)
    for v, mine in held.items():
        _person_limits(week, people[v], mine, broken)
    worst_dev, worst_spread, devs = _fairness(week, held)
    return Score(
        unfilled,
        leaders_missing,
        broken,
        worst_dev / 60,
        worst_spread / 60,
        sum(devs) / len(devs) / 60 if devs else 0.0,
        len(devs),
    )


def _person_limits(week: Week, person: PersonRow, mine: list[SlotRow], broken: dict) -> None:
    """One person's overlaps (each conflicting pair once) and days and weeks over their caps."""
    mine = sorted(mine, key=lambda s: (s.date, s.start, s.end))
    for i, a in enumerate(mine):
        for b in mine[i + 1 :]:
            if b.date != a.date:
                break
            broken["overlap"] += conflict(a, b, week.travel_buffer)
    per_day: dict[date, int] = defaultdict(int)
    per_week: dict[date, int] = defaultdict(int)
    for s in mine:
        per_day[s.date] += s.minutes
        per_week[s.date - timedelta(days=s.date.weekday())] += s.minutes
    broken["daily_cap"] += sum(m > week.daily_cap for m in per_day.values())
    broken["weekly_cap"] += sum(m > person.weekly_cap for m in per_week.values())


def _fairness(week: Week, held: dict[str, list[SlotRow]]) -> tuple[float, float, list[float]]:
    """Worst largest deviation, worst spread (minutes) and each unit's largest deviation."""
    fair = fair_shares(week)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for p in week.people:
        if p.id in fair:
            load = sum(s.minutes for s in held.get(p.id, ()))
            by_unit[p.unit].append(load - fair[p.id])
    largest = [max(abs(d) for d in ds) for ds in by_unit.values() if ds]
    spreads = [max(ds) - min(ds) for ds in by_unit.values() if ds]
    return max(largest, default=0.0), max(spreads, default=0.0), largest


def fair_shares(week: Week) -> dict[str, float]:
    """Each person's fair share in minutes, for the people of every unit with slots."""
    slots_of: dict[str, list[SlotRow]] = defaultdict(list)
    for s in week.slots:
        slots_of[s.unit].append(s)
    members: dict[str, list[PersonRow]] = defaultdict(list)
    for p in week.people:
        members[p.unit].append(p)
    out: dict[str, float] = {}
    for unit, slots in slots_of.items():
        people = members.get(unit, [])
        shares = _unit_shares(week, slots, people)
        out.update(zip((p.id for p in people), shares, strict=True))
    return out


def _unit_shares(week: Week, slots: list[SlotRow], people: list[PersonRow]) -> list[float]:
    total = float(sum(s.min_people * s.minutes for s in slots))
    seats, leading = [], []
    for p in people:
        mine = [s for s in slots if week.free(p, s.date)]
        seats.append(float(sum(s.min_people * s.minutes for s in mine)))
        leading.append(float(sum(s.minutes for s in mine if s.leader_required)))
    lead = [x if p.leader else 0.0 for p, x in zip(people, leading, strict=True)]
    if not sum(lead):  # no leader can take the leaders' seats: they are ordinary seats
        return water_level([0.0] * len(people), seats, total)
    weight = [s - x for s, x in zip(seats, leading, strict=True)]
    leader_minutes = sum(s.minutes for s in slots if s.leader_required)
    base = [leader_minutes * x / sum(lead) for x in lead]
    return water_level(base, weight, total)


def water_level(base: Sequence[float], weight: Sequence[float], total: float) -> list[float]:
    """Shares max(base, r·weight) adding up to `total`, r found by bisection; bases scaled down to
    `total` when they exceed it or nobody has any weight."""
    fixed = sum(base)
    if total <= fixed or not any(w > 0 for w in weight):
        return [b * total / fixed if fixed else 0.0 for b in base]
    low, high = 0.0, max(total / w for w in weight if w > 0)
    for _ in range(200):
        r = (low + high) / 2
        if sum(max(b, r * w) for b, w in zip(base, weight, strict=True)) < total:
            low = r
        else:
            high = r
    r = (low + high) / 2
    return [max(b, r * w) for b, w in zip(base, weight, strict=True)]


# Plain rows on disk: what compare.py writes for both solvers and this referee reads back.

SLOT_COLUMNS = ("date", "start", "end", "duty", "area", "unit", "min", "max", "leader")
PERSON_COLUMNS = ("id", "unit", "leader", "weekly_cap", "unavailable")
LEAVE_COLUMNS = ("volunteer_id", "first", "last")
PICK_COLUMNS = ("date", "start", "duty", "area", "volunteer_id")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _slot_cells(s: SlotRow) -> tuple[object, ...]:
    times, heads = (_hhmm(s.start), _hhmm(s.end)), (s.min_people, s.max_people)
    return (s.date, *times, s.duty, s.area, s.unit, *heads, int(s.leader_required))


def write_week(folder: Path, week: Week) -> None:
    """slots.csv, people.csv, leave.csv and limits.csv in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "slots.csv",
        SLOT_COLUMNS,
        (_slot_cells(s) for s in week.slots),
    )
    _write(
        folder / "people.csv",
        PERSON_COLUMNS,
        (
            (p.id, p.unit, int(p.leader), p.weekly_cap, " ".join(map(str, sorted(p.unavailable))))
            for p in week.people
        ),
    )
    _write(
        folder / "leave.csv", LEAVE_COLUMNS, ((x.volunteer_id, x.first, x.last) for x in week.leave)
    )
    _write(
        folder / "limits.csv",
        ("daily_cap", "travel_buffer"),
        [(week.daily_cap, week.travel_buffer)],
    )


def read_week(folder: Path) -> Week:
    slots = tuple(
        SlotRow(
            date.fromisoformat(r["date"]),
            _minutes(r["start"]),
            _minutes(r["end"]),
            r["duty"],
            r["area"],
            r["unit"],
            int(r["min"]),
            int(r["max"]),
            r["leader"] == "1",
        )
        for r in _read(folder / "slots.csv")
    )
    people = tuple(
        PersonRow(
            r["id"],
            r["unit"],
            r["leader"] == "1",
            int(r["weekly_cap"]),
            frozenset(int(d) for d in r["unavailable"].split()),
        )
        for r in _read(folder / "people.csv")
    )
    leave = tuple(
        LeaveRow(r["volunteer_id"], date.fromisoformat(r["first"]), date.fromisoformat(r["last"]))
        for r in _read(folder / "leave.csv")
    )
    (limits,) = _read(folder / "limits.csv")
    return Week(slots, people, leave, int(limits["daily_cap"]), int(limits["travel_buffer"]))


def write_roster(path: Path, picks: Iterable[Pick]) -> None:
    _write(
        path,
        PICK_COLUMNS,
        ((p.date, _hhmm(p.start), p.duty, p.area, p.volunteer_id) for p in sorted(picks)),
    )


def read_roster(path: Path) -> list[Pick]:
    return [
        Pick(
            date.fromisoformat(r["date"]),
            _minutes(r["start"]),
            r["duty"],
            r["area"],
            r["volunteer_id"],
        )
        for r in _read(path)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="Score a roster from plain rows.")
    parser.add_argument("folder", type=Path, help="slots.csv, people.csv, leave.csv, limits.csv")
    parser.add_argument("roster", type=Path, help="date,start,duty,area,volunteer_id rows")
    args = parser.parse_args()
    result = score(read_week(args.folder), read_roster(args.roster))
    print(
        f"unfilled {result.unfilled}, leaders missing {result.leaders_missing}, "
        f"violations {result.violations_text()}, worst largest deviation "
        f"{result.worst_deviation:.2f} h, worst spread {result.worst_spread:.2f} h, "
        f"mean largest deviation {result.mean_deviation:.2f} h over {result.units} units"
    )


if __name__ == "__main__":
    main()
