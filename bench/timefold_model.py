"""The same week as a Timefold Solver model, for bench/compare.py.

Planning entities are seats: one per person a slot needs (its minimum headcount), the first seat
of a slot that needs a leader marked as the leader's. The planning variable is the volunteer, from
the slot's unit's list (so unit membership is built in, as roster builds eligibility into its
variables; the leader's seat from the unit's leaders, which loses no roster: any team with a
leader can put them in that seat), and may stay unassigned: a seat nobody can take is a gap, not a
broken rule, as in roster. The score is a `BendableScore` with one hard level and four soft
levels, compared level by level, highest first, as roster's objective is:

- hard, in minutes of duty that break a rule: a duty on a day of leave or a weekday the person
  never does (and, never reached, of another unit); two duties of one person that overlap or
  leave less than the travel buffer between places (the same person twice on one slot included);
  minutes over the daily and the weekly cap;
- soft 0: seats unassigned plus slots needing a leader that have none (roster's demand term);
- soft 1: per unit, the largest deviation of anyone's minutes from their fair share, summed over
  the units (roster minimizes each unit's largest deviation; units share nobody, so the sum's
  optimum is every unit's optimum);
- soft 2: per unit, the spread (highest minus lowest deviation), summed (roster's spread term);
- soft 3: the sum of squared deviations. Roster has no such term; it only guides the local search
  across the plateaus of the two min–max levels above. Roster's last term, continuity (the fewest
  distinct person–area pairs not served before: the same people on the same areas), is left out.

Fair shares are an input (roster's own, rounded to the minute, so Timefold aims at the same
targets). Roster's "extras" term (nobody beyond the minimum) and the maximum headcount are built
in: there are exactly as many seats as the minimum, which never exceeds the maximum.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from timefold.solver import SolutionManager, SolverFactory
from timefold.solver.config import (
    Duration,
    EnvironmentMode,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    BendableScore,
    ConstraintCollectors,
    ConstraintFactory,
    Joiners,
    constraint_provider,
)

from bench.score import Pick, Week

HARD, SOFT = 1, 4


def _hard(n: int) -> BendableScore:
    return BendableScore.of_hard(HARD, SOFT, 0, n)


def _soft(level: int) -> BendableScore:
    return BendableScore.of_soft(HARD, SOFT, level, 1)


@dataclass(eq=False)
class Person:
    """A volunteer as a problem fact; `away` holds the day numbers (date ordinals) they may not
    work: days of leave and weekdays they never do, within the period."""

    id: Annotated[str, PlanningId]
    unit: str
    leader: bool
    weekly_cap: int
    daily_cap: int
    fair: int  # fair share, minutes
    away: set[int] = field(default_factory=set)


@planning_entity
@dataclass(eq=False)
class Seat:
    """One person's place on one slot."""

    id: Annotated[int, PlanningId]
    slot: int
    seat: int
    unit: str
    day: int  # date ordinal
    week: int  # ordinal of the ISO week's Monday
    start: int
    end: int
    place: str  # area and duty: no travel between two duties at the same place
    buffer: int
    leader_seat: bool  # the first seat of a slot that needs a leader
    candidates: Annotated[list[Person], ValueRangeProvider(id="candidates")]
    volunteer: Annotated[
        Person | None,
        PlanningVariable(value_range_provider_refs=["candidates"], allows_unassigned=True),
    ] = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


@planning_solution
@dataclass
class Roster:
    people: Annotated[list[Person], ProblemFactCollectionProperty]
    seats: Annotated[list[Seat], PlanningEntityCollectionProperty]
    score: Annotated[
        BendableScore | None,
        PlanningScore(bendable_hard_levels_size=HARD, bendable_soft_levels_size=SOFT),
    ] = None


def _clash(a: Seat, b: Seat) -> bool:
    if a.slot == b.slot or (a.start < b.end and b.start < a.end):
        return True
    return a.place != b.place and max(a.start, b.start) - min(a.end, b.end) < a.buffer


