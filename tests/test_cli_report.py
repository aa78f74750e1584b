"""The printed summary says what was proven: after a re-plan, the changes and the fairness bound
among the rosters with that few changes, never 0 where the arithmetic proves more; and what the
leaders' seats force."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rich.console import Console

from application.rows import assignment_rows
from cli.report import SUMMARY_COLUMNS, _gap, print_summary
from roster.model import Leave, Plan
from solver import Params, Result, Status, stability
from solver.prepare import make_parts
from solver.result import Proof, Stage, Term
from solver.solve import solve
from tests.solver_helpers import MONDAY, SUNDAY, duty, make_plan, part_of, people, run

WEEK = (date(2022, 6, 13), date(2022, 6, 19))


def test_replan_summary_shows_the_changes_and_the_bound_among_them(sample_plan: Plan) -> None:
    first = solve(sample_plan, *WEEK, Params())
    day = date(2022, 6, 15)
    sick = next(
        a.volunteer for a in first.assignments if a.slot.date == day and a.slot.kind == "包路口"
    )
    ill = replace(sample_plan, leave=(*sample_plan.leave, Leave(sick.id, day, day, "病假")))
    params = Params(workers=1, previous=assignment_rows(first))
    again = solve(ill, *WEEK, params)
    (part,) = [p for p in make_parts(ill, *WEEK, params)[1] if p.unit == sick.unit]
    bound = stability.fairness_bound(part, stability.valid(part)) / 60
    console = Console(record=True, width=200)
    print_summary(console, again, *WEEK)
    text = console.export_text()
    assert "changes" in text and "re-planned" in text
    (line,) = [x for x in text.splitlines() if x.startswith(f"│ {sick.unit}")]
    cells = [c.strip() for c in line.strip("│").split("│")]
    assert cells[7] == f"{bound:.2f}" != "0.00"  # the bound column
    assert cells[SUMMARY_COLUMNS.index("forced h") + 1] == "2"  # changes: one pair out, one in


def test_summary_without_a_previous_roster_has_no_changes_column(sample_plan: Plan) -> None:
    console = Console(record=True, width=200)
    print_summary(console, solve(sample_plan, *WEEK, Params()), *WEEK)
    assert "changes" not in console.export_text()


def test_an_unproven_bound_never_shows_a_gap_of_zero() -> None:
    assert _gap(Stage(Term.FAIRNESS, Proof.FEASIBLE, 0.951, 0.948, 0.0)) == "<0.01"
    assert _gap(Stage(Term.FAIRNESS, Proof.OPTIMAL, 0.95, 0.95, 0.0)) == "0.00"


def test_summary_prints_the_hours_each_leader_is_forced_above_an_even_share() -> None:
    plan = make_plan(
        people(4, leaders=1),
        [
            duty("每周一", "08:30", "12:30", area="社区甲", leader_required=True),
            duty("每周三", "07:30", "08:30", min_people=2, max_people=2),
        ],
    )
    part = part_of(plan)
    solved = run(part)
    assert solved.forced_excess == part.forced_excess == 150  # 4 h of leaders' seats, 1.5 h even
    console = Console(record=True, width=240)
    print_summary(console, Result(Status.OPTIMAL, part.slots, (solved,)), MONDAY, SUNDAY)
    text = console.export_text()
    header = next(line for line in text.splitlines() if "forced h" in line)
    row = next(line for line in text.splitlines() if "单位甲" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert "forced h" in SUMMARY_COLUMNS and header
    assert cells[SUMMARY_COLUMNS.index("forced h")] == "2.50"
