"""One CP-SAT question: yes with the roster, no with the assumptions to blame, or unknown."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from solver.params import Params
from solver.question import Answer, ask
from solver.result import Proof


def _two_pairs() -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar]]:
    model = cp_model.CpModel()
    x = {(0, v): model.new_bool_var(f"x{v}") for v in range(2)}
    model.add_exactly_one(x.values())
    return model, x


def test_ask_returns_the_roster_when_the_answer_is_yes() -> None:
    model, x = _two_pairs()
    model.add(x[(0, 1)] == 1)
    answer = ask(model, x, Params(workers=1), limit=1.0)
    assert answer.yes and not answer.no and answer.verdict is True
    assert answer.values == {(0, 0): False, (0, 1): True}
    assert answer.chosen() == {(0, 1)}


def test_ask_says_no_and_names_the_assumptions_that_clash() -> None:
    model, x = _two_pairs()
    both = model.new_bool_var("both")
    model.add(sum(x.values()) == 2).only_enforce_if(both)
    model.add_assumptions([both])
    answer = ask(model, x, Params(workers=1), limit=1.0)
    assert answer.no and answer.proof is Proof.INFEASIBLE and answer.verdict is False
    assert answer.core == (both.index,)
    assert answer.values == {}


def test_ask_reports_the_objective_and_its_bound_when_minimizing() -> None:
    model, x = _two_pairs()
    model.minimize(3 * x[(0, 0)] + 5 * x[(0, 1)])
    answer = ask(model, x, Params(workers=1), limit=1.0)
    assert answer.proof is Proof.OPTIMAL
    assert answer.objective == pytest.approx(3) and answer.bound == pytest.approx(3)


def test_an_unanswered_question_proves_nothing() -> None:
    answer = Answer(Proof.UNKNOWN)
    assert answer.unknown and answer.verdict is None and not answer.chosen()
