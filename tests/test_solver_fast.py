"""The flow fast path: its rosters obey every rule, and what it proves matches the CP-SAT search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from application.rows import assignment_rows
from roster.model import Leave, Plan
from solver import PartResult, Status, rules, stability
from solver.fast import fast_roster
from solver.lexicographic import solve_part
from solver.params import Params
from solver.parts import Part
from solver.prepare import make_parts
from solver.result import Proof, Term
from solver.solve import solve
from tests.solver_helpers import duty, make_plan, part_of, people, run

ALL = tuple(rules.MODELLED)


def _fairness(result) -> float:
    (stage,) = [s for s in result.stages if s.name == "fairness"]
    return stage.objective


@pytest.mark.parametrize("leaders", [2, 4])
def test_fast_path_reaches_the_same_proven_fairness_as_the_cp_sat_search(leaders: int) -> None:
    plan = make_plan(
        people(12, leaders=leaders),
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
            duty("每周三", "07:30", "08:30", min_people=4, max_people=4, leader_required=True),
            duty("每天", "19:00", "20:00", area="公园甲", min_people=2, max_people=2),
        ],
    )
    part = part_of(plan, start=date(2022, 6, 13), end=date(2022, 7, 10))
    found = fast_roster(part, Params(workers=1))
    assert found is not None
    chosen, _, _ = found
    assert not rules.check(part, chosen) and rules.unfilled(part, chosen) == 0
    fast = run(part)
    searched = run(part, families=ALL)  # the staged CP-SAT search, no fast path
    assert fast.status.value == searched.status.value == "optimal"
    assert _fairness(fast) == pytest.approx(_fairness(searched))


def _replanned(sample_plan: Plan) -> tuple[Part, PartResult]:
    """The sample's week of 2022-06-13 re-planned after the first person of Wednesday's
    intersection falls ill that day: their unit's part and its result."""
    week = (date(2022, 6, 13), date(2022, 6, 19))
    day = date(2022, 6, 15)
    first = solve(sample_plan, *week, Params())
    sick = next(
        a.volunteer for a in first.assignments if a.slot.date == day and a.slot.kind == "包路口"
    )
    ill = replace(sample_plan, leave=(*sample_plan.leave, Leave(sick.id, day, day, "病假")))
    params = Params(workers=1, previous=assignment_rows(first))
    _, parts, _ = make_parts(ill, *week, params)
    (part,) = [p for p in parts if p.unit == sick.unit]
    return part, solve_part(part, params)


def test_replan_reports_the_fairness_bound_among_the_fewest_changes_not_zero(
    sample_plan: Plan,
) -> None:
    part, result = _replanned(sample_plan)
    kept = stability.valid(part)
    stages = {s.name: s for s in result.stages}
    assert stages[Term.STABILITY].objective == stability.least_changes(part, kept) > 0
    expected = stability.fairness_bound(part, kept) / 60
    fairness = stages[Term.FAIRNESS]
    assert expected > 0
    assert fairness.bound == pytest.approx(expected)
    assert fairness.bound <= fairness.objective + 1e-9
    # "optimal" only when the roster reaches the bound
    assert (fairness.status is Proof.OPTIMAL) == (fairness.gap < 1e-6)
    assert (result.status is Status.OPTIMAL) == (fairness.status is Proof.OPTIMAL)
