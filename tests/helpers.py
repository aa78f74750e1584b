"""Small hand-made plans for tests that need one rule at a time."""

from __future__ import annotations

from datetime import date
from typing import Any

from roster.days import parse_days
from roster.model import CalendarDay, DutyRule, Plan, Settings, Unit, Volunteer


def rule(days: str = "每周三", start: str = "07:30", end: str = "08:30", **kw: Any) -> DutyRule:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    args: dict[str, Any] = {"kind": "包路口", "area": "路口甲", "units": ("单位甲",)}
    args.update(kw)
    return DutyRule(days=parse_days(days), start=h1 * 60 + m1, end=h2 * 60 + m2, **args)


def plan(
    *rules: DutyRule,
    start: date = date(2021, 9, 27),
    end: date = date(2022, 12, 31),
    calendar: tuple[CalendarDay, ...] = (),
    **settings: Any,
) -> Plan:
    return Plan(
        Settings(start=start, end=end, **settings),
        (Unit("单位甲"),),
        (Volunteer("V1", "测试甲", "单位甲", leader=True),),
        rules,
        calendar=calendar,
    )
