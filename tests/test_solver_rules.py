"""Each hard rule and each objective term, on a tiny instance: it holds, and it matters.

Every test checks the behaviour with the full model, then solves again without the rule or term
(`families=` / `skip=`) and checks that the behaviour breaks: so each test fails if the rule is
ever dropped from the model.
"""

from __future__ import annotations

from datetime import date

from roster.model import Leave, Volunteer
from solver.rules import MODELLED

from .solver_helpers import MONDAY, duty, make_plan, part_of, people, roster, row, run, team

ALL = tuple(MODELLED)
WED = date(2022, 6, 15)


def without(name: str) -> tuple[str, ...]:
    return tuple(f for f in ALL if f != name)


def test_demand_staffs_each_slot_with_its_minimum() -> None:
    part = part_of(
        make_plan(people(4), [duty("每周三", "07:30", "08:30", min_people=3, max_people=3)])
    )
    assert len(team(run(part), WED)) == 3
    assert len(team(run(part, without("demand")), WED)) == 0


def test_unfilled_demand_term_is_minimized() -> None:
    part = part_of(
        make_plan(people(4), [duty("每周三", "07:30", "08:30", min_people=3, max_people=3)])
    )
    assert len(team(run(part, skip=frozenset({"demand"})), WED)) < 3


def test_at_most_the_maximum_headcount_even_if_the_previous_roster_had_more() -> None:
    plan = make_plan(people(3), [duty("每周三", "07:30", "08:30", min_people=1, max_people=2)])
    previous = tuple(row(WED, "07:30", "08:30", "路口甲", f"V{i}") for i in (1, 2, 3))
    part = part_of(plan, previous=previous)
    assert len(team(run(part), WED)) == 2
    assert len(team(run(part, without("max_headcount")), WED)) == 3


def test_a_slot_that_requires_a_leader_gets_one() -> None:
    plan = make_plan(
        people(4, leaders=1),
        [
            duty(
                "每周三",
                "07:30",
                "08:30",
                area="路口甲",
                min_people=2,
                max_people=2,
                leader_required=True,
            ),
            duty("每周三", "10:00", "11:00", area="路口乙", min_people=2, max_people=2),
        ],
    )
    # The previous roster put the only leader on the other duty: stability would keep it so.
    previous = (
        row(WED, "07:30", "08:30", "路口甲", "V2"),
        row(WED, "07:30", "08:30", "路口甲", "V3"),
        row(WED, "10:00", "11:00", "路口乙", "V1"),
        row(WED, "10:00", "11:00", "路口乙", "V4"),
    )
    part = part_of(plan, previous=previous)
    assert "V1" in team(run(part), WED, "路口甲")
    assert "V1" not in team(run(part, without("leader")), WED, "路口甲")


def test_nobody_holds_two_overlapping_slots() -> None:
    plan = make_plan(
        people(2),
        [
            duty("每周三", "07:30", "08:30", area="路口甲"),
            duty("每周三", "08:00", "09:00", area="路口乙"),
        ],
    )
    previous = (
        row(WED, "07:30", "08:30", "路口甲", "V1"),
        row(WED, "08:00", "09:00", "路口乙", "V1"),
    )
    part = part_of(plan, previous=previous)
    assert team(run(part), WED) == ["V1", "V2"]
    assert team(run(part, without("no_overlap")), WED) == ["V1", "V1"]


def test_travel_buffer_between_different_areas() -> None:
    duties = [
        duty("每周三", "07:30", "08:30", area="路口甲"),
        duty("每周三", "08:45", "09:45", area="路口乙"),
    ]
    previous = (
        row(WED, "07:30", "08:30", "路口甲", "V1"),
        row(WED, "08:45", "09:45", "路口乙", "V1"),
    )
    tight = part_of(make_plan(people(2), duties, travel_buffer_minutes=30), previous=previous)
    loose = part_of(make_plan(people(2), duties, travel_buffer_minutes=15), previous=previous)
    assert team(run(tight), WED) == ["V1", "V2"]  # 15 minutes is too little to travel
    assert team(run(loose), WED) == ["V1", "V1"]
    assert team(run(tight, without("no_overlap")), WED) == ["V1", "V1"]


def test_back_to_back_windows_at_the_same_area_need_no_buffer() -> None:
    plan = make_plan(
        people(2), [duty("每周三", "07:30", "08:30"), duty("每周三", "08:30", "09:30")]
    )
    previous = (
        row(WED, "07:30", "08:30", "路口甲", "V1"),
        row(WED, "08:30", "09:30", "路口甲", "V1"),
    )
    assert team(run(part_of(plan, previous=previous)), WED) == ["V1", "V1"]


