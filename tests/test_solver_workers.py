"""Parts solved in worker processes come back as the same roster as solved in this one."""

from __future__ import annotations

import multiprocessing

import pytest

from solver.params import Params
from solver.result import Result
from solver.solve import solve
from tests.solver_helpers import MONDAY, SUNDAY, duty, make_plan, pair_duty, people


def _plan():
    """Two units; the second has one person for a duty of two, so its part has a shortfall."""
    return make_plan(
        [*people(3, leaders=1), *people(1, unit="单位乙", prefix="W")],
        [
            duty("每天", "07:30", "08:30", leader_required=True),
            pair_duty(),
        ],
    )


def _roster(result: Result) -> list[tuple]:
    return [
        (p.unit, p.status, p.assignments, p.hours, p.shortfalls, p.forced_excess)
        for p in result.parts
    ]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_return_the_roster_one_process_finds(
    monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    plan = _plan()
    alone = solve(plan, MONDAY, SUNDAY, Params(workers=1))
    # Told the workers start afresh, the parts travel pickled instead of being inherited.
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda: start_method)
    together = solve(plan, MONDAY, SUNDAY, Params(workers=2))
    assert any(p.shortfalls for p in alone.parts) and all(p.assignments for p in alone.parts)
    assert _roster(together) == _roster(alone)
