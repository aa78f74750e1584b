"""The roster checker: each hard rule family it is asked for is reported, by slot, person and rule,
and a family left out is not (so each test fails if the checker stops reading that family)."""

from __future__ import annotations

from datetime import date

import pytest

from roster.model import Leave, Volunteer
from solver.parts import Part
from solver.rules import ALL, HARD, Rule, Violation, check, unfilled
from tests.solver_helpers import MONDAY, duty, make_plan, part_of, people

WED = date(2022, 6, 15)


def without(rule: Rule) -> tuple[Rule, ...]:
    return tuple(f for f in HARD if f != rule)


def two_slots(n: int = 2, a: str = "07:30", b: str = "08:00", **settings: object) -> Part:
    """Two one-hour Wednesday slots at two areas, starting at `a` and `b`."""
    plan = make_plan(
        people(n),
        [
            duty("每周三", a, f"{int(a[:2]) + 1:02d}{a[2:]}", area="路口甲"),
            duty("每周三", b, f"{int(b[:2]) + 1:02d}{b[2:]}", area="路口乙"),
        ],
        **settings,
    )
    return part_of(plan)


def test_a_valid_roster_has_no_violations() -> None:
    part = two_slots()
    assert check(part, {(0, 0), (1, 1)}) == []


def test_checker_names_the_slot_the_person_and_the_overlap() -> None:
    part = two_slots()
    (found,) = check(part, {(0, 0), (1, 0)})
    assert (found.rule, found.slot, found.volunteer) == (Rule.NO_OVERLAP, 1, 0)
    assert "志愿者V1 (V1)" in found.text and "2022-06-15 08:00" in found.text
    assert "overlaps" in found.text
    assert check(part, {(0, 0), (1, 0)}, without(Rule.NO_OVERLAP)) == []


def test_checker_names_a_travel_buffer_too_short_between_areas() -> None:
    part = two_slots(a="07:30", b="08:45", travel_buffer_minutes=30)
    assert [v.rule for v in check(part, {(0, 0), (1, 0)})] == [Rule.NO_OVERLAP]
    loose = two_slots(a="07:30", b="08:45", travel_buffer_minutes=15)
    assert check(loose, {(0, 0), (1, 0)}) == []


def test_checker_names_the_slot_the_person_and_the_daily_cap() -> None:
    part = two_slots(a="07:30", b="17:30", daily_cap_hours=1)
    (found,) = check(part, {(0, 0), (1, 0)})
    assert (found.rule, found.slot, found.volunteer) == (Rule.DAILY_CAP, 1, 0)
    assert "120 minutes on 2022-06-15" in found.text and "daily cap of 60" in found.text
    assert check(part, {(0, 0), (1, 0)}, without(Rule.DAILY_CAP)) == []


def test_checker_names_the_slot_the_person_and_the_weekly_cap() -> None:
    vols = [Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1), Volunteer("V2", "乙", "单位甲")]
    part = part_of(make_plan(vols, [duty("周一、周三", "07:30", "08:30")]))
    assert [s.date for s in part.slots] == [MONDAY, WED]
    (found,) = check(part, {(0, 0), (1, 0)})
    assert (found.rule, found.slot, found.volunteer) == (Rule.WEEKLY_CAP, 1, 0)
    assert "week of 2022-06-13" in found.text and "weekly cap of 60" in found.text
    assert check(part, {(0, 1), (1, 1)}) == []  # V2 has no cap of their own
    assert check(part, {(0, 0), (1, 0)}, without(Rule.WEEKLY_CAP)) == []


def test_checker_names_the_slot_over_its_maximum_headcount() -> None:
    plan = make_plan(people(3), [duty("每周三", "07:30", "08:30", min_people=1, max_people=2)])
    part = part_of(plan)
    (found,) = check(part, {(0, 0), (0, 1), (0, 2)})
    assert (found.rule, found.slot, found.volunteer) == (Rule.MAX_HEADCOUNT, 0, None)
    assert "3 people, more than its maximum of 2" in found.text
    assert check(part, {(0, 0), (0, 1), (0, 2)}, without(Rule.MAX_HEADCOUNT)) == []


def test_checker_names_a_person_on_leave_or_on_a_weekday_they_cannot_do() -> None:
    vols = [
        Volunteer("V1", "甲", "单位甲"),
        Volunteer("V2", "乙", "单位甲", unavailable=frozenset({2})),
        Volunteer("V3", "丙", "单位甲"),
    ]
    plan = make_plan(
        vols,
        [duty("每周三", "07:30", "08:30", min_people=1, max_people=3)],
        leave=(Leave("V3", WED, WED, "病假"),),
    )
    part = part_of(plan)
    found = check(part, {(0, 0), (0, 1), (0, 2)})
    assert [(v.rule, v.slot, v.volunteer) for v in found] == [
        (Rule.ELIGIBILITY, 0, 1),
        (Rule.ELIGIBILITY, 0, 2),
    ]
    assert "乙 (V2) cannot do 周三" in found[0].text
    assert "丙 (V3) is on leave (病假)" in found[1].text
    assert check(part, {(0, 0), (0, 1), (0, 2)}, without(Rule.ELIGIBILITY)) == []


def test_demand_and_leader_are_reported_only_when_asked_for() -> None:
    plan = make_plan(
        people(3, leaders=1),
        [duty("每周三", "07:30", "08:30", min_people=2, max_people=2, leader_required=True)],
    )
    part = part_of(plan)
    assert check(part, {(0, 1)}) == []
    found = check(part, {(0, 1)}, ALL)
    assert [v.rule for v in found] == [Rule.DEMAND, Rule.LEADER]
    assert "1 people, fewer than its minimum of 2" in found[0].text
    assert unfilled(part, {(0, 1)}) == 2
    assert unfilled(part, {(0, 0), (0, 1)}) == 0


def test_checker_refuses_pairs_outside_the_part() -> None:
    with pytest.raises(ValueError, match="not a"):
        check(two_slots(), {(0, 5)})


def test_violations_are_plain_frozen_records() -> None:
    (found,) = check(two_slots(), [(0, 0), (1, 0), (1, 0)])  # duplicates count once
    assert isinstance(found, Violation)
    with pytest.raises(AttributeError):
        found.text = ""  # type: ignore[misc]
