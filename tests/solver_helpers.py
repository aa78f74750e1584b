"""Tiny hand-made instances for the solver's rule and term tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from roster.assignments import AssignmentRow
from roster.expand import expand
from roster.model import DutyRule, HolidayPolicy, Leave, Plan, Settings, Unit, Volunteer
from solver.lexicographic import solve_part
from solver.params import Params
from solver.parts import Part, Past, build_part
from solver.prepare import resolve_units
from solver.result import PartResult
from solver.units import choose_units

from .helpers import rule

MONDAY = date(2022, 6, 13)  # an ordinary summer week of the seed's campaign, no holidays
SUNDAY = date(2022, 6, 19)


def people(
    n: int, leaders: int = 0, unit: str = "单位甲", prefix: str = "V", **kw: Any
) -> list[Volunteer]:
    return [
        Volunteer(f"{prefix}{i + 1}", f"志愿者{prefix}{i + 1}", unit, leader=i < leaders, **kw)
        for i in range(n)
    ]


def duty(days: str, start: str, end: str, area: str = "路口甲", **kw: Any) -> DutyRule:
    kw.setdefault("holidays", HolidayPolicy.RUN)
    return rule(days, start, end, area=area, **kw)


def pair_duty(unit: str = "单位乙") -> DutyRule:
    """Wednesdays 17:00–19:00 at 路口乙, exactly two people of `unit`."""
    return duty(
        "每周三", "17:00", "19:00", area="路口乙", units=(unit,), min_people=2, max_people=2
    )


def make_plan(
    volunteers: list[Volunteer],
    duties: list[DutyRule],
    leave: tuple[Leave, ...] = (),
    **settings: Any,
) -> Plan:
    units = sorted({v.unit for v in volunteers} | {u for d in duties for u in d.units})
    return Plan(
        Settings(start=date(2021, 9, 27), end=date(2022, 12, 31), **settings),
        tuple(Unit(u) for u in units),
        tuple(volunteers),
        tuple(duties),
        leave,
    )


def part_of(
    plan: Plan,
    start: date = MONDAY,
    end: date = SUNDAY,
    previous: tuple[AssignmentRow, ...] = (),
    history: tuple[AssignmentRow, ...] = (),
    unit: str = "单位甲",
) -> Part:
    slots = resolve_units(expand(plan, start, end), choose_units(plan))
    mine = tuple(s for s in slots if s.units[0] == unit)
    return build_part(plan, unit, mine, Past.of(history), previous)


def run(
    part: Part,
    families: tuple[str, ...] | None = None,
    skip: frozenset[str] = frozenset(),
    **params: Any,
) -> PartResult:
    return solve_part(part, Params(workers=1, **params), families, skip)


def row(
    day: date, start: str, end: str, area: str, volunteer: str, kind: str = "包路口"
) -> AssignmentRow:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return AssignmentRow(day, h1 * 60 + m1, area, volunteer, h2 * 60 + m2, kind, "单位甲")


def roster(result: PartResult) -> set[tuple[str, str, str]]:
    """(slot date, start HH:MM, volunteer id) of every assignment."""
    return {
        (
            a.slot.date.isoformat(),
            f"{a.slot.start // 60:02d}:{a.slot.start % 60:02d}",
            a.volunteer.id,
        )
        for a in result.assignments
    }


def team(result: PartResult, day: date, area: str | None = None) -> list[str]:
    return sorted(
        a.volunteer.id
        for a in result.assignments
        if a.slot.date == day and (area is None or a.slot.area == area)
    )


def one_person_two_slots(start: str, **settings: Any) -> Part:
    """One volunteer; Wednesday 07:30–08:30 at one area and `start` for an hour at another."""
    end = f"{int(start[:2]) + 1:02d}{start[2:]}"
    plan = make_plan(
        people(1),
        [
            duty("每周三", "07:30", "08:30", area="路口甲"),
            duty("每周三", start, end, area="路口乙"),
        ],
        **settings,
    )
    return part_of(plan)


def small_unit() -> Part:
    """Six people, two of them leaders: a Wednesday intersection with a leader, a nightly park."""
    plan = make_plan(
        people(6, leaders=2),
        [
            duty("每周三", "07:30", "08:30", min_people=2, max_people=2, leader_required=True),
            duty("每天", "19:00", "20:00", area="公园甲", min_people=1, max_people=1),
        ],
    )
    return part_of(plan)
