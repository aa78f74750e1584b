"""What a plan asks of each unit, as `roster check` shows it before anything is solved.

Office staff read this to see at once whether the table was understood (windows per season, slots
per week) and whether each unit has the people for it (person-hours demanded against capacity).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from roster.calendar import ChinaCalendar
from roster.expand import Slot, weekly_count
from roster.model import DutyRule, Plan, Season


@dataclass(frozen=True)
class DutySummary:
    kind: str
    area: str
    units: tuple[str, ...]
    rules: tuple[DutyRule, ...]
    slots_per_week: dict[Season, float]  # in an ordinary week without holidays
    slots_in_period: int


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    volunteers: int
    leaders: int
    capacity_hours: float  # the sum of weekly caps
    demand_hours: dict[Season, float]  # person-hours per ordinary week (min headcount)
    shared: bool  # some demand is on areas with several candidate units (split evenly here)


@dataclass(frozen=True)
class DayMark:
    first: date
    last: date
    label: str


def duty_summaries(plan: Plan, slots: tuple[Slot, ...]) -> list[DutySummary]:
    groups: dict[tuple[str, str, tuple[str, ...]], list[DutyRule]] = defaultdict(list)
    for rule in plan.duties:
        groups[(rule.kind, rule.area, rule.units)].append(rule)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for slot in slots:
        counts[(slot.kind, slot.area)] += 1
    out = []
    for (kind, area, units), rules in groups.items():
        per_week = {
            season: sum(weekly_count(r, season, plan) for r in rules)
            for season in (Season.SUMMER, Season.WINTER)
        }
        out.append(DutySummary(kind, area, units, tuple(rules), per_week, counts[(kind, area)]))
    return out


def unit_summaries(plan: Plan) -> list[UnitSummary]:
    demand: dict[str, dict[Season, float]] = {
        u.name: {Season.SUMMER: 0.0, Season.WINTER: 0.0} for u in plan.units
    }
    shared: set[str] = set()
    for rule in plan.duties:
        for season in (Season.SUMMER, Season.WINTER):
            hours = weekly_count(rule, season, plan) * rule.minutes / 60 * rule.min_people
            for unit in rule.units:
                demand[unit][season] += hours / len(rule.units)
        if len(rule.units) > 1:
            shared.update(rule.units)
    out = []
    for u in plan.units:
        staff = plan.volunteers_of(u.name)
        out.append(
            UnitSummary(
                u.name,
                len(staff),
                sum(v.leader for v in staff),
                sum(plan.weekly_cap(v) for v in staff),
                demand[u.name],
                u.name in shared,
            )
        )
    return out


def special_days(plan: Plan, calendar: ChinaCalendar) -> list[DayMark]:
    """Statutory holidays and make-up working days in the campaign, as runs of dates."""
    marks: list[DayMark] = []
    day = plan.settings.start
    while day <= plan.settings.end:
        info = calendar.info(day)
        label = (
            f"{info.name or '节假日'}放假" if info.holiday else ("调休上班" if info.makeup else "")
        )
        if label:
            last = marks[-1] if marks else None
            if last and last.label == label and last.last == day - timedelta(days=1):
                marks[-1] = DayMark(last.first, day, label)
            else:
                marks.append(DayMark(day, day, label))
        day += timedelta(days=1)
    return marks
