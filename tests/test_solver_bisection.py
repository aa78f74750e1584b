"""Yes/no questions over sorted candidates: which are asked, and what the answers prove."""

from __future__ import annotations

from solver.bisection import Bisection, bisect, smallest_feasible


def _answers(yes_from: int, unanswered: frozenset[int] = frozenset()):
    """A monotone question: "no" below `yes_from`, "yes" from it on, None where unanswered; the
    indices asked are recorded in order."""
    asked: list[int] = []

    def feasible(i: int) -> bool | None:
        asked.append(i)
        if i in unanswered:
            return None
        return i >= yes_from

    return feasible, asked


def test_smallest_feasible_gallops_up_then_bisects_back() -> None:
    feasible, asked = _answers(5)
    best, refuted = smallest_feasible(20, feasible)
    assert best == 5
    assert asked == [0, 1, 3, 7, 5, 4]
    assert refuted == {0, 1, 3, 4}


def test_smallest_feasible_asks_the_last_candidate_when_the_gallop_overshoots() -> None:
    feasible, asked = _answers(9)
    best, _ = smallest_feasible(10, feasible)
    assert best == 9
    assert asked[:5] == [0, 1, 3, 7, 9]


def test_bisection_reports_the_bound_as_proven_when_the_candidate_below_was_refuted() -> None:
    feasible, _ = _answers(5)
    assert bisect(20, feasible) == Bisection(best=5, bound=5, proven=True)


def test_bisection_proves_the_first_candidate_without_any_refusal() -> None:
    feasible, _ = _answers(0)
    assert bisect(20, feasible) == Bisection(best=0, bound=0, proven=True)


def test_bisection_bound_is_one_above_the_last_refusal_when_the_one_below_is_unanswered() -> None:
    feasible, _ = _answers(5, unanswered=frozenset({4}))
    assert bisect(20, feasible) == Bisection(best=5, bound=4, proven=False)


def test_bisection_bound_is_zero_when_nothing_was_refuted() -> None:
    feasible, _ = _answers(5, unanswered=frozenset(range(5)))
    assert bisect(20, feasible) == Bisection(best=5, bound=0, proven=False)


def test_bisection_without_a_yes_is_proven_only_when_every_candidate_was_refuted() -> None:
    feasible, _ = _answers(99)
    assert bisect(6, feasible) == Bisection(best=None, bound=6, proven=True)
    feasible, _ = _answers(99, unanswered=frozenset({5}))
    assert bisect(6, feasible) == Bisection(best=None, bound=4, proven=False)


def test_bisection_over_no_candidates_asks_nothing() -> None:
    feasible, asked = _answers(0)
    assert bisect(0, feasible) == Bisection(best=None, bound=0, proven=True)
    assert asked == []
