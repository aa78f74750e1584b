"""Counting refutes demand before any search: seats against what caps, leave and weekdays leave
free, at once, per day and per week, and leaders' seats against the leaders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from cli import main as cli
from roster.model import Leave, Plan, Volunteer
from solver import refute
from solver.params import Params
from solver.parts import Part
from solver.prepare import make_parts
from solver.refute import Scope
from solver.result import Method, Proof, Status, Term
from tests.solver_helpers import duty, make_plan, part_of, people, run, small_unit

from .conftest import read_rows, write_rows

runner = CliRunner()
WEEK = (date(2022, 6, 13), date(2022, 6, 19))
ZHATU = "渣土所"  # the sample's 14 volunteers of the 西湖游园 park: 11 slots of 2 people a week


def _one_hour_caps(volunteers: tuple[Volunteer, ...], unit: str) -> tuple[Volunteer, ...]:
    return tuple(replace(v, weekly_cap_hours=1.0) if v.unit == unit else v for v in volunteers)


def _capped_part(sample_plan: Plan) -> Part:
    """The sample's week of 2022-06-13 with every weekly cap of 渣土所 at 1 h: 14 h against 22."""
    plan = replace(sample_plan, volunteers=_one_hour_caps(sample_plan.volunteers, ZHATU))
    _, parts, _ = make_parts(plan, *WEEK, Params(workers=1, strict=True))
    (part,) = [p for p in parts if p.unit == ZHATU]
    return part


@pytest.fixture
def no_cp_sat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any CP-SAT search fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("CP-SAT was asked")

    monkeypatch.setattr(cp_model.CpSolver, "solve", refuse)


def test_strict_refutes_by_counting_when_weekly_caps_leave_too_few_hours(
    sample_plan: Plan, no_cp_sat: None
) -> None:
    part = _capped_part(sample_plan)
    result = run(part, strict=True)
    assert result.status is Status.INFEASIBLE and result.assignments == ()
    (stage,) = result.stages
    assert (stage.name, stage.status, stage.method) == (
        Term.DEMAND,
        Proof.INFEASIBLE,
        Method.COUNTING,
    )
    assert stage.bound == 8  # 8 of the 22 one-hour seats stay empty, whatever the roster
    (text,) = result.conflicts
    assert text.startswith(
        "渣土所 needs 22 h of duty in the week of 2022-06-13 (duties.csv rows 14, 15, 16, 17) but "
        "its 14 volunteers can give at most 14 h: weekly caps of 1 h for 吕静杰、崔超、"
    )


def test_strict_command_exits_4_naming_the_caps_without_a_roster(
    sample_copy: Path, tmp_path: Path
) -> None:
    path = sample_copy / "volunteers.csv"
    rows = read_rows(path)
    cap = rows[0].index("每周上限小时")
    for r in rows[1:]:
        if r[2] == ZHATU:
            r[cap] = "1"
    write_rows(path, rows)
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--strict", "--out", str(out)]
    )
    assert result.exit_code == 4, result.output
    text = (out / "conflicts.txt").read_text(encoding="utf-8")
    assert "渣土所 needs 22 h of duty in the week of 2022-06-13" in text
    assert "weekly caps of 1 h for 吕静杰" in text
    assert not (out / "assignments.csv").exists()


def test_a_duty_longer_than_every_cap_is_short_at_once() -> None:
    plan = make_plan(
        people(4, leaders=1, weekly_cap_hours=2.0),
        [duty("每周一", "08:30", "12:30", area="社区甲", min_people=2, max_people=2)],
    )
    (short,) = refute.shortages(part_of(plan))
    assert (short.scope, short.need, short.free) == (Scope.AT_ONCE, 2, 0)


def test_overlapping_duties_need_as_many_different_people_at_once() -> None:
    plan = make_plan(
        people(5),
        [
            duty("每周三", "07:30", "08:30", area="路口甲", min_people=3, max_people=3),
            duty("每周三", "08:00", "09:00", area="路口乙", min_people=3, max_people=3),
        ],
    )
    (short,) = refute.shortages(part_of(plan))
    assert (short.scope, len(short.slots), short.need, short.free) == (Scope.AT_ONCE, 2, 6, 5)


def test_a_day_is_short_under_the_daily_cap_though_the_week_is_not() -> None:
    plan = make_plan(
        people(2),
        [
            *(
                duty("每周三", f"{h:02d}:00", f"{h + 1:02d}:00", area="公园甲", min_people=1)
                for h in range(8, 13)
            ),
            duty("每周四", "19:00", "20:00", area="公园甲", min_people=1),  # 2 h free, 1 needed
        ],
        daily_cap_hours=2.0,
    )
    (short,) = refute.shortages(part_of(plan))
    assert (short.scope, short.need, short.free) == (Scope.DAY, 300, 240)


def test_leaders_seats_count_against_the_leaders_only() -> None:
    leaders = people(2, leaders=2, weekly_cap_hours=1.0)
    others = people(6, prefix="W")
    plan = make_plan(
        leaders + others,
        [
            duty(d, "07:30", "08:30", min_people=2, max_people=2, leader_required=True)
            for d in ("每周一", "每周二", "每周三")
        ],
    )
    (short,) = refute.shortages(part_of(plan))
    assert (short.scope, short.leaders, short.need, short.free) == (Scope.WEEK, True, 180, 120)


def test_a_unit_that_can_meet_its_demand_passes_every_count() -> None:
    assert refute.shortages(small_unit()) == []


def test_leave_is_named_only_when_it_costs_hours() -> None:
    vols = [
        Volunteer("V1", "甲", "单位甲", weekly_cap_hours=1.0),
        Volunteer("V2", "乙", "单位甲"),
    ]
    leave = (
        Leave("V1", date(2022, 6, 13), date(2022, 6, 13), "病假"),  # still has an hour to give
        Leave("V2", date(2022, 6, 13), date(2022, 6, 19), "事假"),  # away all week
    )
    part = part_of(make_plan(vols, [duty("每天", "19:00", "20:00", min_people=1)], leave))
    found = refute.limits(part, tuple(range(len(part.slots))), (0, 1))
    assert [(v, [x.reason for x in xs]) for v, xs in found.leave] == [(1, ["事假"])]
    assert found.weekly == (0,)
