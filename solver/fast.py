"""The fast path of one part: a flow roster checked against bounds computed before any search.

1. Fairness: the lower bound on the largest deviation (`fairness_bounds`, valid once every seat is
   filled) gives the smallest candidate D. If the flow fills every seat with every load within D of
   the fair share, demand (0 missing) and fairness (D equals its lower bound) are proven optimal
   with no CP-SAT search at all.
   When the flow succeeds only at a larger candidate, the LP relaxation of `solver.relax` refutes
   the smaller ones it can, and CP-SAT yes/no questions settle any left in between.
2. Re-planning (`--previous`): every previous pair that is still valid is kept and only the seats
   it leaves empty are refilled. Changes can be no fewer than the pairs that became invalid plus
   the seats left empty, so reaching that count proves stability optimal.

Spread and continuity are tie-breakers: their values and lower bounds are reported. Anything the
fast path cannot prove returns None, and the part goes to the staged CP-SAT search.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from typing import NamedTuple

from solver import flow, relax, rules, stability
from solver.bisection import bisect as bisect_candidates
from solver.bounds import (
    EPS,
    Bounds,
    fairness_bounds,
    load_bounds,
    max_deviation,
    spread_candidates,
    spread_of,
    sums_fit,
)
from solver.model import build
from solver.params import Params, Tuning
from solver.parts import Part
from solver.question import Answer, ask
from solver.result import Proof, Stage, Term

Pairs = set[tuple[int, int]]


class Found(NamedTuple):
    """The fast path's roster, its stages, and the fairness load bounds when they are proven
    optimal (the tie-breakers may then search within them), else None."""

    chosen: Pairs
    stages: list[Stage]
    bounds: Bounds | None


def _proof(proven: bool) -> Proof:
    return Proof.OPTIMAL if proven else Proof.FEASIBLE


def fast_roster(part: Part, params: Params) -> Found | None:
    """A roster with demand and fairness (or, re-planning, stability) proven optimal, or None."""
    began = time.perf_counter()
    if part.locked and not part.locked <= part.previous:
        return None  # the flow knows no locks; a re-plan keeps every valid previous pair
    if part.previous:
        return _replan(part, began, params.tuning)
    candidates = _open_candidates(part)
    flowed = _flow_roster(part, candidates[: params.tuning.flow_tries], params.tuning)
    if flowed is None:
        return None
    i, chosen, bounds = flowed
    # The flow is stricter than the rules, so the smaller candidates are still open. The LP
    # relaxation refutes the smallest ones first (fractions of a second each).
    cut = _lp_cut(part, candidates, i)
    candidates, i = candidates[cut:], i - cut
    proven, bound = True, candidates[i]
    if i > 0:
        chosen, bounds, proven, bound = _settle(part, params, candidates, i, chosen, bounds)
    seconds = time.perf_counter() - began
    people = len(chosen)
    minimum = sum(s.min_people for s in part.slots)
    dev = max_deviation(part, chosen)
    stages = [
        Stage(Term.DEMAND, Proof.OPTIMAL, 0, 0, seconds),
        Stage(Term.EXTRAS, _proof(people == minimum), people, minimum, 0.0),
        Stage(
            Term.FAIRNESS,
            _proof(proven),
            dev / 60,
            # proven: the roster's largest deviation is the smallest candidate the bounds allow
            (dev if proven else bound) / 60,
            time.perf_counter() - began - seconds,
        ),
    ]
    spread_low = spread_candidates(part, bounds)[0]
    stages.append(_spread_stage(part, chosen, spread_low))
    busy = {v for v, (lo, _) in enumerate(bounds) if lo > 0}
    stages.append(_continuity_stage(part, chosen, busy))
    return Found(chosen, stages, bounds if proven else None)


def _open_candidates(part: Part) -> list[float]:
    """The candidate deviations from the first one passing `sums_fit` on: the conditions only
    weaken as D grows, so every smaller candidate fails them too."""
    _, candidates = fairness_bounds(part, all_filled=True)
    first = bisect.bisect_left(candidates, True, key=lambda d: sums_fit(part, load_bounds(part, d)))
    return candidates[first:]


def _flow_roster(
    part: Part, candidates: list[float], tuning: Tuning
) -> tuple[int, Pairs, Bounds] | None:
    """The first candidate the flow fills every seat for: its index, roster and load bounds
    (None if none does, or if the flow's roster breaks a rule)."""
    for i, d in enumerate(candidates):
        bounds = load_bounds(part, d)
        if bounds is None:
            continue
        chosen = flow.roster(part, bounds, tuning=tuning)
        if chosen is not None:
            return None if rules.check(part, chosen) else (i, chosen, bounds)
    return None


def _refuted_by_lp(part: Part, d: float) -> bool:
    bounds = load_bounds(part, d)
    return bounds is None or relax.refutes(part, bounds)


def _lp_cut(part: Part, candidates: list[float], i: int) -> int:
    """How many of the candidates below index `i` the LP relaxation refutes (the smallest
    ones: refutation is monotone too)."""
    if i == 0:
        return 0
    return bisect.bisect_left(range(i), True, key=lambda j: not _refuted_by_lp(part, candidates[j]))


def _settle(
    part: Part,
    params: Params,
    candidates: list[float],
    i: int,
    chosen: Pairs,
    bounds: Bounds,
) -> tuple[Pairs, Bounds, bool, float]:
    """Whatever the LP leaves below the flow's deviation `candidates[i]`: yes/no questions to
    CP-SAT (bisection, each on a short budget). A "yes" comes with a better roster; an
    unanswered question leaves the best roster in hand with its gap to the bound reported.
    Returns the roster, its load bounds, whether it is proven optimal, and the bound."""
    rosters: dict[int, tuple[Pairs, Bounds]] = {}

    def feasible(j: int) -> bool | None:
        allowed = load_bounds(part, candidates[j])
        if allowed is None:
            return False
        answer = within(part, allowed, params)
        if answer.yes:
            rosters[j] = answer.chosen(), allowed
        return answer.verdict

    found = bisect_candidates(i, feasible)
    if found.best is not None:
        chosen, bounds = rosters[found.best]
    return chosen, bounds, found.proven, candidates[found.bound]


def within(part: Part, bounds: Bounds, params: Params) -> Answer:
    """Is there a roster filling every seat exactly with every load within `bounds`? CP-SAT's
    answer, on a short budget (`Tuning.refute_limit`): unknown when the limit came first."""
    m = build(part)
    for var in (*m.short.values(), *m.no_leader.values()):
        m.model.add(var == 0)
    m.model.add(sum(m.x.values()) <= sum(s.min_people for s in part.slots))  # extras come first
    for load, (lo, hi) in zip(m.load, bounds, strict=True):
        m.model.add_linear_constraint(load, lo, hi)
    # One question, on a short budget: unanswered, the roster stands with its gap reported.
    return ask(m.model, m.x, params, min(params.time_limit, params.tuning.refute_limit))


def _replan(part: Part, began: float, tuning: Tuning) -> Found | None:
    """Keep every previous pair still valid and refill only the seats it leaves empty."""
    valid = {(s, v) for s, v in part.previous if v in part.eligible[s]}
    if rules.check(part, valid):
        return None
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in valid:
        team[s].append(v)
    empty = sum(max(0, slot.min_people - len(team[s])) for s, slot in enumerate(part.slots))
    wide = [(0, 10**9)] * len(part.volunteers)
    chosen = flow.roster(part, wide, valid, tuning=tuning)
    if chosen is None or rules.check(part, chosen):
        return None
    changes = len(part.previous - chosen) + len(chosen - part.previous)
    least = len(part.previous - valid) + empty
    if changes != least:
        return None
    seconds = time.perf_counter() - began
    people = len(chosen)
    minimum = sum(s.min_people for s in part.slots)
    dev = max_deviation(part, chosen) / 60
    # With nothing to change the roster is the only one at the optimum of stability, so every
    # later term is settled; otherwise fairness among the minimal changes is proven only when
    # it reaches the bound of `solver.stability` (the kept pairs fixed, the deficits open).
    settled = changes == 0
    fair_low = dev if settled else min(dev, stability.fairness_bound(part, valid) / 60)
    stages = [
        Stage(Term.DEMAND, Proof.OPTIMAL, 0, 0, seconds),
        Stage(Term.STABILITY, Proof.OPTIMAL, changes, least, 0.0),
        Stage(
            Term.EXTRAS,
            _proof(settled or people == minimum),
            people,
            people if settled else minimum,
            0.0,
        ),
        Stage(Term.FAIRNESS, _proof(dev - fair_low < EPS), dev, fair_low, 0.0),
    ]
    spread = _spread_stage(part, chosen, None if settled else stability.spread_bound(part, valid))
    stages.append(spread)
    stages.append(_continuity_stage(part, chosen, set(), settled))
    return Found(chosen, stages, None)


def _spread_stage(part: Part, chosen: Pairs, lower: int | None) -> Stage:
    value = spread_of(part, chosen)
    bound = value if lower is None else lower
    return Stage(Term.SPREAD, _proof(value <= bound), value / 60, bound / 60, 0.0)


def _continuity_stage(part: Part, chosen: Pairs, busy: set[int], settled: bool = False) -> Stage:
    pairs = {(v, part.slots[s].area) for s, v in chosen} - part.history_areas
    served = {v for v, _ in part.history_areas}
    bound = len(pairs) if settled else len(busy - served)
    return Stage(Term.CONTINUITY, _proof(len(pairs) <= bound), len(pairs), bound, 0.0)
