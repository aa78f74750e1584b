"""The benchmark's independent referee (bench/score.py) on a tiny week worked out by hand, and
bench/compare.py's one-line skip when Timefold cannot run."""

from __future__ import annotations

import ast
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench import compare
from bench.score import (
    LeaveRow,
    PersonRow,
    Pick,
    SlotRow,
    Week,
    conflict,
    fair_shares,
    read_roster,
    read_week,
    score,
    write_roster,
    write_week,
)

PARKS = "园林事务中心"
SANITATION = "环卫所"
WED, THU, FRI = date(2022, 6, 15), date(2022, 6, 16), date(2022, 6, 17)

CROSSING = SlotRow(WED, 450, 510, "包主要交通路口", "蔡池路与群英路交叉路口", PARKS, 2, 2, True)
ROAD = SlotRow(FRI, 1020, 1080, "包路段", "双月路(群英路至蔡伦路)", PARKS, 2, 2, False)
PARK = SlotRow(THU, 1140, 1200, "包重点场所", "马阜岭公园", SANITATION, 1, 1, False)
# 15 minutes after the crossing, at another place: too little time to get there
GARDEN = SlotRow(WED, 525, 585, "包重点场所", "西湖游园", PARKS, 1, 1, False)


def person(pid: str, unit: str = PARKS, leader: bool = False, cap: int = 360) -> PersonRow:
    return PersonRow(pid, unit, leader, cap)


WEEK = Week(
    slots=(CROSSING, ROAD, PARK),
    people=(
        person("A", leader=True),
        person("B"),
        person("C"),
        person("D"),
        person("E", SANITATION),
    ),
    leave=(LeaveRow("D", FRI, FRI),),
    daily_cap=240,
    travel_buffer=30,
)


def on(slot: SlotRow, *who: str) -> list[Pick]:
    return [Pick(slot.date, slot.start, slot.duty, slot.area, v) for v in who]


GOOD = [*on(CROSSING, "A", "D"), *on(ROAD, "B", "C"), *on(PARK, "E")]


def test_fair_shares_by_hand() -> None:
    # 240 demand minutes in the parks unit; D (leave on Friday) can only do the crossing. The
    # crossing's leader seat (60 min) goes to the only leader first: base A 60. Availability for
    # the other seats: A, B, C 240 - 60 = 180 each, D 120 - 60 = 60; a common level r with
    # 600 r = 240 gives r = 0.4: 72, 72, 72, 24 (A above its base of 60).
    fair = fair_shares(WEEK)
    assert fair == pytest.approx({"A": 72.0, "B": 72.0, "C": 72.0, "D": 24.0, "E": 60.0})


def test_a_valid_roster_and_its_fairness() -> None:
    result = score(WEEK, GOOD)
    assert (result.unfilled, result.leaders_missing, result.broken) == (0, 0, 0)
    # parks: everyone 60 min, deviations -12, -12, -12, +36: largest 36 min, spread 48 min
    assert result.worst_deviation == pytest.approx(0.6)
    assert result.worst_spread == pytest.approx(0.8)
    # sanitation: E holds exactly their share; the mean of 0.6 h and 0 h
    assert result.mean_deviation == pytest.approx(0.3)
    assert result.units == 2


def test_a_double_booked_person() -> None:
    week = replace(WEEK, slots=(*WEEK.slots, GARDEN))
    result = score(week, [*GOOD, *on(GARDEN, "A")])
    assert result.violations["overlap"] == 1
    assert result.broken == 1
    # the same person twice on one slot is double-booked too, and leaves the seat empty
    twice = score(WEEK, [*on(CROSSING, "A", "A"), *on(ROAD, "B", "C"), *on(PARK, "E")])
    assert (twice.violations["overlap"], twice.unfilled) == (1, 1)


def test_travel_buffer_only_between_places() -> None:
    assert conflict(CROSSING, GARDEN, 30)
    assert not conflict(CROSSING, GARDEN, 15)
    later = replace(CROSSING, start=525, end=585)  # same place, 15 minutes later: no travel
    assert not conflict(CROSSING, later, 30)
    assert conflict(CROSSING, replace(CROSSING, start=500, end=560), 0)  # they overlap
    assert not conflict(CROSSING, replace(GARDEN, date=THU), 30)


def test_a_person_on_leave() -> None:
    result = score(WEEK, [*on(CROSSING, "A", "C"), *on(ROAD, "B", "D"), *on(PARK, "E")])
    assert result.violations["leave"] == 1
    assert result.broken == 1


def test_a_weekday_never_done_and_another_unit() -> None:
    week = replace(
        WEEK,
        people=(
            *WEEK.people[:2],
            replace(WEEK.people[2], unavailable=frozenset({4})),
            *WEEK.people[3:],
        ),
    )
    result = score(week, [*on(CROSSING, "A", "D"), *on(ROAD, "B", "C"), *on(PARK, "B")])
    assert result.violations["weekday"] == 1  # C never does Fridays
    assert result.violations["unit"] == 1  # B is not of the sanitation unit


def test_unfilled_seats_and_a_missing_leader() -> None:
    result = score(WEEK, [*on(CROSSING, "B", "D"), *on(ROAD, "C"), *on(PARK, "E")])
    assert result.unfilled == 1
    assert result.leaders_missing == 1
    assert result.broken == 0


def test_caps_and_unknown_rows() -> None:
    week = replace(WEEK, people=(replace(WEEK.people[0], weekly_cap=60), *WEEK.people[1:]))
    result = score(week, [*on(CROSSING, "A", "D"), *on(ROAD, "A", "C"), *on(PARK, "E", "Z")])
    assert result.violations["weekly_cap"] == 1
    assert result.violations["unknown"] == 1
    tight = score(
        replace(WEEK, daily_cap=60, slots=(*WEEK.slots, GARDEN)),
        on(CROSSING, "B") + on(GARDEN, "B"),
    )
    assert tight.violations["daily_cap"] == 1


def test_rows_on_disk_score_the_same(tmp_path: Path) -> None:
    write_week(tmp_path / "week", WEEK)
    write_roster(tmp_path / "roster.csv", GOOD)
    again = read_week(tmp_path / "week")
    assert again == WEEK
    assert score(again, read_roster(tmp_path / "roster.csv")) == score(WEEK, GOOD)


def test_compare_skips_in_one_line_without_timefold_or_jdk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(compare, "installed", lambda name: False)
    monkeypatch.setattr(compare, "JDK", tmp_path / "no-jdk")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-jdk"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["compare.py"])
    compare.main()  # returns: exit status 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("skipped:")
    assert "timefold" in lines[0] and "JDK 17" in lines[0] and "pip install" in lines[0]


def test_the_referee_knows_neither_solver() -> None:
    source = (Path(__file__).resolve().parent.parent / "bench" / "score.py").read_text("utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    standard = {"__future__", "argparse", "csv", "collections", "dataclasses", "datetime"}
    assert imported <= standard | {"functools", "pathlib"}
