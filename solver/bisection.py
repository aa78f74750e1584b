"""Yes/no questions over sorted candidates: the smallest "yes", and what the "no"s prove.

Fairness, spread and the fast path all look for the smallest candidate value (a deviation, a
spread) for which a roster exists. The question is monotone (a larger value only allows more
rosters), so a "no" at one index refutes every index below it, and the smallest index not refuted
is a lower bound on the optimum. Unanswered questions ("not found in time") prove nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Question = Callable[[int], bool | None]  # True: yes; False: proven no; None: not answered


def smallest_feasible(count: int, feasible: Question) -> tuple[int | None, set[int]]:
    """Smallest index i in [0, count) with feasible(i), for a monotone yes/no question.

    Gallops up (0, 1, 3, 7, …), then bisects between the last "no" and the first "yes". Returns
    the index (None if no "yes") and the indices proven "no" (feasible(i) reports them by
    returning None instead of False when the answer was only "not found in time").
    """
    refuted: set[int] = set()

    def ask(i: int) -> bool:
        answer = feasible(i)
        if answer is False:
            refuted.add(i)
        return bool(answer)

    best: int | None = None
    low, probe, step = 0, 0, 1
    while probe < count:
        if ask(probe):
            best = probe
            break
        low, probe, step = probe + 1, probe + step, step * 2
    if best is None and low < count and ask(count - 1):
        best = count - 1
    if best is not None:
        a, b = low, best - 1
        while a <= b:
            mid = (a + b) // 2
            if ask(mid):
                best, b = mid, mid - 1
            else:
                a = mid + 1
    return best, refuted


@dataclass(frozen=True)
class Bisection:
    """The outcome of `bisect`, in indices of the candidates.

    - `best`: the smallest index answered "yes" (None if none was).
    - `bound`: the smallest index the "no"s leave open, a lower bound on the optimum's index:
      `best` (or `count` when there is no "yes") once everything below it is refuted, else one
      above the largest refuted index, else 0 (nothing refuted: the caller's own bound stands).
    - `proven`: everything below `best` (or below `count`) is refuted, so `bound` is exact.
    """

    best: int | None
    bound: int
    proven: bool


def bisect(count: int, feasible: Question) -> Bisection:
    """Ask `feasible` over indices [0, count) as `smallest_feasible` does and settle the bound.

    Index `count` stands for whatever the caller holds beyond the candidates (the flow's roster,
    the roster in hand): with no "yes", `proven` says that all the candidates were refuted.
    """
    best, refuted = smallest_feasible(count, feasible)
    top = count if best is None else best
    proven = top == 0 or top - 1 in refuted
    bound = top if proven else min(max(refuted) + 1, top) if refuted else 0
    return Bisection(best, bound, proven)
