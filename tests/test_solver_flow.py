"""The min-cost flow obeys each rule family it is given and breaks it when the family is dropped
(`families=`): so each test fails if the flow stops reading that family from `solver.rules`."""

from __future__ import annotations

from datetime import date

from roster.model import Leave, Volunteer
from solver import flow
from solver.params import Tuning
from solver.parts import Part
from solver.rules import MODELLED, Rule, check
from tests.solver_helpers import duty, make_plan, one_person_two_slots, part_of, people

WED = date(2022, 6, 15)


def without(rule: Rule) -> tuple[Rule, ...]:
    return tuple(f for f in MODELLED if f != rule)


def wide(part: Part) -> list[tuple[int, int]]:
    return [(0, 10**9)] * len(part.volunteers)


def test_flow_gives_nobody_two_overlapping_slots() -> None:
    part = one_person_two_slots("08:00")
    assert flow.roster(part, wide(part)) is None


def test_flow_without_no_overlap_puts_one_person_on_two_overlapping_slots() -> None:
    part = one_person_two_slots("08:00")
    chosen = flow.roster(part, wide(part), families=without(Rule.NO_OVERLAP))
    assert chosen == {(0, 0), (1, 0)}
    assert [v.rule for v in check(part, chosen)] == [Rule.NO_OVERLAP]


def test_flow_keeps_everyone_within_the_daily_cap() -> None:
    part = one_person_two_slots("17:30", daily_cap_hours=1)
    assert flow.roster(part, wide(part)) is None


def test_flow_without_daily_cap_puts_one_person_over_the_daily_cap() -> None:
    part = one_person_two_slots("17:30", daily_cap_hours=1)
    chosen = flow.roster(part, wide(part), families=without(Rule.DAILY_CAP))
    assert chosen == {(0, 0), (1, 0)}
    assert [v.rule for v in check(part, chosen)] == [Rule.DAILY_CAP]


def test_flow_without_daily_cap_puts_a_long_duty_over_the_daily_cap() -> None:
    plan = make_plan(
        people(1),
        [
            duty("每周三", "08:30", "12:30", area="社区甲"),
            duty("每周三", "19:00", "20:00", area="公园甲"),
            duty("每周四", "19:00", "20:00", area="公园甲"),
        ],
        daily_cap_hours=4,
    )
    part = part_of(plan)
    assert flow.roster(part, wide(part)) is None
    chosen = flow.roster(part, wide(part), families=without(Rule.DAILY_CAP))
    assert chosen is not None and [v.rule for v in check(part, chosen)] == [Rule.DAILY_CAP]


def weekly_capped() -> Part:
    vols = [Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1)]
    return part_of(make_plan(vols, [duty("周一、周三", "07:30", "08:30")]))


def test_flow_keeps_everyone_within_their_weekly_cap() -> None:
    part = weekly_capped()
    assert flow.roster(part, wide(part)) is None


def test_flow_without_weekly_cap_puts_one_person_over_their_weekly_cap() -> None:
    part = weekly_capped()
    chosen = flow.roster(part, wide(part), families=without(Rule.WEEKLY_CAP))
    assert chosen == {(0, 0), (1, 0)}
    assert [v.rule for v in check(part, chosen)] == [Rule.WEEKLY_CAP]


def leader_away() -> Part:
    plan = make_plan(
        people(2, leaders=1),
        [duty("每周三", "07:30", "08:30", leader_required=True)],
        leave=(Leave("V1", WED, WED, "事假"),),
    )
    return part_of(plan)


def test_flow_fills_a_leaders_seat_only_with_a_leader() -> None:
    part = leader_away()
    assert flow.roster(part, wide(part)) is None


def test_flow_without_leader_fills_the_leaders_seat_with_anyone() -> None:
    part = leader_away()
    assert flow.roster(part, wide(part), families=without(Rule.LEADER)) == {(0, 1)}


def test_flow_continuity_gives_a_tie_to_who_served_the_area_before() -> None:
    from tests.solver_helpers import row

    plan = make_plan(people(2), [duty("每周三", "07:30", "08:30", area="路口乙")])
    # Equal hours so far; only V2 served this area.
    history = (
        row(date(2022, 6, 8), "07:30", "08:30", "路口甲", "V1"),
        row(date(2022, 6, 8), "07:30", "08:30", "路口乙", "V2"),
    )
    part = part_of(plan, history=history)
    assert flow.roster(part, wide(part), tuning=Tuning(familiar=3)) == {(0, 1)}


def test_flow_continuity_never_outweighs_a_larger_share_of_the_hours() -> None:
    from tests.solver_helpers import row

    plan = make_plan(people(2), [duty("每周三", "07:30", "08:30", area="路口乙")])
    history = (row(date(2022, 6, 8), "07:30", "08:30", "路口乙", "V2"),)
    part = part_of(plan, history=history)
    # V2 served the area before, but has an hour more: however large the discount, V1 goes.
    for familiar in (0, 3, 100):
        assert flow.roster(part, wide(part), tuning=Tuning(familiar=familiar)) == {(0, 0)}


def test_flow_tries_another_slot_length_when_the_most_common_one_leaves_a_load_out_of_bounds() -> (
    None
):
    plan = make_plan(
        people(2, leaders=2),
        [
            duty(day, "08:30", "12:30", area="社区甲", kind="联社区", leader_required=True)
            for day in ("每周一", "每周二", "每周四")
        ]
        + [duty("每周三", "07:30", "08:30", leader_required=True)],
        weekly_cap_hours=12,
    )
    part = part_of(plan)
    bounds = [(480, 480), (300, 300)]
    # Visits through the flow, the window first to V1: V1 is then an hour off any load of 8 h.
    assert flow._roster(part, 240, bounds, (), Tuning(), MODELLED) is None
    chosen = flow.roster(part, bounds)
    assert chosen is not None and part.loads(chosen) == [480, 300] and not check(part, chosen)
