"""The LP relaxation refutes deviations that the sum conditions let through, and only those."""

from __future__ import annotations

from datetime import date

from roster.model import Volunteer
from solver import relax
from solver.bounds import sums_fit
from solver.fast import within
from solver.params import Params
from solver.parts import Part
from solver.rules import MODELLED, Rule
from tests.solver_helpers import duty, make_plan, part_of, people

MONDAY = date(2022, 6, 13)


def _part() -> Part:
    """Two leaders, six others, one week: a 4-hour community visit on Monday (two people, one a
    leader), a Wednesday intersection hour (two people, one a leader), an evening park hour."""
    plan = make_plan(
        people(8, leaders=2),
        [
            duty(
                "每周一",
                "08:30",
                "12:30",
                area="社区甲",
                min_people=2,
                max_people=2,
                leader_required=True,
            ),
            duty("每周三", "07:30", "08:30", min_people=2, max_people=2, leader_required=True),
            duty("每天", "19:00", "20:00", area="公园甲", min_people=1, max_people=1),
        ],
    )
    return part_of(plan, start=MONDAY, end=date(2022, 6, 19))


def _cp_sat_feasible(part: Part, bounds: list[tuple[int, int]]) -> bool | None:
    return within(part, bounds, Params(workers=1)).verdict


def test_lp_refutes_bounds_where_only_the_leaders_can_hold_the_visit() -> None:
    part = _part()
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    # Others may work at most 2 hours, so both visit seats go to the two leaders, who are then
    # full: nobody is left to lead the intersection. The sum conditions do not see it.
    bounds = [(60, 240) if v in leaders else (60, 120) for v in range(len(part.volunteers))]
    assert sums_fit(part, bounds)
    assert _cp_sat_feasible(part, bounds) is False
    assert relax.refutes(part, bounds)


def test_lp_counts_the_hours_of_whoever_holds_the_visit() -> None:
    part = _part()
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    # Anyone may take the visit, but the lower bounds (leaders 3 hours, others 2, the last one 1)
    # add up to the week's demand exactly: whoever takes the visit works 4 hours, more than their
    # bound, so the week runs short. Only the cut on the visit holder's load (not the plain
    # relaxation, not the sums) sees it.
    bounds = [(180, 240) if v in leaders else (120, 240) for v in range(7)] + [(60, 240)]
    assert sums_fit(part, bounds)
    assert _cp_sat_feasible(part, bounds) is False
    assert relax.refutes(part, bounds)


def test_lp_leaves_reachable_bounds_alone() -> None:
    part = _part()
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    # One other person may now take the visit's second seat.
    bounds = [(60, 240) if v in leaders or v == 7 else (60, 120) for v in range(8)]
    assert _cp_sat_feasible(part, bounds) is True
    assert not relax.refutes(part, bounds)


# Dropping one rule family: the relaxation refutes with it and stops refuting without it.


def _without(rule: Rule) -> tuple[Rule, ...]:
    return tuple(f for f in MODELLED if f != rule)


def _wide(part: Part) -> list[tuple[int, int]]:
    return [(0, 10**9)] * len(part.volunteers)


def _one_person(start: str, **settings: object) -> Part:
    end = f"{int(start[:2]) + 1:02d}{start[2:]}"
    plan = make_plan(
        people(1),
        [
            duty("每周三", "07:30", "08:30", area="路口甲"),
            duty("每周三", start, end, area="路口乙"),
        ],
        **settings,
    )
    return part_of(plan, start=MONDAY, end=date(2022, 6, 19))


def test_lp_refutes_one_person_on_two_overlapping_slots_only_with_no_overlap() -> None:
    part = _one_person("08:00")
    assert relax.refutes(part, _wide(part))
    assert not relax.refutes(part, _wide(part), _without(Rule.NO_OVERLAP))


def test_lp_refutes_one_person_over_the_daily_cap_only_with_daily_cap() -> None:
    part = _one_person("17:30", daily_cap_hours=1)
    assert relax.refutes(part, _wide(part))
    assert not relax.refutes(part, _wide(part), _without(Rule.DAILY_CAP))


def test_lp_refutes_one_person_over_their_weekly_cap_only_with_weekly_cap() -> None:
    vols = [Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1)]
    part = part_of(make_plan(vols, [duty("周一、周三", "07:30", "08:30")]))
    assert relax.refutes(part, _wide(part))
    assert not relax.refutes(part, _wide(part), _without(Rule.WEEKLY_CAP))


def test_lp_refutes_lower_bounds_beyond_the_demand_only_with_demand() -> None:
    plan = make_plan(people(2), [duty("每周三", "07:30", "08:30", min_people=1, max_people=2)])
    part = part_of(plan)
    bounds = [(60, 60), (60, 60)]  # two hours of load, one hour of demand
    assert relax.refutes(part, bounds)
    assert not relax.refutes(part, bounds, _without(Rule.DEMAND))


def test_lp_refutes_a_leaders_seat_no_leader_can_take_only_with_leader() -> None:
    plan = make_plan(people(2, leaders=1), [duty("每周三", "07:30", "08:30", leader_required=True)])
    part = part_of(plan)
    bounds = [(0, 0), (0, 60)]  # the leader may not work
    assert relax.refutes(part, bounds)
    assert not relax.refutes(part, bounds, _without(Rule.LEADER))
