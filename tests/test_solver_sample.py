"""The solver on the shipped Leiyang sample: coverage, fairness, re-planning, gaps, --strict."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from application.rows import assignment_rows
from cli import main as cli
from roster.model import Leave, Plan
from roster.readers import load
from roster.rosterfiles import read_assignments
from solver import Params, Result, Status
from solver.solve import solve

from .conftest import read_rows, write_rows

runner = CliRunner()
FOUR_WEEKS = (date(2022, 6, 13), date(2022, 7, 10))
WEEK = (date(2022, 6, 13), date(2022, 6, 19))


@pytest.fixture(scope="module")
def four_weeks(sample_plan: Plan) -> Result:
    return solve(sample_plan, *FOUR_WEEKS, Params())


def test_four_summer_weeks_are_fully_staffed(four_weeks: Result) -> None:
    assert four_weeks.status is Status.OPTIMAL
    assert four_weeks.shortfalls == ()
    staffed: dict[object, list] = {}
    for a in four_weeks.assignments:
        staffed.setdefault(a.slot, []).append(a.volunteer)
    for slot in four_weeks.slots:
        people = staffed.get(slot, [])
        assert len(people) == slot.min_people, slot.key
        assert all(v.unit == slot.units[0] for v in people)
        if slot.leader_required:
            assert any(v.leader for v in people), slot.key


def test_no_units_hours_spread_exceeds_its_longest_duty(four_weeks: Result) -> None:
    for part in four_weeks.parts:
        longest = max(a.slot.minutes for a in part.assignments)
        assert part.spread <= longest, (part.unit, part.spread, longest)


def test_fairness_is_proven_optimal_in_every_unit(four_weeks: Result) -> None:
    for part in four_weeks.parts:
        (fairness,) = [s for s in part.stages if s.name == "fairness"]
        assert fairness.status == "OPTIMAL" and fairness.gap == 0, part.unit


def test_leave_in_the_sample_is_respected(four_weeks: Result, sample_plan: Plan) -> None:
    for a in four_weeks.assignments:
        for x in sample_plan.leave:
            assert not (x.volunteer_id == a.volunteer.id and x.covers(a.slot.date))
        assert a.slot.date.weekday() not in a.volunteer.unavailable


def _pairs(result: Result) -> set[tuple[str, str]]:
    return {(a.slot.key, a.volunteer.id) for a in result.assignments}


def test_replan_after_one_days_leave_moves_only_that_persons_slots(sample_plan: Plan) -> None:
    first = solve(sample_plan, *WEEK, Params())
    day = date(2022, 6, 15)
    sick = next(
        a.volunteer for a in first.assignments if a.slot.date == day and a.slot.kind == "包路口"
    )
    previous = assignment_rows(first)
    ill = replace(sample_plan, leave=(*sample_plan.leave, Leave(sick.id, day, day, "病假")))
    again = solve(ill, *WEEK, Params(previous=previous))
    removed = _pairs(first) - _pairs(again)
    added = _pairs(again) - _pairs(first)
    assert removed == {
        (k, v) for k, v in _pairs(first) if v == sick.id and k.startswith("2022-06-15")
    }
    assert len(added) == len(removed)
    assert all(k.startswith("2022-06-15") for k, _ in added)
    assert again.shortfalls == ()


def test_without_stability_a_replan_moves_other_people_too(sample_plan: Plan) -> None:
    from solver.lexicographic import solve_part
    from solver.prepare import make_parts

    first = solve(sample_plan, *WEEK, Params())
    day = date(2022, 6, 15)
    sick = next(
        a.volunteer for a in first.assignments if a.slot.date == day and a.slot.kind == "包路口"
    )
    ill = replace(sample_plan, leave=(*sample_plan.leave, Leave(sick.id, day, day, "病假")))
    params = Params(workers=1, previous=assignment_rows(first))
    _, parts, _ = make_parts(ill, *WEEK, params)
    (part,) = [p for p in parts if p.unit == sick.unit]
    before = {
        (a.slot.key, a.volunteer.id) for a in first.assignments if a.slot.units[0] == sick.unit
    }
    kept = {(a.slot.key, a.volunteer.id) for a in solve_part(part, params).assignments}
    drifted = {
        (a.slot.key, a.volunteer.id)
        for a in solve_part(part, params, skip=frozenset({"stability"})).assignments
    }
    assert len(before ^ kept) < len(before ^ drifted)


def _short_of_people(folder: Path) -> Path:
    """园林事务中心 down to 6 volunteers who can do Wednesdays: the intersection needs 8."""
    path = folder / "volunteers.csv"
    rows = read_rows(path)
    garden = [r for r in rows[1:] if r[2] == "园林事务中心"]
    keep = {r[0] for r in garden[:6]}
    write_rows(path, [rows[0]] + [r for r in rows[1:] if r[2] != "园林事务中心" or r[0] in keep])
    leave = folder / "leave.csv"
    write_rows(leave, [r for r in read_rows(leave) if not r[0].startswith("YL") or r[0] in keep])
    return folder


def test_a_unit_that_cannot_meet_demand_gets_a_roster_and_its_gaps(
    sample_copy: Path, tmp_path: Path
) -> None:
    data = _short_of_people(sample_copy)
    out = tmp_path / "out"
    result = runner.invoke(cli.app, ["solve", str(data), "--week", "2022-06-15", "--out", str(out)])
    assert result.exit_code == 3, result.output
    gaps = read_rows(out / "shortfalls.csv")
    assert gaps[0] == [
        "date",
        "start",
        "end",
        "duty",
        "area",
        "unit",
        "needed",
        "assigned",
        "reason",
    ]
    crossing = [g for g in gaps[1:] if g[3] == "包路口"]
    assert [(g[0], g[1], g[6], g[7]) for g in crossing] == [
        ("2022-06-15", "07:30", "8", "6"),
        ("2022-06-15", "17:30", "8", "6"),
    ]
    assert crossing[0][8].startswith(
        "园林事务中心 has only 6 volunteers free on 2022-06-15 07:30–08:30 "
        "at 蔡池路与群英路交叉路口, 8 needed"
    )
    rows = read_assignments(out / "assignments.csv")
    assert sum(1 for r in rows if r.duty == "包路口") == 12


def test_leave_is_named_in_the_reason(sample_copy: Path, tmp_path: Path) -> None:
    data = _short_of_people(sample_copy)
    keep = [r[0] for r in read_rows(data / "volunteers.csv") if r[2] == "园林事务中心"]
    write_rows(
        data / "leave.csv",
        [*read_rows(data / "leave.csv"), [keep[0], "", "2022-06-15", "2022-06-15", "病假"]],
    )
    plan = load(data)
    result = solve(plan, *WEEK, Params())
    (gap, *_) = [s for s in result.shortfalls if s.slot.kind == "包路口"]
    assert (
        "5 volunteers free" in gap.reason and "1 on leave:" in gap.reason and "病假" in gap.reason
    )


def test_strict_mode_names_the_conflicting_requirement(sample_copy: Path, tmp_path: Path) -> None:
    data = _short_of_people(sample_copy)
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, ["solve", str(data), "--week", "2022-06-15", "--out", str(out), "--strict"]
    )
    assert result.exit_code == 4, result.output
    text = (out / "conflicts.txt").read_text(encoding="utf-8")
    assert "duties.csv, row 3: 包路口 蔡池路与群英路交叉路口 needs 8 people on 2022-06-15" in text
    assert "园林事务中心 has 6 volunteers free" in text
    assert not (out / "assignments.csv").exists()


def test_strict_mode_writes_the_roster_when_every_seat_is_staffed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, ["solve", "--week", "2022-06-15", "--out", str(out), "--strict"]
    )
    assert result.exit_code == 0, result.output
    assert len(read_assignments(out / "assignments.csv")) == 98
    assert not (out / "conflicts.txt").exists()


def test_two_solves_with_the_same_seed_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = runner.invoke(
            cli.app, ["solve", "--week", "2022-06-15", "--out", str(out), "--seed", "3"]
        )
        assert result.exit_code == 0, result.output
        outputs.append((out / "assignments.csv").read_bytes())
    assert outputs[0] == outputs[1]
    header = outputs[0].decode("utf-8-sig").splitlines()[0]
    assert header == "date,start,end,duty,area,unit,volunteer_id,volunteer_name,leader"


def test_previous_roster_is_kept_through_the_command_line(tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert (
        runner.invoke(cli.app, ["solve", "--week", "2022-06-15", "--out", str(first)]).exit_code
        == 0
    )
    again = tmp_path / "again"
    result = runner.invoke(
        cli.app,
        [
            "solve",
            "--week",
            "2022-06-15",
            "--out",
            str(again),
            "--seed",
            "9",
            "--previous",
            str(first / "assignments.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (first / "assignments.csv").read_bytes() == (again / "assignments.csv").read_bytes()


def test_history_carries_hours_forward(sample_plan: Plan, tmp_path: Path) -> None:
    first = tmp_path / "w1"
    assert (
        runner.invoke(cli.app, ["solve", "--week", "2022-06-13", "--out", str(first)]).exit_code
        == 0
    )
    week1 = read_assignments(first / "assignments.csv")
    result = solve(sample_plan, date(2022, 6, 20), date(2022, 6, 26), Params(history=week1))
    for part in result.parts:
        longest = max((a.slot.minutes for a in part.assignments), default=60)
        assert part.spread <= max(longest, 60), part.unit
        assert sum(h.history_minutes for h in part.hours) == sum(
            r.minutes for r in week1 if r.unit == part.unit
        )