def _minutes(s: Seat) -> int:
    return s.end - s.start


def _volunteer(s: Seat) -> Person | None:
    return s.volunteer


def _day(s: Seat) -> int:
    return s.day


def _slot(s: Seat) -> int:
    return s.slot


def _ineligible(s: Seat) -> bool:
    """On leave or a weekday never done (or, never reached, of another unit)."""
    p = s.volunteer
    return p is not None and (p.unit != s.unit or s.day in p.away)


def _leads(a: Seat, b: Seat) -> bool:
    return b.volunteer is not None and b.volunteer.leader


def _deviation(p: Person, load: int) -> int:
    return load - p.fair


@constraint_provider
def constraints(cf: ConstraintFactory) -> list[Any]:
    # (person, minutes held), everyone of a unit with slots at 0 if they hold none; built once so
    # that the three fairness levels share its nodes, as they share the per-unit extremes.
    loads = (
        cf.for_each(Seat)
        .group_by(lambda s: s.volunteer, ConstraintCollectors.sum(_minutes))
        .complement(Person, lambda p: 0)
    )
    extremes = loads.group_by(
        lambda p, load: p.unit,
        ConstraintCollectors.max(_deviation),
        ConstraintCollectors.min(_deviation),
    )
    return [
        cf.for_each(Seat)
        .filter(_ineligible)
        .penalize(_hard(1), _minutes)
        .as_constraint("eligibility"),
        cf.for_each_unique_pair(
            Seat,
            Joiners.equal(_volunteer),
            Joiners.equal(_day),
        )
        .filter(_clash)
        .penalize(_hard(1), lambda a, b: min(a.end - a.start, b.end - b.start))
        .as_constraint("one place at a time"),
        cf.for_each(Seat)
        .group_by(lambda s: s.volunteer, lambda s: s.day, ConstraintCollectors.sum(_minutes))
        .filter(lambda p, day, total: total > p.daily_cap)
        .penalize(_hard(1), lambda p, day, total: total - p.daily_cap)
        .as_constraint("daily cap"),
        cf.for_each(Seat)
        .group_by(lambda s: s.volunteer, lambda s: s.week, ConstraintCollectors.sum(_minutes))
        .filter(lambda p, week, total: total > p.weekly_cap)
        .penalize(_hard(1), lambda p, week, total: total - p.weekly_cap)
        .as_constraint("weekly cap"),
        cf.for_each_including_unassigned(Seat)
        .filter(lambda s: s.volunteer is None)
        .penalize(_soft(0))
        .as_constraint("seat unfilled"),
        cf.for_each_including_unassigned(Seat)
        .filter(lambda s: s.leader_seat)
        .if_not_exists(
            Seat,
            Joiners.equal(_slot, _slot),
            Joiners.filtering(_leads),
        )
        .penalize(_soft(0))
        .as_constraint("leader missing"),
        extremes.penalize(_soft(1), lambda unit, high, low: max(high, -low)).as_constraint(
            "largest deviation"
        ),
        extremes.penalize(_soft(2), lambda unit, high, low: high - low).as_constraint("spread"),
        loads.penalize(_soft(3), lambda p, load: _deviation(p, load) ** 2).as_constraint(
            "squared deviation"
        ),
    ]


