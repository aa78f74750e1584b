"""The explanations of a shortfall name who the per-person rules kept off the slot, read from the
same limits as the engines: without a family (`families=`), its reason disappears."""

from __future__ import annotations

from datetime import date

from roster.model import Leave, Volunteer
from solver import explain, refute
from solver.parts import Part
from solver.rules import LIMITED, Rule
from tests.solver_helpers import duty, make_plan, one_person_two_slots, part_of


def _without(rule: Rule) -> tuple[Rule, ...]:
    return tuple(f for f in LIMITED if f != rule)


def _reason(part: Part, families: tuple[Rule, ...] = LIMITED) -> str:
    """The reason the second slot is short, with its only candidate on the first slot."""
    (gap,) = explain.shortfalls(part, {0: [0]}, families)
    assert gap.slot == part.slots[1]
    return gap.reason


def test_shortfall_names_the_person_on_an_overlapping_duty() -> None:
    part = one_person_two_slots("08:00")
    assert "1 on overlapping duties: 志愿者V1" in _reason(part)
    assert "overlapping" not in _reason(part, _without(Rule.NO_OVERLAP))


def test_shortfall_names_the_person_at_the_daily_cap() -> None:
    part = one_person_two_slots("17:30", daily_cap_hours=1)
    assert "1 at their daily or weekly cap: 志愿者V1" in _reason(part)
    assert "cap" not in _reason(part, _without(Rule.DAILY_CAP))


def test_shortfall_names_the_person_at_their_weekly_cap() -> None:
    vols = [Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1)]
    part = part_of(make_plan(vols, [duty("周一、周三", "07:30", "08:30")]))
    assert "1 at their daily or weekly cap: 甲" in _reason(part)
    assert "cap" not in _reason(part, _without(Rule.WEEKLY_CAP))


def test_counting_conflict_names_whose_caps_and_which_leave_leave_too_few_hours() -> None:
    vols = [
        Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1.0),
        Volunteer("V2", "乙", "单位甲", weekly_cap_hours=1.5),
        Volunteer("V3", "丙", "单位甲"),
        Volunteer("V4", "丁", "单位甲", unavailable=frozenset({0, 1, 2, 3, 4})),
    ]
    away = Leave("V3", date(2022, 6, 13), date(2022, 6, 19), "事假")
    part = part_of(make_plan(vols, [duty("每周一至周五", "19:00", "20:00")], (away,)))
    (text,) = explain.counting_conflicts(part, refute.shortages(part))
    assert text == (
        "单位甲 needs 5 h of duty in the week of 2022-06-13 but its 4 volunteers can give at most "
        "2 h: weekly cap of 1 h for 甲; weekly cap of 1.5 h for 乙; on leave: 丙 (事假, "
        "2022-06-13 to 2022-06-19); cannot do 周一、周二、周三、周四、周五: 丁"
    )
