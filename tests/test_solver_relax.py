"""The LP relaxation refutes deviations that the sum conditions let through, and only those."""

from __future__ import annotations

from datetime import date

from solver import relax
from solver.bounds import sums_fit
from solver.fast import within
from solver.params import Params
from solver.parts import Part
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