def problem(week: Week, fair: dict[str, float]) -> Roster:
    """The week's seats and people; only the people of units with slots."""
    units = {s.unit for s in week.slots}
    first = min((s.date for s in week.slots), default=None)
    last = max((s.date for s in week.slots), default=None)
    days = [] if first is None or last is None else _days(first, last)
    people = []
    by_unit: dict[str, list[Person]] = {}
    for p in week.people:
        if p.unit not in units:
            continue
        away = {d.toordinal() for d in days if not week.free(p, d)}
        person = Person(
            p.id, p.unit, p.leader, p.weekly_cap, week.daily_cap, round(fair[p.id]), away
        )
        people.append(person)
        by_unit.setdefault(p.unit, []).append(person)
    leaders = {u: [p for p in ps if p.leader] for u, ps in by_unit.items()}
    seats: list[Seat] = []
    for n, s in enumerate(week.slots):
        if s.min_people > s.max_people:
            raise ValueError(f"slot {s.key}: minimum above maximum")
        monday = s.date - timedelta(days=s.date.weekday())
        for k in range(s.min_people):
            seats.append(
                Seat(
                    len(seats),
                    n,
                    k,
                    s.unit,
                    s.date.toordinal(),
                    monday.toordinal(),
                    s.start,
                    s.end,
                    f"{s.area}/{s.duty}",
                    week.travel_buffer,
                    s.leader_required and k == 0,
                    # the leader's seat from the unit's leaders, when it has any
                    (s.leader_required and k == 0 and leaders.get(s.unit))
                    or by_unit.get(s.unit, []),
                )
            )
    return Roster(people, seats)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Solved:
    picks: list[Pick]
    score: str  # Timefold's own score of the roster
    seconds: float  # wall time of `solve`: the problem handed to Java and back, and solving
    setup: float  # wall time before it: the solver built and the problem made
    moves: int  # Timefold's move evaluation speed, per second (from its log)
    constructed: int  # seats the construction heuristic placed (all of them unless it was cut off)
    seats: int


class _Log(logging.Handler):
    """Timefold's own log lines, kept to read its move speed and how far construction got."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def number(self, start: str, label: str) -> int:
        for line in self.lines:
            found = re.search(rf"{label} \((\d+)", line) if line.startswith(start) else None
            if found:
                return int(found.group(1))
        return 0


def _config(seconds: float, seed: int) -> SolverConfig:
    return SolverConfig(
        solution_class=Roster,
        entity_class_list=[Seat],
        environment_mode=EnvironmentMode.NO_ASSERT,
        random_seed=seed,
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=constraints
        ),
        termination_config=TerminationConfig(
            spent_limit=Duration(milliseconds=max(1, round(seconds * 1000)))
        ),
    )


def evaluate(week: Week, fair: dict[str, float], picks: list[Pick]) -> str:
    """Timefold's score of a roster made elsewhere: each slot's people in its seats, a leader
    in the leader's seat; people beyond a slot's seats (none in roster's rosters) are left out."""
    roster = problem(week, fair)
    people = {p.id: p for p in roster.people}
    index = {s.key: n for n, s in enumerate(week.slots)}
    team: dict[int, list[Person]] = {}
    for pick in picks:
        if pick.key in index and pick.volunteer_id in people:
            team.setdefault(index[pick.key], []).append(people[pick.volunteer_id])
    for seat in roster.seats:
        members = team.get(seat.slot, [])
        if not members:
            continue
        first = next((p for p in members if p.leader), members[0]) if seat.leader_seat else None
        seat.volunteer = first if first is not None else members[0]
        members.remove(seat.volunteer)
    return str(SolutionManager.create(SolverFactory.create(_config(1, 0))).update(roster))


def solve(week: Week, fair: dict[str, float], seconds: float, seed: int) -> Solved:
    """Timefold's roster after `seconds` of solving (its spent limit), from a fixed seed."""
    began = time.perf_counter()
    log = _Log()
    logger = logging.getLogger("timefold.solver")
    logger.setLevel(logging.INFO)
    logger.addHandler(log)
    logger.propagate = False
    config = _config(seconds, seed)
    solver = SolverFactory.create(config).build_solver()
    start = problem(week, fair)
    ready = time.perf_counter()
    best = solver.solve(start)
    done = time.perf_counter()
    slots = week.slots
    picks = [
        Pick(
            slots[s.slot].date,
            slots[s.slot].start,
            slots[s.slot].duty,
            slots[s.slot].area,
            s.volunteer.id,
        )
        for s in best.seats
        if s.volunteer is not None
    ]
    return Solved(
        picks,
        str(best.score),
        done - ready,
        ready - began,
        log.number("Solving ended", "move evaluation speed"),
        log.number("Construction Heuristic phase", "step total"),
        len(start.seats),
    )
