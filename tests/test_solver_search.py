"""The staged search's tie-breakers: continuity changes who stands where, never anyone's hours."""

from __future__ import annotations

from datetime import date

from solver.fast import fast_roster
from solver.params import Params
from tests.solver_helpers import duty, make_plan, part_of, people, row, run


def test_continuity_after_the_flow_keeps_everyones_hours_where_the_spread_would_not() -> None:
    volunteers = [
        *people(1, leaders=1, prefix="L"),
        *people(2, prefix="A"),
        *people(1, prefix="C", weekly_cap_hours=0.5),  # fits no window: the lowest deviation
        *people(1, prefix="E"),  # 12 h served before: the highest deviation
    ]
    duties = [
        duty("每周一", "08:30", "12:30", area="社区甲", kind="联社区", leader_required=True),
        duty("每周三", "07:30", "08:30", area="路口甲"),
        duty("每周五", "17:00", "18:00", area="路口甲"),
    ]
    history = (
        row(date(2022, 6, 8), "07:30", "08:30", "路口甲", "A1"),  # A1 knows the intersection
        row(date(2022, 6, 8), "07:30", "08:30", "路口丙", "A2"),
        *(row(date(2022, 6, d), "19:00", "21:00", "路口丁", "E1") for d in range(1, 7)),
    )
    part = part_of(make_plan(volunteers, duties), history=history)
    found = fast_roster(part, Params(workers=1))
    assert found is not None
    flowed = part.loads(found.chosen)
    assert flowed[:2] == [60, 60]  # A1 and A2 one window each
    result = run(part)  # small: CP-SAT minimizes continuity from the flow's roster
    assert [h.minutes for h in result.hours] == flowed
