"""Expansion of recurring duty rules into concrete, dated slots.

Everything downstream (the solver, the feeds, the workbooks) sees only slots: one time window on
one date at one area, with its headcount and leader rule. Seasons, validity dates, weekday and
RRULE patterns, statutory holidays and make-up working days are all resolved here, once.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from roster.calendar import CalendarNotCovered, ChinaCalendar, DayInfo
from roster.errors import InputError, Problem, Source
from roster.i18n import tr
from roster.model import (
    DutyRule,
    HolidayPolicy,
    MakeupPolicy,
    Plan,
    Season,
    TimeWindow,
    slot_key,
)


@dataclass(frozen=True, order=True)
class Slot(TimeWindow):
    """One dated time window of one duty at one area. Ordered by date, start, area, kind."""

    date: date
    start: int  # minutes after midnight
    end: int
    area: str
    kind: str
    units: tuple[str, ...] = field(compare=False)
    min_people: int = field(compare=False)
    max_people: int = field(compare=False)
    leader_required: bool = field(compare=False)
    rule: int = field(compare=False)  # index of the DutyRule in Plan.duties
    requirement: str = field(default="", compare=False)
    season: Season = field(default=Season.ALL, compare=False)
    holiday: str = field(default="", compare=False)  # the holiday's name when it runs on one
    source: Source | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """A stable identity: the same duty at the same area and time on the same date."""
        return slot_key(self.date, self.start, self.kind, self.area)


def rule_runs_on(rule: DutyRule, info: DayInfo, plan: Plan, rrule_dates: set[date]) -> bool:
    """Whether `rule` has a slot on the date `info` describes (validity and season included)."""
    day = info.date
    if not rule.valid_on(day):
        return False
    summer = plan.settings.is_summer(day)
    if (rule.season is Season.SUMMER and not summer) or (rule.season is Season.WINTER and summer):
        return False
    if info.holiday and rule.holidays is HolidayPolicy.SKIP:
        return False
    if day in rrule_dates:
        return True
    days = rule.days
    if info.makeup and rule.makeup is MakeupPolicy.WORKDAY:
        return days.covers_working_week
    if info.holiday and rule.holidays is HolidayPolicy.REST:
        return days.covers_weekend
    return (
        day.weekday() in days.weekdays
        or (days.workdays and info.workday)
        or (days.restdays and not info.workday)
    )


def expand(
    plan: Plan, start: date, end: date, calendar: ChinaCalendar | None = None
) -> tuple[Slot, ...]:
    """Every slot of `plan` from `start` to `end` (inclusive), clipped to the campaign period.

    Raises `InputError` when the calendar does not cover a year of the period, or when two windows
    of the same duty and area overlap on a date (a table mistake that would double-book people).
    """
    cal = calendar or calendar_for(plan)
    first = max(start, plan.settings.start)
    last = min(end, plan.settings.end)
    if last < first:
        return ()
    try:
        cal.check_covers(first, last)
    except CalendarNotCovered as exc:
        where = plan.settings.source
        setting = where.column("calendar_years") if where else "calendar_years"
        raise InputError([Problem(exc.message(setting), where, "calendar_years")]) from exc
    rrules = [
        r.days.rrule_dates(first, last, r.valid_from or plan.settings.start) for r in plan.duties
    ]
    slots: list[Slot] = []
    day = first
    while day <= last:
        info = cal.info(day)
        for index, rule in enumerate(plan.duties):
            if rule_runs_on(rule, info, plan, rrules[index]):
                slots.append(
                    Slot(
                        day,
                        rule.start,
                        rule.end,
                        rule.area,
                        rule.kind,
                        rule.units,
                        rule.min_people,
                        rule.max_people,
                        rule.leader_required,
                        index,
                        rule.requirement,
                        rule.season,
                        info.name if info.holiday else "",
                        rule.source,
                    )
                )
        day += timedelta(days=1)
    slots.sort()
    _check_overlaps(slots)
    return tuple(slots)


def calendar_for(plan: Plan) -> ChinaCalendar:
    return ChinaCalendar(plan.calendar, plan.settings.calendar_years)


def _check_overlaps(slots: list[Slot]) -> None:
    groups: dict[tuple[date, str, str], list[Slot]] = defaultdict(list)
    for s in slots:
        groups[(s.date, s.kind, s.area)].append(s)
    problems: list[Problem] = []
    reported: set[tuple[int, int]] = set()
    for (day, kind, area), group in groups.items():
        for a, b in itertools.pairwise(group):
            pair = (a.rule, b.rule)
            if b.start < a.end and pair not in reported:
                reported.add(pair)
                problems.append(
                    Problem(
                        tr(
                            "{duty} {area} has two overlapping windows on {day} ({first} from "
                            "{first_source}, {second} from {second_source}); check their days, "
                            "seasons and validity dates",
                            duty=kind,
                            area=area,
                            day=day,
                            first=a.window,
                            first_source=a.source,
                            second=b.window,
                            second_source=b.source,
                        ),
                        b.source,
                        "start",
                    )
                )
    if problems:
        raise InputError(problems)


def weekly_count(rule: DutyRule, season: Season, plan: Plan) -> float:
    """Slots of `rule` in an ordinary week of `season` (no holidays, no make-up days)."""
    if rule.season not in (Season.ALL, season):
        return 0.0
    days = set(rule.days.weekdays)
    if rule.days.workdays:
        days |= {0, 1, 2, 3, 4}
    if rule.days.restdays:
        days |= {5, 6}
    count = float(len(days))
    if rule.days.rrule:
        start = rule.valid_from or plan.settings.start
        end = max(start + timedelta(days=364), rule.valid_to or plan.settings.end)
        hits = rule.days.rrule_dates(start, end, start)
        count += len(hits) / (((end - start).days + 1) / 7)
    return count
