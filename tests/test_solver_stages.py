"""The objective's priority order drives the stages, and only the primary terms decide a status."""

from __future__ import annotations

from solver import objective, search
from solver.lexicographic import status_of
from solver.result import Proof, Stage, Status, Term
from solver.rules import MODELLED
from tests.solver_helpers import run, small_unit

ALL = tuple(str(rule) for rule in MODELLED)


def test_every_term_of_the_priority_order_has_a_stage() -> None:
    assert set(search.STAGES) == set(objective.PRIORITY) == set(Term)


def test_primary_terms_are_the_priority_order_without_the_tie_breakers() -> None:
    assert objective.PRIMARY == (Term.DEMAND, Term.STABILITY, Term.EXTRAS, Term.FAIRNESS)
    assert objective.PRIORITY[-len(objective.TIE_BREAKERS) :] == objective.TIE_BREAKERS


def test_the_staged_search_reports_its_stages_in_priority_order() -> None:
    result = run(small_unit(), families=ALL)  # the CP-SAT stages, no fast path
    names = [s.name for s in result.stages]
    # Stability only runs when re-planning.
    assert names == [t for t in objective.PRIORITY if t is not Term.STABILITY]
    assert all(isinstance(s.status, Proof) for s in result.stages)


def test_the_fast_path_reports_its_stages_in_priority_order() -> None:
    result = run(small_unit())
    names = [s.name for s in result.stages]
    assert names == sorted(names, key=objective.PRIORITY.index)
    assert Term.FAIRNESS in names


def test_a_skipped_term_is_left_out_of_the_stages() -> None:
    result = run(small_unit(), skip=frozenset({"extras", "spread"}))
    names = {s.name for s in result.stages}
    assert "extras" not in names and "spread" not in names and "fairness" in names


def test_stage_names_and_statuses_still_compare_as_plain_strings() -> None:
    stage = Stage(Term.FAIRNESS, Proof.OPTIMAL, 1.0, 1.0, 0.0)
    assert stage.name == "fairness" and stage.status == "OPTIMAL"
    assert f"{stage.name}: {stage.status}" == "fairness: OPTIMAL"


def test_status_is_decided_by_the_primary_terms_only() -> None:
    def stage(term: Term, proof: Proof) -> Stage:
        return Stage(term, proof, 1.0, 0.0, 0.0)

    tie_open = [stage(Term.FAIRNESS, Proof.OPTIMAL), stage(Term.SPREAD, Proof.FEASIBLE)]
    assert status_of(tie_open) is Status.OPTIMAL
    fairness_open = [stage(Term.FAIRNESS, Proof.FEASIBLE), stage(Term.SPREAD, Proof.OPTIMAL)]
    assert status_of(fairness_open) is Status.FEASIBLE
