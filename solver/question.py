"""One CP-SAT question: a solver set up the one way that keeps rosters reproducible.

Every CP-SAT call of a part goes through `ask`: one worker (a part's answer must not depend on
thread scheduling), the run's seed, a deterministic time limit (the same on every machine), and a
linearization level. The answer says yes (a roster, returned), no (proven) or unknown (the limit
came first), with the objective's value and bound when the model minimizes something.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.params import Params
from solver.result import Proof

Pair = tuple[int, int]

_PROOF = {
    cp_model.OPTIMAL: Proof.OPTIMAL,
    cp_model.FEASIBLE: Proof.FEASIBLE,
    cp_model.INFEASIBLE: Proof.INFEASIBLE,
}  # UNKNOWN, and MODEL_INVALID (nothing found, nothing proven), map to Proof.UNKNOWN


@dataclass(frozen=True)
class Answer:
    """CP-SAT's reply to one question.

    `values` is the roster found (every pair of `x`, on or off), empty unless `yes`; `objective`
    and `bound` are inf and 0 when nothing was found; `core` lists the assumptions that together
    make the model infeasible (for --strict explanations).
    """

    proof: Proof
    values: dict[Pair, bool] = field(default_factory=dict)
    objective: float = math.inf
    bound: float = 0.0
    seconds: float = 0.0
    core: tuple[int, ...] = ()

    @property
    def yes(self) -> bool:
        return self.proof in (Proof.OPTIMAL, Proof.FEASIBLE)

    @property
    def no(self) -> bool:
        return self.proof is Proof.INFEASIBLE

    @property
    def unknown(self) -> bool:
        return self.proof is Proof.UNKNOWN

    @property
    def verdict(self) -> bool | None:
        """True, False, or None for unanswered: the form `solver.bisection` asks for."""
        return True if self.yes else False if self.no else None

    def chosen(self) -> set[Pair]:
        return {k for k, on in self.values.items() if on}


def ask(
    model: cp_model.CpModel,
    x: Mapping[Pair, cp_model.IntVar],
    params: Params,
    limit: float,
    linearization: int = 1,
) -> Answer:
    """Solve `model` once within `limit` deterministic seconds, reading the roster from `x`."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.linearization_level = linearization
    p.random_seed = params.seed
    p.max_deterministic_time = limit
    start = time.perf_counter()
    status = solver.solve(model)
    seconds = time.perf_counter() - start
    proof = _PROOF.get(status, Proof.UNKNOWN)
    if proof is Proof.INFEASIBLE:
        core = tuple(solver.sufficient_assumptions_for_infeasibility())
        return Answer(proof, seconds=seconds, core=core)
    if proof is Proof.UNKNOWN:
        return Answer(proof, seconds=seconds)
    values = {k: solver.boolean_value(v) for k, v in x.items()}
    minimizing = model.has_objective()
    return Answer(
        proof,
        values,
        solver.objective_value if minimizing else math.inf,
        solver.best_objective_bound if minimizing else 0.0,
        seconds,
    )
