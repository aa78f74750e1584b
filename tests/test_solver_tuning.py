"""The engines read their tunables from `Params.tuning`, not from constants of their own."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from solver import fast, search, units
from solver.fast import fast_roster
from solver.model import build
from solver.params import Params, Tuning
from solver.question import Answer
from solver.result import Proof
from tests.solver_helpers import duty, make_plan, people, small_unit


def test_the_flow_tries_as_many_candidates_as_tuned() -> None:
    part = small_unit()
    assert fast_roster(part, Params(workers=1)) is not None
    assert fast_roster(part, Params(workers=1, tuning=Tuning(flow_tries=0))) is None


def test_tie_breaker_questions_get_the_tuned_budget() -> None:
    part = small_unit()
    tuned = search.Search(part, Params(workers=1, tuning=Tuning(tie_limit=0.25)), build(part))
    assert tuned.tie_limit == 0.25
    capped = search.Search(part, Params(workers=1, time_limit=0.1), build(part))
    assert capped.tie_limit == 0.1  # never more than the stage's own limit


def test_fast_path_questions_get_the_tuned_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    limits: list[float] = []

    def recording(model, x, params, limit, linearization=1) -> Answer:
        limits.append(limit)
        return Answer(Proof.UNKNOWN)

    monkeypatch.setattr(fast, "ask", recording)
    part = small_unit()
    bounds = [(0, 10**6)] * len(part.volunteers)
    fast.within(part, bounds, Params(workers=1, tuning=Tuning(refute_limit=0.3)))
    fast.within(part, bounds, Params(workers=1, time_limit=0.2))
    assert limits == [0.3, 0.2]


def test_the_unit_choice_gets_the_tuned_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = make_plan(
        [*people(2, unit="单位甲"), *people(2, unit="单位乙", prefix="W")],
        [duty("每天", "07:30", "08:30", units=("单位甲", "单位乙"))],
    )
    budgets: list[float] = []
    real = cp_model.CpSolver

    class Recording(real):
        def solve(self, model, *args, **kwargs):
            budgets.append(self.parameters.max_deterministic_time)
            return super().solve(model, *args, **kwargs)

    monkeypatch.setattr(cp_model, "CpSolver", Recording)
    units.choose_units(plan, Tuning(unit_choice_limit=2.5))
    assert budgets == [2.5]