def test_daily_cap() -> None:
    plan = make_plan(
        people(2),
        [
            duty("每周三", "07:30", "08:30", area="路口甲"),
            duty("每周三", "17:30", "18:30", area="路口乙"),
        ],
        daily_cap_hours=1,
    )
    previous = (
        row(WED, "07:30", "08:30", "路口甲", "V1"),
        row(WED, "17:30", "18:30", "路口乙", "V1"),
    )
    part = part_of(plan, previous=previous)
    assert team(run(part), WED) == ["V1", "V2"]
    assert team(run(part, without("daily_cap")), WED) == ["V1", "V1"]


def test_weekly_cap_per_person() -> None:
    vols = [Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1), Volunteer("V2", "乙", "单位甲")]
    plan = make_plan(vols, [duty("周一、周三", "07:30", "08:30")])
    previous = (
        row(MONDAY, "07:30", "08:30", "路口甲", "V1"),
        row(WED, "07:30", "08:30", "路口甲", "V1"),
    )
    part = part_of(plan, previous=previous)
    assert sorted(v for _, _, v in roster(run(part))) == ["V1", "V2"]
    assert sorted(v for _, _, v in roster(run(part, without("weekly_cap")))) == ["V1", "V1"]


def test_nobody_on_leave_or_on_a_weekday_they_cannot_do() -> None:
    vols = [
        Volunteer("V1", "甲", "单位甲"),
        Volunteer("V2", "乙", "单位甲", unavailable=frozenset({2})),
        Volunteer("V3", "丙", "单位甲"),
    ]
    plan = make_plan(
        vols,
        [duty("每周三", "07:30", "08:30", min_people=2, max_people=2)],
        leave=(Leave("V3", WED, WED, "病假"),),
    )
    result = run(part_of(plan))
    assert team(result, WED) == ["V1"]
    (gap,) = result.shortfalls
    assert "1 on leave: 丙 (病假)" in gap.reason and "1 cannot do 周三: 乙" in gap.reason


def test_only_volunteers_of_the_responsible_unit() -> None:
    vols = people(2) + people(3, unit="单位乙", prefix="W")
    plan = make_plan(vols, [duty("每周三", "07:30", "08:30", min_people=2, max_people=2)])
    result = run(part_of(plan))
    assert {a.volunteer.unit for a in result.assignments} == {"单位甲"}


def test_extras_term_staffs_no_one_beyond_the_minimum() -> None:
    plan = make_plan(people(3), [duty("每周三", "07:30", "08:30", min_people=1, max_people=3)])
    part = part_of(plan)
    assert len(team(run(part), WED)) == 1
    # Without it, evening out the hours would put all three on the slot.
    assert len(team(run(part, skip=frozenset({"extras"})), WED)) == 3


def test_fairness_spreads_hours_evenly() -> None:
    plan = make_plan(people(4), [duty("周一至周四", "07:30", "08:30")])
    part = part_of(plan)
    hours = sorted(h.minutes for h in run(part).hours)
    assert hours == [60, 60, 60, 60]
    # Without it, continuity alone gives every slot to one person.
    unfair = sorted(h.minutes for h in run(part, skip=frozenset({"fairness", "spread"})).hours)
    assert unfair[-1] > 60


def test_fair_share_follows_availability() -> None:
    plan = make_plan(
        people(3),
        [duty("每天", "19:00", "20:00")],
        leave=(Leave("V3", date(2022, 6, 13), date(2022, 6, 16), "事假"),),
    )
    result = run(part_of(plan))
    hours = {h.volunteer.id: h.minutes // 60 for h in result.hours}
    # 7 hours; V3 is away 4 of 7 days: shares 3.0, 3.0, 1.0.
    assert hours == {"V1": 3, "V2": 3, "V3": 1}


def test_continuity_keeps_the_same_people_on_the_same_area() -> None:
    areas = ["甲", "乙", "丙", "丁"]
    plan = make_plan(
        people(4),
        [duty("每周三", "07:30", "08:30", area=a) for a in areas],
        travel_buffer_minutes=0,
    )
    part = part_of(plan, start=date(2022, 6, 13), end=date(2022, 7, 10))

    def pairs(result) -> int:
        return len({(a.volunteer.id, a.slot.area) for a in result.assignments})

    assert pairs(run(part)) == 4
    assert pairs(run(part, skip=frozenset({"continuity"}))) > 4


def test_an_area_with_candidate_units_goes_to_the_one_with_people_to_spare() -> None:
    from solver.units import choose_units

    vols = people(2, unit="单位甲") + people(10, unit="单位乙", prefix="W")
    plan = make_plan(
        vols,
        [
            duty("每天", "19:00", "20:00", area="公园甲", units=("单位甲",)),
            duty("每天", "09:00", "10:00", area="公园乙", units=("单位甲", "单位乙")),
        ],
    )
    chosen = choose_units(plan)
    assert chosen[("包路口", "公园乙")] == "单位乙"
    assert chosen[("包路口", "公园甲")] == "单位甲"
