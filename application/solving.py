"""Solving a period: the request a caller fills in, and the roster it gets back as rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from application.rows import assignment_rows, shortfall_rows
from roster.assignments import AssignmentRow, ShortfallRow
from roster.errors import InputError, Problem, Source
from roster.i18n import tr
from roster.model import Plan
from solver import Params, PartResult, Result, Status
from solver.params import Tuning
from solver.parts import DayCache
from solver.prepare import Prepared, make_parts


@dataclass(frozen=True)
class SolveRequest:
    """Staff every slot of `plan` from `first` to `last` (inclusive).

    `previous` is an earlier roster of the same period to keep as far as the rules allow (a
    re-plan); `history` the rows of earlier periods, whose hours count toward fairness. `time_limit`
    is CP-SAT's deterministic time per part and stage; `workers` None uses every core.
    """

    plan: Plan
    first: date
    last: date
    previous: tuple[AssignmentRow, ...] = ()
    locked: tuple[AssignmentRow, ...] = ()  # kept by every roster, as far as the rules allow
    history: tuple[AssignmentRow, ...] = ()
    seed: int = 0
    time_limit: float = 10.0
    strict: bool = False
    workers: int | None = None
    tuning: Tuning = field(default_factory=Tuning)

    def params(self) -> Params:
        params = Params(
            seed=self.seed,
            time_limit=self.time_limit,
            strict=self.strict,
            previous=self.previous,
            locked=self.locked,
            history=self.history,
            tuning=self.tuning,
        )
        return params if self.workers is None else replace(params, workers=self.workers)


@dataclass(frozen=True)
class Solved:
    """The result of a solve, with the rows every output is written from."""

    request: SolveRequest
    result: Result
    rows: tuple[AssignmentRow, ...]
    gaps: tuple[ShortfallRow, ...]

    @property
    def infeasible(self) -> bool:
        """--strict and the demand cannot be met: there is no roster, only `result.conflicts`."""
        return self.result.status is Status.INFEASIBLE

    @property
    def complete(self) -> bool:
        return self.result.complete


def within_campaign(plan: Plan, first: date, last: date, option: str = "--week") -> None:
    """Refuse a period with no day in the campaign (a mistyped year), naming the campaign's
    dates: solving it would write an empty roster and empty every published feed."""
    s = plan.settings
    if last < s.start or first > s.end:
        raise InputError(
            [
                Problem(
                    tr("{first} to {last} is outside the campaign", first=first, last=last),
                    Source(option),
                    expected=tr("a date from {start} to {end}", start=s.start, end=s.end),
                )
            ]
        )


def prepare_roster(request: SolveRequest, cache: DayCache | None = None) -> Prepared:
    """The slots, the parts (one per unit) and the unit of each area, before any solving."""
    return make_parts(request.plan, request.first, request.last, request.params(), cache)


def solve_roster(
    request: SolveRequest,
    progress: Callable[[PartResult], None] | None = None,
    cache: DayCache | None = None,
    prepared: Prepared | None = None,
    started: Callable[[list[str]], None] | None = None,
) -> Solved:
    """Solve the request; `progress` is told of each part (a unit) as it is done.

    Solving week after week, one `cache` for every week goes through only the history's new
    days and rows; `prepared` reuses what `prepare_roster` gave for the same request.
    """
    r = request
    within_campaign(r.plan, r.first, r.last)
    from solver.solve import solve  # CP-SAT loads when a roster is solved, not to check one

    result = solve(r.plan, r.first, r.last, r.params(), progress, cache, prepared, started)
    if result.status is Status.INFEASIBLE:
        return Solved(request, result, (), ())
    return Solved(request, result, assignment_rows(result), shortfall_rows(result))
