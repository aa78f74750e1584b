"""The flow fast path: its rosters obey every rule, and what it proves matches the CP-SAT search."""

from __future__ import annotations

from datetime import date

import pytest

from solver import rules
from solver.fast import fast_roster
from solver.params import Params
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
