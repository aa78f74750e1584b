"""The solve summary: per unit, what was proven and what the leaders' seats force."""

from __future__ import annotations

from rich.console import Console

from cli.report import SUMMARY_COLUMNS, print_summary
from solver import Result, Status
from tests.solver_helpers import MONDAY, SUNDAY, duty, make_plan, part_of, people, run


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
