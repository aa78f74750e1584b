"""Locked seats: every roster keeps an assignment the office fixed, while the rules allow it; a lock
the rules no longer allow is dropped, never an impossible model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from application.rosters import candidates, check_roster
from application.solving import Solved, SolveRequest, solve_roster
from roster.assignments import AssignmentRow
from roster.model import Leave, Plan

from .conftest import SAMPLE

FIRST, LAST = date(2022, 6, 13), date(2022, 6, 19)


@pytest.fixture(scope="module")
def plan() -> Plan:
    from application.tables import read_tables

    return read_tables(SAMPLE)


@pytest.fixture(scope="module")
def base(plan: Plan) -> Solved:
    return solve_roster(SolveRequest(plan, FIRST, LAST, workers=1))


def has(rows: tuple[AssignmentRow, ...], lock: AssignmentRow) -> bool:
    return any(r.slot_key == lock.slot_key and r.volunteer_id == lock.volunteer_id for r in rows)


def unchosen(plan: Plan, base: Solved) -> AssignmentRow:
    """A seat given to the busiest person who may take it: not what the fair solver chose."""
    row = next(r for r in base.rows if not r.leader)
    able = [
        c
        for c in candidates(plan, base.rows, FIRST, LAST, row.slot_key, row.volunteer_id)
        if not c.reasons
    ]
    who = able[-1].volunteer
    return replace(row, volunteer_id=who.id, volunteer_name=who.name, leader=False)


def test_a_fresh_solve_keeps_a_lock_it_would_not_have_chosen(plan: Plan, base: Solved) -> None:
    lock = unchosen(plan, base)
    assert not has(base.rows, lock)
    got = solve_roster(SolveRequest(plan, FIRST, LAST, locked=(lock,), workers=1))
    assert has(got.rows, lock)
    assert check_roster(plan, got.rows, FIRST, LAST, "assignments.csv") == []
    assert len(got.gaps) == len(base.gaps)


def test_a_re_plan_keeps_the_lock_as_well(plan: Plan, base: Solved) -> None:
    lock = unchosen(plan, base)
    got = solve_roster(
        SolveRequest(plan, FIRST, LAST, previous=base.rows, locked=(lock,), workers=1)
    )
    assert has(got.rows, lock)
    assert check_roster(plan, got.rows, FIRST, LAST, "assignments.csv") == []
    # Still a re-plan: most of the week stands as it was.
    assert len(set(got.rows) & set(base.rows)) >= len(base.rows) - 4


def test_a_lock_on_someone_now_on_leave_is_dropped(plan: Plan, base: Solved) -> None:
    lock = unchosen(plan, base)
    away = replace(
        plan, leave=(*plan.leave, Leave(lock.volunteer_id, lock.date, lock.date, "病假"))
    )
    got = solve_roster(SolveRequest(away, FIRST, LAST, locked=(lock,), workers=1))
    assert not has(got.rows, lock)
    assert got.complete


def test_locks_that_together_break_a_rule_are_dropped_not_made_impossible(
    plan: Plan, base: Solved
) -> None:
    # Two slots of one unit at the very same time, in two areas; one person locked into both.
    one, two = next(
        (a, b)
        for a in base.rows
        for b in base.rows
        if a.unit == b.unit and a.date == b.date and a.start == b.start and a.area < b.area
    )
    able = [
        c for c in candidates(plan, base.rows, FIRST, LAST, one.slot_key, one.volunteer_id)
        if not c.reasons
    ]  # fmt: skip
    who = able[0].volunteer
    locks = tuple(
        replace(r, volunteer_id=who.id, volunteer_name=who.name, leader=False) for r in (one, two)
    )
    got = solve_roster(SolveRequest(plan, FIRST, LAST, locked=locks, workers=1))
    assert not all(has(got.rows, lock) for lock in locks)
    assert check_roster(plan, got.rows, FIRST, LAST, "assignments.csv") == []
    assert got.complete
